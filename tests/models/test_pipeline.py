from __future__ import annotations

import random
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk import models
from copydesk.models import (
    ConfigError,
    Document,
    Edit,
    EditKind,
    Pipeline,
    RepairContext,
    Stage,
    StageRegistry,
    StageStatus,
    StageUnavailable,
    apply_edits,
    assessment,
    pipeline,
    resolve_overlaps,
)
from copydesk.models.waiting import waiting_hook


class ReplaceStage(Stage):
    """Test stage: replaces every occurrence of given strings."""

    def __init__(self, name: str, pairs: dict[str, str], confidence: float = 0.9) -> None:
        self.name = name
        self.pairs = pairs
        self.confidence = confidence

    def propose(self, doc: Document, context: RepairContext) -> list[Edit]:
        edits = []
        for old, new in self.pairs.items():
            start = doc.text.find(old)
            while start != -1:
                edits.append(
                    Edit(
                        start,
                        start + len(old),
                        old,
                        new,
                        EditKind.FLUENCY,
                        self.name,
                        self.confidence,
                    )
                )
                start = doc.text.find(old, start + 1)
        return edits


class RandomStage(Stage):
    """Test stage: random edits on whatever text it is shown, remembered for checking."""

    def __init__(self, name: str, seed: int) -> None:
        self.name = name
        self.rng = random.Random(seed)
        self.seen: list[tuple[str, list[Edit]]] = []

    def propose(self, doc: Document, context: RepairContext) -> list[Edit]:
        text, edits = doc.text, []
        for _ in range(self.rng.randint(0, 5)):
            start = self.rng.randint(0, len(text))
            end = min(len(text), start + self.rng.randint(0, 3))
            replacement = self.rng.choice(["", "X", "yy", "😀", "e\u0301", "\r\n"])
            if replacement != text[start:end]:
                confidence = self.rng.choice([0.2, 0.6, 0.9])
                edits.append(
                    Edit(
                        start,
                        end,
                        text[start:end],
                        replacement,
                        EditKind.GRAMMAR,
                        self.name,
                        confidence,
                    )
                )
        self.seen.append((text, edits))
        return edits


class BrokenStage(Stage):
    name = "broken"

    def propose(self, doc: Document, context: RepairContext) -> list[Edit]:
        raise RuntimeError("model exploded")


class DownStage(Stage):
    name = "down"

    def propose(self, doc: Document, context: RepairContext) -> list[Edit]:
        raise StageUnavailable("down", "server not reachable")


def test_two_stages_editing_the_same_word_merge_into_one_edit():
    text = "the foreign Minister spoke."
    first = ReplaceStage("one", {"foreign Minister": "Foreign Minister"})
    second = ReplaceStage("two", {"Foreign Minister": "foreign minister", "spoke": "said"})
    result = Pipeline([first, second]).repair(text)
    assert result.repaired == "the foreign minister said."
    assert [(e.original, e.replacement, e.stage) for e in result.edits] == [
        ("foreign Minister", "foreign minister", "two"),
        ("spoke", "said", "two"),
    ]
    assert "merged with one fluency" in result.edits[0].message
    assert apply_edits(text, result.applied_edits) == result.repaired


def test_later_stage_undoing_an_edit_removes_both():
    text = "Alpha beta."
    result = Pipeline(
        [ReplaceStage("one", {"beta": "Beta"}), ReplaceStage("two", {"Beta": "beta"})]
    ).repair(text)
    assert result.repaired == text
    assert result.edits == ()


def test_edits_after_an_earlier_length_change_map_back():
    text = "a 😀 b c"
    result = Pipeline([ReplaceStage("one", {"a": "AAA"}), ReplaceStage("two", {"c": "C"})]).repair(
        text
    )
    assert result.repaired == "AAA 😀 b C"
    c_edit = next(e for e in result.edits if e.stage == "two")
    assert (c_edit.start, c_edit.end, c_edit.original) == (6, 7, "c")


