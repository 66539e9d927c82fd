"""A hashed n-gram model of English, for fluency: counts of words, pairs and triples.

Counts are hashed into fixed tables and stored as one byte each, on a log scale
(`quantise`), so the whole model is a few megabytes whatever the corpus. A collision
can only raise a count, which makes an unseen phrase look seen now and then; the
features built on it are averages over a sentence, which that noise barely moves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from copydesk.models.quality.text import BOUNDARY, mix_array, tokens, word_hash

STEPS = 8.0  # quantisation steps per doubling of a count
NGRAM_FEATURES = ("lm_mean", "lm_min", "lm_p10", "lm_unseen2", "lm_unseen3", "lm_uni")


def quantise(counts: np.ndarray) -> np.ndarray:
    """Counts -> bytes: round(STEPS * log2(1 + count)), saturating at 255."""
    q = np.rint(STEPS * np.log2(1.0 + counts.astype(np.float64)))
    return np.minimum(q, 255).astype(np.uint8)


def dequantise(q: np.ndarray | int) -> np.ndarray | float:
    return np.exp2(np.asarray(q, dtype=np.float64) / STEPS) - 1.0


def lm_words(line: str) -> list[str]:
    return [BOUNDARY, *(t.lower() for t in tokens(line)), BOUNDARY]


def _fold_counts(keys: np.ndarray, size: int, floor: int) -> np.ndarray:
    """Counts per bucket of ``size``, dropping keys seen fewer than ``floor`` times.

    Keys are first counted in a table 16 times larger, where collisions are rare, so that
    the floor applies to (nearly) single keys; the large table then folds onto the small.
    """
    big = size * 16
    counts = np.bincount((keys % np.uint64(big)).astype(np.int64), minlength=big)
    counts[counts < floor] = 0
    return counts.reshape(16, size).sum(axis=0)


@dataclass
class NgramTables:
    """Hashed, quantised counts of 1-, 2- and 3-grams, and the corpus size."""

    uni: np.ndarray
    bi: np.ndarray
    tri: np.ndarray
    total: int

    @classmethod
    def build(
        cls, lines: Iterable[str], bits: tuple[int, int, int] = (20, 22, 22), min_count: int = 2
    ) -> NgramTables:
        """Count a corpus of lines (one sentence or paragraph each); pairs and triples seen
        fewer than ``min_count`` times are dropped, which keeps the tables sparse."""
        cache: dict[str, int] = {}
        hashes: list[int] = []
        for line in lines:
            for w in lm_words(line):
                h = cache.get(w)
                if h is None:
                    h = cache[w] = word_hash(w)
                hashes.append(h)
        h = np.asarray(hashes, dtype=np.uint64)
        del hashes
        k2 = mix_array(h[:-1], h[1:])
        k3 = mix_array(k2[:-1], h[2:])
        tables = []
        for keys, b, floor in zip((h, k2, k3), bits, (1, min_count, min_count), strict=True):
            tables.append(quantise(_fold_counts(keys, 1 << b, floor)))
        return cls(*tables, total=int(h.size))

    def save(self, path: Path) -> None:
        np.savez_compressed(path, uni=self.uni, bi=self.bi, tri=self.tri, total=self.total)

    @classmethod
    def load(cls, path: Path) -> NgramTables:
        with np.load(path) as z:
            return cls(z["uni"], z["bi"], z["tri"], int(z["total"]))

    def counts(self, h: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The counts of a run of word hashes: each word, each pair, each triple."""
        c1 = _DEQUANTISED[self.uni[(h % np.uint64(self.uni.size)).astype(np.int64)]]
        k2 = mix_array(h[:-1], h[1:])
        c2 = _DEQUANTISED[self.bi[(k2 % np.uint64(self.bi.size)).astype(np.int64)]]
        k3 = mix_array(k2[:-1], h[2:])
        c3 = _DEQUANTISED[self.tri[(k3 % np.uint64(self.tri.size)).astype(np.int64)]]
        return c1, c2, c3

    def _logp(
        self, c1: np.ndarray, c2: np.ndarray, c3: np.ndarray, starts: np.ndarray
    ) -> np.ndarray:
        """Interpolated log-probability of each pair's second word (``starts``: where each
        line begins in the run; a line's first pair has no triple)."""
        p1 = (c1[1:] + 0.5) / (self.total + 1.0)
        p2 = np.minimum(c2 / (c1[:-1] + 1.0), 1.0)
        p3 = np.concatenate(([0.0], np.minimum(c3 / (c2[:-1] + 1.0), 1.0)))
        p3[starts[starts < p3.size]] = 0.0
        return np.log(0.5 * p3 + 0.35 * p2 + 0.15 * p1)

    def line_counts(self, line: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """One line's word, pair and triple counts and its pairs' log-probabilities."""
        h = np.fromiter(map(word_hash, lm_words(line)), dtype=np.uint64)
        c1, c2, c3 = self.counts(h)
        return c1, c2, c3, self._logp(c1, c2, c3, np.zeros(1, dtype=np.int64))

    def features_many(self, lines: list[str]) -> np.ndarray:
        """Per-line fluency (rows × 6, `NGRAM_FEATURES`), all lines in one vectorised pass:
        interpolated log-probabilities of each word pair (mean, min, 10th percentile), the
        shares of word pairs and triples never seen, the mean log word count."""
        if not lines:
            return np.zeros((0, len(NGRAM_FEATURES)))
        words = [lm_words(line) for line in lines]
        lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
        h = np.fromiter((word_hash(w) for ws in words for w in ws), dtype=np.uint64)
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        c1, c2, c3 = self.counts(h)
        logp_all = self._logp(c1, c2, c3, starts)
        # Pair j joins tokens j and j+1: within a line unless j is the line's last token.
        line_of = np.repeat(np.arange(len(lines)), lengths)[:-1]
        inside = np.ones(h.size - 1, dtype=bool)
        inside[(starts + lengths - 1)[:-1]] = False
        logp, unseen2, pair_line = logp_all[inside], (c2 == 0)[inside], line_of[inside]
        pairs = lengths - 1
        first = np.concatenate(([0], np.cumsum(pairs)[:-1]))
        mean = np.add.reduceat(logp, first) / pairs
        low = np.minimum.reduceat(logp, first)
        ordered = logp[np.lexsort((logp, pair_line))]
        pos = 0.1 * (pairs - 1)
        lo = pos.astype(np.int64)
        hi = np.minimum(lo + 1, pairs - 1)
        p10 = ordered[first + lo] + (ordered[first + hi] - ordered[first + lo]) * (pos - lo)
        share2 = np.add.reduceat(unseen2.astype(np.float64), first) / pairs
        # Triple j spans tokens j..j+2: within a line when j <= the line's end - 3.
        triple_ok = np.zeros(max(h.size - 2, 0), dtype=bool)
        triple_line = np.full(triple_ok.size, -1)
        for i in np.flatnonzero(lengths >= 3):
            triple_ok[starts[i] : starts[i] + lengths[i] - 2] = True
            triple_line[starts[i] : starts[i] + lengths[i] - 2] = i
        unseen3 = np.bincount(
            triple_line[triple_ok], weights=(c3 == 0)[triple_ok], minlength=len(lines)
        )
        share3 = unseen3 / np.maximum(1, pairs - 1)
        inner = np.ones(h.size, dtype=bool)
        inner[starts] = False
        inner[starts + lengths - 1] = False
        token_line = np.repeat(np.arange(len(lines)), lengths)
        uni_sum = np.bincount(token_line[inner], weights=np.log1p(c1[inner]), minlength=len(lines))
        uni = np.where(lengths > 2, uni_sum / np.maximum(1, lengths - 2), 0.0)
        return np.stack([mean, low, p10, share2, share3, uni], axis=1)


_DEQUANTISED = dequantise(np.arange(256))
