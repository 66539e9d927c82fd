"""Scoring: metrics, significance, suites, and evaluations of the engine's components.

`score` scores systems against references beside the do-nothing baseline
(`copydesk.eval.scoring`); `load_suite` and `run_suite` run a pipeline over an
evaluation suite (`copydesk.eval.suites`); `copydesk.eval.components` evaluates the
casing, names, grammar and rewrite stages.
"""

from copydesk.eval.scoring import ScoreResult, score
from copydesk.eval.suites import Suite, load_suite, run_suite, suite_names

__all__ = ["ScoreResult", "Suite", "load_suite", "run_suite", "score", "suite_names"]
