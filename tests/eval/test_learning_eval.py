"""The learning simulation on a light pipeline: the replayed editor's decisions, the
curve's points, and two newsrooms of opposite house style each getting its own."""

from __future__ import annotations

from copydesk import models
from copydesk.eval.components import learning
from copydesk.models.stages import EntitiesStage, SentenceCaseStage


def light() -> models.Pipeline:
    return models.Pipeline([SentenceCaseStage(), EntitiesStage()])


def test_each_house_style_newsroom_gets_its_own_spelling():
    pairs = [("Sergei Ivanov", "Kiev"), ("Sergey Petrov", "Kyiv")]
    # Both spellings on the even lines (learnt from) and on the odd (measured).
    lines = [
        f"{pairs[i // 2 % 2][0]} spoke in {pairs[i // 2 % 2][1]} on day {i}." for i in range(24)
    ]
    report = learning.house_style(light(), lines)
    assert report["Sergey/Kyiv"]["after"] == 1.0 and report["Sergei/Kiev"]["after"] == 1.0
    assert report["Sergey/Kyiv"]["before"] == 0.5
    assert "Kiev -> Kyiv" in report["Sergey/Kyiv"]["learned"]
    assert "Kyiv -> Kiev" in report["Sergei/Kiev"]["learned"]


def test_the_curve_starts_from_the_shipped_behaviour_and_counts_the_editors_work():
    mt = [f"officials in kiev met on day {i}." for i in range(40)]
    references = [f"Officials in Kyiv met on day {i}." for i in range(40)]
    curve, total = learning.learning_curve(
        light(), [learning.SimSet("toy", mt, references)], points=(10, 1000)
    )
    shipped, last = curve[0].measures["toy"], curve[-1].measures["toy"]
    assert curve[0].decisions == 0 and curve[-1].decisions == total == 40
    assert shipped.to_write == 20 and shipped.precision == 1.0  # Kiev -> Kyiv, by hand
    assert last.to_write == 0 and last.ter < shipped.ter
    assert curve[-1].glossary == ["kiev -> Kyiv"]
    assert "| toy | shipped |" in learning.markdown(curve, total, {})


def test_sets_learned_from_only_teach_the_newsroom_and_are_never_measured():
    # The names the measured set needs are written by hand only in the learn-only set.
    mt = [f"officials in kiev met on day {i}." for i in range(8)]
    references = [f"Officials in Kyiv met on day {i}." for i in range(8)]
    archive = [f"talks in kiev ended on day {i}." for i in range(12)]
    archived = [f"Talks in Kyiv ended on day {i}." for i in range(12)]
    measured = learning.SimSet("toy", mt, references)
    curve, total = learning.learning_curve(
        light(), [measured], learn_only=[learning.SimSet("archive", archive, archived)]
    )
    assert list(curve[-1].measures) == ["toy"]
    # Each line: the sentence start accepted, and Kyiv written by hand; from the first
    # half of the measured set and all of the other.
    assert total == 2 * (4 + 12)
    assert curve[-1].glossary == ["kiev -> Kyiv"]
    assert curve[-1].measures["toy"].to_write == 0 < curve[0].measures["toy"].to_write


def test_a_casing_the_editor_wrote_twice_and_approved_reaches_the_repairs():
    mt = [f"officials of the penza region met on day {i}." for i in range(8)]
    references = [f"Officials of the Penza Region met on day {i}." for i in range(8)]
    curve, _ = learning.learning_curve(light(), [learning.SimSet("toy", mt, references)])
    assert curve[-1].glossary == ["penza region -> Penza Region"]
    shipped, last = curve[0].measures["toy"], curve[-1].measures["toy"]
    assert (shipped.to_write, last.to_write) == (4, 0) and last.ter == 0.0
