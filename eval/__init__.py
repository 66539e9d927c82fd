"""Scoring: metrics, significance, suites, and evaluations of the engine's components.

`score` scores systems against references beside the do-nothing baseline
(`copydesk.eval.scoring`, the one entry point); every metric is a `Metric` in the
registry of `copydesk.eval.metrics`, one module per family; the paired bootstrap is
`copydesk.eval.significance`. `load_suite` and `run_suite` run a pipeline over an
evaluation suite (`copydesk.eval.suites`, its manifest checked by
`copydesk.eval.manifests`); `copydesk.eval.components` evaluates the casing, names,
grammar and rewrite stages.
"""

from copydesk.eval.metrics import METRICS, Metric
from copydesk.eval.scoring import ScoreResult, score
from copydesk.eval.suites import Suite, load_suite, run_suite, suite_names

__all__ = [
    "METRICS",
    "Metric",
    "ScoreResult",
    "Suite",
    "load_suite",
    "run_suite",
    "score",
    "suite_names",
]
