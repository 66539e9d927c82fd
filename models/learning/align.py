"""Implied decisions: copydesk's edits of a text read against the version the newsroom
published (or a reference), as an editor's accepts, rejects and hand corrections.

An edit is taken as accepted when applying it alone brings the text nearer the published
version (fewer word-level edits, case-sensitive), rejected otherwise. What the published
version changed where no accepted edit of copydesk's touches becomes a hand correction,
from a word-level alignment (difflib's, on the same tokens).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

import regex

from copydesk.models.edits import Edit, apply_edits
from copydesk.models.learning.decisions import MANUAL, Decision

_TOKEN = regex.compile(r"\w+(?:['’\-.]\w+)*|[^\w\s]")


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Words and punctuation marks with their half-open character spans."""
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def distance(a: Sequence[str], b: Sequence[str]) -> int:
    """Word-level Levenshtein distance."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def _words(text: str) -> list[str]:
    return [t for t, _, _ in tokens(text)]


def judge(original: str, edits: Sequence[Edit], published: str) -> list[bool]:
    """For each edit, whether the published version has it (see the module's note)."""
    target = _words(published)
    before = distance(_words(original), target)
    return [distance(_words(apply_edits(original, [e])), target) < before for e in edits]


def hand_corrections(
    original: str, published: str, kept: Sequence[Edit] = ()
) -> list[tuple[int, int, str]]:
    """The published version's changes of ``original`` that none of the ``kept`` edits
    touches, as ``(start, end, replacement)`` spans of ``original``."""
    mine, theirs = tokens(original), tokens(published)
    matcher = difflib.SequenceMatcher(None, [t for t, _, _ in mine], [t for t, _, _ in theirs])
    changes = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        start = mine[i1][1] if i1 < len(mine) else len(original)
        end = mine[i2 - 1][2] if i2 > i1 else start
        replacement = published[theirs[j1][1] : theirs[j2 - 1][2]] if j2 > j1 else ""
        if any((e.start < end and start < e.end) or e.start == e.end == start for e in kept):
            continue
        changes.append((start, end, replacement))
    return changes


def implied_decisions(original: str, edits: Sequence[Edit], published: str) -> list[Decision]:
    """The decisions an editor who published ``published`` made on ``edits`` of
    ``original``: one per edit, then one hand correction per change copydesk missed."""
    verdicts = judge(original, edits, published)
    decisions = [
        Decision(
            kind=str(e.kind),
            stage=e.stage,
            rule=e.rule,
            confidence=e.confidence,
            accepted=ok,
            original=e.original,
            replacement=e.replacement,
            context=original,
            start=e.start,
        )
        for e, ok in zip(edits, verdicts, strict=True)
    ]
    kept = [e for e, ok in zip(edits, verdicts, strict=True) if ok]
    decisions += [
        Decision(kind=MANUAL, accepted=True, original=original[s:t], replacement=r)
        for s, t, r in hand_corrections(original, published, kept)
    ]
    return decisions
