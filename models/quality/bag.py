"""A bag of hashed words and word pairs, scored by a linear model (ridge regression).

It learns what the hand-made features cannot name: words and phrases whose segments
the post-editors and judges rated low (proverbs' archaic Russian, Reddit slang). Its
score is one feature of the boosted trees, fitted out of fold in training so that the
trees never see a score that knew the segment's own label.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from typing import Any

import numpy as np

from copydesk.models.quality.text import LETTERS, ru_key, tokens, word_hash

BITS = 18


def hashed_terms(mt: str, source: str | None) -> list[int]:
    """Bucket ids of the MT's words and word pairs, and the source's when there is one."""
    terms = []
    mt_words = [t.lower() for t in tokens(mt) if LETTERS.match(t)]
    terms += [f"m:{w}" for w in mt_words]
    terms += [f"m:{a} {b}" for a, b in itertools.pairwise(mt_words)]
    if source is not None:
        src_words = [ru_key(t) for t in tokens(source) if LETTERS.match(t)]
        terms += [f"s:{w}" for w in src_words]
        terms += [f"s:{a} {b}" for a, b in itertools.pairwise(src_words)]
    size = 1 << BITS
    return [word_hash(t) % size for t in terms]


def bag_rows(texts: list[tuple[str, str | None]]) -> tuple[Any, np.ndarray]:
    """The segments' bags as a sparse matrix over the buckets that occur, each row scaled to
    unit length, and each column's bucket id (training: the ``train`` extra)."""
    from sklearn.feature_extraction import DictVectorizer

    rows = []
    for mt, source in texts:
        unique, counts = np.unique(hashed_terms(mt, source), return_counts=True)
        norm = math.sqrt(float((counts**2).sum())) or 1.0
        rows.append({str(int(u)): c / norm for u, c in zip(unique, counts, strict=True)})
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(rows)
    return matrix, np.asarray([int(name) for name in vectorizer.feature_names_], dtype=np.int64)


def full_coefficients(coef: np.ndarray, buckets: np.ndarray) -> np.ndarray:
    """A fitted model's coefficients over the occurring buckets, spread over all of them."""
    out = np.zeros(1 << BITS, dtype=np.float32)
    out[buckets] = coef
    return out


def bag_scores(coefs: list[tuple[np.ndarray, float]], mt: str, source: str | None) -> list[float]:
    """Each linear model's score for one segment (the same scaling as `bag_rows`)."""
    counts = Counter(hashed_terms(mt, source))
    if not counts:
        return [intercept for _, intercept in coefs]
    ids = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
    weights = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
    weights /= math.sqrt(float(weights @ weights))
    return [intercept + float(coef[ids].astype(np.float64) @ weights) for coef, intercept in coefs]
