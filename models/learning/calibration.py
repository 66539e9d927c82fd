"""Calibration of a rule's confidence to the share of its edits editors accept, and the
cutoff at which applying its edits beats offering them.

How many decisions are enough. A cutoff is moved only on evidence: the edits at or above
it must have a one-sided 95% Wilson lower bound on their share accepted that reaches the
newsroom's precision. With every edit accepted, that bound is ``n / (n + 1.645²)``, which
reaches 0.95 at n = 52 (and 0.97 at n = 88): a rule is never applied more eagerly on fewer
than 52 decisions above its new cutoff. Making a rule more careful needs less: its cutoff
rises (or its edits become suggestions only) once the 95% upper bound on the precision of
the edits it now applies falls below the newsroom's precision, which takes at least
`MIN_DECISIONS` decisions. Below that, the rule's shipped cutoff holds.
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
    """One rule's decisions read as a calibration curve and a cutoff."""

    key: str
    decisions: int
    accepted: int
    curve: tuple[tuple[float, float, int], ...]
    # The learned cutoff, or None: not enough evidence, the shipped cutoff holds.
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


def calibrate(
    key: str,
    points: Iterable[tuple[float, bool]],
    *,
    precision: float = 0.95,
    shipped: float | None = None,
) -> Calibration:
    """The calibration of one rule from (confidence, accepted) pairs.

    The eager cutoff is the lowest confidence whose edits at or above it reach
    ``precision`` with 95% confidence (the Wilson lower bound). While the edits the rule
    applies now (at or above ``shipped``; every edit when it is unknown) are not shown
    to fall short of ``precision``, the cutoff only ever moves down to the eager one;
    once they are (the Wilson upper bound is below it), it moves up to the eager one, or
    else to the lowest confidence from which the observed share reaches ``precision`` on
    `MIN_DECISIONS` edits, or else to `SUGGEST_ONLY`. None: the shipped cutoff holds.
    """
    pairs = sorted((round(c, 6), bool(a)) for c, a in points)
    n, accepted = len(pairs), sum(a for _, a in pairs)
    curve = tuple(isotonic(pairs))
    if n < MIN_DECISIONS:
        return Calibration(key, n, accepted, curve, None)
    # Suffix counts: the edits at or above each distinct confidence.
    above: list[tuple[float, int, int]] = []
    hits = 0
    for i in range(n - 1, -1, -1):
        hits += pairs[i][1]
        if i == 0 or pairs[i - 1][0] != pairs[i][0]:
            above.append((pairs[i][0], hits, n - i))
    above.reverse()  # lowest confidence first
    eager = next((c for c, a, m in above if wilson_bounds(a, m)[0] >= precision), None)
    applied = [(a, m) for c, a, m in above if shipped is None or c >= shipped]
    shown_short = bool(applied) and wilson_bounds(*applied[0])[1] < precision
    if not shown_short:  # more eager where the evidence says so, else the shipped cutoff
        if eager is not None and (shipped is None or eager <= shipped):
            return Calibration(key, n, accepted, curve, eager)
        return Calibration(key, n, accepted, curve, None)
    if eager is not None:
        return Calibration(key, n, accepted, curve, eager)
    for confidence, a, m in above:
        if m >= MIN_DECISIONS and a / m >= precision:
            return Calibration(key, n, accepted, curve, confidence)
    return Calibration(key, n, accepted, curve, SUGGEST_ONLY)


def calibrate_all(
    points: Mapping[str, Sequence[tuple[float, bool]]],
    *,
    precision: float = 0.95,
    shipped: Mapping[str, float] | None = None,
) -> dict[str, Calibration]:
    """Every rule's calibration, in key order (the same decisions give the same result)."""
    shipped = shipped or {}
    return {
        key: calibrate(
            key, points[key], precision=precision, shipped=shipped.get(key.split(":")[0])
        )
        for key in sorted(points)
    }
