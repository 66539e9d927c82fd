"""The paired bootstrap: a system against the do-nothing baseline on one metric.

sacrebleu's paired test (Koehn 2004, as in Moses'
``bootstrap-hypothesis-difference-significance.pl``): ``resamples`` draws of segment
indices with replacement, the same draws for every system and metric, p-value as
sacrebleu computes it except that a resampled difference *equal* to the observed one
also counts against it (sacrebleu counts only larger ones, which calls a system
identical to the baseline significant, p = 1/1001); significant means p < 0.05.
Segments are also counted as improved, unchanged or worsened.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, field_serializer

from copydesk.eval.metrics.base import Metric

RESAMPLES = 1000
SEED = 12345
ALPHA = 0.05


class Comparison(BaseModel):
    """The system against the do-nothing baseline on one metric."""

    # Full precision here; written out (to_dict, JSON, the HTTP answer), 4 places.
    delta: float
    p_value: float
    significant: bool
    ci95: float
    improved: float
    unchanged: float
    worsened: float

    @field_serializer("delta", "p_value", "ci95", "improved", "unchanged", "worsened")
    def _rounded(self, value: float) -> float:
        return round(value, 4)

    def to_dict(self) -> dict:
        return self.model_dump()


def resample_indices(segments: int, resamples: int, seed: int) -> np.ndarray | None:
    """The bootstrap's draws of segment indices (None: no bootstrap)."""
    if not resamples or not segments:
        return None
    return np.random.default_rng(seed).choice(segments, size=(resamples, segments), replace=True)


def compare(
    metric: Metric, base: np.ndarray, system: np.ndarray, indices: np.ndarray | None, seed: int
) -> tuple[Comparison, list[float]]:
    """The comparison and each segment's score difference (system minus baseline)."""
    sign = -1.0 if metric.lower_is_better else 1.0
    delta = metric.corpus(system) - metric.corpus(base)
    seg = metric.segments(system) - metric.segments(base)
    better = np.sum(sign * seg > 1e-9) / len(seg)
    worse = np.sum(sign * seg < -1e-9) / len(seg)
    p_value, ci = 1.0, 0.0
    if indices is not None:
        # The same resamples (and reference draws, for GLEU) for baseline and system.
        bl = metric.resampled(base, indices, np.random.default_rng(seed + 1))
        sy = metric.resampled(system, indices, np.random.default_rng(seed + 1))
        sample = np.abs(sy - bl)
        p_value = float((np.sum(sample - sample.mean() >= abs(delta)) + 1) / (len(sample) + 1))
        diffs = np.sort(sy - bl)
        lower = int(0.025 * len(diffs))
        ci = 0.5 * float(diffs[len(diffs) - lower - 1] - diffs[lower])
    comparison = Comparison(
        delta=delta,
        p_value=p_value,
        significant=p_value < ALPHA,
        ci95=ci,
        improved=float(better),
        unchanged=float(1 - better - worse),
        worsened=float(worse),
    )
    return comparison, seg.round(4).tolist()
