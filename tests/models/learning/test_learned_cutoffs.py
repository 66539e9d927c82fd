"""Cutoffs finer than the newsroom: each rule is lowered on its own decisions, and one
rule's edits of one word that editors keep rejecting are offered instead of applied."""

from __future__ import annotations

from copydesk.models import Pipeline, RepairContext
from copydesk.models.edits import Edit
from copydesk.models.house import HouseRules, word_key
from copydesk.models.learning import SUGGEST_ONLY, Decision, learn
from copydesk.models.learning.calibration import rejected_more_often_than_not
from copydesk.models.stages import SentenceCaseStage

SHIPPED = {"casing": 0.9, "sentence_case": 0.5}


def decisions(rule: str, confidence: float, accepted: int, rejected: int, word: str = "w"):
    stage = rule.split(":")[0]
    name = rule.split(":")[1]
    out = [Decision("casing", stage, name, confidence, True, word, word.upper())] * accepted
    return out + [Decision("casing", stage, name, confidence, False, word, word.upper())] * rejected


def test_a_rule_doing_badly_holds_no_other_rule_back():
    # The model: sure edits all accepted, and a band below its cutoff accepted 60 in 60.
    model = decisions("casing:model", 0.95, 200, 0) + decisions("casing:model", 0.7, 60, 0)
    # Another rule, applied and accepted only four times in five: the newsroom's applied
    # edits as a whole fall short of 95%, the model's own do not.
    weak = decisions("sentence_case:start", 0.9, 160, 40)
    learned = learn(model + weak, shipped=SHIPPED)
    assert learned.cutoffs == {"casing:model": 0.7}


def test_a_newsroom_asking_for_more_gets_only_the_bands_that_meet_its_precision():
    # 300 sure edits all accepted; 60 below the cutoff accepted 78% of the time: the
    # rule's applied edits would stay above 96%, but the band is not applied.
    model = decisions("casing:model", 0.95, 300, 0) + decisions("casing:model", 0.7, 47, 13)
    assert learn(model, shipped=SHIPPED, precision=0.95).cutoffs == {}
    # 60 of 60 below: enough for 95% (Wilson lower bound 0.957), not for 97%; 90 of 90
    # are enough for both.
    model = decisions("casing:model", 0.95, 300, 0) + decisions("casing:model", 0.7, 60, 0)
    assert learn(model, shipped=SHIPPED, precision=0.95).cutoffs == {"casing:model": 0.7}
    assert learn(model, shipped=SHIPPED, precision=0.97).cutoffs == {}
    more = decisions("casing:model", 0.95, 300, 0) + decisions("casing:model", 0.7, 90, 0)
    assert learn(more, shipped=SHIPPED, precision=0.97).cutoffs == {"casing:model": 0.7}


def test_a_word_one_rule_keeps_getting_wrong_is_offered_not_applied():
    rule = "casing:model"
    sure = decisions(rule, 0.95, 100, 0, word="obama")
    for rejected in (3, 4):  # not yet: short runs of rejections are too easily chance
        wrong = decisions(rule, 0.95, 0, rejected, word="democrats")
        assert learn(sure + wrong, shipped=SHIPPED).cutoffs == {}
    wrong = decisions(rule, 0.95, 0, 5, word="democrats")
    learned = learn(sure + wrong, shipped=SHIPPED)
    assert learned.cutoffs == {"casing:model|democrats": SUGGEST_ONLY}
    assert learned.calibrations["casing:model|democrats"].decisions == 5
    assert learned.protected == ()  # a lowercase word: its other repairs go on
    # Also accepted now and then: not shown to be rejected more often than not.
    mixed = wrong + decisions(rule, 0.95, 2, 0, word="democrats")
    assert learn(sure + mixed, shipped=SHIPPED).cutoffs == {}


def test_a_word_cutoff_needs_the_test_a_rules_raised_cutoff_passes_and_five_decisions():
    # The test that raises a rule's cutoff past its lowest applied band.
    assert not rejected_more_often_than_not(0, 2)
    assert rejected_more_often_than_not(0, 3)  # Wilson upper bound 0.47
    assert not rejected_more_often_than_not(1, 6)
    assert rejected_more_often_than_not(1, 7)
    sure = decisions("casing:model", 0.95, 100, 0, word="obama")
    for accepted, rejected, cut in ((0, 3, False), (0, 5, True), (1, 5, False), (1, 6, True)):
        wrong = decisions("casing:model", 0.95, accepted, rejected, word="space")
        learned = learn(sure + wrong, shipped=SHIPPED)
        assert ("casing:model|space" in learned.cutoffs) is cut


def test_a_protected_word_needs_no_word_cutoff():
    learned = learn(decisions("casing:model", 0.95, 0, 4, word="Gymnastics"), shipped=SHIPPED)
    assert [p.word for p in learned.protected] == ["Gymnastics"]
    assert learned.cutoffs == {}


def test_the_word_cutoff_reaches_that_rules_edits_of_that_word_alone():
    rules = HouseRules.of((), {"casing:model|democrats": SUGGEST_ONLY, "casing:model": 0.8})

    def edit(word: str, rule: str = "model") -> Edit:
        return Edit(0, len(word), word, word.title(), "casing", "casing", 0.95, rule=rule)

    assert word_key(edit("democrats")) == "casing:model|democrats"
    assert rules.cutoff_for(edit("democrats"), 0.9) == SUGGEST_ONLY
    assert rules.cutoff_for(edit("republicans"), 0.9) == 0.8
    assert rules.cutoff_for(edit("democrats", "known-name"), 0.9) == 0.9


def test_the_pipeline_offers_the_word_and_still_applies_the_rule_elsewhere():
    pipeline = Pipeline([SentenceCaseStage()])
    house = HouseRules.of((), {"sentence_case:sentence-initial-capital|the": SUGGEST_ONLY})
    (result,) = pipeline.repair_many(
        ["the talks ended. talks resumed."], [RepairContext(house=house)]
    )
    assert result.repaired == "the talks ended. Talks resumed."
    assert [(e.original, e.applied) for e in result.edits] == [("the", False), ("talks", True)]


def test_no_word_cutoff_where_the_whole_rule_is_offered():
    # Rejected on word after word (each once), and on "the" five times.
    rejected = [d for i in range(40) for d in decisions("casing:model", 0.95, 0, 1, f"w{i}")]
    rejected += decisions("casing:model", 0.95, 0, 5, word="the")
    assert learn(rejected, shipped=SHIPPED).cutoffs == {"casing:model": SUGGEST_ONLY}
