"""The newsroom's judge of edits: learned from enough decisions only, where it beats the
cutoffs out of fold; deterministic, exportable, and gone when undone."""

from __future__ import annotations

import itertools
import json
import string
from dataclasses import replace

from copydesk.models import Pipeline, RepairContext
from copydesk.models.edits import Edit
from copydesk.models.house import HouseRules
from copydesk.models.learning import Decision, learn
from copydesk.models.learning.edit_judge import MIN_JUDGE_DECISIONS, EditJudge, judged
from copydesk.models.stages import SentenceCaseStage

SHIPPED = {"casing": 0.9, "sentence_case": 0.5}
RAISE = "the mayor of new york spoke on Monday."
LOWER = "the Mayor spoke on Monday."


def _decision(text: str, word: str, new: str, accepted: bool, confidence: float = 0.8):
    start = text.index(word)
    return Decision("casing", "casing", "model", confidence, accepted, word, new, text, start)


def raises_right_lowers_wrong(n: int) -> list[Decision]:
    """``n`` decisions on the casing model's edits, all at one confidence under its cutoff,
    each of another word (no word recurs: nothing for a word's cutoff or protection to
    learn): the editor accepts each capital it raises and rejects each it lowers."""
    out = []
    names = ("".join(t) for t in itertools.product(string.ascii_lowercase, repeat=3))
    for i, name in zip(range(n), names, strict=False):
        if i % 2:
            text = f"the mayor of new {name} spoke on Monday."
            out.append(_decision(text, name, name.title(), True))
        else:
            text = f"the {name.title()} spoke on Monday."
            out.append(_decision(text, name.title(), name, False))
    return out


def _edit(text: str, word: str, new: str, confidence: float = 0.8) -> Edit:
    start = text.index(word)
    return Edit(start, start + len(word), word, new, "casing", "casing", confidence, rule="model")


def test_the_judge_separates_what_one_cutoff_cannot():
    learned = learn(raises_right_lowers_wrong(1200), shipped=SHIPPED)
    # Half accepted at one confidence: no cutoff moves, nor can one tell them apart.
    assert learned.cutoffs == {}
    judge = learned.judge
    assert judge is not None and judge.rules == frozenset({"casing:model"})
    assert judge.check["left"] < judge.check["left_by_cutoffs"]
    house = learned.house_rules()
    assert house.applies(_edit(RAISE, "york", "York"), 0.9, RAISE)
    assert not house.applies(_edit(LOWER, "Mayor", "mayor"), 0.9, LOWER)
    # Without the judge (undone), the cutoff decides both alike: offered.
    cutoffs_only = HouseRules.of((), learned.cutoffs)
    assert not cutoffs_only.applies(_edit(RAISE, "york", "York"), 0.9, RAISE)
    assert not cutoffs_only.applies(_edit(LOWER, "Mayor", "mayor"), 0.9, LOWER)


def test_too_few_decisions_keep_the_shipped_behaviour():
    learned = learn(raises_right_lowers_wrong(MIN_JUDGE_DECISIONS - 1), shipped=SHIPPED)
    assert learned.judge is None
    house = learned.house_rules()
    assert house.judge is None
    assert not house.applies(_edit(RAISE, "york", "York"), 0.9, RAISE)
    assert house.applies(_edit(RAISE, "york", "York", 0.95), 0.9, RAISE)


def test_no_judge_where_it_does_not_beat_the_cutoffs():
    # Every edit accepted, whatever it does: nothing for a judge to separate.
    same = [_decision(RAISE, "york", "York", True, 0.95)] * 1200
    assert learn(same, shipped=SHIPPED).judge is None


def test_the_judge_is_deterministic_and_exported_whole():
    decisions = raises_right_lowers_wrong(1200)
    a = learn(decisions, shipped=SHIPPED).judge
    b = learn(list(reversed(decisions)), shipped=SHIPPED).judge
    assert a is not None and b is not None
    assert a.to_dict() == b.to_dict()
    exported = json.loads(json.dumps(learn(decisions, shipped=SHIPPED).to_dict()))["judge"]
    again = EditJudge.from_dict(exported)
    edit = _edit(RAISE, "york", "York")
    assert again.probability(edit, RAISE) == a.probability(edit, RAISE)
    assert again.to_dict() == a.to_dict()