def test_low_confidence_edits_are_suggestions_not_applied():
    text = "one two"
    result = Pipeline([ReplaceStage("s", {"two": "2"}, confidence=0.3)], threshold=0.5).repair(text)
    assert result.repaired == text
    assert [e.applied for e in result.edits] == [False]
    assert result.apply(result.edits) == "one 2"
    assert Pipeline([ReplaceStage("s", {"two": "2"}, 0.3)]).repair(
        text, threshold=0.2
    ).repaired == ("one 2")


def test_an_edit_a_stage_only_offers_is_a_suggestion_whatever_its_confidence():
    class OfferingStage(ReplaceStage):
        def propose(self, doc: Document, context: RepairContext) -> list[Edit]:
            return [e.with_applied(False) for e in super().propose(doc, context)]

    text = "one two three"
    stages = [OfferingStage("o", {"two": "2"}, 1.0), ReplaceStage("r", {"three": "3"}, 1.0)]
    result = Pipeline(stages, threshold=0.5).repair(text)
    assert result.repaired == "one two 3"
    assert [(e.original, e.applied) for e in result.edits] == [("two", False), ("three", True)]
    assert [r.applied for r in result.stages] == [0, 1]


def test_failing_and_unavailable_stages_do_not_stop_the_pipeline():
    stages = [BrokenStage(), ReplaceStage("ok", {"x": "y"}), DownStage()]
    result = Pipeline(stages).repair("x marks")
    assert result.repaired == "y marks"
    status = {r.name: (r.status, r.reason) for r in result.stages}
    assert status["broken"] == (StageStatus.FAILED, "RuntimeError: model exploded")
    assert status["ok"][0] is StageStatus.OK
    assert status["down"] == (StageStatus.SKIPPED, "server not reachable")
    assert all(r.seconds >= 0 for r in result.stages)


def test_stage_returning_edits_that_do_not_fit_is_failed():
    class Liar(Stage):
        name = "liar"

        def propose(self, doc, context):
            return [Edit(0, 3, "zzz", "a", EditKind.GRAMMAR, "liar", 0.9)]

    result = Pipeline([Liar()]).repair("abc def")
    assert result.stages[0].status is StageStatus.FAILED
    assert result.repaired == "abc def"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([*list("ab .\r\n"), "😀", "é"]), max_size=25).map("".join),
    st.integers(0, 10**6),
    st.integers(0, 10**6),
)
def test_pipeline_offsets_match_sequential_application(text, seed1, seed2):
    one, two = RandomStage("one", seed1), RandomStage("two", seed2)
    result = Pipeline([one, two], threshold=0.5).repair(text)
    expected = text
    for stage in (one, two):
        if stage.seen:
            seen_text, proposed = stage.seen[0]
            assert seen_text == expected
            expected = apply_edits(
                seen_text, [e for e in resolve_overlaps(proposed) if e.confidence >= 0.5]
            )
    assert result.repaired == expected
    applied = result.applied_edits
    assert apply_edits(text, applied) == expected
    assert all(not a.overlaps(b) for i, a in enumerate(applied) for b in applied[i + 1 :])
    for edit in result.edits:
        assert text[edit.start : edit.end] == edit.original
    assert result.apply([]) == text


