"""Score systems against references: corpus metrics, edit-level ERRANT figures, the
do-nothing baseline, a paired bootstrap, and per-segment improved/unchanged/worsened.

This is the library entry point (``score``); the CLI, the suites and the HTTP service
call it. The bootstrap is sacrebleu's paired test (Koehn 2004, as in Moses'
``bootstrap-hypothesis-difference-significance.pl``): ``resamples`` draws of segment
indices with replacement, the same draws for every system and metric, p-value as
sacrebleu computes it except that a resampled difference *equal* to the observed one
also counts against it (sacrebleu counts only larger ones, which calls a system
identical to the baseline significant, p = 1/1001); significant means p < 0.05.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from copydesk.eval.edit_scoring import (
    EditCounts,
    EditExtractor,
    KindAttribution,
    KindSpan,
    Segment,
    f_score,
    m2_block,
    match_segments,
    sum_counts,
)
from copydesk.eval.scorers import GleuScorer, SacrebleuScorer, Scorer

SACREBLEU_METRICS = ("bleu", "chrf", "chrf++", "ter")
ALL_METRICS = (*SACREBLEU_METRICS, "gleu", "errant")
DEFAULT_METRICS = (*SACREBLEU_METRICS, "errant")
NEEDS_ORIGINAL = frozenset({"gleu", "errant"})
BASELINE = "do-nothing"
RESAMPLES = 1000
SEED = 12345
ALPHA = 0.05


class ErrantScorer(Scorer):
    """F0.5 over ERRANT edits (strict, errant_compare's figures) as a resamplable metric."""

    name = "errant"

    def __init__(
        self,
        original: Sequence[str],
        references: Sequence[Sequence[str]],
        extractor: EditExtractor,
        beta: float = 0.5,
    ) -> None:
        self.original = list(original)
        self.extractor = extractor
        self.beta = beta
        self.references = [extractor.extract_many(self.original, ref) for ref in references]
        self.signature = f"errant|refs:{len(references)}|merge:rules|beta:{beta}|mode:cs"

    def edits(self, hypotheses: Sequence[str]) -> list[Segment]:
        return self.extractor.extract_many(self.original, hypotheses)

    def stats(self, hypotheses: Sequence[str]) -> np.ndarray:
        return self.stats_of(self.edits(hypotheses))[0]

    def stats_of(self, segments: list[Segment]) -> tuple[np.ndarray, dict]:
        detail = {}
        rows = None
        for merging in ("rules", "all-split"):
            matches = match_segments(segments, self.references, merging, self.beta)
            total, by_type = sum_counts(matches)
            detail[merging] = {"matches": matches, "total": total, "by_type": by_type}
            if merging == "rules":
                rows = np.array([[m.counts.tp, m.counts.fp, m.counts.fn] for m in matches])
        return rows.reshape(-1, 3), detail

    def corpus(self, stats: np.ndarray) -> float:
        tp, fp, fn = stats.sum(0).tolist()
        return f_score(int(tp), int(fp), int(fn), self.beta)[2] * 100

    def segments(self, stats: np.ndarray) -> np.ndarray:
        return np.array([f_score(*map(int, row), self.beta)[2] * 100 for row in stats])


@dataclass
class Comparison:
    """A system against the baseline on one metric."""

    delta: float
    p_value: float
    significant: bool
    ci95: float
    improved: float
    unchanged: float
    worsened: float

    def to_dict(self) -> dict:
        return {
            "delta": round(self.delta, 4),
            "p_value": round(self.p_value, 4),
            "significant": self.significant,
            "ci95": round(self.ci95, 4),
            "improved": round(self.improved, 4),
            "unchanged": round(self.unchanged, 4),
            "worsened": round(self.worsened, 4),
        }


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


def build_scorers(
    metrics: Sequence[str],
    references: Sequence[Sequence[str]],
    original: Sequence[str] | None,
    extractor: EditExtractor | None = None,
) -> dict[str, Scorer]:
    scorers: dict[str, Scorer] = {}
    for name in metrics:
        if name in NEEDS_ORIGINAL and original is None:
            raise ValueError(f"{name} needs the original text (the MT that was corrected)")
        if name in SACREBLEU_METRICS:
            scorers[name] = SacrebleuScorer(name, references)
        elif name == "gleu":
            scorers[name] = GleuScorer(original, references)
        elif name == "errant":
            scorers[name] = ErrantScorer(original, references, extractor or EditExtractor())
        else:
            raise ValueError(f"unknown metric {name!r} (one of {', '.join(ALL_METRICS)})")
    return scorers


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
    scorers = build_scorers(metrics, references, original, extractor)
    runs: dict[str, Sequence[str]] = {}
    if original is not None:
        runs[BASELINE] = list(original)
    runs.update(systems)

    stats = {name: {} for name in runs}
    results: dict[str, SystemScore] = {}
    m2: dict[str, str] = {}
    for name, hyps in runs.items():
        result = SystemScore(name, {})
        for metric, scorer in scorers.items():
            if isinstance(scorer, ErrantScorer):
                segments = scorer.edits(hyps)
                stats[name][metric], detail = scorer.stats_of(segments)
                result.edits = _edit_summary(detail, scorer, kinds.get(name) if kinds else None)
                m2[name] = "\n\n".join(m2_block(s, [s]) for s in segments) + "\n"
            else:
                stats[name][metric] = scorer.stats(hyps)
            result.scores[metric] = scorer.corpus(stats[name][metric])
        results[name] = result
    if "errant" in scorers:
        refs = scorers["errant"].references
        blocks = [m2_block(seg[0], list(seg)) for seg in zip(*refs, strict=True)]
        m2["reference"] = "\n\n".join(blocks) + "\n"

    if original is not None and n:
        rng = np.random.default_rng(seed)
        indices = rng.choice(n, size=(resamples, n), replace=True) if resamples else None
        for name, result in results.items():
            if name == BASELINE:
                continue
            for metric, scorer in scorers.items():
                result.versus_baseline[metric], result.segment_deltas[metric] = _compare(
                    scorer, stats[BASELINE][metric], stats[name][metric], indices, seed
                )
    return ScoreResult(
        segments=n,
        references=len(references),
        metrics=list(scorers),
        signatures={k: s.signature for k, s in scorers.items()},
        systems=results,
        baseline=BASELINE if original is not None else None,
        resamples=resamples if original is not None else 0,
        seed=seed,
        m2=m2,
    )


def _compare(
    scorer: Scorer, base: np.ndarray, system: np.ndarray, indices: np.ndarray | None, seed: int
) -> tuple[Comparison, list[float]]:
    sign = -1.0 if scorer.lower_is_better else 1.0
    delta = scorer.corpus(system) - scorer.corpus(base)
    seg = scorer.segments(system) - scorer.segments(base)
    better = np.sum(sign * seg > 1e-9) / len(seg)
    worse = np.sum(sign * seg < -1e-9) / len(seg)
    p_value, ci = 1.0, 0.0
    if indices is not None:
        # The same resamples (and reference draws, for GLEU) for baseline and system.
        bl = scorer.resampled(base, indices, np.random.default_rng(seed + 1))
        sy = scorer.resampled(system, indices, np.random.default_rng(seed + 1))
        sample = np.abs(sy - bl)
        p_value = float((np.sum(sample - sample.mean() >= abs(delta)) + 1) / (len(sample) + 1))
        diffs = np.sort(sy - bl)
        lower = int(0.025 * len(diffs))
        ci = 0.5 * float(diffs[len(diffs) - lower - 1] - diffs[lower])
    return (
        Comparison(
            delta,
            p_value,
            p_value < ALPHA,
            ci,
            float(better),
            float(1 - better - worse),
            float(worse),
        ),
        seg.round(4).tolist(),
    )


def _edit_summary(
    detail: dict, scorer: ErrantScorer, spans: Sequence[Sequence[KindSpan]] | None
) -> dict:
    out = {}
    for merging, label in (("rules", "strict"), ("all-split", "split")):
        total: EditCounts = detail[merging]["total"]
        out[label] = total.to_dict(scorer.beta)
        if merging == "rules":
            out["by_type"] = {
                t: c.to_dict(scorer.beta) for t, c in sorted(detail[merging]["by_type"].items())
            }
            if spans is not None:
                attribution = KindAttribution()
                for match, segment_spans in zip(detail[merging]["matches"], spans, strict=True):
                    attribution.add(match, segment_spans)
                out["by_kind"] = attribution.finish(total.tp + total.fn)
    return out
