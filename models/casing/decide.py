"""From the model's per-unit probabilities to case changes: one rule for the stage and tuning.

Guards and rules on top of the model:

- a sentence's first word is left as it is: sentence-initial capitals are the rule
  stage's business (it knows when the source starts in lowercase too);
- a capitalised word is lowercased only if it is a common English word (wordfreq Zipf
  >= 3) that the training text writes in lowercase somewhere: MT capitalises common
  words (``the Biggest``); a rare capitalised word, or one the training text only ever
  capitalises, is far more often a name (``Willard``, ``Minecraft``);
- a single letter inside a dotted abbreviation (``i.e.``), a part of a dotted name
  (``www.youtube.com``) and a word beside a slash (``u / bagapsh``) are left alone;
- a known name written with its capitals where MT from Russian puts them (``Munich
  security conference``, ``Minister of foreign Affairs``; see `_mt_capitals`) takes
  the name's casing, with `NAME_RULE_CONFIDENCE`;
- an English function word capitalised in running text, with a lowercase word straight
  before and after it (``as A benefit``, ``and With the``), is lowercased with
  `FUNCTION_WORD_CONFIDENCE`: titles and names keep theirs because a capitalised
  neighbour (``The Hague``, ``Plan A``) or punctuation (``said: The``) stops the rule;
- a lowercase word away from the sentence's start that the training text always
  capitalises there (the lexicon's ``proper`` words: ``lyon``, ``deschamps``) is
  capitalised with `PROPER_WORD_CONFIDENCE`;
- a lowercase word the training text never writes in lowercase, rare in English,
  straight after a given name (the lexicon's ``given`` words: ``Igor vdovin``, ``Gilles
  vaillancourt``) is capitalised with `PROPER_WORD_CONFIDENCE`: a surname the lexicon
  cannot know;
- ``i`` on its own in running text is the pronoun ``I`` (`PRONOUN_CONFIDENCE`), unless
  capitalised words stand on both sides (``Argumenti i Fakti``), an article stands
  before it (``the i``, a newspaper) or brackets round it (``(i)``, a numbered item);
  the model, which hardly meets a lowercase pronoun in training, is unsure of it;
- a capitalised word in running text (a lowercase word straight before it, no capital
  among its nearest content words, not opening ``X of y``) that the training text
  almost never capitalises there (the lexicon's ``common`` words: ``the Biggest
  concern``) is lowercased with `COMMON_WORD_CONFIDENCE`;
- a change the model proposes with less than the threshold's confidence is made with
  `DOCUMENT_CONFIDENCE` when the rest of the document writes the word that way more
  often than the way it is written here (`DocumentCasing`): MT damages a word in one
  sentence and gets it right in others (``the Cancer`` beside ``cancer``, ``Martin
  dumont`` beside ``Dumont``). Lowering is left out next to other capitals (``the Way
  of Grief``), where the capital is more likely a name's;
- given the Russian source, no word the source writes as a name is lowered (``Play
  Market``, ``ТОП 10``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from itertools import pairwise

import numpy as np
import regex

from copydesk.models.casing.lexicon import CasingLexicon, find_names
from copydesk.models.casing.noise import FUNCTION_WORDS, word_indices
from copydesk.models.casing.units import OUTPUT_CASES, Case, Unit, case_of, with_case
from copydesk.models.names.translit import names_a_source_capital

COMMON_WORD_ZIPF = 3.0
NAME_RULE_CONFIDENCE = 0.995
FUNCTION_WORD_CONFIDENCE = 0.995
PROPER_WORD_CONFIDENCE = 0.995
# A proper word must not be common in English (wordfreq): `jeep`, `trump`, `hare` are
# names in news, words in other text.
PROPER_WORD_MAX_ZIPF = 3.0
COMMON_WORD_CONFIDENCE = 0.995
PRONOUN_CONFIDENCE = 0.995
DOCUMENT_CONFIDENCE = 0.995
# The least model confidence the document's evidence can lift (tuned on the tuning lines).
DOCUMENT_FLOOR = 0.5
# A letter or digit, a full stop, a letter or digit: a host name or an abbreviation.
_DOTTED = regex.compile(r"[\p{L}\p{N}]\.[\p{L}\p{N}]")
# English closed-class words only: name particles (de, van, al, bin …) and ``I`` stay.
ENGLISH_FUNCTION_WORDS = FUNCTION_WORDS - frozenset(
    "i de la le les du des da di del van von der den al el bin y e et und".split()
)


class Reason(StrEnum):
    """What made a change: the model, or the model lifted or a rule on top of it."""

    MODEL = "model"
    DOCUMENT = "document"
    KNOWN_NAME = "known-name"
    PROPER_WORD = "proper-word"
    SURNAME = "surname"
    COMMON_WORD = "common-word"
    FUNCTION_WORD = "function-word"
    PRONOUN = "pronoun"


@dataclass(frozen=True, slots=True)
class CaseChange:
    unit: int
    text: str
    confidence: float
    reason: Reason = Reason.MODEL
    offered: bool = False  # a suggestion whatever its confidence (see `decide`)


class DocumentCasing:
    """How often a document writes each word in each case, away from sentence starts."""

    def __init__(self, sentences: Iterable[tuple[Sequence[Unit], Sequence[str]]] = ()) -> None:
        self.counts: defaultdict[str, Counter[Case]] = defaultdict(Counter)
        for units, texts in sentences:
            for i in word_indices(units)[1:]:
                self.counts[texts[i].lower()][case_of(texts[i])] += 1

    def prefers(self, word: str, case: Case) -> bool:
        """Whether the document's other uses of ``word`` (this one left out) favour ``case``."""
        others = self.counts.get(word.lower(), Counter())
        current = others[case_of(word)] - 1
        return others[case] >= 1 and others[case] > current


