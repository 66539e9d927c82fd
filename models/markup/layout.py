"""A marked-up document as runs of text and markup, and edits carried between the two.

The engine repairs plain text. A `Layout` is the original document cut into runs: text
runs (the words, as written) and markup runs (tags, entities, code, URLs, comments), each
markup run standing in the plain text for what it means there (``interpret_as``: a
paragraph break for a block tag, nothing for an inline one, the character an entity
names). The runs concatenated give the original byte for byte; text runs and
interpretations concatenated give the plain text the stages see.

An edit on the plain text maps back to the original when it lies inside text runs with
no markup run between its ends. One that would cut through markup is first trimmed to
what it really changes (``will not stop`` → ``does not stop`` is ``will`` → ``does``);
if it still crosses markup it is offered as a suggestion, never applied.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

import regex

from copydesk.models.edits import Edit, apply_edits

CROSSES_MARKUP = "crosses markup; not applied"


class Format(StrEnum):
    """The input formats the engine repairs."""

    TEXT = "text"
    HTML = "html"
    MARKDOWN = "markdown"


@dataclass(frozen=True, slots=True)
class Run:
    """One piece of the original: text (``interpret_as`` is None) or markup."""

    original: str
    interpret_as: str | None = None

    @property
    def is_markup(self) -> bool:
        return self.interpret_as is not None

    @property
    def plain(self) -> str:
        return self.original if self.interpret_as is None else self.interpret_as


class Layout:
    """A document's runs, with offsets between its original and its plain text."""

    def __init__(self, runs: Iterable[Run], escape: Callable[[str], str] | None = None) -> None:
        self.runs = tuple(_merge(r for r in runs if r.original or r.plain))
        # How a replacement is written into the original so that it stays text (HTML's
        # entities, Markdown's backslashes): a name that holds "<img …>" must not become
        # an element.
        self.escape = escape or _as_is
        self.original = "".join(r.original for r in self.runs)
        self.plain = "".join(r.plain for r in self.runs)
        # Start of each run in the original and in the plain text.
        self._orig_starts: list[int] = []
        self._plain_starts: list[int] = []
        o = p = 0
        for run in self.runs:
            self._orig_starts.append(o)
            self._plain_starts.append(p)
            o += len(run.original)
            p += len(run.plain)

    @classmethod
    def plain_text(cls, text: str) -> Layout:
        return cls([Run(text)])

    def to_original(self, start: int, end: int) -> tuple[int, int] | None:
        """The span ``[start, end)`` of the plain text in the original, or None when it
        touches a markup run's interpretation (an insertion at a run's edge is fine)."""
        i = self._text_run_at(start, end)
        if i is None:
            return None
        shift = self._orig_starts[i] - self._plain_starts[i]
        return start + shift, end + shift

    def to_plain(self, offset: int) -> int:
        """Where original offset ``offset`` falls in the plain text (a point inside a
        markup run: the start of its interpretation)."""
        i = max(bisect.bisect_right(self._orig_starts, offset) - 1, 0)
        if not self.runs:
            return 0
        inside = offset - self._orig_starts[i]
        if self.runs[i].is_markup:
            return self._plain_starts[i] + (
                len(self.runs[i].plain) if inside >= len(self.runs[i].original) else 0
            )
        return self._plain_starts[i] + inside

    def touches_markup(self, start: int, end: int) -> bool:
        """Whether the original's ``[start, end)`` changes markup: it overlaps a markup
        run, or, empty, is an insertion inside one or beside one that stands for text
        (``<x/>`` interpreted as ``Russia``), where it would read as part of that text."""
        i = max(bisect.bisect_right(self._orig_starts, start) - 1, 0)
        for j in range(max(i - 1, 0), len(self.runs)):
            run, run_start = self.runs[j], self._orig_starts[j]
            run_end = run_start + len(run.original)
            if run_start > end:
                break
            if not run.is_markup:
                continue
            if start < end and run_start < end and start < run_end:
                return True
            if start == end and (
                run_start < start < run_end
                or (run.plain and (run_end == start or run_start == start))
            ):
                return True
        return False

    def map_edits(self, edits: Sequence[Edit]) -> list[Edit]:
        """The plain text's edits on the original: those that cross markup, trimmed to
        what they change if that helps, else offered as suggestions (their span then
        covers the markup, and applying them is refused)."""
        mapped = []
        for edit in edits:
            for candidate in (edit, _trimmed(edit)):
                span = self.to_original(candidate.start, candidate.end)
                if span is not None:
                    original = self.original[span[0] : span[1]]
                    replacement = self.escape(candidate.replacement)
                    if replacement != original:
                        mapped.append(
                            replace(
                                candidate,
                                start=span[0],
                                end=span[1],
                                original=original,
                                replacement=replacement,
                            )
                        )
                    break
            else:
                crossing = self._crossing(edit)
                if crossing is not None:
                    mapped.append(crossing)
        return mapped

    def apply(self, edits: Sequence[Edit]) -> str:
        """The original with the applied, mapped edits made; markup untouched."""
        return apply_edits(self.original, [e for e in edits if e.applied])

    def _crossing(self, edit: Edit) -> Edit | None:
        """An edit whose span cuts through markup, as a suggestion over the original
        (None where, markup included, it would change nothing, and for an edit inside
        what a markup run stands for, which has no text to change)."""
        start = self._plain_to_original_point(edit.start)
        end = max(start, self._plain_to_original_point(edit.end, at_end=True))
        original = self.original[start:end]
        message = f"{edit.message} ({CROSSES_MARKUP})" if edit.message else CROSSES_MARKUP
        if original == edit.replacement or (start == end and edit.start != edit.end):
            return None  # no change, or a change of what markup stands for (no text)
        return replace(
            edit,
            start=start,
            end=end,
            original=original,
            replacement=self.escape(edit.replacement),
            applied=False,
            message=message,
        )

    def _text_run_at(self, start: int, end: int) -> int | None:
        """The text run holding all of ``[start, end)`` in plain offsets."""
        i = bisect.bisect_right(self._plain_starts, start) - 1
        # An insertion or span starting at a run boundary belongs to the run that starts
        # there when that one is text.
        candidates = [i]
        if i > 0 and self._plain_starts[i] == start:
            candidates.insert(0, i - 1)
        while i + 1 < len(self.runs) and self._plain_starts[i + 1] == start:
            i += 1
            candidates.append(i)
        for j in candidates:
            if j < 0 or self.runs[j].is_markup:
                continue
            run_start = self._plain_starts[j]
            if run_start <= start and end <= run_start + len(self.runs[j].plain):
                return j
        return None

    def _plain_to_original_point(self, offset: int, *, at_end: bool = False) -> int:
        i = bisect.bisect_right(self._plain_starts, offset) - 1
        if at_end:
            while i > 0 and self._plain_starts[i] == offset:
                i -= 1
        i = max(i, 0)
        run = self.runs[i]
        inside = offset - self._plain_starts[i]
        if run.is_markup:  # a point inside an interpretation: the whole markup run
            return self._orig_starts[i] + (len(run.original) if inside > 0 else 0)
        return self._orig_starts[i] + min(inside, len(run.original))


