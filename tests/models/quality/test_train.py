"""Training from the corpora's layout, on the 120-line MLQE-PE excerpt: a tiny real run."""

from __future__ import annotations

import json

import numpy as np
import pytest

from copydesk.models.quality import QualityModel
from copydesk.models.quality.config import (
    LEXICON_FILE,
    LINEAR_FILE,
    NGRAM_FILE,
    ONNX_FILES,
    SETTINGS_FILE,
    STACKED_ONNX_FILES,
)

pytestmark = pytest.mark.integration  # trains a model

MT = ["The meeting ended without an agreement.", "Otherwise Turkey until the end of February."]
SOURCE = ["Встреча завершилась без соглашения.", "Иначе Турция до конца февраля."]


def test_training_writes_a_folder_that_loads(tiny_quality):
    _, folder, record = tiny_quality
    assert json.loads((folder / SETTINGS_FILE).read_text(encoding="utf-8")) == record
    for name in [*ONNX_FILES.values(), *STACKED_ONNX_FILES.values()]:
        assert (folder / name).is_file()
    for kind in ("source", "english"):
        for label in ("da", "hter"):
            figures = record["cv"][kind][label]
            assert -1.0 <= figures["model"]["pearson"] <= 1.0
            assert figures["constant"]["pearson"] is None  # undefined for a constant
    model = QualityModel.load(folder)
    sources = [*SOURCE, None, None]
    estimates = model.estimate_many(MT + MT, sources)
    assert all(0.0 <= e.hter <= 1.0 for e in estimates)
    assert estimates == [model.estimate(m, s) for m, s in zip(MT + MT, sources, strict=True)]


def test_a_fresh_folder_gets_a_card_of_its_cross_validation(tiny_quality):
    from copydesk.eval.components.quality import write_qe_card

    _, folder, _ = tiny_quality
    text = write_qe_card(folder).read_text(encoding="utf-8")
    assert "## Cross-validation on train" in text
    assert "MLQE-PE ru-en dev" not in text  # no evaluation recorded yet
    assert "| with source | model |" in text


def test_the_graphs_answer_as_the_trees_learned(tiny_quality):
    """The tiny model's predictions on its own training lines follow the labels."""
    data, folder, _ = tiny_quality
    qe = data / "mlqe-pe-ru-en"
    mt = (qe / "train.orig.mt.en").read_text(encoding="utf-8").splitlines()
    src = (qe / "train.orig.ru").read_text(encoding="utf-8").splitlines()
    da = np.loadtxt(qe / "train.da_z_mean")
    pred = [e.da for e in QualityModel.load(folder).estimate_many(mt, src)]
    assert np.corrcoef(pred, da)[0, 1] > 0.5


def test_training_is_deterministic(tiny_quality, tmp_path):
    from copydesk.models.quality.train import train_quality

    data, folder, record = tiny_quality
    again = train_quality(data, tmp_path, _settings(record), log=lambda _: None)
    assert again["cv"] == record["cv"]
    for name in [*ONNX_FILES.values(), *STACKED_ONNX_FILES.values()]:
        assert (tmp_path / name).read_bytes() == (folder / name).read_bytes()


def _stage(model, files, row, key, stage):
    from copydesk.models.quality.model import _session

    session = _session(str(model.folder / files[key]))
    trees = float(session.run(None, {session.get_inputs()[0].name: row})[0].ravel()[0])
    linear = float(model.linear[(*key, stage)].predict(row)[0])
    weight = model.linear_weight
    return (1 - weight) * trees + weight * linear


def test_the_estimate_blends_trees_and_the_linear_model(tiny_quality):
    """From the English alone, one stage: the graph blended with its linear model."""
    _, folder, record = tiny_quality
    model = QualityModel.load(folder)
    weight = record["settings"]["linear_weight"]
    assert 0.0 < weight < 1.0 and (folder / LINEAR_FILE).is_file()
    row = model.features(MT[0], None)[None, :]
    expected = _stage(model, ONNX_FILES, row, ("da", "english"), 0)
    assert model.estimate(MT[0]).da == pytest.approx(expected, abs=1e-6)


def test_with_a_source_the_second_stage_reads_the_other_labels_estimate(tiny_quality):
    _, folder, record = tiny_quality
    model = QualityModel.load(folder)
    row = model.features(MT[0], SOURCE[0])[None, :]
    first_hter = _stage(model, ONNX_FILES, row, ("hter", "source"), 0)
    stacked = np.hstack([row, [[first_hter]]])
    expected = _stage(model, STACKED_ONNX_FILES, stacked, ("da", "source"), 1)
    assert model.estimate(MT[0], SOURCE[0]).da == pytest.approx(expected, abs=1e-6)
    assert "first_stage" in record["cv"]["source"]["da"]
    assert "first_stage" not in record["cv"]["english"]["da"]


def test_retraining_can_keep_the_tables(tiny_quality, tmp_path):
    """``tables``: the n-gram counts and lexicon are copied, byte for byte, not rebuilt."""
    from copydesk.models.quality.train import train_quality

    data, folder, record = tiny_quality
    again = train_quality(data, tmp_path, _settings(record), tables=folder, log=lambda _: None)
    for name in (NGRAM_FILE, LEXICON_FILE, *ONNX_FILES.values(), *STACKED_ONNX_FILES.values()):
        assert (tmp_path / name).read_bytes() == (folder / name).read_bytes()
    assert again["cv"] == record["cv"]


def _settings(record: dict):
    from copydesk.models.quality.config import TrainSettings

    return TrainSettings(**record["settings"])
