"""The checks' and the estimator's models load at the pipeline's warm-up, not on the
first request."""

from __future__ import annotations

from copydesk import models
from copydesk.models.quality import load_shipped


def test_warm_up_loads_the_checks_and_the_estimator():
    reports = []
    models.Pipeline([]).warm_up(lambda name, state, seconds: reports.append((name, state)))
    assert reports == [("checks", "ok")]
    assert load_shipped.cache_info().currsize == 1  # the estimator is read and held


def test_a_pipeline_without_checks_loads_nothing_for_them():
    reports = []
    models.Pipeline([], checks=False).warm_up(lambda *report: reports.append(report))
    assert reports == []