def decide(
    units: Sequence[Unit],
    texts: Sequence[str],
    probs: np.ndarray,
    lexicon: CasingLexicon,
    *,
    floor: float = 0.5,
    threshold: float | None = None,
    document: DocumentCasing | None = None,
    source_capitals: frozenset[str] | None = None,
    keep_capitals: bool = False,
) -> list[CaseChange]:
    """Changes with confidence at least ``floor``, in unit order.

    The rules run when their confidence reaches ``threshold`` (default: ``floor``) and see
    only the model's changes of at least ``threshold``; below it a change is a suggestion,
    which a rule's decision on the same word replaces. So what is made at ``threshold``
    does not depend on how low ``floor`` goes.

    ``document`` (the counts of the sentence's whole document) lets the document's own
    usage confirm a change the model is unsure of. ``source_capitals`` (`variant_key`s of
    the words the source writes with a capital, see `source_capitals`; None: no source)
    vetoes lowering them or a close spelling of them (`names_a_source_capital`): ``Play
    Market``, ``Топ 10``, ``Дискорде`` in the source keep ``Play``, ``Top``, ``Discord``
    capitalised. Given a source, a word is capitalised only as part of a known name (``Munich
    security conference``: Russian capitalises a name's first word alone) or where it
    spells one of the source's names: MT from Russian keeps the source's names capitalised,
    so the model's other capitals there (``our Kangaroos``, ``Senior sergeant``) are wrong.
    The pronoun ``I`` is capitalised whatever the source (Russian's ``я`` is lowercase).
    Given a source, the network's own lowerings (not a rule's) are only ``offered``: a
    capital the source does not explain is, in real MT, more often a name the MT system
    knows and this network does not (``Jehovah's Witnesses`` for ``иеговистов``).
    ``keep_capitals`` (the sentence's source has capitals enough for all of its own, see
    `mirrors_source_capitals`) vetoes lowering any of them.
    """
    from copydesk.models.names.gazetteer import zipf

    words = word_indices(units)
    # The first letters, even joined to a dash (``-oh.. I'll go``): the sentence rule's.
    first = next((i for i, unit in enumerate(units) if unit.is_letters), -1)
    threshold = floor if threshold is None else threshold
    changes: dict[int, CaseChange] = {}
    suggestions: dict[int, CaseChange] = {}
    for i, unit in enumerate(units):
        if not unit.is_letters:
            continue
        k = int(np.argmax(probs[i]))
        confidence = float(probs[i][k])
        case, current = OUTPUT_CASES[k], texts[i]
        if confidence < min(floor, DOCUMENT_FLOOR):
            continue
        new = (
            lexicon.mixed.get(current.lower(), current)
            if case is Case.MIXED
            else with_case(current, case)
        )
        if new == current or _not_prose(units, i):  # most words: no change, nothing to check
            continue
        if i == first:
            continue  # a sentence's first word: the rules' business, with the source's say
        lowering = case is Case.LOWER and case_of(current) is not Case.LOWER
        if lowering and (
            zipf(current.lower()) < COMMON_WORD_ZIPF or not lexicon.seen_in_lowercase(current)
        ):
            continue
        reason = Reason.MODEL
        if (
            document is not None
            and confidence < DOCUMENT_CONFIDENCE
            and document.prefers(current, case)
            and _may_recase(units, texts, words, i, lowering)
        ):
            confidence, reason = DOCUMENT_CONFIDENCE, Reason.DOCUMENT
        if confidence >= threshold:
            changes[i] = CaseChange(i, new, confidence, reason)
        elif confidence >= floor:
            suggestions[i] = CaseChange(i, new, confidence, reason)
    if threshold <= NAME_RULE_CONFIDENCE:
        for change in _partial_names(units, texts, words, lexicon):
            changes[change.unit] = change
    if threshold <= PROPER_WORD_CONFIDENCE:
        for change in _names_in_lowercase(units, texts, words, lexicon, changes):
            changes[change.unit] = change
    if threshold <= PRONOUN_CONFIDENCE:
        for change in _lowercase_pronouns(units, texts, words, changes):
            changes[change.unit] = change
    if threshold <= COMMON_WORD_CONFIDENCE:
        for change in _common_words(units, texts, words, lexicon, changes):
            changes[change.unit] = change
    if threshold <= FUNCTION_WORD_CONFIDENCE:
        for change in _capitalised_function_words(units, texts, words):
            known = changes.get(change.unit)
            if known is None or (
                known.text == change.text and known.confidence < change.confidence
            ):
                changes[change.unit] = change
    changes = suggestions | changes
    if source_capitals is not None or keep_capitals:
        changes = {
            i: change
            for i, change in changes.items()
            if not _against_source(change, texts[i], source_capitals, keep_capitals)
        }
    if source_capitals is not None:
        changes = {
            i: replace(change, offered=True) if _network_lowering(change, texts[i]) else change
            for i, change in changes.items()
        }
    return [changes[i] for i in sorted(changes)]


