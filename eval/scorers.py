"""Metrics as per-segment sufficient statistics, so one pass gives the corpus score,
segment scores and any number of bootstrap resamples.

Every metric the harness reports is a `Scorer` with the same verbs: ``stats`` (per
segment), ``corpus``, ``segments``, ``resampled`` and ``details`` (what the metric has
to say beyond its score: ERRANT's edit counts and M2 files; nothing for the others).
`build_scorers` is the one registry.

sacrebleu's metrics are used through the statistics API its own significance tests
use (``_extract_corpus_statistics`` / ``_compute_score_from_stats``), so corpus figures
are sacrebleu's exactly. Segment-level BLEU uses effective order, as sacrebleu's
``sentence_score`` does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from copydesk.eval.edit_scoring import (
    EditExtractor,
    KindAttribution,
    KindSpan,
    Segment,
    f_score,
    m2_block,
    match_segments,
    sum_counts,
)
from copydesk.eval.gleu import ITERATIONS, MAX_N, SEED_STEP, _gleu, gleu_from_stats, sentence_stats
from copydesk.eval.metrics import LOWER_IS_BETTER, build_metric

SACREBLEU_METRICS = ("bleu", "chrf", "chrf++", "ter")
ALL_METRICS = (*SACREBLEU_METRICS, "gleu", "errant")
NEEDS_ORIGINAL = frozenset({"gleu", "errant"})


@dataclass
class Details:
    """What a metric reports beside its score for one system."""

    edits: dict | None = None  # ERRANT's counts: strict, split, by type, by copydesk kind
    m2: str = ""  # the system's edits as an M2 file
    reference_m2: str = ""  # the references' edits as an M2 file
    extra: dict = field(default_factory=dict)


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

    def details(
        self, hypotheses: Sequence[str], kinds: Sequence[Sequence[KindSpan]] | None
    ) -> Details:
        """What the metric says beyond its score (``kinds``: copydesk's edits per segment)."""
        return Details()


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
    """GLEU (JFLEG's metric); needs the original text. Multi-reference GLEU draws one
    reference per segment per iteration (the official draw), so its bootstrap resamples
    draw references too."""

    name = "gleu"

    def __init__(self, sources: Sequence[str], references: Sequence[Sequence[str]]) -> None:
        self.sources = list(sources)
        self.references = [list(r) for r in references]
        self.signature = (
            f"gleu|refs:{len(references)}|n:{MAX_N}|iterations:{ITERATIONS}"
            f"|draw:randint(seed=j*{SEED_STEP})|case:mixed"
        )

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
        self._extracted: dict[tuple[str, ...], list[Segment]] = {}

    def _segments(self, hypotheses: Sequence[str]) -> list[Segment]:
        """Each system's edits, extracted once for its stats and its details."""
        key = tuple(hypotheses)
        if key not in self._extracted:
            self._extracted[key] = self.extractor.extract_many(self.original, hypotheses)
        return self._extracted[key]

    def stats(self, hypotheses: Sequence[str]) -> np.ndarray:
        segments = self._segments(hypotheses)
        matches = match_segments(segments, self.references, "rules", self.beta)
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
            matches = match_segments(segments, self.references, merging, self.beta)
            total, by_type = sum_counts(matches)
            out[label] = total.to_dict(self.beta)
            if merging == "rules":
                out["by_type"] = {t: c.to_dict(self.beta) for t, c in sorted(by_type.items())}
                if kinds is not None:
                    attribution = KindAttribution()
                    for match, spans in zip(matches, kinds, strict=True):
                        attribution.add(match, spans)
                    out["by_kind"] = attribution.finish(total.tp + total.fn)
        blocks = [m2_block(seg[0], list(seg)) for seg in zip(*self.references, strict=True)]
        return Details(
            edits=out,
            m2="\n\n".join(m2_block(s, [s]) for s in segments) + "\n",
            reference_m2="\n\n".join(blocks) + "\n",
        )


def build_scorers(
    metrics: Sequence[str],
    references: Sequence[Sequence[str]],
    original: Sequence[str] | None,
    extractor: EditExtractor | None = None,
) -> dict[str, Scorer]:
    """The scorers for ``metrics``; GLEU and ERRANT need the original text."""
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


__all__ = [
    "ALL_METRICS",
    "Details",
    "ErrantScorer",
    "GleuScorer",
    "SacrebleuScorer",
    "Scorer",
    "build_scorers",
]
