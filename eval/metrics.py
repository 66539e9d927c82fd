"""Reference metrics through sacrebleu: BLEU, chrF, chrF++ and TER, case-sensitive by default.

Casing is most of what copydesk repairs, and sacrebleu's TER ignores case unless told,
so every metric here is built case-sensitive. Each result carries sacrebleu's own
signature, so a figure always says how it was made.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.metrics.base import Metric

METRICS: dict[str, Callable[[], Metric]] = {
    "bleu": lambda: BLEU(lowercase=False),
    "chrf": lambda: CHRF(lowercase=False),
    "chrf++": lambda: CHRF(word_order=2, lowercase=False),
    "ter": lambda: TER(case_sensitive=True),
}
LOWER_IS_BETTER = frozenset({"ter"})


@dataclass(frozen=True)
class MetricScore:
    """One metric's score with the signature that says how it was computed."""

    metric: str
    score: float
    signature: str

    def to_dict(self) -> dict:
        return {"metric": self.metric, "score": round(self.score, 4), "signature": self.signature}


def build_metric(name: str) -> Metric:
    try:
        return METRICS[name]()
    except KeyError:
        raise ValueError(f"unknown metric {name!r} (one of {', '.join(METRICS)})") from None


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
