"""Calibration of each rule's confidence to the share of its edits editors accept, and
the cutoffs at which applying beats suggesting, for the precision a newsroom sets.

An applied edit the editor rejects costs them an undo; a suggestion they accept costs
them an accept. So a band of confidence whose edits editors accept more often than not
is better applied (fewer edits left to the editor, and a text nearer the one they
publish), and one they reject more often than not is better offered. The cutoffs move
only where the decisions show that with 95% confidence (Wilson bounds), over an isotonic
fit per rule (a block's share never falls as confidence rises):

- more careful: a rule's lowest applied block, while editors reject it more often than
  not (the Wilson upper bound of its share accepted below one half), is no longer
  applied; a rule with no block left offers its edits as suggestions only;
- more eager: the blocks just below a rule's cutoff (at least `MIN_DECISIONS` decisions
  of them) with the highest share are applied as well, while they are accepted more
  often than not (the Wilson lower bound above one half) and the rule's applied edits
  stay at the newsroom's precision (the share of them editors accept, that band
  included). Each rule keeps the precision on its own: a rule editors trust less, or
  copy of another kind where some rule does badly, holds no other rule back, and a
  newsroom asking for 97% gets the bands that keep each lowered rule there.

A rule accepted, say, 85% of the time is not made careful for a newsroom that asks for
95% (nor is it lowered): offering its edits instead of applying them would leave the
editor more to do and the text further from what they publish
(`docs/experiments/learning.md`). The precision is how far the cutoffs may come down,
never a reason to push a rule up.

How many decisions are enough: a rule with fewer than `MIN_DECISIONS` decisions keeps
its shipped cutoff (it is not known yet). 30 is where
the Wilson bounds become informative for a single rule: 30 of 30 rejected bound the
share accepted below 0.09.
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

    def lowered(self) -> tuple[float, int, int] | None:
        """The next cutoff down, and the (accepted, decisions) it would add: the blocks
        just below the cutoff, as many as make `MIN_DECISIONS` decisions (a share read
        off a handful of edits would apply a wide band of confidence on little evidence);
        None when the decisions below are fewer."""
        for start in reversed([c for c, _, _ in self.blocks if c < self.cutoff]):
            accepted, n = self.tally(start, self.cutoff)
            if n >= MIN_DECISIONS:
                return start, accepted, n
        return None


def _share_applied(rule: _Rule, cutoff: float) -> float:
    """The share of ``rule``'s decided edits from ``cutoff`` up that editors accepted."""
    accepted, n = rule.tally(cutoff)
    return accepted / n if n else 1.0


def calibrate_all(
    points: Mapping[str, Sequence[tuple[float, bool]]],
    *,
    precision: float = 0.95,
    shipped: Mapping[str, float] | None = None,
) -> dict[str, Calibration]:
    """Every rule's calibration and learned cutoff, chosen together (see the module's
    note); ``shipped`` holds each stage's cutoff (0 where a stage is missing: every
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
            a, n = rule.tally(rule.cutoff, raised)
            if n and wilson_bounds(a, n)[1] < 0.5:
                rule.cutoff, changed = raised, True
    while True:  # more eager, while each rule's applied edits stay at the precision
        options = []
        for rule in learnable:
            step = rule.lowered()
            if step is None or step[2] == 0 or wilson_bounds(step[1], step[2])[0] <= 0.5:
                continue
            options.append((-step[1] / step[2], step[0], rule.key, rule))
        chosen = next(
            (
                (rule, start)
                for _, start, _, rule in sorted(options, key=lambda o: o[:3])
                if _share_applied(rule, start) >= precision
            ),
            None,
        )
        if chosen is None:
            break
        chosen[0].cutoff = chosen[1]
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
