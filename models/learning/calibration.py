"""Calibration of each rule's confidence to the share of its edits editors accept, and
the cutoffs at which applying beats suggesting, for the precision a newsroom sets.

An applied edit the editor rejects costs them an undo; a suggestion they accept costs
them an accept. A cutoff moves only where the decisions show, with 95% confidence
(Wilson bounds), that the band it moves over is better on the other side, over an
isotonic fit per rule (a block's share never falls as confidence rises):

- more careful: a rule's lowest applied block, while editors reject it more often than
  not (the Wilson upper bound of its share accepted below one half), is no longer
  applied; a rule with no block left offers its edits as suggestions only;
- more eager: a rule's cutoff comes down over a band of its suggestions only when that
  band's own decisions meet the newsroom's precision: every isotonic block in it is
  accepted at least that often, and the band as a whole (at least `MIN_DECISIONS`
  decisions) has the Wilson lower bound of its share accepted at the precision or above.
  The cutoff comes down to the lowest such band.

The precision is marginal: it is asked of the edits a lowered cutoff adds, not of the
rule's applied edits as a whole. A rule whose applied edits are accepted 98% of the time
could otherwise take in a band accepted 78% of the time and still average 95%; the
newsroom would then get, at the new cutoff, edits it accepts four times in five applied
without asking, which is not what a newsroom asking for 95% asked for, and on other copy
such a band can be wrong more often than right (`docs/experiments/learning.md`). With the
Wilson bound, 52 decisions all accepted are the fewest that lower a cutoff at 95%, 88 at
97%.

A rule accepted, say, 85% of the time is not made careful for a newsroom that asks for
95% (nor is it lowered): offering its edits instead of applying them would leave the
editor more to do and the text further from what they publish. The precision is how far
the cutoffs may come down, never a reason to push a rule up.

How many decisions are enough: a rule with fewer than `MIN_DECISIONS` decisions keeps
its shipped cutoff (it is not known yet). 30 is where the Wilson bounds become
informative for a single rule: 30 of 30 rejected bound the share accepted below 0.09.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

Z = 1.6448536269514722  # one-sided 95%
MIN_DECISIONS = 30
# A cutoff no confidence reaches: the rule's edits are offered as suggestions only.
SUGGEST_ONLY = 1.01


def wilson_bounds(successes: int, n: int, z: float = Z) -> tuple[float, float]:
    """Wilson score interval of a binomial share (lower, upper); (0, 1) when n is 0."""
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    denominator = 1 + z * z / n
    return max(0.0, (centre - spread) / denominator), min(1.0, (centre + spread) / denominator)


def rejected_more_often_than_not(accepted: int, n: int) -> bool:
    """Whether ``accepted`` of ``n`` decisions show, with 95% confidence, that editors
    reject these edits more often than not: the Wilson upper bound of the share accepted
    below one half (none of none shows nothing)."""
    return n > 0 and wilson_bounds(accepted, n)[1] < 0.5


def isotonic(points: Sequence[tuple[float, bool]]) -> list[tuple[float, float, int]]:
    """Pool-adjacent-violators fit of accepted (0/1) on confidence, non-decreasing.

    Returns ``(lowest confidence of the block, share accepted, decisions)`` per block, in
    confidence order. Deterministic: ties are grouped before fitting.
    """
    grouped: dict[float, list[int]] = {}
    for confidence, accepted in points:
        cell = grouped.setdefault(round(confidence, 6), [0, 0])
        cell[0] += int(accepted)
        cell[1] += 1
    blocks: list[list[float]] = []  # [lowest confidence, accepted, n]
    for confidence in sorted(grouped):
        accepted, n = grouped[confidence]
        blocks.append([confidence, accepted, n])
        while len(blocks) > 1 and blocks[-2][1] / blocks[-2][2] >= blocks[-1][1] / blocks[-1][2]:
            last = blocks.pop()
            blocks[-1][1] += last[1]
            blocks[-1][2] += last[2]
    return [(c, a / n, int(n)) for c, a, n in blocks]


@dataclass(frozen=True)
class Calibration:
    """One rule's decisions read as a calibration curve, and its learned cutoff."""

    key: str
    decisions: int
    accepted: int
    curve: tuple[tuple[float, float, int], ...]
    # The learned cutoff, or None: the shipped cutoff holds.
    cutoff: float | None

    @property
    def precision(self) -> float:
        return self.accepted / self.decisions if self.decisions else 0.0

    def to_dict(self) -> dict:
        return {
            "key": self.key,
            "decisions": self.decisions,
            "accepted": self.accepted,
            "curve": [
                {"from": c, "accepted": round(s, 4), "decisions": n} for c, s, n in self.curve
            ],
            "cutoff": self.cutoff,
        }


