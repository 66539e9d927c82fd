"""Running a pipeline over aligned segments, as the evaluations read them.

Lines are repaired one by one, in batches, or ``document_lines`` at a time as the
paragraphs of one document (so that document-level evidence applies); paragraph files
are one article, repaired as one document. Each output segment comes with the spans of
the copydesk edits made in it, for the per-kind figures.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from copydesk.eval.metrics.edits import KindSpan
from copydesk.models import Pipeline, RepairContext

BATCH = 32


def repair_segments(
    pipeline: Pipeline,
    segments: Sequence[str],
    sources: Sequence[str] | None = None,
    *,
    document_size: int | None = None,
    threshold: float | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[str], list[list[KindSpan]]]:
    """Run ``pipeline`` over ``segments``; the repaired segments and each one's edit kinds.

    With ``document_size``, that many consecutive segments are repaired as the
    paragraphs of one document; otherwise segment by segment, in batches.
    """
    if document_size:
        outputs, kinds = [], []
        for i in range(0, len(segments), document_size):
            part = list(segments[i : i + document_size])
            part_sources = list(sources[i : i + document_size]) if sources else None
            done = repair_as_document(pipeline, part, part_sources, threshold=threshold)
            outputs += done[0]
            kinds += done[1]
            if progress:
                progress(len(done[0]))
        return outputs, kinds
    outputs, kinds = [], []
    for i in range(0, len(segments), BATCH):
        part = list(segments[i : i + BATCH])
        contexts = [RepairContext(source=s) for s in sources[i : i + BATCH]] if sources else None
        results = pipeline.repair_many(part, contexts, threshold=threshold)
        for line, result in zip(part, results, strict=True):
            outputs.append(result.repaired)
            kinds.append(_spans(result.applied_edits, 0, line))
        if progress:
            progress(len(part))
    return outputs, kinds


def repair_as_document(
    pipeline: Pipeline,
    segments: Sequence[str],
    sources: Sequence[str] | None = None,
    *,
    threshold: float | None = None,
) -> tuple[list[str], list[list[KindSpan]]]:
    """Segments repaired as the paragraphs of one document, with each one's edit kinds."""
    context = RepairContext(source="\n\n".join(sources)) if sources else None
    result = pipeline.repair("\n\n".join(segments), context, threshold=threshold)
    outputs = [p.strip() for p in result.repaired.split("\n\n")]
    if len(outputs) != len(segments):  # a stage changed paragraphing: repair each
        results = [pipeline.repair(p, threshold=threshold) for p in segments]
        kinds = [_spans(r.applied_edits, 0, p) for r, p in zip(results, segments, strict=True)]
        return [r.repaired for r in results], kinds
    kinds, offset = [], 0
    for paragraph in segments:
        end = offset + len(paragraph)
        edits = [e for e in result.applied_edits if offset <= e.start and e.end <= end]
        kinds.append(_spans(edits, offset, paragraph))
        offset = end + 2
    return outputs, kinds


def _spans(edits: Sequence, offset: int, segment: str) -> list[KindSpan]:
    """Edit spans in the stripped segment's coordinates (ERRANT strips segments)."""
    lead = len(segment) - len(segment.lstrip())
    return [
        KindSpan(e.start - offset - lead, e.end - offset - lead, str(e.kind.value)) for e in edits
    ]
