"""Words from decisions: repairs a newsroom keeps rejecting become protected words, and
its hand corrections become candidate glossary entries."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from copydesk.models.learning.calibration import wilson_bounds
from copydesk.models.learning.decisions import Decision

# A word is protected after this many rejections of repairs to it, when the share of such
# repairs accepted is below one half with 95% confidence (3 of 3 rejected: upper bound 0.47).
MIN_REJECTIONS = 3
# A hand correction is proposed for the glossary once the editor has made it this often,
# and made it so in at least this share of their corrections of the same words.
MIN_SUPPORT = 2
MIN_AGREEMENT = 2 / 3
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
        if r >= MIN_REJECTIONS and wilson_bounds(a, r + a)[1] < 0.5:
            kept.append(Protection(word, r, a, tuple(sorted(offered[word]))))
    return kept


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
        if n >= MIN_SUPPORT and n / by_original[original] >= MIN_AGREEMENT
    ]
    return sorted(found, key=lambda c: (-c.support, c.term, c.variant))


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
