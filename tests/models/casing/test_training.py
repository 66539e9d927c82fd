from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from copydesk import models
from copydesk.models import Document, RepairContext, StageStatus
from copydesk.models.cards import write_card
from copydesk.models.casing.config import Architecture, TrainConfig
from copydesk.models.casing.model import CasingModel
from copydesk.models.casing.units import split_units
from copydesk.models.stages import CasingStage, SentenceCaseStage
from tests.helpers import tiny_corpus


def test_training_runs_end_to_end_and_writes_a_model_folder(tiny_model, tmp_path):
    folder, report, threshold = tiny_model
    folder = Path(shutil.copytree(folder, tmp_path / "model"))
    assert report.steps == 30
    assert report.loss_curve == [] or report.loss_curve[-1][0] == 30
    names = {p.name for p in folder.iterdir()}
    expected = {"model.safetensors", "config.json", "model.onnx", "spm.model", "lexicon.json"}
    assert expected | {"casing.json"} <= names
    settings = json.loads((folder / "casing.json").read_text())
    assert settings["threshold"] == threshold
    assert settings["training"]["steps"] == 30
    assert settings["training"]["tuning"][0]["threshold"] == 0.5
    assert settings["training"]["machine"]["device"] == "CPU"
    card = write_card(folder).read_text()
    assert "corpus: made up" in card and "Not evaluated yet" in card
    assert "min on the CPU (" in card


def test_loaded_model_predicts_a_distribution_per_unit(tiny_model):
    folder = tiny_model[0]
    model = CasingModel.load(folder)
    text = "the meeting with heiko maas ended."
    units = split_units(text)
    [probs] = model.predict([(units, [u.text for u in units])])
    assert probs.shape == (len(units), 4)
    assert abs(float(probs.sum(axis=1).mean()) - 1.0) < 1e-4


def test_stage_runs_in_a_pipeline_and_its_edits_fit(tiny_model):
    folder = tiny_model[0]
    pipeline = models.Pipeline([SentenceCaseStage(), CasingStage(model=str(folder), threshold=0.0)])
    text = (
        "the Meeting with heiko maas ended. 😀 talks began in geneva.\n\nNATO Talks Open In Geneva"
    )
    result = pipeline.repair(text)
    assert [s.status for s in result.stages] == [StageStatus.OK, StageStatus.OK]
    assert result.apply(result.applied_edits) == result.repaired
    assert result.repaired.startswith("The")
    assert result.repaired.endswith("NATO Talks Open In Geneva")  # title-case headline kept
    for edit in result.edits:
        assert edit.original.lower() == edit.replacement.lower()


def test_missing_model_is_skipped_not_fatal(tmp_path):
    pipeline = models.load(
        {
            "stages": [
                {"name": "casing", "settings": {"model": str(tmp_path)}},
                {"name": "sentence_case"},
            ]
        }
    )
    result = pipeline.repair("the end.")
    assert result.stages[0].status is StageStatus.SKIPPED
    assert "no casing model" in result.stages[0].reason
    assert result.repaired == "The end."


def test_batched_casing_equals_one_document_at_a_time(tiny_model):
    stage = CasingStage(model=str(tiny_model[0]), threshold=0.0)
    docs = [Document.from_text(t) for t in ["the Meeting ended.", "", "heiko maas left. ok."]]
    contexts = [RepairContext()] * len(docs)
    batched = [p.edits for p in stage.propose_many(docs, contexts)]
    assert batched == [stage.propose(d, RepairContext()) for d in docs]


def test_training_can_continue_from_a_model_folder(tiny_model, tmp_path):
    # Late, as in the test below: training needs torch (the train extra).
    from copydesk.models.casing.network import torch_model
    from copydesk.models.casing.train import train_casing

    folder = tiny_model[0]
    before = torch_model(folder)
    config = TrainConfig(
        epochs=1, batch_rows=16, warmup_steps=2, learning_rate=1e-3, device="cpu", prep_workers=2
    )
    out = tmp_path / "continued"
    lines = tiny_corpus(80, seed=2)
    report = train_casing(lines, out, config, log=lambda m: None, init_from=folder)
    after = torch_model(out)
    assert report.steps == 5
    training = after.settings["training"]
    assert [run["steps"] for run in training["earlier"]] == [30] and training["steps"] == 5
    assert training["machine"]["device"] == "CPU" and training["config"]["prep_workers"] == 2
    assert (
        after.featurizer.sp.serialized_model_proto()
        == before.featurizer.sp.serialized_model_proto()
    )
    assert after.scorer.network.config.hidden_size == 32  # the earlier model's shape
    weights = before.scorer.network.state_dict()
    changed = [
        name
        for name, weight in after.scorer.network.state_dict().items()
        if not weight.equal(weights[name])
    ]
    assert changed
    assert "continued from an earlier run: 30 steps" in write_card(out).read_text()


def test_parallel_epoch_preparation_labels_the_same_lines(tiny_model):
    """Forked workers noise with their own seeds, but every line keeps its clean labels."""
    from copydesk.models.casing.train import epoch_rows

    model = CasingModel.load(tiny_model[0])
    lines = tiny_corpus(60, seed=3)
    one = epoch_rows(model, lines, seed=5, workers=1)
    many = epoch_rows(model, lines, seed=5, workers=3)
    assert [labels for _, labels in one] == [labels for _, labels in many]
    assert len(one) == len(many) >= len(lines)
    assert any(a.types != b.types for (a, _), (b, _) in zip(one, many, strict=True))  # other noise


def test_a_training_config_refuses_unknown_keys_and_names_them():
    assert TrainConfig().model_dump()["architecture"] == Architecture().model_dump()
    with pytest.raises(ValidationError, match=r"epoch\n.*Extra inputs are not permitted"):
        TrainConfig(epoch=3)
    with pytest.raises(ValidationError, match=r"architecture\.hiden\n.*not permitted"):
        TrainConfig(architecture={"hiden": 64})
    with pytest.raises(ValidationError, match=r"batch_rows\n.*valid integer"):
        TrainConfig(batch_rows="many")
