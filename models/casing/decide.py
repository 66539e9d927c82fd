"""From the network's per-unit probabilities to case changes: one path for the stage and tuning.

`decide` makes a sentence's changes in three steps:

1. The network: each letter run's most likely case, kept when it reaches the floor.
   A sentence's first word is left to the sentence-initial rule (it knows when the
   source starts in lowercase too). A capital is taken off only a common English word
   (wordfreq Zipf >= 3) that the training text writes in lowercase somewhere: MT
   capitalises common words (``the Biggest``); a rare capitalised word, or one the
   training text only ever capitalises, is far more often a name (``Willard``). Letters
   of dotted abbreviations and names (``i.e.``, ``www.youtube.com``) and words beside a
   slash are left alone, and no capital is put on a word the training text almost never
   capitalises mid-sentence (``2 Miles``). A change the network is unsure of (from
   `DOCUMENT_FLOOR`) is made with `DOCUMENT_CONFIDENCE` when the rest of the document
   writes the word that way more often (`DocumentCasing`: ``the Cancer`` beside
   ``cancer``), except lowering next to other capitals (``the Way of Grief``).
2. The rules of `copydesk.models.casing.rules`, in their order (`RULES`), each when the
   threshold allows it.
3. The source's say, when there is a source: no word the source writes as a name is
   lowered (``Play Market``); only names are capitalised; and the network's own
   lowerings, and the common-word rule's, are only offered.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace

import numpy as np

from copydesk.models.casing.lexicon import CasingLexicon, NameSearch
from copydesk.models.casing.rules import (
    RULES,
    CaseChange,
    Reason,
    SentenceView,
    may_recase,
    not_prose,
)
from copydesk.models.casing.units import OUTPUT_CASES, Case, Unit, case_of, with_case, word_indices
from copydesk.models.translit import names_a_source_capital
from copydesk.models.wordstats import zipf

# The network takes a capital off only a word at least this common in English (wordfreq).
COMMON_WORD_ZIPF = 3.0
DOCUMENT_CONFIDENCE = 0.995
# The least network confidence the document's evidence can lift. 0.6 had a slightly
# better TER on the tuning lines but a worse one on all three held-out sets
# (docs/experiments/casing.md).
DOCUMENT_FLOOR = 0.5


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
    repair_names: NameSearch | None = None,
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
    Given a source, the network's own lowerings and the common-word rule's are only
    ``offered``: a capital the source does not explain is, in real MT, more often a name
    the MT system knows and this network does not (``Jehovah's Witnesses`` for
    ``иеговистов``), or a title (``Author's Opinion``, ``the band Zero``).
    ``keep_capitals`` (the sentence's source has capitals enough for all of its own, see
    `mirrors_source_capitals`) vetoes lowering any of them. ``repair_names``: a search of
    ``lexicon.repair_names`` the document's sentences share (default: this sentence's own).
    """
    words = word_indices(units)
    # The first letters, even joined to a dash (``-oh.. I'll go``): the sentence rule's.
    first = next((i for i, unit in enumerate(units) if unit.is_letters), -1)
    threshold = floor if threshold is None else threshold
    changes: dict[int, CaseChange] = {}
    suggestions: dict[int, CaseChange] = {}
    likeliest = np.argmax(probs, axis=1).tolist() if len(units) else []
    for i, unit in enumerate(units):
        if not unit.is_letters:
            continue
        k = likeliest[i]
        confidence = float(probs[i][k])
        case, current = OUTPUT_CASES[k], texts[i]
        if confidence < min(floor, DOCUMENT_FLOOR):
            continue
        new = (
            lexicon.mixed.get(current.lower(), current)
            if case is Case.MIXED
            else with_case(current, case)
        )
        if new == current or not_prose(units, i):  # most words: no change, nothing to check
            continue
        if i == first:
            continue  # a sentence's first word: the rules' business, with the source's say
        lowering = case is Case.LOWER and case_of(current) is not Case.LOWER
        if lowering and (
            zipf(current.lower()) < COMMON_WORD_ZIPF or not lexicon.seen_in_lowercase(current)
        ):
            continue
        if case is Case.CAPITALISED and current.lower() in lexicon.common:
            continue  # ``2 miles``: the training text (almost) never capitalises it mid-sentence
        reason = Reason.MODEL
        if (
            document is not None
            and DOCUMENT_FLOOR <= confidence < DOCUMENT_CONFIDENCE
            and document.prefers(current, case)
            and may_recase(units, texts, words, i, lowering)
        ):
            confidence, reason = DOCUMENT_CONFIDENCE, Reason.DOCUMENT
        if confidence >= threshold:
            changes[i] = CaseChange(i, new, confidence, reason)
        elif confidence >= floor:
            suggestions[i] = CaseChange(i, new, confidence, reason)
    names = repair_names if repair_names is not None else NameSearch(lexicon.repair_names)
    view = SentenceView(units, texts, words, lexicon, names)
    for rule in RULES:
        if threshold <= rule.confidence:
            rule.merge(changes, rule.apply(view, changes))
    changes = suggestions | changes
    if source_capitals is not None or keep_capitals:
        changes = {
            i: change
            for i, change in changes.items()
            if not _against_source(change, texts[i], source_capitals, keep_capitals)
        }
    if source_capitals is not None:
        changes = {
            i: replace(change, offered=True) if _offered_lowering(change, texts[i]) else change
            for i, change in changes.items()
        }
    return [changes[i] for i in sorted(changes)]


