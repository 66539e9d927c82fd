"""A newsroom lexicon (names learnt from its archive) through HTTP, per newsroom, and batch."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from copydesk import models
from copydesk.models.casing.newsroom import learn_names
from copydesk.models.stages import CasingStage, SentenceCaseStage
from copydesk.service.api import create_app
from copydesk.service.settings import Settings
from tests.helpers import copydesk_command
from tests.models.casing.test_newsroom import ARCHIVE, REPAIRED, TEXT

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def lexicon(tmp_path) -> Path:
    path = tmp_path / "lexicons" / "daily.json.gz"
    path.parent.mkdir()
    learn_names(ARCHIVE).save(path)
    return path


def repaired(client: TestClient, key: str) -> str:
    answer = client.post("/v1/repair", json={"text": TEXT}, headers={"X-API-Key": key})
    assert answer.status_code == 200, answer.text
    return answer.json()["results"][0]["repaired"]


@pytest.mark.parametrize("how", ["setting", "folder"])
def test_each_newsroom_repairs_with_its_own_lexicon(tmp_path, lexicon, how):
    daily = {"keys": ["key-daily"]} | ({"lexicon": str(lexicon)} if how == "setting" else {})
    settings = Settings(
        database_url=f"sqlite:///{tmp_path}/state.db",
        jobs_dir=tmp_path / "jobs",
        newsrooms={"daily": daily, "weekly": {"keys": ["key-weekly"]}},
        lexicons_dir=lexicon.parent if how == "folder" else None,
    )
    pipeline = models.Pipeline([SentenceCaseStage(), CasingStage()])
    with TestClient(create_app(settings, pipeline)) as client:
        assert repaired(client, "key-daily") == REPAIRED
        assert repaired(client, "key-weekly") == TEXT  # no lexicon of its own


def test_batch_reads_the_lexicon_given_or_from_the_environment(tmp_path, lexicon):
    pipeline = tmp_path / "casing.toml"
    pipeline.write_text('[[stages]]\nname = "sentence_case"\n\n[[stages]]\nname = "casing"\n')
    text = tmp_path / "in.txt"
    text.write_text(TEXT + "\n", encoding="utf-8")

    def run(*extra: str, env: dict | None = None) -> str:
        out = tmp_path / f"out{len(extra)}{bool(env)}.txt"
        args = ["batch", str(text), "--lines", "--out", str(out), "--pipeline", str(pipeline)]
        done = subprocess.run(
            copydesk_command(*args, *extra),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
        )
        assert done.returncode == 0, done.stderr
        return out.read_text(encoding="utf-8").strip()

    assert run("--lexicon", str(lexicon)) == REPAIRED
    import os

    assert run(env={**os.environ, "COPYDESK_LEXICON": str(lexicon)}) == REPAIRED
