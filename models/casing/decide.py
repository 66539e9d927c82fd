"""From the model's per-unit probabilities to case changes: one rule for the stage and tuning.

Three guards and one rule sit on top of the model:

- a capitalised first word is never lowercased (sentence-initial capitals are the rule
  stage's business);
- a capitalised word is lowercased only if it is a common English word (wordfreq Zipf
  >= 3): MT capitalises common words (``the Biggest``); a rare capitalised word is far
  more often a name the model has not seen (``Willard``);
- a single letter inside a dotted abbreviation (``i.e.``) is left alone;
- a known name written with its capitals where MT from Russian puts them (``Munich
  security conference``, ``Minister of foreign Affairs``; see `_mt_capitals`) takes
  the name's casing, with `NAME_RULE_CONFIDENCE`;
- an English function word capitalised in running text, with a lowercase word straight
  before and after it (``as A benefit``, ``and With the``), is lowercased with
  `FUNCTION_WORD_CONFIDENCE`: titles and names keep theirs because a capitalised
  neighbour (``The Hague``, ``Plan A``) or punctuation (``said: The``) stops the rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from models.casing.lexicon import CasingLexicon, find_names
from models.casing.noise import FUNCTION_WORDS, word_indices
from models.casing.units import OUTPUT_CASES, Case, Unit, case_of, with_case

COMMON_WORD_ZIPF = 3.0
NAME_RULE_CONFIDENCE = 0.995
FUNCTION_WORD_CONFIDENCE = 0.995
# English closed-class words only: name particles (de, van, al, bin …) and ``I`` stay.
ENGLISH_FUNCTION_WORDS = FUNCTION_WORDS - frozenset(
    "i de la le les du des da di del van von der den al el bin y e et und".split()
)


@dataclass(frozen=True, slots=True)
class CaseChange:
    unit: int
    text: str
    confidence: float


def decide(
    units: Sequence[Unit],
    texts: Sequence[str],
    probs: np.ndarray,
    lexicon: CasingLexicon,
    *,
    floor: float = 0.5,
) -> list[CaseChange]:
    """Changes with confidence at least ``floor``, in unit order."""
    from models.names.gazetteer import zipf

    words = word_indices(units)
    first = words[0] if words else -1
    changes: dict[int, CaseChange] = {}
    for i, unit in enumerate(units):
        if not unit.is_letters or _in_abbreviation(units, i):
            continue
        k = int(np.argmax(probs[i]))
        confidence = float(probs[i][k])
        if confidence < floor:
            continue
        case, current = OUTPUT_CASES[k], texts[i]
        new = (
            lexicon.mixed.get(current.lower(), current)
            if case is Case.MIXED
            else with_case(current, case)
        )
        if new == current:
            continue
        lowering = case is Case.LOWER and case_of(current) is not Case.LOWER
        if lowering and (i == first or zipf(current.lower()) < COMMON_WORD_ZIPF):
            continue
        changes[i] = CaseChange(i, new, confidence)
    if floor <= NAME_RULE_CONFIDENCE:
        for change in _partial_names(units, texts, words, lexicon):
            changes[change.unit] = change
    if floor <= FUNCTION_WORD_CONFIDENCE:
        for change in _capitalised_function_words(units, texts, words):
            known = changes.get(change.unit)
            if known is None or (
                known.text == change.text and known.confidence < change.confidence
            ):
                changes[change.unit] = change
    return [changes[i] for i in sorted(changes)]


def _partial_names(
    units: Sequence[Unit], texts: Sequence[str], words: list[int], lexicon: CasingLexicon
) -> list[CaseChange]:
    """Known names written with only some of their capitals, set to the name's casing."""
    out = []
    current = [texts[i] for i in words]
    for start, form in find_names(lexicon.repair_names, current):
        span = list(range(start, start + len(form)))
        capitals = [
            k for k in span
            if current[k][:1].isupper() and current[k].lower() not in FUNCTION_WORDS
            and k != 0  # a sentence's first capital proves nothing
        ]  # fmt: skip
        missing = [k for k in span if current[k] != form[k - start]]
        if not capitals or not missing or any(_in_abbreviation(units, words[k]) for k in span):
            continue
        if not _mt_capitals(current[start : start + len(form)]):
            continue
        for k in missing:
            out.append(CaseChange(words[k], form[k - start], NAME_RULE_CONFIDENCE))
    return out


def _capitalised_function_words(
    units: Sequence[Unit], texts: Sequence[str], words: list[int]
) -> list[CaseChange]:
    """Function words capitalised between two lowercase words of running text."""
    out = []
    for k in range(1, len(words) - 1):
        prev, i, nxt = words[k - 1], words[k], words[k + 1]
        word = texts[i]
        if word.lower() not in ENGLISH_FUNCTION_WORDS or not word[:1].isupper():
            continue
        if len(word) > 1 and not word[1:].islower():  # IT, US: acronyms, not MT capitals
            continue
        if i - prev != 1 or nxt - i != 1 or _in_abbreviation(units, i):
            continue  # punctuation or a hyphenated part in between: not plain running text
        if not (texts[prev][:1].islower() and texts[nxt][:1].islower()):
            continue
        if len(word) == 1 and texts[nxt].lower() in FUNCTION_WORDS:
            continue  # a letter, not the article: "from A to Z"
        out.append(CaseChange(i, word.lower(), FUNCTION_WORD_CONFIDENCE))
    return out


def _mt_capitals(words: Sequence[str]) -> bool:
    """Whether the capitals are placed as MT from Russian places them.

    Either a lowercase word before a capitalised one (``foreign Minister``, ``Minister of
    foreign Affairs``), or only the first of three or more words capitalised (``Munich
    security conference``, ``Centre for reconciliation``). ``Syrian army`` is neither: a
    proper adjective before a common noun is ordinary English.
    """
    content = [w for w in words if w.lower() not in FUNCTION_WORDS]
    upper = [w[:1].isupper() for w in content]
    misplaced = any(not a and b for i, a in enumerate(upper) for b in upper[i + 1 :])
    first_only = len(words) >= 3 and upper[:1] == [True] and not any(upper[1:])
    return misplaced or first_only


def _in_abbreviation(units: Sequence[Unit], i: int) -> bool:
    """A single letter followed at once by a full stop: ``i.e.``, ``U.S.``."""
    nxt = units[i + 1] if i + 1 < len(units) else None
    return len(units[i].text) == 1 and nxt is not None and nxt.text == "." and not nxt.space_before
