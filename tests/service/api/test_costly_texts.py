"""The hostile test's full-stop text through the shipped pipeline over HTTP: a 200 with each
stage's report, no stage working on it for a minute."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from copydesk import models
from copydesk.service.api import create_app
from copydesk.service.settings import Settings
from tests.languagetool_fake import fake_languagetool

STOPS = ". " * 49999
# A generous guard (the text took over two minutes before), not a timing.
GUARD_SECONDS = 20


def test_the_full_stop_attack_answers_200_through_every_stage(tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path}/state.db", jobs_dir=tmp_path / "jobs")
    with fake_languagetool() as fake:
        pipeline = models.load(overrides={"grammar": {"url": fake.url}})
        with TestClient(create_app(settings, pipeline)) as http:
            started = time.monotonic()
            answer = http.post("/v1/repair", json={"text": STOPS})
            assert time.monotonic() - started < GUARD_SECONDS
        assert fake.texts == []
    assert answer.status_code == 200, answer.text
    (result,) = answer.json()["results"]
    assert result["repaired"] == STOPS
    stages = {s["name"]: s for s in result["stages"]}
    assert list(stages) == ["sentence_case", "casing", "entities", "grammar"]
    assert all(s["status"] == "ok" for n, s in stages.items() if n != "grammar")
    assert stages["grammar"]["status"] == "skipped"
    assert stages["grammar"]["reason"].startswith("grammar not checked: not prose")
