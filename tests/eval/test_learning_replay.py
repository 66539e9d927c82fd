"""Recorded repairs replayed offline: the shipped choice gives the shipped figures, and
the curve on recorded repairs learns as the real one does."""

from __future__ import annotations

from copydesk import models
from copydesk.eval.components import learning, learning_replay
from copydesk.models.stages import SentenceCaseStage


def test_recorded_repairs_replay_the_shipped_figures(tmp_path):
    pipeline = models.Pipeline([SentenceCaseStage()])
    mt = [f"officials met on day {i}. iphone sales rose." for i in range(20)]
    references = [f"Officials met on day {i}. iphone sales rose." for i in range(20)]
    toy = learning.SimSet("toy", mt, references)
    path = tmp_path / "replay.json.gz"
    learning_replay.save(learning_replay.record(pipeline, [toy]), path)
    thresholds, learning_parts, measuring = learning_replay.load(path)
    assert thresholds == pipeline.thresholds() and len(learning_parts[0]) == 10
    measured = learning.measure(pipeline, toy.halves()[1])
    replayed = learning_replay.replay(measuring["toy"], learning_replay.shipped)
    assert replayed.to_dict() == measured.to_dict()
    assert (replayed.applied, replayed.to_undo) == (20, 10)  # the iphone capital: undone
    curve, total = learning_replay.replay_curve(path, points=(5,))
    assert total == 20 and [p.decisions for p in curve] == [0, 5, 20]
    assert curve[0].measures["toy"].to_dict() == measured.to_dict()
    # Five rejections of the capital on `iphone`: a word cutoff, and the undos are gone.
    assert curve[-1].cutoffs == {"sentence_case:sentence-initial-capital|iphone": 1.01}
    assert curve[-1].measures["toy"].to_undo == 0
