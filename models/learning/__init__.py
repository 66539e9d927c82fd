"""Learning from a newsroom's decisions: calibrated cutoffs, protected words, glossary
candidates and a judge of edits (`learn`), from stored decisions, the page's export
(`read_export`), or MT read against its published version (`implied_decisions`).

Engine-side and pure: it never sees the service; the service keeps each newsroom's
decisions and what was learned from them apart.
"""

from copydesk.models.learning.align import hand_corrections, implied_decisions, judge
from copydesk.models.learning.calibration import (
    MIN_DECISIONS,
    SUGGEST_ONLY,
    Calibration,
    calibrate,
    isotonic,
    wilson_bounds,
)
from copydesk.models.learning.decisions import MANUAL, Decision, read_export
from copydesk.models.learning.edit_judge import EditJudge
from copydesk.models.learning.learner import DEFAULT_PRECISION, Learned, learn
from copydesk.models.learning.lexicon import Candidate, Protection

__all__ = [
    "DEFAULT_PRECISION",
    "MANUAL",
    "MIN_DECISIONS",
    "SUGGEST_ONLY",
    "Calibration",
    "Candidate",
    "Decision",
    "EditJudge",
    "Learned",
    "Protection",
    "calibrate",
    "hand_corrections",
    "implied_decisions",
    "isotonic",
    "judge",
    "learn",
    "read_export",
    "wilson_bounds",
]
