"""ERRANT's edit-level figures: precision, recall and F0.5 over extracted edits.

The score is strict F0.5 (errant_compare's figures), resamplable like every metric; the
details add split figures, counts by ERRANT type and by copydesk edit kind, and M2 files
(`copydesk.eval.metrics.edits` extracts and matches the edits).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from copydesk.eval.metrics.base import Details, Metric
from copydesk.eval.metrics.edits import (
    EditExtractor,
    KindAttribution,
    KindSpan,
    Segment,
    f_score,
    m2_block,
    match_segments,
    sum_counts,
)


class Errant(Metric):
    """F0.5 over ERRANT edits (strict, errant_compare's figures) as a resamplable metric."""

    name = "errant"
    needs_original = True

    def __init__(
        self,
        references: Sequence[Sequence[str]],
        original: Sequence[str] | None = None,
        *,
        extractor: EditExtractor | None = None,
        beta: float = 0.5,
    ) -> None:
        super().__init__(references, original)
        self.original_segments = self.original or []
        self.extractor = extractor or EditExtractor()
        self.beta = beta
        self.reference_edits = [
            self.extractor.extract_many(self.original_segments, ref) for ref in self.references
        ]
        self._extracted: dict[tuple[str, ...], list[Segment]] = {}

    @property
    def signature(self) -> str:
        return f"errant|refs:{len(self.references)}|merge:rules|beta:{self.beta}|mode:cs"

    def _segments(self, hypotheses: Sequence[str]) -> list[Segment]:
        """Each system's edits, extracted once for its stats and its details."""
        key = tuple(hypotheses)
        if key not in self._extracted:
            self._extracted[key] = self.extractor.extract_many(self.original_segments, hypotheses)
        return self._extracted[key]

    def stats(self, hypotheses: Sequence[str]) -> np.ndarray:
        segments = self._segments(hypotheses)
        matches = match_segments(segments, self.reference_edits, "rules", self.beta)
        return np.array([[m.counts.tp, m.counts.fp, m.counts.fn] for m in matches]).reshape(-1, 3)

    def corpus(self, stats: np.ndarray) -> float:
        tp, fp, fn = stats.sum(0).tolist()
        return f_score(int(tp), int(fp), int(fn), self.beta)[2] * 100

    def segments(self, stats: np.ndarray) -> np.ndarray:
        return np.array([f_score(*map(int, row), self.beta)[2] * 100 for row in stats])

    def details(
        self, hypotheses: Sequence[str], kinds: Sequence[Sequence[KindSpan]] | None
    ) -> Details:
        """Strict and split counts, counts by ERRANT type and by copydesk kind, M2 files."""
        segments = self._segments(hypotheses)
        out: dict = {}
        for merging, label in (("rules", "strict"), ("all-split", "split")):
            matches = match_segments(segments, self.reference_edits, merging, self.beta)
            total, by_type = sum_counts(matches)
            out[label] = total.to_dict(self.beta)
            if merging == "rules":
                out["by_type"] = {t: c.to_dict(self.beta) for t, c in sorted(by_type.items())}
                if kinds is not None:
                    attribution = KindAttribution()
                    for match, spans in zip(matches, kinds, strict=True):
                        attribution.add(match, spans)
                    out["by_kind"] = attribution.finish(total.tp + total.fn)
        blocks = [m2_block(seg[0], list(seg)) for seg in zip(*self.reference_edits, strict=True)]
        return Details(
            edits=out,
            m2="\n\n".join(m2_block(s, [s]) for s in segments) + "\n",
            reference_m2="\n\n".join(blocks) + "\n",
        )


__all__ = ["Errant"]