def _network_lowering(change: CaseChange, current: str) -> bool:
    """Whether ``change`` lowers a capital on the network's say alone (no rule's)."""
    return change.reason in (Reason.MODEL, Reason.DOCUMENT) and _lowers(change.text, current)


def _lowers(new: str, current: str) -> bool:
    """Whether writing ``new`` for ``current`` takes its capital off."""
    return case_of(new) is Case.LOWER and current[:1].isupper()


def _against_source(
    change: CaseChange, current: str, source_capitals: frozenset[str] | None, keep_capitals: bool
) -> bool:
    """Whether the source vetoes ``change`` (see `decide`)."""
    if _lowers(change.text, current):
        return keep_capitals or (
            source_capitals is not None and names_a_source_capital(current, source_capitals)
        )
    return (
        source_capitals is not None
        and current.islower()
        and change.text[:1].isupper()
        and change.reason not in (Reason.KNOWN_NAME, Reason.PRONOUN)
        and not names_a_source_capital(change.text, source_capitals)
    )


def decide_document(
    sentences: Sequence[tuple[Sequence[Unit], Sequence[str]]],
    probs: Sequence[np.ndarray],
    lexicon: CasingLexicon,
    *,
    floor: float,
    threshold: float,
    source_capitals: frozenset[str] | None = None,
    keep_capitals: Sequence[bool] | None = None,
) -> list[list[CaseChange]]:
    """Each sentence's changes, decided twice over one document.

    The second time on the text as the first time repaired it (the changes of at least
    ``threshold``), with the document's counts taken from that text and the model's
    probabilities as they were: a repaired neighbour or a repaired use elsewhere settles
    what the damaged text left open. What the first time repaired stays as it repaired
    it. Changes are reported against the original text.
    """

    keep = list(keep_capitals) if keep_capitals is not None else [False] * len(sentences)

    def decide_all(rows: Sequence[tuple[Sequence[Unit], Sequence[str]]]) -> list:
        document = DocumentCasing(rows)
        return [
            decide(units, texts, p, lexicon, floor=floor, threshold=threshold, document=document,
                   source_capitals=source_capitals, keep_capitals=kept)
            for (units, texts), p, kept in zip(rows, probs, keep, strict=True)
        ]  # fmt: skip

    first = decide_all(sentences)
    repaired = []
    for (units, texts), changes in zip(sentences, first, strict=True):
        texts = list(texts)
        for change in changes:
            if change.confidence >= threshold and not change.offered:
                texts[change.unit] = change.text
        repaired.append((units, texts))
    out = []
    for (_, texts), (_, fixed), once, twice in zip(
        sentences, repaired, first, decide_all(repaired), strict=True
    ):
        merged = {c.unit: c for c in once}
        # What the first time repaired is settled; the second time adds to the rest.
        merged |= {c.unit: c for c in twice if fixed[c.unit] == texts[c.unit]}
        out.append([merged[i] for i in sorted(merged)])
    return out


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
        if not capitals or not missing or any(_not_prose(units, words[k]) for k in span):
            continue
        if not _mt_capitals(current[start : start + len(form)], lexicon):
            continue
        for k in missing:
            out.append(
                CaseChange(words[k], form[k - start], NAME_RULE_CONFIDENCE, Reason.KNOWN_NAME)
            )
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
        if i - prev != 1 or nxt - i != 1 or _not_prose(units, i):
            continue  # punctuation or a hyphenated part in between: not plain running text
        if not (texts[prev][:1].islower() and texts[nxt][:1].islower()):
            continue
        if len(word) == 1 and texts[nxt].lower() in FUNCTION_WORDS:
            continue  # a letter, not the article: "from A to Z"
        out.append(CaseChange(i, word.lower(), FUNCTION_WORD_CONFIDENCE, Reason.FUNCTION_WORD))
    return out


