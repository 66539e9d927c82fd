"""Everything one newsroom's decisions teach: cutoffs by rule, protected words, and
candidate glossary entries. Pure and deterministic: the same decisions learn the same."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from copydesk.models.house import HouseRules
from copydesk.models.learning.calibration import Calibration, calibrate_all
from copydesk.models.learning.decisions import Decision
from copydesk.models.learning.lexicon import Candidate, Protection, candidates, protections

DEFAULT_PRECISION = 0.95


@dataclass(frozen=True)
class Learned:
    """What one newsroom's decisions teach."""

    calibrations: Mapping[str, Calibration] = field(default_factory=dict)
    protected: tuple[Protection, ...] = ()
    candidates: tuple[Candidate, ...] = ()
    decisions: int = 0

    @property
    def cutoffs(self) -> dict[str, float]:
        """The learned cutoffs by ``stage:rule`` (rules without enough evidence: none)."""
        return {k: c.cutoff for k, c in self.calibrations.items() if c.cutoff is not None}

    def house_rules(self) -> HouseRules:
        """The learned cutoffs and protected words, as the pipeline applies them."""
        return HouseRules.of((p.word for p in self.protected), self.cutoffs)

    def to_dict(self) -> dict:
        return {
            "decisions": self.decisions,
            "cutoffs": self.cutoffs,
            "calibrations": [c.to_dict() for c in self.calibrations.values()],
            "protected": [p.to_dict() for p in self.protected],
            "candidates": [c.to_dict() for c in self.candidates],
        }


def learn(
    decisions: Iterable[Decision],
    *,
    precision: float = DEFAULT_PRECISION,
    shipped: Mapping[str, float] | None = None,
) -> Learned:
    """Learn from one newsroom's decisions; ``shipped`` holds each stage's cutoff (the
    pipeline's, so that a rule is made more careful only where its applied edits fall
    short), and ``precision`` the share of applied edits that editors should accept."""
    kept = [d for d in decisions if d.decided]
    points: dict[str, list[tuple[float, bool]]] = {}
    for d in kept:
        if not d.manual:
            points.setdefault(d.key, []).append((d.confidence, bool(d.accepted)))
    return Learned(
        calibrations=calibrate_all(points, precision=precision, shipped=shipped),
        protected=tuple(protections(kept)),
        candidates=tuple(candidates(kept)),
        decisions=len(kept),
    )
