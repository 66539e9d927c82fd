"""A small L2-regularised logistic regression over named sparse features, fitted by
Newton's method in numpy (deterministic; no scikit-learn at learning or repair time),
and evaluated in plain Python from its exported weights."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np

# A feature seen in fewer rows than this gets no weight of its own.
MIN_ROWS = 5


def fit(
    rows: Sequence[Mapping[str, float]],
    labels: Sequence[bool],
    *,
    l2: float = 1.0,
    iterations: int = 30,
) -> dict[str, float]:
    """Weights by feature name; ``bias`` is not penalised."""
    counts = Counter(name for row in rows for name in row)
    names = sorted(n for n, c in counts.items() if c >= MIN_ROWS or n == "bias")
    index = {n: i for i, n in enumerate(names)}
    x = np.zeros((len(rows), len(names)))
    for i, row in enumerate(rows):
        for name, value in row.items():
            j = index.get(name)
            if j is not None:
                x[i, j] = value
    y = np.asarray(labels, dtype=float)
    penalty = np.full(len(names), l2)
    if "bias" in index:
        penalty[index["bias"]] = 1e-6
    w = np.zeros(len(names))
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        gradient = x.T @ (p - y) + penalty * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if float(np.max(np.abs(step))) < 1e-8:
            break
    return {n: round(float(v), 6) for n, v in zip(names, w, strict=True) if abs(v) > 1e-9}


def probability(weights: Mapping[str, float], row: Mapping[str, float]) -> float:
    """P(accepted) for one row of features."""
    z = sum(weights.get(name, 0.0) * value for name, value in row.items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