def _names_in_lowercase(
    units: Sequence[Unit],
    texts: Sequence[str],
    words: list[int],
    lexicon: CasingLexicon,
    taken: dict,
) -> list[CaseChange]:
    """Lowercase words, away from the start, that are names: words the training text always
    capitalises (``lyon``), and unknown words straight after a given name (``Igor
    vdovin``). Neither may be a common English word (``jeep``, ``trump``)."""
    from copydesk.models.names.gazetteer import zipf

    out = []
    for k in range(1, len(words)):
        i, word = words[k], texts[words[k]]
        if not word.islower() or i in taken:
            continue
        if word in lexicon.proper:
            reason = Reason.PROPER_WORD
        elif _after_given_name(texts, words, k, lexicon):
            reason = Reason.SURNAME
        else:
            continue
        if not _not_prose(units, i) and zipf(word) < PROPER_WORD_MAX_ZIPF:
            out.append(
                CaseChange(i, with_case(word, Case.CAPITALISED), PROPER_WORD_CONFIDENCE, reason)
            )
    return out


def _lowercase_pronouns(
    units: Sequence[Unit], texts: Sequence[str], words: list[int], taken: dict
) -> list[CaseChange]:
    """``i`` standing alone in running text, away from the start: the pronoun ``I``."""
    out = []
    for k in range(1, len(words)):
        i = words[k]
        if texts[i] != "i" or i in taken or _not_prose(units, i):
            continue
        before = texts[words[k - 1]]
        after = k + 1 < len(words) and texts[words[k + 1]][:1].isupper()
        if before[:1].isupper() and after:
            continue  # a word of a foreign name: ``Argumenti i Fakti``
        if before.lower() in ("the", "a", "an"):
            continue  # a name, never the pronoun: ``the i`` (a newspaper)
        if units[i - 1].text in "([" and i + 1 < len(units) and units[i + 1].text in ")]":
            continue  # a numbered item: ``(i)``
        out.append(CaseChange(i, "I", PRONOUN_CONFIDENCE, Reason.PRONOUN))
    return out


def _after_given_name(
    texts: Sequence[str], words: list[int], k: int, lexicon: CasingLexicon
) -> bool:
    """Whether word ``k``, unknown to the training text in lowercase, follows a given name."""
    prev, i = words[k - 1], words[k]
    return (
        i - prev == 1
        and texts[prev].lower() in lexicon.given
        and case_of(texts[prev]) is Case.CAPITALISED
        and len(texts[i]) > 1
        and texts[i] not in FUNCTION_WORDS
        and not lexicon.seen_in_lowercase(texts[i])
    )


