"""The quality estimator's commands, run through click."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from copydesk.service.cli.quality import eval_qe_command
from copydesk.service.settings import get_settings

TESTS = Path(__file__).resolve().parent.parent
EXCERPT = TESTS / "fixtures" / "mlqe-pe-dev-excerpt"
LABELS = TESTS / "models" / "quality" / "fixtures"


def test_eval_qe_prints_the_table_and_json(tmp_path, monkeypatch):
    qe = tmp_path / "data" / "mlqe-pe-ru-en"
    qe.mkdir(parents=True)
    for name in ("orig.ru", "orig.mt.en", "doc_ids"):
        shutil.copy(EXCERPT / f"dev.{name}", qe / f"dev.{name}")
    for name in ("hter", "da_z_mean"):
        shutil.copy(LABELS / f"dev.{name}", qe / f"dev.{name}")
    monkeypatch.setenv("COPYDESK_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    try:
        table = CliRunner().invoke(eval_qe_command, ["--limit", "40"])
        as_json = CliRunner().invoke(eval_qe_command, ["--limit", "40", "--json"])
    finally:
        get_settings.cache_clear()
    assert table.exit_code == 0, table.output
    assert "| with source | model |" in table.output and "ms per segment" in table.output
    assert as_json.exit_code == 0, as_json.output
    figures = json.loads(as_json.output)
    assert figures["segments"] == 40
    assert figures["figures"]["source"]["da"]["constant"]["pearson"] is None
