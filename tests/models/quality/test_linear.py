"""The linear model blended with the trees: fitted as ridge, read back as arrays."""

from __future__ import annotations

import math

import numpy as np
import pytest

from copydesk.models.quality.linear import LinearModel, blend


@pytest.fixture
def data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 3)) * [1.0, 10.0, 0.1] + [0.0, 5.0, -2.0]
    y = 2.0 * x[:, 0] - 0.3 * x[:, 1] + rng.normal(scale=0.1, size=200)
    return x, y


def test_fit_matches_ridge_on_scaled_features(data):
    pytest.importorskip("sklearn")
    from sklearn.linear_model import Ridge

    x, y = data
    model = LinearModel.fit(x, y, alpha=10.0)
    scaled = (x - x.mean(axis=0)) / x.std(axis=0)
    expected = Ridge(alpha=10.0).fit(scaled, y).predict(scaled)
    assert np.allclose(model.predict(x), expected)
    assert np.corrcoef(model.predict(x), y)[0, 1] > 0.99


def test_a_missing_feature_scores_as_its_mean(data):
    pytest.importorskip("sklearn")
    x, y = data
    model = LinearModel.fit(x, y, alpha=1.0)
    row = x[:1].copy()
    row[0, 1] = math.nan
    filled = x[:1].copy()
    filled[0, 1] = model.mean[1]
    assert model.predict(row)[0] == pytest.approx(model.predict(filled)[0])


def test_constant_and_empty_columns_do_not_break_the_fit(data):
    pytest.importorskip("sklearn")
    x, y = data
    x = np.hstack([x, np.full((len(x), 1), 3.0), np.full((len(x), 1), math.nan)])
    model = LinearModel.fit(x, y, alpha=1.0)
    assert np.isfinite(model.predict(x)).all()
    assert model.coef[3] == 0.0 and model.coef[4] == 0.0


def test_arrays_round_trip(data):
    pytest.importorskip("sklearn")
    x, y = data
    model = LinearModel.fit(x, y, alpha=1.0)
    again = LinearModel.from_arrays(model.arrays("source_da"), "source_da")
    assert np.array_equal(again.predict(x), model.predict(x))


def test_blend_weighs_the_linear_share():
    trees, linear = np.array([1.0, 2.0]), np.array([3.0, 0.0])
    assert np.allclose(blend(trees, linear, 0.4), [1.8, 1.2])
    assert np.array_equal(blend(trees, linear, 0.0), trees)