def _common_words(
    units: Sequence[Unit],
    texts: Sequence[str],
    words: list[int],
    lexicon: CasingLexicon,
    taken: dict,
) -> list[CaseChange]:
    """Capitalised words in running text that the training text never capitalises there."""
    return [
        CaseChange(i, texts[i].lower(), COMMON_WORD_CONFIDENCE, Reason.COMMON_WORD)
        for k, i in enumerate(words)
        if k > 0
        and i not in taken
        and case_of(texts[i]) is Case.CAPITALISED
        and texts[i].lower() in lexicon.common
        and i - words[k - 1] == 1  # no punctuation before it: `said: The` stays
        and not _not_prose(units, i)
        and _may_recase(units, texts, words, i, True, first_counts=True)
        and not _first_word_of_a_name(texts, words, k)
    ]


def _first_word_of_a_name(texts: Sequence[str], words: list[int], k: int) -> bool:
    """Whether word ``k`` opens ``X of y`` or ``X for y``: MT from Russian capitalises a
    name's first word only (``Memorandum of understanding``, ``Centre for
    reconciliation``), so lowering ``X`` may break a name rather than mend a word."""
    return (
        k + 2 < len(words)
        and texts[words[k + 1]].lower() in ("of", "for")
        and texts[words[k + 2]][:1].islower()
    )


def _may_recase(
    units: Sequence[Unit],
    texts: Sequence[str],
    words: list[int],
    i: int,
    lowering: bool,
    *,
    first_counts: bool = False,
) -> bool:
    """Whether a rule may change the case of the word at unit ``i``.

    Not the sentence's first word, a single letter (``i`` in ``Argumenti i Fakti``) or part
    of a hyphenated word; and not a lowering when the nearest content word on either side
    is capitalised (``the Way of Grief``, ``Head of State``), where it is likely a name's.
    A sentence's first word counts as such a neighbour only with ``first_counts``
    (``Living Proof``): its capital is the sentence's, so it proves less.
    """
    k = words.index(i) if i in words else -1
    if k <= 0 or len(texts[i]) < 2:
        return False
    nxt = units[i + 1] if i + 1 < len(units) else None
    if nxt is not None and nxt.text in "-‐–" and not nxt.space_before:
        return False
    if not lowering:
        return True
    for step in (-1, 1):
        j = k + step
        while 0 <= j < len(words) and texts[words[j]].lower() in FUNCTION_WORDS:
            j += step
        if (0 if first_counts else 1) <= j < len(words) and texts[words[j]][:1].isupper():
            return False
    return True


def _mt_capitals(words: Sequence[str], lexicon: CasingLexicon) -> bool:
    """Whether the capitals are placed as MT from Russian places them.

    Either a lowercase word straight before a capitalised common word, the capital moved
    one word on (``foreign Minister``, ``Minister of foreign Affairs``), or only the first
    of three or more words capitalised (``Munich security conference``, ``Centre for
    reconciliation``). Not ``Syrian army`` (a proper adjective before a common noun is
    ordinary English), ``central Russia`` (the capital is a name's own), nor ``decree of
    the President`` (a title after a common noun and its preposition).
    """
    from copydesk.models.names.gazetteer import is_known_place

    def moved_capital(word: str) -> bool:
        return (
            word[:1].isupper() and word.lower() not in lexicon.proper and not is_known_place(word)
        )

    content = [w for w in words if w.lower() not in FUNCTION_WORDS]
    upper = [w[:1].isupper() for w in content]
    moved = any(
        a[:1].islower() and a.lower() not in FUNCTION_WORDS and moved_capital(b)
        for a, b in pairwise(words)
    )
    first_only = len(words) >= 3 and upper[:1] == [True] and not any(upper[1:])
    return moved or first_only


def _not_prose(units: Sequence[Unit], i: int) -> bool:
    """A single letter followed at once by a full stop (``i.e.``, ``U.S.``), a part of a
    dotted name (``www.youtube.com``, ``natan21.livejournal.com``) or a part of a path
    or handle beside a slash (``u / bagapsh`` in tokenised MT): not a word of prose."""
    nxt = units[i + 1] if i + 1 < len(units) else None
    if len(units[i].text) == 1 and nxt is not None and nxt.text == "." and not nxt.space_before:
        return True
    if (i > 0 and units[i - 1].text == "/") or (nxt is not None and nxt.text == "/"):
        return True
    start, end = i, i + 1
    while start > 0 and not units[start].space_before:
        start -= 1
    while end < len(units) and not units[end].space_before:
        end += 1
    return _DOTTED.search("".join(u.text for u in units[start:end])) is not None
