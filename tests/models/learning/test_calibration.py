"""Calibration of confidence to the share accepted, and the cutoffs it learns: the same
decisions learn the same, and a rule keeps its shipped cutoff until it has enough."""

from __future__ import annotations

import random

from copydesk.models.learning import (
    MIN_DECISIONS,
    SUGGEST_ONLY,
    Decision,
    calibrate,
    isotonic,
    learn,
)


def fixture_decisions(seed: int, n: int = 400) -> list[Decision]:
    """Decisions on two rules: casing's accepted as often as its confidence says, and a
    grammar rule editors reject two times in three."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        c = round(rng.uniform(0.3, 1.0), 3)
        if i % 2:
            out.append(Decision("casing", "casing", "casing-model", c, rng.random() < c))
        else:
            out.append(Decision("grammar", "grammar", "COMMA", c, rng.random() < 0.33))
    return out


def test_the_same_decisions_learn_the_same_in_any_order():
    decisions = fixture_decisions(1)
    shuffled = decisions[:]
    random.Random(9).shuffle(shuffled)
    first = learn(decisions, shipped={"casing": 0.5, "grammar": 0.5})
    again = learn(shuffled, shipped={"casing": 0.5, "grammar": 0.5})
    assert first.to_dict() == again.to_dict()
    assert first.cutoffs["grammar:COMMA"] > 0.99  # rejected two times in three
    # Accepted as often as its confidence says: from 0.5 up, more often than not, so
    # applying its edits still saves the editor work, though short of 95%.
    assert "casing:casing-model" not in first.cutoffs


def test_newsrooms_with_other_decisions_learn_other_cutoffs():
    careful = [Decision("casing", "casing", "r", 0.6, False)] * 20 + [
        Decision("casing", "casing", "r", 0.9, True)
    ] * 80
    trusting = [Decision("casing", "casing", "r", 0.6, True)] * 100
    assert learn(careful, shipped={"casing": 0.5}).cutoffs == {"casing:r": 0.9}
    assert learn(trusting, shipped={"casing": 0.7}).cutoffs == {"casing:r": 0.6}


def test_too_few_decisions_keep_the_shipped_cutoff():
    few = [Decision("grammar", "grammar", "X", 0.9, False)] * (MIN_DECISIONS - 1)
    assert learn(few, shipped={"grammar": 0.5}).cutoffs == {}
    assert (
        calibrate("grammar:X", [(0.9, False)] * MIN_DECISIONS, shipped=0.5).cutoff == SUGGEST_ONLY
    )


def test_a_band_is_applied_only_when_its_own_decisions_meet_the_precision():
    # 51 of 51 accepted do not show 95% with 95% confidence (Wilson lower bound 0.9496);
    # 52 of 52 do (0.9505). Fewer than `MIN_DECISIONS` never do.
    assert calibrate("s:r", [(0.4, True)] * 29, shipped=0.5).cutoff is None
    assert calibrate("s:r", [(0.4, True)] * 51, shipped=0.5).cutoff is None
    assert calibrate("s:r", [(0.4, True)] * 52, shipped=0.5).cutoff == 0.4
    # A newsroom asking for 97% needs 88.
    assert calibrate("s:r", [(0.4, True)] * 87, shipped=0.5, precision=0.97).cutoff is None
    assert calibrate("s:r", [(0.4, True)] * 88, shipped=0.5, precision=0.97).cutoff == 0.4


def test_a_band_accepted_78_percent_is_not_applied_though_the_rule_stays_at_95():
    sure = [(0.9, True)] * 600 + [(0.9, False)]
    band = [(0.7, True)] * 39 + [(0.7, False)] * 11  # 78% of 50
    # With the band applied, the rule's applied edits would be accepted 98.2% of the time
    # (639 of 651), and the band more often than not with 95% confidence: still offered.
    assert calibrate("s:r", sure + band, shipped=0.8).cutoff is None
    # A newsroom asking for no more than the band shows (its Wilson lower bound: 0.67) gets it.
    assert calibrate("s:r", sure + band, shipped=0.8, precision=0.65).cutoff == 0.7
    # Accepted every time over enough decisions: applied.
    assert calibrate("s:r", sure + [(0.7, True)] * 60, shipped=0.8).cutoff == 0.7


def test_a_cutoff_comes_down_only_as_far_as_the_bands_that_meet_the_precision():
    sure = [(0.9, True)] * 200
    trusted = [(0.8, True)] * 400
    weak = [(0.6, True)] * 12 + [(0.6, False)] * 8  # 60%, pooled with the 400: 98.1%
    assert calibrate("s:r", sure + trusted + weak, shipped=0.85).cutoff == 0.8


def test_a_rule_right_more_often_than_not_stays_applied_short_of_the_precision():
    # Accepted two times in three: short of 95%, but as suggestions its edits would cost
    # the editor two accepts for every undo they save.
    weak = [(0.6, False)] * 10 + [(0.6, True)] * 20
    assert calibrate("casing:weak", weak, shipped=0.5).cutoff is None
    # Rejected two times in three: offered, not applied.
    bad = [(0.6, True)] * 10 + [(0.6, False)] * 20
    assert calibrate("casing:bad", bad, shipped=0.5).cutoff == SUGGEST_ONLY
    # Only the block editors reject is raised past; the rule's surer edits stay applied.
    mixed = [(0.6, False)] * 30 + [(0.9, True)] * 30
    assert calibrate("casing:mixed", mixed, shipped=0.5).cutoff == 0.9


def test_a_rule_doing_well_enough_is_left_alone():
    points = [(0.8, True)] * 45 + [(0.8, False)]  # 97.8% accepted, but not shown >= 95%
    assert calibrate("s:r", points, shipped=0.5).cutoff is None


def test_isotonic_curve_never_falls():
    points = [(0.2, True), (0.3, False), (0.5, True), (0.6, False), (0.9, True), (0.95, True)]
    curve = isotonic(points)
    shares = [s for _, s, _ in curve]
    assert shares == sorted(shares)
    assert sum(n for _, _, n in curve) == len(points)


def test_rules_with_few_decisions_keep_their_shipped_cutoffs():
    # 30 rejections between three rules: none of them is known well enough to move.
    rare = [Decision("grammar", "grammar", f"RULE_{i % 3}", 0.8, False) for i in range(30)]
    learned = learn(rare, shipped={"grammar": 0.5})
    assert learned.cutoffs == {}
    assert {c.decisions for c in learned.calibrations.values()} == {10}