def test_load_from_toml_and_registry_errors(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text(
        'threshold = 0.7\n[[stages]]\nname = "sentence_case"\n'
        "[stages.settings]\nconfidence = 0.6\n",
        encoding="utf-8",
    )
    pipeline = models.load(path)
    assert pipeline.threshold == 0.7
    assert pipeline.repair("hello there.").repaired == "hello there."  # 0.6 < 0.7: suggestion
    with pytest.raises(ConfigError, match="unknown stage 'nope'"):
        models.load({"stages": [{"name": "nope"}]})
    with pytest.raises(ConfigError, match="no setting"):
        models.load({"stages": [{"name": "sentence_case", "settings": {"colour": 1}}]})
    with pytest.raises(ConfigError, match="unknown key"):
        models.load({"stages": [{"name": "sentence_case", "confidence": 1}]})
    with pytest.raises(ConfigError, match="not valid TOML"):
        bad = tmp_path / "bad.toml"
        bad.write_text("[[stages", encoding="utf-8")
        models.load(bad)
    with pytest.raises(ConfigError, match="cannot read"):
        models.load(tmp_path / "missing.toml")
    registry = StageRegistry()
    registry.register("x", ReplaceStage)
    with pytest.raises(ConfigError, match="already registered"):
        registry.register("x", ReplaceStage)


def test_stage_whose_backend_is_missing_at_build_time_is_skipped():
    def factory():
        raise StageUnavailable("ghost", "no model configured")

    registry = StageRegistry()
    registry.register("ghost", factory)
    registry.register("sentence_case", models.builtin_registry().create("sentence_case").__class__)
    pipeline = models.load(
        {"stages": [{"name": "ghost"}, {"name": "sentence_case"}]}, registry=registry
    )
    result = pipeline.repair("the end.")
    assert result.repaired == "The end."
    assert [(r.name, r.status) for r in result.stages] == [
        ("ghost", StageStatus.SKIPPED),
        ("sentence_case", StageStatus.OK),
    ]
    assert result.stages[0].reason == "no model configured"


def test_disabled_stage_is_left_out():
    pipeline = models.load({"stages": [{"name": "sentence_case", "enabled": False}]})
    assert pipeline.stage_names == []
    assert pipeline.repair("the end.").repaired == "the end."


def test_repair_many_equals_one_by_one_and_keeps_failures_apart():
    class FailsOnX(Stage):
        name = "fails_on_x"

        def propose(self, doc, context):
            if "x" in doc.text:
                raise RuntimeError("x!")
            return []

    pipeline = Pipeline([FailsOnX(), ReplaceStage("r", {"a": "A"}), DownStage()])
    texts = ["a b", "x a", "", "a 😀 a"]
    many = pipeline.repair_many(texts)
    for text, result in zip(texts, many, strict=True):
        single = pipeline.repair(text)
        assert (result.repaired, result.edits) == (single.repaired, single.edits)
        assert [(r.name, r.status) for r in result.stages] == [
            (r.name, r.status) for r in single.stages
        ]
    assert many[1].stages[0].status is StageStatus.FAILED
    assert many[0].stages[0].status is StageStatus.OK
    assert many[1].repaired == "x A"


def test_a_stream_of_batches_gives_what_repair_many_gives_in_order():
    pipeline = Pipeline([ReplaceStage("one", {"a": "A"}), ReplaceStage("two", {"b": "B"})])
    batches = [[f"a b {i}", "x"] for i in range(7)]
    streamed = list(pipeline.repair_stream((b, None) for b in batches))
    assert [[r.repaired for r in rs] for rs in streamed] == [
        [r.repaired for r in pipeline.repair_many(b)] for b in batches
    ]


def test_a_stream_stops_cleanly_when_its_input_fails_or_its_reader_stops():
    pipeline = Pipeline([ReplaceStage("one", {"a": "A"})])

    def broken():
        yield ["a"], None
        raise OSError("disk gone")

    with pytest.raises(OSError, match="disk gone"):
        list(pipeline.repair_stream(broken()))
    stream = pipeline.repair_stream(([f"a {i}"], None) for i in range(100))
    assert next(stream)[0].repaired == "A 0"
    stream.close()  # every thread ends; nothing hangs


def test_pipeline_files_are_validated_naming_the_file_the_key_and_what_was_expected(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text('threshold = "high"\n[[stages]]\nname = "sentence_case"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"p\.toml'.*threshold: expected a valid number"):
        models.load(path)
    path.write_text('[[stages]]\nname = "sentence_case"\nthreshold = 2\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"stage 'sentence_case': threshold: expected a number"):
        models.load(path)
    with pytest.raises(ConfigError, match="unknown key 'thresold' \\(expected: threshold, stages"):
        models.load({"thresold": 0.5})
    with pytest.raises(ConfigError, match="stage #1: 'name' is missing"):
        models.load({"stages": [{"settings": {}}]})


def test_stage_settings_are_checked_against_the_stages_declared_settings(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text(
        '[[stages]]\nname = "sentence_case"\n[stages.settings]\nconfidence = "0.6"\n',
        encoding="utf-8",
    )
    with pytest.raises(
        ConfigError, match=r"p\.toml': stage 'sentence_case': setting 'confidence': expected"
    ):
        models.load(path)
    with pytest.raises(ConfigError, match="has no setting 'colour' \\(allowed: confidence"):
        models.load({"stages": [{"name": "sentence_case", "settings": {"colour": 1}}]})
    with pytest.raises(ConfigError, match="setting 'garbled': expected a valid boolean"):
        models.load({"stages": [{"name": "entities", "settings": {"garbled": "yes"}}]})
    # A whole number is a number; a factory taking **kwargs takes any setting.
    assert models.load({"stages": [{"name": "sentence_case", "settings": {"confidence": 1}}]})
    registry = StageRegistry()
    registry.register("free", lambda **settings: ReplaceStage("free", {}))
    assert registry.create("free", {"anything": object()})


CHECKED = "On Monday Sergey Lavrov said the talks in Idlib did not end.\n\nThey go on."


@pytest.fixture
def checks_started(monkeypatch) -> threading.Event:
    """Set when the pipeline's checks begin."""
    started = threading.Event()

    def watched(docs, pairings):
        started.set()
        return assessment.assess(docs, pairings)

    monkeypatch.setattr(pipeline, "assess", watched)
    return started


def assert_repaired_with_the_checks_alone(result) -> None:
    """The repair of `CHECKED` carries the flags and estimates of the checks run alone."""
    doc = Document.from_text(CHECKED)
    [(flags, segments)] = assessment.assess([doc], [RepairContext().pairing(doc)])
    assert result.repaired == CHECKED.replace("Monday", "Tuesday")
    assert (result.flags, result.segments) == (tuple(flags), tuple(segments))


class WaitingStage(Stage):
    """Test stage: waits (up to ``seconds``) for ``event`` and notes whether it came."""

    name = "waiting"

    def __init__(self, event: threading.Event, seconds: float = 1.0) -> None:
        self.event, self.seconds = event, seconds
        self.came: list[bool] = []

    def propose(self, doc: Document, context: RepairContext) -> list[Edit]:
        self.came.append(self.event.wait(self.seconds))
        return []


def test_the_checks_run_beside_the_stages_and_say_what_they_say_alone(checks_started):
    """The flags and estimates come from the original text while the stages work on it,
    and are those of the checks run on their own."""
    waiting = WaitingStage(checks_started)
    result = Pipeline([ReplaceStage("a", {"Monday": "Tuesday"}), waiting]).repair(CHECKED)
    assert waiting.came == [True]  # the checks had begun before the last stage ended
    assert_repaired_with_the_checks_alone(result)


class ServerStage(WaitingStage):
    """Test stage that waits on a server: says so (`copydesk.models.waiting`) unless
    ``says`` is false, then waits for ``event``."""

    name = "server"
    waits_outside = True

    def __init__(self, event: threading.Event, *, says: bool = True) -> None:
        super().__init__(event, 1.0 if says else 0.2)
        self.says = says

    def propose(self, doc: Document, context: RepairContext) -> list[Edit]:
        hook = waiting_hook()
        if self.says and hook is not None:
            hook()
        return super().propose(doc, context)


class NotingStage(Stage):
    """Test stage: notes whether ``event`` had been set when it ran."""

    name = "noting"

    def __init__(self, event: threading.Event) -> None:
        self.event = event
        self.seen: list[bool] = []

    def propose(self, doc: Document, context: RepairContext) -> list[Edit]:
        self.seen.append(self.event.is_set())
        return []


@pytest.mark.parametrize("says", [True, False])
def test_the_checks_wait_for_the_stage_that_waits_on_a_server(checks_started, says):
    """Before the stage that waits on a server the checks do not run (they would take
    Python's lock from the stages); from when it says its requests are out they do, and
    if it never says so, after it. Either way the result is the same."""
    before, server = NotingStage(checks_started), ServerStage(checks_started, says=says)
    pipe = Pipeline([ReplaceStage("a", {"Monday": "Tuesday"}), before, server])
    result = pipe.repair(CHECKED)
    assert before.seen == [False]
    assert server.came == [says]
    assert_repaired_with_the_checks_alone(result)
