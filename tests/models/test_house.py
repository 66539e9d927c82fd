"""House rules: protected words are never changed, learned cutoffs move applied/suggested."""

from __future__ import annotations

from copydesk.models import Edit, EditKind, HouseRules, Pipeline, RepairContext
from tests.models.test_pipeline import ReplaceStage


def _pipeline(stage: ReplaceStage) -> Pipeline:
    return Pipeline([stage], threshold=0.5)


def test_a_protected_word_is_neither_changed_nor_offered() -> None:
    stage = ReplaceStage("names", {"Sergei": "Sergey", "Kiev": "Kyiv"})
    house = HouseRules.of(["Sergei"])
    result = _pipeline(stage).repair("Sergei flew to Kiev.", RepairContext(house=house))
    assert result.repaired == "Sergei flew to Kyiv."
    assert [e.original for e in result.edits] == ["Kiev"]


def test_protection_covers_partial_edits_and_phrases_but_only_whole_words() -> None:
    house = HouseRules.of(["iPhone", "New York Times"])
    text = "The iPhones and the iPhone at the New York Times."

    def edit(start: int, end: int) -> Edit:
        return Edit(start, end, text[start:end], "X", EditKind.CASING, "casing", 0.9)

    iphone = text.index("iPhone ")
    times = text.index("York")
    kept = house.allows([edit(4, 5), edit(iphone, iphone + 1), edit(times, times + 4)], text)
    assert kept == [edit(4, 5)]  # "iPhones" is another word


def test_a_learned_cutoff_turns_an_applied_rule_into_a_suggestion_and_back() -> None:
    stage = ReplaceStage("grammar", {"a apple": "an apple"}, confidence=0.8)
    text = "He ate a apple."
    shipped = _pipeline(stage).repair(text, RepairContext())
    assert shipped.repaired == "He ate an apple."
    strict = RepairContext(house=HouseRules.of(cutoffs={"grammar": 0.95}))
    learned = _pipeline(stage).repair(text, strict)
    assert learned.repaired == text
    assert [(e.replacement, e.applied) for e in learned.edits] == [("an apple", False)]
    lenient = RepairContext(house=HouseRules.of(cutoffs={"grammar": 0.6}))
    low = ReplaceStage("grammar", {"a apple": "an apple"}, confidence=0.55)
    assert _pipeline(low).repair(text, lenient).repaired == text
    assert (
        _pipeline(low)
        .repair(text, RepairContext(house=HouseRules.of(cutoffs={"grammar": 0.5})))
        .repaired
        == "He ate an apple."
    )


def test_empty_rules_are_the_shipped_behaviour() -> None:
    assert not HouseRules.of(["  ", ""])
    a = HouseRules.of(["Sergei"], {"casing": 0.7})
    b = HouseRules.of(["Kiev"], {"casing": 0.9})
    merged = a.merged(b)
    assert merged.protected == {"Sergei", "Kiev"} and merged.cutoffs == {"casing": 0.9}
