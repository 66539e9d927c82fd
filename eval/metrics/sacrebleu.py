"""sacrebleu's metrics: BLEU, chrF, chrF++ and TER, case-sensitive.

Casing is most of what copydesk repairs, and sacrebleu's TER ignores case unless told,
so every metric here is built case-sensitive. Each carries sacrebleu's own signature,
so a figure always says how it was made.

The metrics run through the statistics API sacrebleu's own significance tests use
(``_extract_corpus_statistics`` / ``_compute_score_from_stats``), so corpus figures are
sacrebleu's exactly. Segment-level BLEU uses effective order, as sacrebleu's
``sentence_score`` does. ``corpus_score`` and ``sentence_score`` call sacrebleu directly,
for figures that need neither segments nor a bootstrap.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.metrics.base import Metric as SacrebleuBase

from copydesk.eval.metrics.base import Metric


class SacrebleuMetric(Metric):
    """One of sacrebleu's metrics, its references cached once for every system."""

    def __init__(
        self, references: Sequence[Sequence[str]], original: Sequence[str] | None = None
    ) -> None:
        super().__init__(references, original)
        self.metric = self.sacrebleu(self.references)  # caching them tells it the reference count
        self._segment_metric = self.segment_sacrebleu()

    @classmethod
    @abstractmethod
    def sacrebleu(cls, references: Sequence[Sequence[str]] | None = None) -> SacrebleuBase:
        """The sacrebleu metric, case-sensitive, with ``references`` cached."""

    @classmethod
    def segment_sacrebleu(cls) -> SacrebleuBase:
        """The sacrebleu metric that scores single segments."""
        return cls.sacrebleu()

    @property
    def signature(self) -> str:
        return str(self.metric.get_signature())

    def stats(self, hypotheses: Sequence[str]) -> np.ndarray:
        # An empty corpus caches nothing, and sacrebleu then wants the references again.
        references = None if self.metric._ref_cache else self.references
        rows = self.metric._extract_corpus_statistics(list(hypotheses), references)
        return np.asarray(rows, dtype=np.float64)

    def corpus(self, stats: np.ndarray) -> float:
        return float(self.metric._compute_score_from_stats(self._as_stats(stats.sum(0))).score)

    def segments(self, stats: np.ndarray) -> np.ndarray:
        compute = self._segment_metric._compute_score_from_stats
        return np.array([compute(self._as_stats(row)).score for row in stats])

    @staticmethod
    def _as_stats(row: np.ndarray) -> list:
        # BLEU and chrF count n-grams (ints); TER overrides this for its float counts.
        return [int(round(v)) for v in row]


class Bleu(SacrebleuMetric):
    name = "bleu"

    @classmethod
    def sacrebleu(cls, references: Sequence[Sequence[str]] | None = None) -> SacrebleuBase:
        return BLEU(lowercase=False, references=references)

    @classmethod
    def segment_sacrebleu(cls) -> SacrebleuBase:
        return BLEU(lowercase=False, effective_order=True)


class Chrf(SacrebleuMetric):
    name = "chrf"

    @classmethod
    def sacrebleu(cls, references: Sequence[Sequence[str]] | None = None) -> SacrebleuBase:
        return CHRF(lowercase=False, references=references)


class ChrfPlusPlus(SacrebleuMetric):
    name = "chrf++"

    @classmethod
    def sacrebleu(cls, references: Sequence[Sequence[str]] | None = None) -> SacrebleuBase:
        return CHRF(word_order=2, lowercase=False, references=references)


class Ter(SacrebleuMetric):
    name = "ter"
    lower_is_better = True

    @classmethod
    def sacrebleu(cls, references: Sequence[Sequence[str]] | None = None) -> SacrebleuBase:
        return TER(case_sensitive=True, references=references)

    @staticmethod
    def _as_stats(row: np.ndarray) -> list:
        return row.tolist()  # edit counts and reference lengths are floats


SACREBLEU: dict[str, type[SacrebleuMetric]] = {m.name: m for m in (Bleu, Chrf, ChrfPlusPlus, Ter)}
SACREBLEU_METRICS = tuple(SACREBLEU)


@dataclass(frozen=True)
class MetricScore:
    """One metric's score with the signature that says how it was computed."""

    metric: str
    score: float
    signature: str

    def to_dict(self) -> dict:
        return {"metric": self.metric, "score": round(self.score, 4), "signature": self.signature}


def build_metric(name: str) -> SacrebleuBase:
    """sacrebleu's own metric object for ``name``, case-sensitive."""
    try:
        return SACREBLEU[name].sacrebleu()
    except KeyError:
        raise ValueError(f"unknown metric {name!r} (one of {', '.join(SACREBLEU)})") from None


def corpus_score(
    name: str, hypotheses: Sequence[str], references: Sequence[Sequence[str]]
) -> MetricScore:
    """Corpus-level score of ``hypotheses`` against one or more line-aligned reference sets."""
    metric = build_metric(name)
    result = metric.corpus_score(list(hypotheses), [list(r) for r in references])
    return MetricScore(name, float(result.score), str(metric.get_signature()))


def sentence_score(name: str, hypothesis: str, references: Sequence[str]) -> MetricScore:
    """Sentence-level score of one hypothesis against its references."""
    metric = build_metric(name)
    result = metric.sentence_score(hypothesis, list(references))
    return MetricScore(name, float(result.score), str(metric.get_signature()))


__all__ = [
    "SACREBLEU_METRICS",
    "Bleu",
    "Chrf",
    "ChrfPlusPlus",
    "MetricScore",
    "SacrebleuMetric",
    "Ter",
    "build_metric",
    "corpus_score",
    "sentence_score",
]