class _Rule:
    """One rule's decisions, sorted by confidence, and its cutoff during the search."""

    def __init__(self, key: str, points: Iterable[tuple[float, bool]], cutoff: float) -> None:
        self.key = key
        self.points = sorted((round(c, 6), bool(a)) for c, a in points)
        self.blocks = isotonic(self.points)
        self.cutoff = cutoff

    def tally(self, low: float, high: float = math.inf) -> tuple[int, int]:
        """(accepted, decisions) with confidence in ``[low, high)``."""
        inside = [a for c, a in self.points if low <= c < high]
        return sum(inside), len(inside)

    def raised(self) -> float | None:
        """The cutoff past the lowest applied block (the next block's start, else
        `SUGGEST_ONLY`); None when nothing decided is applied."""
        applied = [c for c, _ in self.points if c >= self.cutoff]
        if not applied:
            return None
        above = [c for c, _, _ in self.blocks if c > applied[0]]
        return above[0] if above else SUGGEST_ONLY

    def lowered(self, precision: float) -> float | None:
        """The lowest cutoff below the current one over a band whose own decisions meet
        ``precision``: every isotonic block in it accepted at least that often, and the
        band (at least `MIN_DECISIONS` decisions) with its Wilson lower bound there too;
        None when no band below does."""
        lowest = None
        for start, share, _ in reversed(self.blocks):
            if start >= self.cutoff:
                continue
            if share < precision:  # this block and every one below it: short
                break
            accepted, n = self.tally(start, self.cutoff)
            if n >= MIN_DECISIONS and wilson_bounds(accepted, n)[0] >= precision:
                lowest = start
        return lowest


def calibrate_all(
    points: Mapping[str, Sequence[tuple[float, bool]]],
    *,
    precision: float = 0.95,
    shipped: Mapping[str, float] | None = None,
) -> dict[str, Calibration]:
    """Every rule's calibration and learned cutoff (see the module's note), each rule on
    its own decisions; ``shipped`` holds each stage's cutoff (0 where a stage is missing: every
    decided edit counts as applied). The same decisions give the same result."""
    shipped = shipped or {}
    rules = {key: _Rule(key, points[key], shipped.get(_stage(key), 0.0)) for key in sorted(points)}
    learnable = [r for r in rules.values() if len(r.points) >= MIN_DECISIONS]
    changed = True
    while changed:  # more careful: no applied band editors reject more often than not
        changed = False
        for rule in learnable:
            raised = rule.raised()
            if raised is None:
                continue
            if rejected_more_often_than_not(*rule.tally(rule.cutoff, raised)):
                rule.cutoff, changed = raised, True
    for rule in learnable:  # more eager: over a band that meets the precision on its own
        lowered = rule.lowered(precision)
        if lowered is not None:
            rule.cutoff = lowered
    result = {}
    for key, rule in rules.items():
        own = [a for _, a in rule.points]
        cutoff = rule.cutoff if rule.cutoff != shipped.get(_stage(key), 0.0) else None
        result[key] = Calibration(key, len(own), sum(own), tuple(rule.blocks), cutoff)
    return result


def _stage(key: str) -> str:
    return key.split(":")[0]


def calibrate(
    key: str,
    points: Iterable[tuple[float, bool]],
    *,
    precision: float = 0.95,
    shipped: float | None = None,
) -> Calibration:
    """One rule's calibration, as if it were the newsroom's only rule."""
    stage = key.split(":")[0]
    given = {stage: shipped} if shipped is not None else None
    return calibrate_all({key: list(points)}, precision=precision, shipped=given)[key]
