"""Edits: proposed changes with half-open code-point offsets into an original text.

Overlap rule (the one place overlaps are resolved): edits are ranked by confidence,
highest first; ties go to the earlier start, then the shorter span, then the order
given. Walking that ranking, an edit is kept unless it overlaps one already kept.
Two spans overlap when they share a character; an insertion (``start == end``)
overlaps a span it falls strictly inside and another insertion at the same point.
Kept edits are applied in offset order, an insertion before a span starting there.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from typing import Any

from copydesk.models.errors import EditError


class EditKind(StrEnum):
    """What an edit repairs."""

    CASING = "casing"
    ENTITY = "entity"
    GRAMMAR = "grammar"
    FLUENCY = "fluency"
    PUNCTUATION = "punctuation"
    SPELLING = "spelling"


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``original`` at ``[start, end)`` of the original text with ``replacement``."""

    start: int
    end: int
    original: str
    replacement: str
    kind: EditKind
    stage: str
    confidence: float
    message: str = ""
    rule: str = ""
    # In a result: whether the edit was made. In a stage's proposal: False offers it as a
    # suggestion whatever its confidence.
    applied: bool = field(default=True, compare=False)

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "kind", EditKind(self.kind))
        except ValueError as exc:
            kinds = ", ".join(k.value for k in EditKind)
            raise EditError(f"unknown edit kind {self.kind!r} (one of {kinds})") from exc
        if not (0 <= self.start <= self.end):
            raise EditError(f"bad span [{self.start}, {self.end})")
        if len(self.original) != self.end - self.start:
            raise EditError(
                f"span [{self.start}, {self.end}) has length {self.end - self.start} "
                f"but original {self.original!r} has {len(self.original)}"
            )
        if not (0.0 <= self.confidence <= 1.0):
            raise EditError(f"confidence {self.confidence} is outside [0, 1]")
        if self.original == self.replacement:
            raise EditError(f"edit at [{self.start}, {self.end}) changes nothing")

    @property
    def is_insertion(self) -> bool:
        return self.start == self.end

    def overlaps(self, other: Edit) -> bool:
        """Whether the two edits cannot both be applied (see the module's overlap rule)."""
        return spans_overlap(self.start, self.end, other.start, other.end)

    def with_applied(self, applied: bool) -> Edit:
        return replace(self, applied=applied)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["kind"] = self.kind.value
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Edit:
        """Build an edit from a mapping such as ``to_dict`` gives; unknown keys are an error."""
        names = {f for f in cls.__dataclass_fields__}
        unknown = set(data) - names
        if unknown:
            raise EditError(f"unknown edit field(s): {', '.join(sorted(unknown))}")
        try:
            return cls(**data)
        except TypeError as exc:
            raise EditError(f"incomplete edit: {exc}") from exc


def spans_overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    """Half-open span overlap, with insertions treated as in the module docstring."""
    if a_start == a_end and b_start == b_end:
        return a_start == b_start
    if a_start == a_end:
        return b_start < a_start < b_end
    if b_start == b_end:
        return a_start < b_start < a_end
    return a_start < b_end and b_start < a_end


def resolve_overlaps(edits: Iterable[Edit]) -> list[Edit]:
    """Keep a non-overlapping subset by the module's rule, returned in offset order.

    The kept edits are held sorted by position, so each candidate is checked against its
    neighbours only: O(n log n) however many edits come (an editor may send thousands).
    """
    indexed = list(enumerate(edits))
    ranked = sorted(indexed, key=lambda ie: (-ie[1].confidence, ie[1].start, ie[1].end, ie[0]))
    kept: list[Edit] = []
    keys: list[tuple[int, int]] = []
    for _, edit in ranked:
        at = bisect.bisect_left(keys, (edit.start, edit.end))
        # Kept edits never overlap one another, so only those about ``at`` can meet this one.
        j = max(0, at - 2)
        clash = False
        while j < len(kept) and kept[j].start <= edit.end:
            if edit.overlaps(kept[j]):
                clash = True
                break
            j += 1
        if not clash:
            kept.insert(at, edit)
            keys.insert(at, (edit.start, edit.end))
    return kept


def check_edits(text: str, edits: Iterable[Edit]) -> None:
    """Raise `EditError` unless every edit's span lies in ``text`` and matches its original."""
    for edit in edits:
        if edit.end > len(text):
            raise EditError(f"edit [{edit.start}, {edit.end}) runs past the text ({len(text)})")
        found = text[edit.start : edit.end]
        if found != edit.original:
            raise EditError(
                f"edit at [{edit.start}, {edit.end}) expects {edit.original!r}, "
                f"text has {found!r}"
            )


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Apply any set of edits to ``text``; overlapping ones are resolved by the module rule."""
    check_edits(text, edits)
    parts: list[str] = []
    cursor = 0
    for edit in resolve_overlaps(edits):
        parts.append(text[cursor : edit.start])
        parts.append(edit.replacement)
        cursor = edit.end
    parts.append(text[cursor:])
    return "".join(parts)
