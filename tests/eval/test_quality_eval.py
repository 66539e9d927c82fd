"""``copydesk eval qe``: correlations of the shipped estimate on the MLQE-PE dev excerpt."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from copydesk.eval.components.quality import evaluate_qe, qe_table, record
from copydesk.models.quality import QualityModel
from copydesk.models.quality.config import SHIPPED

TESTS = Path(__file__).resolve().parent.parent
EXCERPT = TESTS / "fixtures" / "mlqe-pe-dev-excerpt"
LABELS = TESTS / "models" / "quality" / "fixtures"


def _data(root: Path) -> Path:
    qe = root / "mlqe-pe-ru-en"
    qe.mkdir(parents=True)
    for name in ("orig.ru", "orig.mt.en", "doc_ids"):
        shutil.copy(EXCERPT / f"dev.{name}", qe / f"dev.{name}")
    for name in ("hter", "da_z_mean"):
        shutil.copy(LABELS / f"dev.{name}", qe / f"dev.{name}")
    return root


def test_eval_qe_scores_the_model_beside_its_baselines(tmp_path):
    evaluation = evaluate_qe(_data(tmp_path / "data"), QualityModel.load(SHIPPED))
    assert evaluation.segments == 120
    for kind in ("source", "english"):
        for label in ("da", "hter"):
            figures = evaluation.figures[kind][label]
            assert figures["constant"] == {"pearson": None, "spearman": None}
            assert -1 <= figures["length"]["pearson"] <= 1
            # On 120 dev lines the model orders segments far better than their lengths.
            assert figures["model"]["pearson"] > 0.3
            assert figures["model"]["pearson"] > figures["length"]["pearson"]
    table = "\n".join(qe_table(evaluation.figures, "dev"))
    assert "| with source | model |" in table and "n/a" in table
    assert evaluation.ms_per_segment["source"] > 0


def test_recording_writes_evaluation_and_card(tmp_path):
    folder = tmp_path / "model"
    shutil.copytree(SHIPPED, folder)
    evaluation = evaluate_qe(_data(tmp_path / "data"), QualityModel.load(folder), limit=30)
    card = record(folder, evaluation)
    assert json.loads((folder / "evaluation.json").read_text())["segments"] == 30
    text = card.read_text(encoding="utf-8")
    assert "MLQE-PE ru-en dev (30 segments)" in text
    assert "Cross-validation on train" in text
