"""What a result says beside its edits: the flags of the checks against the source and a
quality estimate per sentence, both on the original text.

The checks read the same source pairing the repair context gives the stages
(`copydesk.models.source`), so a flag and an edit agree on which source sentence a
translated sentence came from; each sentence is estimated with that source sentence, or
from the English alone where it has none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from copydesk.models.document import Document
from copydesk.models.flags import Flag
from copydesk.models.source import SourcePairing


@dataclass(frozen=True, slots=True)
class SegmentEstimate:
    """The estimate of the segment at ``[start, end)`` of the text (code points):
    predicted HTER (0-1, lower is better) and DA z-score (higher is better)."""

    start: int
    end: int
    hter: float
    da: float

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "hter": self.hter, "da": self.da}

    def shifted(self, start: int, end: int) -> SegmentEstimate:
        return SegmentEstimate(start, end, self.hter, self.da)


def segment_estimates(
    docs: Sequence[Document], pairings: Sequence[SourcePairing]
) -> list[list[SegmentEstimate]]:
    """One estimate per sentence of each document, with its paired source sentence; all the
    documents' sentences go to the estimator in one batch."""
    from copydesk.models.quality import estimate_many

    mts: list[str] = []
    sources: list[str | None] = []
    for doc, pairing in zip(docs, pairings, strict=True):
        mts += [doc.sentence_text(s) for s in doc.sentences]
        sources += [s if pairing.has_source else None for s in pairing.sentences]
    estimates = iter(estimate_many(mts, sources) if mts else [])
    return [
        [
            SegmentEstimate(s.start, s.end, e.hter, e.da)
            for s, e in zip(doc.sentences, estimates, strict=False)
        ]
        for doc in docs
    ]


def assess(
    docs: Sequence[Document], pairings: Sequence[SourcePairing]
) -> list[tuple[list[Flag], list[SegmentEstimate]]]:
    """Each document's flags (the default checks) and its sentences' estimates."""
    from copydesk.models.checks import check_document

    segments = segment_estimates(docs, pairings)
    return [
        (check_document(doc, pairing), segs)
        for doc, pairing, segs in zip(docs, pairings, segments, strict=True)
    ]


# A pair that takes every check's slow path once: a name for natasha's NER and pymorphy3.
_WARM_TEXT = "On Monday Sergey Lavrov said the 25 talks in Idlib did not end."
_WARM_SOURCE = "В понедельник Сергей Лавров сказал, что 25 переговоров в Идлибе не закончились."


def warm_up() -> None:
    """Load the checks' models (natasha, pymorphy3, the name table) and the quality
    estimator's graphs, so that the first request does not pay for them (seconds)."""
    from copydesk.models.checks import run_checks
    from copydesk.models.quality import estimate_many

    run_checks(_WARM_TEXT, _WARM_SOURCE)
    estimate_many([_WARM_TEXT, _WARM_TEXT], [_WARM_SOURCE, None])
