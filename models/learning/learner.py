"""Everything one newsroom's decisions teach: cutoffs by rule, protected words,
candidate glossary entries, and a judge of edits where it is trusted. Pure and
deterministic: the same decisions learn the same."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from copydesk.models.house import WORD_SEPARATOR, HouseRules
from copydesk.models.learning.calibration import SUGGEST_ONLY, Calibration, calibrate_all
from copydesk.models.learning.decisions import Decision
from copydesk.models.learning.edit_judge import EditJudge, train
from copydesk.models.learning.lexicon import (
    Candidate,
    Protection,
    candidates,
    protections,
    word_cutoffs,
)

DEFAULT_PRECISION = 0.95


@dataclass(frozen=True)
class Learned:
    """What one newsroom's decisions teach."""

    calibrations: Mapping[str, Calibration] = field(default_factory=dict)
    protected: tuple[Protection, ...] = ()
    candidates: tuple[Candidate, ...] = ()
    decisions: int = 0
    judge: EditJudge | None = None

    @property
    def cutoffs(self) -> dict[str, float]:
        """The learned cutoffs by ``stage:rule`` (rules without enough evidence: none)."""
        return {k: c.cutoff for k, c in self.calibrations.items() if c.cutoff is not None}

    def house_rules(self) -> HouseRules:
        """The learned cutoffs, protected words and judge, as the pipeline applies them."""
        return HouseRules.of((p.word for p in self.protected), self.cutoffs, self.judge)

    def to_dict(self) -> dict:
        return {
            "decisions": self.decisions,
            "cutoffs": self.cutoffs,
            "calibrations": [c.to_dict() for c in self.calibrations.values()],
            "protected": [p.to_dict() for p in self.protected],
            "candidates": [c.to_dict() for c in self.candidates],
            "judge": self.judge.to_dict() if self.judge else None,
        }


def learn(
    decisions: Iterable[Decision],
    *,
    precision: float = DEFAULT_PRECISION,
    shipped: Mapping[str, float] | None = None,
) -> Learned:
    """Learn from one newsroom's decisions: cutoffs by rule and by rule and word,
    protected words, glossary candidates, and a judge of edits where the decisions show
    it beats the cutoffs (`copydesk.models.learning.edit_judge`). ``shipped`` holds each
    stage's cutoff (the pipeline's, so that a rule is made more careful only where its
    applied edits fall short), and ``precision`` the share of applied edits that editors
    should accept."""
    kept = [d for d in decisions if d.decided]
    protected = protections(kept)
    words = word_cutoffs(kept, (p.word for p in protected))
    # A rule's cutoff governs the edits its word cutoffs and the protected words leave it.
    settled = {c.key for c in words}
    barred = {p.word for p in protected}
    points: dict[str, list[tuple[float, bool]]] = {}
    for d in kept:
        if d.manual or f"{d.key}{WORD_SEPARATOR}{d.original}" in settled:
            continue
        if d.original.strip() in barred:
            continue
        points.setdefault(d.key, []).append((d.confidence, bool(d.accepted)))
    calibrations = dict(calibrate_all(points, precision=precision, shipped=shipped))
    # A word cutoff says nothing more where its whole rule is offered only.
    offered = {k for k, c in calibrations.items() if (c.cutoff or 0.0) >= SUGGEST_ONLY}
    calibrations.update((c.key, c) for c in words if c.key.split(WORD_SEPARATOR)[0] not in offered)
    cutoffs = {k: c.cutoff for k, c in calibrations.items() if c.cutoff is not None}
    stages = shipped or {}

    def by_cutoff(d: Decision) -> bool:
        default = stages.get(d.stage, 0.0)
        cut = cutoffs.get(f"{d.key}{WORD_SEPARATOR}{d.original}", cutoffs.get(d.key, default))
        return d.confidence >= cut

    # The judge reads the decisions the protected words and word cutoffs leave.
    judge = train(
        [d for d in kept if f"{d.key}{WORD_SEPARATOR}{d.original}" not in cutoffs
         and d.original.strip() not in barred],
        by_cutoff,
        precision=precision,
        total=len(kept),
    )  # fmt: skip
    return Learned(
        calibrations=calibrations,
        protected=tuple(protected),
        candidates=tuple(candidates(kept)),
        decisions=len(kept),
        judge=judge,
    )
