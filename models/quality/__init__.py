"""The segment quality estimator: predicted HTER and DA from the MT and, when given, its
Russian source (a model of the project's own, trained on MLQE-PE ru-en)."""

from __future__ import annotations

from copydesk.models.quality.model import (
    QualityEstimate,
    QualityModel,
    estimate,
    estimate_many,
    load_shipped,
)

__all__ = ["QualityEstimate", "QualityModel", "estimate", "estimate_many", "load_shipped"]
