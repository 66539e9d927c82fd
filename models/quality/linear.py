"""A ridge regression over the standardised feature rows, blended with the boosted trees.

The trees cut each feature into steps; a linear model reads the same features as smooth
slopes and extrapolates where the trees stay flat. Their errors differ enough that a
blend of the two beats either alone in cross-validation (docs/experiments/quality.md).
At run time it is a dot product: no scikit-learn needed.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class LinearModel:
    """Each feature's mean and scale, the coefficients over the scaled features, an intercept.

    A missing feature (NaN) scores as its mean."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    @classmethod
    def fit(cls, x: np.ndarray, y: np.ndarray, alpha: float) -> LinearModel:
        """Ridge regression on ``x`` scaled to unit variance (training: the ``train`` extra)."""
        from sklearn.linear_model import Ridge

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a column with no value at all
            mean = np.nanmean(x, axis=0)
            scale = np.nanstd(x, axis=0)
        mean = np.where(np.isnan(mean), 0.0, mean)
        scale = np.where(np.isnan(scale) | (scale == 0), 1.0, scale)
        model = cls(mean, scale, np.zeros(x.shape[1]), 0.0)
        ridge = Ridge(alpha=alpha).fit(model.scaled(x), y)
        return cls(mean, scale, ridge.coef_.astype(np.float64), float(ridge.intercept_))

    def scaled(self, x: np.ndarray) -> np.ndarray:
        return np.nan_to_num((x - self.mean) / self.scale, nan=0.0, posinf=0.0, neginf=0.0)

    def predict(self, x: np.ndarray) -> np.ndarray:
        return self.scaled(x) @ self.coef + self.intercept

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {
            f"{prefix}_mean": self.mean,
            f"{prefix}_scale": self.scale,
            f"{prefix}_coef": self.coef,
            f"{prefix}_b": np.float64(self.intercept),
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str) -> LinearModel:
        return cls(
            arrays[f"{prefix}_mean"],
            arrays[f"{prefix}_scale"],
            arrays[f"{prefix}_coef"],
            float(arrays[f"{prefix}_b"]),
        )


def blend(trees: np.ndarray, linear: np.ndarray, weight: float) -> np.ndarray:
    """The estimate: the trees' and the linear model's predictions, ``weight`` the linear's."""
    return (1.0 - weight) * trees + weight * linear
