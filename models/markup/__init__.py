"""Repairing marked-up documents (HTML, Markdown, annotated text) without touching markup."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from copydesk.models.assessment import SegmentEstimate
from copydesk.models.errors import InputError
from copydesk.models.flags import Flag
from copydesk.models.markup.annotation import parse_annotation
from copydesk.models.markup.html import parse_html
from copydesk.models.markup.layout import CROSSES_MARKUP, Format, Layout, Run
from copydesk.models.markup.markdown import parse_markdown
from copydesk.models.pipeline import Pipeline, RepairResult
from copydesk.models.stage import RepairContext

SUFFIXES = {
    ".html": Format.HTML,
    ".htm": Format.HTML,
    ".md": Format.MARKDOWN,
    ".markdown": Format.MARKDOWN,
}


def parse(text: str, fmt: Format | str) -> Layout:
    """``text`` in format ``fmt`` as runs of text and markup."""
    try:
        fmt = Format(fmt)
    except ValueError:
        raise InputError(
            f"unknown format {fmt!r} (one of {', '.join(f.value for f in Format)})"
        ) from None
    if fmt is Format.HTML:
        return parse_html(text)
    if fmt is Format.MARKDOWN:
        return parse_markdown(text)
    return Layout.plain_text(text)


def guess_format(path: str | Path) -> Format:
    """The format a file's name suggests (plain text unless .html/.htm/.md/.markdown)."""
    return SUFFIXES.get(Path(path).suffix.lower(), Format.TEXT)


def to_original(layout: Layout, result: RepairResult) -> RepairResult:
    """A repair of ``layout.plain`` as a repair of the marked-up original."""
    edits = tuple(layout.map_edits(result.edits))
    if layout.original == layout.plain:
        flags, segments = result.flags, result.segments
    else:
        flags, segments = _flags_on_original(layout, result), _segments_on_original(layout, result)
    return RepairResult(
        original=layout.original,
        repaired=layout.apply(edits),
        edits=edits,
        stages=result.stages,
        flags=flags,
        segments=segments,
    )


def _span_on_original(layout: Layout, start: int, end: int) -> tuple[int, int] | None:
    """A plain-text span on the original: whole where it lies in one text run, else by its
    ends (so it covers the markup between them); None where an end is inside markup."""
    whole = layout.to_original(start, end)
    if whole is not None:
        return whole
    first, last = layout.to_original(start, start), layout.to_original(end, end)
    if first is None or last is None:
        return None
    return first[0], last[1]


def _flags_on_original(layout: Layout, result: RepairResult) -> tuple[Flag, ...]:
    flags = []
    for flag in result.flags:
        span = _span_on_original(layout, flag.start, flag.end)
        if span is not None:
            start, end = span
            flags.append(replace(flag, start=start, end=end, original=layout.original[start:end]))
    return tuple(flags)


def _segments_on_original(layout: Layout, result: RepairResult) -> tuple[SegmentEstimate, ...]:
    segments = []
    for segment in result.segments:
        span = _span_on_original(layout, segment.start, segment.end)
        if span is not None:
            segments.append(segment.shifted(*span))
    return tuple(segments)


def repair_layouts(
    pipeline: Pipeline,
    layouts: Sequence[Layout],
    contexts: Sequence[RepairContext] | None = None,
    *,
    threshold: float | None = None,
) -> list[RepairResult]:
    """Repair each layout's plain text in one batch; results are on the originals."""
    results = pipeline.repair_many([lay.plain for lay in layouts], contexts, threshold=threshold)
    return [to_original(lay, r) for lay, r in zip(layouts, results, strict=True)]


__all__ = [
    "CROSSES_MARKUP",
    "Format",
    "Layout",
    "Run",
    "guess_format",
    "parse",
    "parse_annotation",
    "repair_layouts",
    "to_original",
]
