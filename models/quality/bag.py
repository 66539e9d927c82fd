"""A bag of hashed words and word pairs, scored by a linear model (ridge regression).

It learns what the hand-made features cannot name: words and phrases whose segments
the post-editors and judges rated low (proverbs' archaic Russian, Reddit slang). Its
score is one feature of the boosted trees, fitted out of fold in training so that the
trees never see a score that knew the segment's own label.
"""

from __future__ import annotations

import itertools
import math

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


def bag_rows(texts: list[tuple[str, str | None]]):  # noqa: ANN201 - scipy.sparse.csr_matrix
    """The segments' bags as a sparse matrix, each row scaled to unit length (training)."""
    from scipy import sparse

    rows, cols, vals = [], [], []
    for i, (mt, source) in enumerate(texts):
        ids = hashed_terms(mt, source)
        if not ids:
            continue
        unique, counts = np.unique(ids, return_counts=True)
        norm = math.sqrt(float((counts**2).sum()))
        rows += [i] * len(unique)
        cols += unique.tolist()
        vals += (counts / norm).tolist()
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), 1 << BITS))


def bag_score(coef: np.ndarray, intercept: float, mt: str, source: str | None) -> float:
    """The linear model's score for one segment (the same scaling as `bag_rows`)."""
    ids = hashed_terms(mt, source)
    if not ids:
        return intercept
    unique, counts = np.unique(ids, return_counts=True)
    norm = math.sqrt(float((counts**2).sum()))
    return float(intercept + (coef[unique].astype(np.float64) * counts).sum() / norm)
