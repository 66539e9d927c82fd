"""GLEU for grammatical error correction (Napoles et al., 2015; 2016 "GLEU without tuning").

The JFLEG metric: BLEU-like n-gram precision (n = 1..4) of the hypothesis against a
reference, minus n-grams the hypothesis shares with the source but the reference does
not (so copying errors is penalised), with a brevity penalty. Tokens are
whitespace-separated.

With several references the draw is the official scorer's (``compute_gleu`` in the
JFLEG and gec-ranking repositories, run under Python 3): iteration ``j`` of 500 seeds
Python's generator with ``j * 101`` and picks each sentence's reference with
``randint(0, references - 1)``; the corpus GLEU is the mean over iterations. With one
reference there is one iteration. JFLEG dev, the source as hypothesis: 38.20.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence

import numpy as np

from copydesk.eval.metrics.base import Metric

MAX_N = 4
ITERATIONS = 500  # the official scorer's default
SEED_STEP = 101  # iteration j is drawn from random.seed(j * SEED_STEP)


def _ngrams(tokens: Sequence[str], n: int) -> Counter:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def sentence_stats(source: str, hypothesis: str, reference: str) -> list[int]:
    """[hyp length, ref length, then (matches, possible) for n = 1..4]."""
    s, h, r = source.split(), hypothesis.split(), reference.split()
    stats = [len(h), len(r)]
    for n in range(1, MAX_N + 1):
        h_n, r_n, s_n = _ngrams(h, n), _ngrams(r, n), _ngrams(s, n)
        source_only = Counter({g: c for g, c in s_n.items() if g not in r_n})
        matches = sum((h_n & r_n).values()) - sum((h_n & source_only).values())
        stats += [max(matches, 0), max(len(h) + 1 - n, 0)]
    return stats


def _gleu(stats: Sequence[int]) -> float:
    hyp_len, ref_len = stats[0], stats[1]
    if any(x == 0 for x in stats[2:]) or hyp_len == 0:
        return 0.0
    log_precision = sum(math.log(m / p) for m, p in zip(stats[2::2], stats[3::2], strict=True))
    return math.exp(min(0.0, 1 - ref_len / hyp_len) + log_precision / MAX_N)


def corpus_gleu(
    sources: Sequence[str],
    hypotheses: Sequence[str],
    references: Sequence[Sequence[str]],
    *,
    iterations: int = ITERATIONS,
) -> float:
    """Corpus GLEU × 100 against one or more line-aligned reference sets."""
    stats = [
        [sentence_stats(s, h, ref[i]) for ref in references]
        for i, (s, h) in enumerate(zip(sources, hypotheses, strict=True))
    ]
    return gleu_from_stats(stats, iterations=iterations)


def reference_draws(
    segments: int, references: int, iterations: int = ITERATIONS
) -> list[list[int]]:
    """The official scorer's reference index per iteration and segment."""
    if references <= 1:
        return [[0] * segments]
    draws = []
    for j in range(iterations):
        rng = random.Random(j * SEED_STEP)
        draws.append([rng.randint(0, references - 1) for _ in range(segments)])
    return draws


def gleu_from_stats(
    stats: Sequence[Sequence[Sequence[int]]], *, iterations: int = ITERATIONS
) -> float:
    """Corpus GLEU × 100 from per-segment, per-reference ``sentence_stats``, averaged over
    the official scorer's reference draws."""
    n_refs = len(stats[0]) if len(stats) else 1
    scores = []
    for draw in reference_draws(len(stats), n_refs, iterations):
        totals = [0] * (2 + 2 * MAX_N)
        for segment, r in zip(stats, draw, strict=True):
            for k, value in enumerate(segment[r]):
                totals[k] += value
        scores.append(_gleu(totals))
    return 100 * sum(scores) / len(scores)


class Gleu(Metric):
    """GLEU as a resamplable metric; it needs the original text. Multi-reference GLEU
    draws one reference per segment per iteration (the official draw), so its bootstrap
    resamples draw references too."""

    name = "gleu"
    needs_original = True

    def __init__(
        self, references: Sequence[Sequence[str]], original: Sequence[str] | None = None
    ) -> None:
        super().__init__(references, original)
        self.sources = self.original or []

    @property
    def signature(self) -> str:
        return (
            f"gleu|refs:{len(self.references)}|n:{MAX_N}|iterations:{ITERATIONS}"
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


__all__ = ["Gleu", "corpus_gleu", "gleu_from_stats", "reference_draws", "sentence_stats"]
