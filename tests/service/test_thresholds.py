"""One threshold rule for every way in: the CLI, HTTP and batch give the same split."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from copydesk import models
from copydesk.service.api import create_app
from copydesk.service.settings import Settings
from tests.helpers import run_copydesk

FIXTURES = Path(__file__).parent / "fixtures"
MECHANICAL = FIXTURES / "mechanical.toml"  # sentence_case, casing, entities: no LanguageTool


def split(edits: list[dict]) -> list[tuple]:
    return sorted((e["start"], e["end"], e["replacement"], e["applied"]) for e in edits)


def by_cli(text: str, *args: str, env: dict | None = None) -> dict:
    proc = run_copydesk(
        "repair",
        "-",
        "--format",
        "json",
        "--pipeline",
        str(MECHANICAL),
        *args,
        stdin=text.encode(),
        env={**os.environ, **(env or {})},
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def by_http(text: str, threshold: float | None) -> dict:
    settings = Settings(database_url=f"sqlite:///{tempfile.mkdtemp()}/s.db")
    client = TestClient(create_app(settings, models.load(MECHANICAL)))
    body = {"text": text} if threshold is None else {"text": text, "threshold": threshold}
    response = client.post("/v1/repair", json=body)
    assert response.status_code == 200, response.text
    return response.json()["results"][0]


def by_batch(text: str, threshold: float | None, tmp_path: Path) -> dict:
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text(json.dumps({"text": text}) + "\n", encoding="utf-8")
    extra = [] if threshold is None else ["--threshold", str(threshold)]
    proc = run_copydesk(
        "batch", str(src), "--out", str(out), "--with-edits", "--pipeline", str(MECHANICAL), *extra
    )
    assert proc.returncode == 0, proc.stderr
    record = json.loads(out.read_text(encoding="utf-8"))
    return {"repaired": record["text"], "edits": record["copydesk"]["edits"]}


@pytest.mark.parametrize("threshold", [None, 0.3, 0.999])
def test_cli_http_and_batch_agree_at_a_threshold(seed_mt, tmp_path, threshold):
    args = [] if threshold is None else ["--threshold", str(threshold)]
    cli = by_cli(seed_mt, *args)
    http = by_http(seed_mt, threshold)
    batch = by_batch(seed_mt, threshold, tmp_path)
    assert cli["repaired"] == http["repaired"] == batch["repaired"]
    assert split(cli["edits"]) == split(http["edits"]) == split(batch["edits"])


def test_an_explicit_threshold_overrides_every_stage_own(seed_mt):
    own = by_cli(seed_mt)
    low = by_cli(seed_mt, "--threshold", "0.3")
    # The casing stage's own threshold is 0.99: its 0.97 suggestion `Meeting` -> `meeting`
    # is applied at 0.3, as every edit of at least 0.3 is.
    meeting = [e for e in own["edits"] if e["original"] == "Meeting"]
    assert meeting and not meeting[0]["applied"] and meeting[0]["confidence"] >= 0.3
    assert all(e["applied"] for e in low["edits"] if e["confidence"] >= 0.3)
    assert "The meeting at" in low["repaired"] and "The meeting at" not in own["repaired"]
    # COPYDESK_THRESHOLD is the same request-level value, from the environment.
    env = by_cli(seed_mt, env={"COPYDESK_THRESHOLD": "0.3"})
    assert env["repaired"] == low["repaired"]


def test_the_precedence_is_request_then_file_then_stage_then_default(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text(
        'threshold = 0.7\n[[stages]]\nname = "sentence_case"\nthreshold = 0.99\n'
        '[[stages]]\nname = "entities"\n',
        encoding="utf-8",
    )
    pipeline = models.load(path)
    assert pipeline.thresholds() == {"sentence_case": 0.99, "entities": 0.7}  # file, then own
    assert pipeline.thresholds(0.2) == {"sentence_case": 0.2, "entities": 0.2}
    bare = models.load({"stages": [{"name": "sentence_case"}]})
    assert bare.thresholds() == {"sentence_case": 0.5}  # no threshold of its own: the default
