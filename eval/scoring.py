"""Score systems against references: corpus metrics, edit-level ERRANT figures, the
do-nothing baseline, a paired bootstrap, and per-segment improved/unchanged/worsened.

This is the one entry point for scoring (``score``, also ``copydesk.score``); the CLI,
the suites and the HTTP service call it. Every metric is a `Metric` from the registry in
`copydesk.eval.metrics`; the comparison with the baseline is `copydesk.eval.significance`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from copydesk.eval.metrics import ALL_METRICS, SACREBLEU_METRICS, build_metrics
from copydesk.eval.metrics.edits import EditExtractor, KindSpan
from copydesk.eval.significance import (
    ALPHA,
    RESAMPLES,
    SEED,
    Comparison,
    compare,
    resample_indices,
)

DEFAULT_METRICS = (*SACREBLEU_METRICS, "errant")
BASELINE = "do-nothing"


@dataclass
class SystemScore:
    name: str
    scores: dict[str, float]
    versus_baseline: dict[str, Comparison] = field(default_factory=dict)
    edits: dict | None = None
    segment_deltas: dict[str, list[float]] = field(default_factory=dict)

    def to_dict(self) -> dict:
        out = {"scores": {k: round(v, 4) for k, v in self.scores.items()}}
        if self.versus_baseline:
            out["versus_baseline"] = {k: c.to_dict() for k, c in self.versus_baseline.items()}
        if self.edits is not None:
            out["edits"] = self.edits
        return out


@dataclass
class ScoreResult:
    """Everything ``score`` found; ``to_dict`` is the JSON the CLI and reports write."""

    segments: int
    references: int
    metrics: list[str]
    signatures: dict[str, str]
    systems: dict[str, SystemScore]
    baseline: str | None
    resamples: int
    seed: int
    m2: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "segments": self.segments,
            "references": self.references,
            "metrics": self.metrics,
            "signatures": self.signatures,
            "baseline": self.baseline,
            "bootstrap": {"resamples": self.resamples, "seed": self.seed, "alpha": ALPHA},
            "systems": {name: s.to_dict() for name, s in self.systems.items()},
        }


def score(
    systems: Mapping[str, Sequence[str]] | Sequence[str],
    references: Sequence[Sequence[str]],
    *,
    original: Sequence[str] | None = None,
    metrics: Sequence[str] | None = None,
    kinds: Mapping[str, Sequence[Sequence[KindSpan]]] | None = None,
    resamples: int = RESAMPLES,
    seed: int = SEED,
    extractor: EditExtractor | None = None,
) -> ScoreResult:
    """Score one or more systems' outputs against line-aligned reference sets.

    With ``original`` (the text the systems corrected), the do-nothing baseline is
    scored too and every system is compared with it; ERRANT and GLEU need it.
    ``kinds`` maps a system to, per segment, the copydesk edits it made (for the
    per-kind breakdown). ``resamples=0`` skips the bootstrap.
    """
    if not isinstance(systems, Mapping):
        systems = {"system": systems}
    if not references:
        raise ValueError("at least one reference set is needed")
    n = len(references[0])
    for i, ref in enumerate(references):
        if len(ref) != n:
            raise ValueError(f"reference set {i + 1} has {len(ref)} segments, the first {n}")
    for name, hyps in systems.items():
        if len(hyps) != n:
            raise ValueError(f"system {name!r} has {len(hyps)} segments, references {n}")
    if original is not None and len(original) != n:
        raise ValueError(f"the original has {len(original)} segments, references {n}")
    if metrics is None:
        metrics = DEFAULT_METRICS if original is not None else SACREBLEU_METRICS
    bound = build_metrics(
        metrics, references, original, {"errant": {"extractor": extractor}} if extractor else None
    )
    runs: dict[str, Sequence[str]] = {}
    if original is not None:
        runs[BASELINE] = list(original)
    runs.update(systems)

    stats: dict[str, dict[str, np.ndarray]] = {name: {} for name in runs}
    results: dict[str, SystemScore] = {}
    m2: dict[str, str] = {}
    for name, hyps in runs.items():
        result = SystemScore(name, {})
        for key, metric in bound.items():
            stats[name][key] = metric.stats(hyps)
            result.scores[key] = metric.corpus(stats[name][key])
            details = metric.details(hyps, kinds.get(name) if kinds else None)
            if details.edits is not None:
                result.edits = details.edits
            if details.m2:
                m2[name] = details.m2
            if details.reference_m2:
                m2["reference"] = details.reference_m2
        results[name] = result

    if original is not None and n:
        indices = resample_indices(n, resamples, seed)
        for name, result in results.items():
            if name == BASELINE:
                continue
            for key, metric in bound.items():
                result.versus_baseline[key], result.segment_deltas[key] = compare(
                    metric, stats[BASELINE][key], stats[name][key], indices, seed
                )
    return ScoreResult(
        segments=n,
        references=len(references),
        metrics=list(bound),
        signatures={k: m.signature for k, m in bound.items()},
        systems=results,
        baseline=BASELINE if original is not None else None,
        resamples=resamples if original is not None else 0,
        seed=seed,
        m2=m2,
    )


__all__ = [
    "ALL_METRICS",
    "BASELINE",
    "DEFAULT_METRICS",
    "SACREBLEU_METRICS",
    "ScoreResult",
    "SystemScore",
    "score",
]
