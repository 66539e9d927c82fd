"""Metrics as per-segment sufficient statistics, so one pass gives the corpus score,
segment scores and any number of bootstrap resamples.

sacrebleu's metrics are used through the statistics API its own significance tests
use (``_extract_corpus_statistics`` / ``_compute_score_from_stats``), so corpus figures
are sacrebleu's exactly. Segment-level BLEU uses effective order, as sacrebleu's
``sentence_score`` does.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from copydesk.eval.gleu import MAX_N, _gleu, gleu_from_stats, sentence_stats
from copydesk.eval.metrics import LOWER_IS_BETTER, build_metric


class Scorer:
    """A metric bound to its references: per-segment stats, corpus and segment scores."""

    name: str
    lower_is_better: bool = False
    signature: str = ""

    def stats(self, hypotheses: Sequence[str]) -> np.ndarray:
        raise NotImplementedError

    def corpus(self, stats: np.ndarray) -> float:
        raise NotImplementedError

    def segments(self, stats: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def resampled(
        self, stats: np.ndarray, indices: np.ndarray, rng: np.random.Generator
    ) -> np.ndarray:
        """Corpus scores of each row of ``indices`` (a bootstrap resample of segments)."""
        return np.array([self.corpus(stats[row]) for row in indices])


class SacrebleuScorer(Scorer):
    def __init__(self, name: str, references: Sequence[Sequence[str]]) -> None:
        self.name = name
        self.lower_is_better = name in LOWER_IS_BETTER
        self.metric = build_metric(name)
        self.references = [list(r) for r in references]
        self._segment_metric = build_metric(name)
        if name == "bleu":
            self._segment_metric.effective_order = True

    def stats(self, hypotheses: Sequence[str]) -> np.ndarray:
        rows = self.metric._extract_corpus_statistics(list(hypotheses), self.references)
        self.signature = str(self.metric.get_signature())  # known once references are read
        return np.asarray(rows, dtype=np.float64)

    def corpus(self, stats: np.ndarray) -> float:
        return float(
            self.metric._compute_score_from_stats(_as_stats(self.name, stats.sum(0))).score
        )

    def segments(self, stats: np.ndarray) -> np.ndarray:
        compute = self._segment_metric._compute_score_from_stats
        return np.array([compute(_as_stats(self.name, row)).score for row in stats])


def _as_stats(name: str, row: np.ndarray) -> list:
    # BLEU and chrF count n-grams (ints); TER's edit counts and lengths are floats.
    return row.tolist() if name == "ter" else [int(round(v)) for v in row]


class GleuScorer(Scorer):
    """GLEU (JFLEG's metric); needs the original text. Multi-reference GLEU samples one
    reference per segment per iteration, so its resamples draw references too."""

    name = "gleu"

    def __init__(self, sources: Sequence[str], references: Sequence[Sequence[str]]) -> None:
        self.sources = list(sources)
        self.references = [list(r) for r in references]
        self.signature = f"gleu|refs:{len(references)}|n:{MAX_N}|iterations:200|seed:1|case:mixed"

    def stats(self, hypotheses: Sequence[str]) -> np.ndarray:
        # shape (segments, references, statistics)
        return np.array(
            [
                [sentence_stats(s, h, ref[i]) for ref in self.references]
                for i, (s, h) in enumerate(zip(self.sources, hypotheses, strict=True))
            ],
            dtype=np.int64,
        )

    def corpus(self, stats: np.ndarray) -> float:
        return gleu_from_stats(stats.tolist())

    def segments(self, stats: np.ndarray) -> np.ndarray:
        return np.array([100 * np.mean([_gleu(r.tolist()) for r in seg]) for seg in stats])

    def resampled(
        self, stats: np.ndarray, indices: np.ndarray, rng: np.random.Generator
    ) -> np.ndarray:
        picks = rng.integers(stats.shape[1], size=indices.shape)
        return np.array(
            [
                100 * _gleu(stats[row, pick].sum(0).tolist())
                for row, pick in zip(indices, picks, strict=True)
            ]
        )


__all__ = ["GleuScorer", "SacrebleuScorer", "Scorer"]
