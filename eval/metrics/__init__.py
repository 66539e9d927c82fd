"""Metrics, one module per family, on one contract (`Metric`), in one registry.

- `base`: the contract, per-segment statistics beneath corpus, segment and resampled scores;
- `sacrebleu`: BLEU, chrF, chrF++ and TER, sacrebleu's figures exactly;
- `gleu`: GLEU, JFLEG's metric, as the official scorer computes it;
- `errant`: ERRANT's edit precision, recall and F0.5 (`edits` extracts and matches edits).

``METRICS`` is the registry, a plain dict from name to class; `build_metrics` binds the
named metrics to one set of references. The paired bootstrap is apart
(`copydesk.eval.significance`), and `copydesk.eval.scoring.score` is the one way to score.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from copydesk.eval.metrics.base import Details, Metric
from copydesk.eval.metrics.errant import Errant
from copydesk.eval.metrics.gleu import Gleu
from copydesk.eval.metrics.sacrebleu import (
    SACREBLEU_METRICS,
    Bleu,
    Chrf,
    ChrfPlusPlus,
    MetricScore,
    Ter,
    corpus_score,
    sentence_score,
)


def registry(*metrics: type[Metric]) -> dict[str, type[Metric]]:
    """The metrics by name; two with one name are an error."""
    found: dict[str, type[Metric]] = {}
    for metric in metrics:
        if metric.name in found:
            raise ValueError(f"two metrics are named {metric.name!r}")
        found[metric.name] = metric
    return found


METRICS = registry(Bleu, Chrf, ChrfPlusPlus, Ter, Gleu, Errant)
ALL_METRICS = tuple(METRICS)


def build_metrics(
    names: Sequence[str],
    references: Sequence[Sequence[str]],
    original: Sequence[str] | None = None,
    settings: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, Metric]:
    """The named metrics bound to ``references`` (and ``original``, which GLEU and ERRANT
    need); ``settings`` gives a metric its keyword arguments by name."""
    built: dict[str, Metric] = {}
    for name in names:
        if name not in METRICS:
            raise ValueError(f"unknown metric {name!r} (one of {', '.join(METRICS)})")
        built[name] = METRICS[name](references, original, **(settings or {}).get(name, {}))
    return built


__all__ = [
    "ALL_METRICS",
    "METRICS",
    "SACREBLEU_METRICS",
    "Details",
    "Metric",
    "MetricScore",
    "build_metrics",
    "corpus_score",
    "registry",
    "sentence_score",
]
