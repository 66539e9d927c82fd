"""Words from decisions: repairs a newsroom keeps rejecting become protected words (a
name-like word, for every rule) or suggestions only (one rule's edits of one word), and
its hand corrections become candidate glossary entries."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from copydesk.models.house import WORD_SEPARATOR
from copydesk.models.learning.calibration import (
    SUGGEST_ONLY,
    Calibration,
    rejected_more_often_than_not,
)
from copydesk.models.learning.decisions import Decision
from copydesk.models.wordstats import shipped_word_usage

# A word is protected after this many rejections of repairs to it, when the share of such
# repairs accepted is below one half with 95% confidence (3 of 3 rejected: upper bound 0.47).
MIN_REJECTIONS = 3
# One rule's edits of one word are offered instead of applied when they are rejected more
# often than not with 95% confidence, as a rule's lowest applied band must be, over at
# least this many decisions. The learner tries every word every rule edits, and a word
# picked for a short run of rejections is flattered by the picking: 3 of 3 rejected meets
# the Wilson bound, yet happens one time in eight to a word accepted half the time; 5 of 5,
# one time in 32, under the 5% that 95% confidence allows.
MIN_WORD_DECISIONS = 5
# A hand correction is proposed for the glossary once the editor has made it this often,
# and made it so in at least this share of their corrections of the same words.
MIN_SUPPORT = 2
MIN_AGREEMENT = 2 / 3
# A capital on words news writes in lowercase (``countdown`` → ``Countdown``) is proposed
# only after this many such corrections: a glossary enforces its term everywhere, and two
# hand corrections of one story's title or brand name are not yet a house style
# (``Internet`` for ``internet`` soon is).
MIN_SUPPORT_LOWERCASE_WORDS = 5
MAX_WORDS = 4


@dataclass(frozen=True)
class Protection:
    """A word the newsroom writes as it is: copydesk's repairs of it were rejected."""

    word: str
    rejected: int
    accepted: int
    replacements: tuple[str, ...]

    def to_dict(self) -> dict:
        return {
            "word": self.word,
            "rejected": self.rejected,
            "accepted": self.accepted,
            "replacements": list(self.replacements),
        }


@dataclass(frozen=True)
class Candidate:
    """A glossary entry an editor's hand corrections propose: ``variant`` becomes ``term``."""

    term: str
    variant: str
    support: int

    def to_dict(self) -> dict:
        return {"term": self.term, "variant": self.variant, "support": self.support}


def protections(decisions: Iterable[Decision]) -> list[Protection]:
    """The words whose repairs the newsroom rejects, in word order."""
    rejected: Counter[str] = Counter()
    accepted: Counter[str] = Counter()
    offered: dict[str, set[str]] = {}
    for d in decisions:
        if d.manual or d.accepted is None:
            continue
        word = d.original.strip()
        if not _protectable(word):
            continue
        (accepted if d.accepted else rejected)[word] += 1
        offered.setdefault(word, set()).add(d.replacement)
    kept = []
    for word in sorted(rejected):
        r, a = rejected[word], accepted[word]
        if r >= MIN_REJECTIONS and rejected_more_often_than_not(a, r + a):
            kept.append(Protection(word, r, a, tuple(sorted(offered[word]))))
    return kept


def word_cutoffs(decisions: Iterable[Decision], protected: Iterable[str] = ()) -> list[Calibration]:
    """One rule's edits of one word that the newsroom rejects, as that rule's and word's
    cutoff `SUGGEST_ONLY` (offered, no longer applied): rejected more often than not with
    95% confidence, the test a rule's lowest applied band must pass, over at least
    `MIN_WORD_DECISIONS` decisions; a word already ``protected`` is left to that. Lowercase
    words too: the rest of the rule's edits, and the word's repairs by other rules, stay as
    they were."""
    skip = {w.strip() for w in protected}
    tally: dict[tuple[str, str], list[int]] = {}
    for d in decisions:
        if d.manual or d.accepted is None or not _keyable(d.original) or d.original.strip() in skip:
            continue
        cell = tally.setdefault((d.key, d.original), [0, 0])
        cell[0] += int(d.accepted)
        cell[1] += 1
    kept = []
    for (key, word), (accepted, n) in sorted(tally.items()):
        if n >= MIN_WORD_DECISIONS and rejected_more_often_than_not(accepted, n):
            kept.append(Calibration(f"{key}{WORD_SEPARATOR}{word}", n, accepted, (), SUGGEST_ONLY))
    return kept


def _keyable(original: str) -> bool:
    """Text a word's cutoff can be kept for: a few words (an insertion, replacing
    nothing, is the rule's own business)."""
    return bool(original.strip()) and len(original) <= 80 and len(original.split()) <= MAX_WORDS


def _protectable(word: str) -> bool:
    """A name-like word or phrase: protecting a lowercase word would stop every repair of
    it, sentence starts included, so only words with a capital (a name, an acronym, a
    house spelling) are protected."""
    return (
        1 < len(word) <= 80
        and any(ch.isalpha() for ch in word)
        and word != word.lower()
        and len(word.split()) <= MAX_WORDS
    )


def candidates(decisions: Iterable[Decision]) -> list[Candidate]:
    """The glossary entries the newsroom's hand corrections propose, most supported first."""
    pairs: Counter[tuple[str, str]] = Counter()
    for d in decisions:
        if not d.manual:
            continue
        original, replacement = d.original.strip(), d.replacement.strip()
        if _candidate(original, replacement):
            pairs[original, replacement] += 1
    by_original: Counter[str] = Counter()
    for (original, _), n in pairs.items():
        by_original[original] += n
    found = [
        Candidate(term=replacement, variant=original, support=n)
        for (original, replacement), n in pairs.items()
        if n >= _support_needed(original, replacement)
        and n / by_original[original] >= MIN_AGREEMENT
    ]
    return sorted(found, key=lambda c: (-c.support, c.term, c.variant))


def _support_needed(original: str, replacement: str) -> int:
    """How many hand corrections propose ``original`` → ``replacement``: more when it only
    capitalises words the casing model's news writes in lowercase mid-sentence."""
    usage = shipped_word_usage()
    common = original.lower() == replacement.lower() and all(
        usage.seen_in_lowercase(word) for word in original.split()
    )
    return MIN_SUPPORT_LOWERCASE_WORDS if common else MIN_SUPPORT


def _candidate(original: str, replacement: str) -> bool:
    """A correction a glossary can carry: a name or house spelling (a glossary enforces
    its term's casing, so the term starts with a capital) of a few words for a few."""
    return (
        bool(original)
        and bool(replacement)
        and original != replacement
        and replacement[0].isupper()
        and len(original.split()) <= MAX_WORDS
        and len(replacement.split()) <= MAX_WORDS
        and any(ch.isalpha() for ch in original)
    )