def test_each_newsroom_gets_its_own_judge():
    ours = learn(raises_right_lowers_wrong(1200), shipped=SHIPPED).judge
    # Another newsroom keeps the capitals copydesk lowers and rejects the ones it raises.
    flipped = [
        Decision(d.kind, d.stage, d.rule, d.confidence, not d.accepted, d.original,
                 d.replacement, d.context, d.start)
        for d in raises_right_lowers_wrong(1200)
    ]  # fmt: skip
    theirs = learn(flipped, shipped=SHIPPED).judge
    assert ours is not None and theirs is not None
    up, down = _edit(RAISE, "york", "York"), _edit(LOWER, "Mayor", "mayor")
    assert ours.applies(up, RAISE, False) and not ours.applies(down, LOWER, False)
    assert theirs.applies(down, LOWER, False) and not theirs.applies(up, RAISE, False)


def test_the_pipeline_asks_the_newsrooms_judge():
    # Sentence starts: the editor keeps `the` capitalised and rejects the capital on
    # words English does not know (lowercase product names, each met once).
    names = ("q" + "".join(t) for t in itertools.product(string.ascii_lowercase, repeat=3))
    decisions = []
    for i, name in zip(range(1200), names, strict=False):
        text, word, ok = (
            ("the talks ended.", "the", True) if i % 2 else (f"{name} sales rose.", name, False)
        )
        decisions.append(
            Decision("casing", "sentence_case", "sentence-initial-capital", 0.9, ok, word,
                     word.title(), text, 0)
        )  # fmt: skip
    learned = learn(decisions, shipped=SHIPPED)
    assert learned.judge is not None
    pipeline = Pipeline([SentenceCaseStage()])
    text = "zxqv sales rose. the talks ended."
    shipped, judged = pipeline.repair_many(
        [text, text], [RepairContext(), RepairContext(house=learned.house_rules())]
    )
    assert [(e.original, e.applied) for e in shipped.edits] == [("zxqv", True), ("the", True)]
    assert [(e.original, e.applied) for e in judged.edits] == [("zxqv", False), ("the", True)]


def test_decisions_without_their_text_or_out_of_place_teach_no_judge():
    good = raises_right_lowers_wrong(1200)
    without = [replace(d, context="", start=-1) for d in good]
    misplaced = [replace(d, start=d.start + 1) for d in good]
    unknown = [replace(d, kind="style") for d in good]
    for decisions in (without, misplaced, unknown):
        assert judged(decisions) == []
        assert learn(decisions, shipped=SHIPPED).judge is None


def test_an_edit_is_judged_on_its_line_as_the_page_sends_it():
    """The page sends each decision with the line its edit stands on, so the judge learns
    from lines; an edit of a longer text is judged on its line, with the same features."""
    line = "the mayor of new york spoke on Monday."
    text = f"IDLIB HEADLINE WITH CAPS\n\nFirst paragraph here.\n{line}\nA last Line."
    judge = EditJudge({"position": -12.0, "line_caps": -8.0, "bias": 4.0}, 0.5, 0.5,
                      frozenset({"casing:model"}), 1000)  # fmt: skip
    at = line.index("york")
    alone = Edit(at, at + 4, "york", "York", "casing", "casing", 0.8, rule="model")
    offset = text.index(line)
    within = replace(alone, start=alone.start + offset, end=alone.end + offset)
    assert judge.probability(within, text) == judge.probability(alone, line)
    far = "word " * 400 + line + " word" * 400  # at most 1,000 characters either side
    shift = far.index(line)
    cut = far[shift + at - 1000 : shift + at + 4 + 1000]
    moved = replace(alone, start=1000, end=1004)
    within = replace(alone, start=alone.start + shift, end=alone.end + shift)
    assert judge.probability(within, far) == judge.probability(moved, cut)
    # Decisions sent with their whole text teach what the same decisions on lines do.
    lines = raises_right_lowers_wrong(1200)
    head = "FIRST LINE IN CAPITALS\n\n"
    whole = [replace(d, context=head + d.context + "\nMore.", start=d.start + len(head))
             for d in lines]  # fmt: skip
    assert learn(whole, shipped=SHIPPED).judge == learn(lines, shipped=SHIPPED).judge
