"""Mapping edits proposed on an edited text back to offsets in the original.

Each stage sees the text with the earlier stages' applied edits in place. An edit it
proposes there is mapped back through those edits: where it touches one of them, the
two are merged into one edit on the original (the later stage's view wins, since it
saw the earlier change), so the applied edits always stay non-overlapping and
reproduce the current text.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, replace

from copydesk.models.edits import Edit, spans_overlap


@dataclass(frozen=True, slots=True)
class _Placed:
    """An applied edit with its span in the current (edited) text."""

    edit: Edit
    t_start: int
    t_end: int


class EditedText:
    """An original text with a set of applied, non-overlapping edits."""

    def __init__(self, original: str, applied: Sequence[Edit] = ()) -> None:
        self.original = original
        self._set(sorted(applied, key=lambda e: (e.start, e.end)))

    def _set(self, applied: list[Edit]) -> None:
        self.applied = applied
        placed, parts, cursor, shift = [], [], 0, 0
        for edit in applied:
            parts.append(self.original[cursor : edit.start])
            parts.append(edit.replacement)
            t_start = edit.start + shift
            placed.append(_Placed(edit, t_start, t_start + len(edit.replacement)))
            shift += len(edit.replacement) - (edit.end - edit.start)
            cursor = edit.end
        parts.append(self.original[cursor:])
        self.current = "".join(parts)
        self._placed = placed
        self._t_starts = [p.t_start for p in placed]
        self._t_ends = [p.t_end for p in placed]

    def _touching(self, start: int, end: int) -> list[int]:
        """Indices of applied edits whose current span touches ``[start, end)``."""
        lo = bisect.bisect_left(self._t_ends, start)
        hits = []
        for i in range(max(lo - 1, 0), len(self._placed)):
            p = self._placed[i]
            if p.t_start > end:
                break
            if p.t_start == p.t_end:  # a deletion: anything reaching its point touches it
                touches = start <= p.t_start <= end
            elif start == end and p.edit.start == p.edit.end:
                touches = p.t_start <= start <= p.t_end  # two insertions at one original point
            else:
                touches = spans_overlap(start, end, p.t_start, p.t_end)
            if touches:
                hits.append(i)
        return hits

    def _to_original(self, pos: int) -> int:
        """Original offset of a current offset lying outside every applied edit."""
        i = bisect.bisect_right(self._t_ends, pos)
        if i == 0:
            return pos
        last = self._placed[i - 1]
        return last.edit.end + (pos - last.t_end)

    def _merge(self, new: Sequence[Edit], priors: Sequence[_Placed]) -> Edit | None:
        """One edit on the original equal to ``new`` (current offsets) over ``priors``."""
        t_start = min([e.start for e in new] + [p.t_start for p in priors])
        t_end = max([e.end for e in new] + [p.t_end for p in priors])
        o_start = min(
            [self._to_original(e.start) for e in new if not _inside(e.start, priors)]
            + [p.edit.start for p in priors]
        )
        o_end = max(
            [self._to_original(e.end) for e in new if not _inside(e.end, priors)]
            + [p.edit.end for p in priors]
        )
        parts, cursor = [], t_start
        for e in sorted(new, key=lambda e: (e.start, e.end)):
            parts.append(self.current[cursor : e.start])
            parts.append(e.replacement)
            cursor = e.end
        parts.append(self.current[cursor:t_end])
        replacement = "".join(parts)
        original = self.original[o_start:o_end]
        if replacement == original:
            return None
        first = new[0]
        messages = [e.message for e in new if e.message]
        if priors:
            messages.append(
                "merged with " + ", ".join(f"{p.edit.stage} {p.edit.kind.value}" for p in priors)
            )
        return replace(
            first,
            start=o_start,
            end=o_end,
            original=original,
            replacement=replacement,
            confidence=min([e.confidence for e in new] + [p.edit.confidence for p in priors]),
            message="; ".join(messages),
        )

    def map_suggestion(self, edit: Edit) -> Edit | None:
        """Map one edit on the current text to the original, leaving the applied set as is."""
        priors = [self._placed[i] for i in self._touching(edit.start, edit.end)]
        return self._merge([edit], priors)

    def apply(self, edits: Sequence[Edit]) -> None:
        """Apply non-overlapping edits given on the current text, merging where they touch."""
        parent = list(range(len(edits)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        owner: dict[int, int] = {}  # applied index -> first new edit touching it
        touched: list[list[int]] = []
        for n, edit in enumerate(edits):
            hits = self._touching(edit.start, edit.end)
            touched.append(hits)
            for h in hits:
                if h in owner:
                    parent[find(n)] = find(owner[h])
                else:
                    owner[h] = n
        groups: dict[int, list[int]] = {}
        for n in range(len(edits)):
            groups.setdefault(find(n), []).append(n)
        consumed: set[int] = set()
        merged: list[Edit] = []
        for members in groups.values():
            prior_ids = sorted({h for n in members for h in touched[n]})
            consumed.update(prior_ids)
            edit = self._merge([edits[n] for n in members], [self._placed[h] for h in prior_ids])
            if edit is not None:
                merged.append(edit)
        kept = [p.edit for i, p in enumerate(self._placed) if i not in consumed]
        self._set(sorted(kept + merged, key=lambda e: (e.start, e.end)))


def _inside(pos: int, priors: Sequence[_Placed]) -> bool:
    return any(p.t_start < pos < p.t_end for p in priors)
