"""Repairing marked-up documents (HTML, Markdown, annotated text) without touching markup."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from copydesk.models.errors import InputError
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
    return RepairResult(
        original=layout.original, repaired=layout.apply(edits), edits=edits, stages=result.stages
    )


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