def _as_is(text: str) -> str:
    return text


def _trimmed(edit: Edit) -> Edit:
    """The edit without the characters its original and replacement share at either end."""
    old, new = edit.original, edit.replacement
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    # Keep whole words: back off to the word boundary so the edit still reads as one.
    while head > 0 and old[head - 1].isalnum():
        head -= 1
    while tail > 0 and old[len(old) - tail].isalnum():
        tail -= 1
    if head == 0 and tail == 0:
        return edit
    return replace(
        edit,
        start=edit.start + head,
        end=edit.end - tail,
        original=old[head : len(old) - tail],
        replacement=new[head : len(new) - tail],
    )


def _merge(runs: Iterable[Run]) -> list[Run]:
    """Adjacent text runs as one (a sentence's words are one run however they came)."""
    out: list[Run] = []
    for run in runs:
        if out and not run.is_markup and not out[-1].is_markup:
            out[-1] = Run(out[-1].original + run.original)
        else:
            out.append(run)
    return out


# A web address or e-mail address in prose: shown to the stages, never edited.
_ADDRESS = regex.compile(
    r"(?:https?://|www\.)[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'\"]"  # a URL, without closing punctuation
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # an e-mail address
)


def protect_addresses(runs: Iterable[Run]) -> list[Run]:
    """Text runs with their URLs and e-mail addresses split off as markup standing for
    themselves, so that no edit can change them."""
    out: list[Run] = []
    for run in runs:
        if run.is_markup:
            out.append(run)
            continue
        cursor = 0
        for match in _ADDRESS.finditer(run.original):
            out.append(Run(run.original[cursor : match.start()]))
            out.append(Run(match.group(), match.group()))
            cursor = match.end()
        out.append(Run(run.original[cursor:]))
    return out
