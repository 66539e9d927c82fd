"""The metric contract and its registry: what a metric must state, and how one is found."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from copydesk.eval.metrics import ALL_METRICS, METRICS, Metric, build_metrics, registry
from copydesk.eval.metrics.sacrebleu import SacrebleuMetric
from copydesk.eval.scoring import score


class Length(Metric):
    """A complete metric: the hypotheses' mean length in characters."""

    name = "length"

    @property
    def signature(self) -> str:
        return "length|chars"

    def stats(self, hypotheses: Sequence[str]) -> np.ndarray:
        return np.array([[len(h)] for h in hypotheses], dtype=np.float64)

    def corpus(self, stats: np.ndarray) -> float:
        return float(stats.mean())

    def segments(self, stats: np.ndarray) -> np.ndarray:
        return stats[:, 0]


def test_the_registry_is_a_plain_dict_in_the_order_reports_use():
    assert type(METRICS) is dict
    assert ALL_METRICS == ("bleu", "chrf", "chrf++", "ter", "gleu", "errant")
    for name, metric in METRICS.items():
        assert metric.name == name and issubclass(metric, Metric)
    assert [m for m, cls in METRICS.items() if cls.lower_is_better] == ["ter"]
    assert {m for m, cls in METRICS.items() if cls.needs_original} == {"gleu", "errant"}


def test_a_metric_without_a_name_cannot_be_defined():
    with pytest.raises(TypeError, match="sets no name"):

        class Nameless(Length):
            name = ""

    with pytest.raises(TypeError, match="sets no name"):

        class Unnamed(Metric):
            signature = "unnamed"

            def stats(self, hypotheses):
                return np.zeros((len(hypotheses), 1))

            def corpus(self, stats):
                return 0.0

            def segments(self, stats):
                return np.zeros(len(stats))


def test_a_metric_without_the_abstract_methods_cannot_be_made():
    class NoSegments(Metric):
        name = "no-segments"  # abstract: the name may wait for a concrete class

        @property
        def signature(self) -> str:
            return "x"

        def stats(self, hypotheses):
            return np.zeros((len(hypotheses), 1))

        def corpus(self, stats):
            return 0.0

    with pytest.raises(TypeError, match="abstract method.*segments"):
        NoSegments([["a"]], None)
    with pytest.raises(TypeError, match="abstract"):
        Metric([["a"]], None)
    with pytest.raises(TypeError, match="abstract method.*sacrebleu"):
        SacrebleuMetric([["a"]], None)


def test_a_complete_metric_scores_with_both_verbs_and_the_bootstrap():
    metric = Length([["abc", "de"]], None)
    assert metric.corpus_score(["abcd", "ef"]) == 3.0
    assert metric.sentence_scores(["abcd", "ef"]).tolist() == [4.0, 2.0]
    assert metric.details(["abcd"], None).edits is None
    indices = np.array([[0, 0], [1, 1]])
    assert metric.resampled(metric.stats(["abcd", "ef"]), indices, None).tolist() == [4.0, 2.0]


def test_the_registry_refuses_two_metrics_of_one_name():
    class OtherLength(Length):
        pass

    assert registry(Length)["length"] is Length
    with pytest.raises(ValueError, match="two metrics are named 'length'"):
        registry(Length, OtherLength)


def test_build_metrics_binds_references_and_checks_the_original():
    built = build_metrics(["ter", "bleu"], [["The cat sat."]])
    assert list(built) == ["ter", "bleu"] and built["ter"].lower_is_better
    assert "nrefs:1|case:mixed" in built["bleu"].signature  # known before any hypothesis
    with pytest.raises(ValueError, match="gleu needs the original text"):
        build_metrics(["bleu", "gleu"], [["a"]])
    with pytest.raises(ValueError, match=r"unknown metric 'meteor' \(one of bleu, chrf, chrf\+\+"):
        build_metrics(["meteor"], [["a"]])
    gleu = build_metrics(["gleu"], [["a b"], ["a c"]], ["a d"])["gleu"]
    assert gleu.signature.startswith("gleu|refs:2|n:4|iterations:500")


def test_score_reports_each_metrics_name_and_signature():
    result = score({"s": ["The cat sat."]}, [["The cat sat."]], metrics=["chrf", "ter"])
    assert result.metrics == ["chrf", "ter"]
    assert result.signatures["chrf"].startswith("nrefs:1|case:mixed|eff:yes|nc:6|nw:0")
    assert result.systems["s"].scores == {"chrf": 100.0, "ter": 0.0}