# Lowerings only offered given a source. On MLQE-PE train (real MT with sources) the
# common-word rule's lowerings were 2 right, 3 wrong and 3 neither against the post-edits.
OFFERED_WITH_SOURCE = (Reason.MODEL, Reason.DOCUMENT, Reason.COMMON_WORD)


def _offered_lowering(change: CaseChange, current: str) -> bool:
    """Whether ``change`` lowers a capital by a reason a source makes only an offer."""
    return change.reason in OFFERED_WITH_SOURCE and _lowers(change.text, current)


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
    repair_names = NameSearch(lexicon.repair_names)  # both times' searches, for this document

    def decide_all(
        rows: Sequence[tuple[Sequence[Unit], Sequence[str]]],
        document: DocumentCasing,
        chosen: Sequence[bool] | None = None,
    ) -> list:
        """``rows`` decided against ``document``: the sentences ``chosen`` (default: all)."""
        picked = [
            (p, kept)
            for k, (p, kept) in enumerate(zip(probs, keep, strict=True))
            if chosen is None or chosen[k]
        ]
        return [
            decide(
                units,
                texts,
                p,
                lexicon,
                floor=floor,
                threshold=threshold,
                document=document,
                source_capitals=source_capitals,
                keep_capitals=kept,
                repair_names=repair_names,
            )
            for (units, texts), (p, kept) in zip(rows, picked, strict=True)
        ]

    first = decide_all(sentences, DocumentCasing(sentences))
    repaired = []
    recased: set[str] = set()  # the words whose document counts the repairs may change
    for (units, texts), changes in zip(sentences, first, strict=True):
        texts = list(texts)
        for change in changes:
            if change.confidence >= threshold and not change.offered:
                recased.update((texts[change.unit].lower(), change.text.lower()))
                texts[change.unit] = change.text
        repaired.append((units, texts))
    # A sentence the first time left as it was, none of whose words the repairs recased,
    # reads the same counts the second time (`decide` reads the document only through its
    # own words): it is decided as before, and not again.
    again = [
        fixed != list(texts) or any(t.lower() in recased for t in texts)
        for (_, texts), (_, fixed) in zip(sentences, repaired, strict=True)
    ]
    second = iter(
        decide_all(
            [r for r, a in zip(repaired, again, strict=True) if a], DocumentCasing(repaired), again
        )
    )
    out = []
    for (_, texts), (_, fixed), once, a in zip(sentences, repaired, first, again, strict=True):
        twice = next(second) if a else once
        merged = {c.unit: c for c in once}
        # What the first time repaired is settled; the second time adds to the rest.
        merged |= {c.unit: c for c in twice if fixed[c.unit] == texts[c.unit]}
        out.append([merged[i] for i in sorted(merged)])
    return out
