"""No request starves LanguageTool for the others: the attack texts answer at once with
grammar skipped and why, the next ordinary request keeps its grammar repairs, and
``/ready`` says degraded while checks time out, then recovers."""

from __future__ import annotations

import time

import httpx
import pytest
from fastapi.testclient import TestClient

from copydesk import models
from copydesk.models.stages import GrammarStage, SentenceCaseStage
from copydesk.service.api import create_app
from copydesk.service.settings import Settings
from tests.languagetool_fake import fake_languagetool, wait_for

ATTACKS = {
    "marks": "\u0301" * 50000,
    "stops": ". " * 49999,
    "nuls": "\x00" * 10000,
    "brackets": "[" * 10000,
}


def settings_for(tmp_path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path}/state.db", jobs_dir=tmp_path / "jobs")


def grammar_of(answer: dict) -> dict:
    return next(s for s in answer["stages"] if s["name"] == "grammar")


def attack_then_ordinary(http, attack: str) -> None:
    """The attack of the hostile test, then an ordinary request: the first with grammar
    skipped and why, the second quick and repaired."""
    answer = http.post("/v1/repair", json={"items": [{"text": attack}] * 2})
    assert answer.status_code == 200, answer.text
    for result in answer.json()["results"]:
        report = grammar_of(result)
        # The grammar stage's own time (its rules on 50,000 sentences, on a busy machine):
        # it never waits on LanguageTool, which would take its whole 20 s.
        assert report["status"] == "skipped" and report["seconds"] < 10
        assert report["reason"].startswith("grammar not checked: not prose")
    started = time.monotonic()
    ordinary = http.post("/v1/repair", json={"text": "He go home."})
    assert ordinary.status_code == 200 and time.monotonic() - started < 5
    (result,) = ordinary.json()["results"]
    assert result["repaired"] == "He goes home.", result
    assert grammar_of(result)["status"] == "ok"


@pytest.mark.parametrize("attack", ATTACKS, ids=list(ATTACKS))
def test_the_attack_never_reaches_languagetool(tmp_path, attack):
    with fake_languagetool() as fake:
        stage = GrammarStage(url=fake.url)
        app = create_app(settings_for(tmp_path), models.Pipeline([SentenceCaseStage(), stage]))
        with TestClient(app) as http:
            attack_then_ordinary(http, ATTACKS[attack])
            assert http.get("/ready").json()["status"] == "ready"
        assert fake.texts == ["He go home."]


def test_ready_is_degraded_while_grammar_checks_time_out_and_recovers(tmp_path):
    with fake_languagetool(slow_seconds=10) as fake:
        stage = GrammarStage(url=fake.url, timeout=0.5)
        stage.backend.degraded_seconds = 1.0
        app = create_app(settings_for(tmp_path), models.Pipeline([stage]))
        with TestClient(app) as http:
            assert http.get("/ready").json()["status"] == "ready"
            answer = http.post("/v1/repair", json={"text": "A slow text."})
            assert answer.status_code == 200
            assert "took over 0.5 s" in grammar_of(answer.json()["results"][0])["reason"]
            ready = http.get("/ready")
            assert ready.status_code == 200 and ready.json()["status"] == "degraded"
            assert ready.json()["stages"]["grammar"] == "degraded"
            assert "took over 0.5 s" in ready.json()["reasons"]["grammar"]
            assert wait_for(lambda: http.get("/ready").json()["status"] == "ready", seconds=3)
            assert (
                "reasons" not in http.get("/ready").json()
                or not http.get("/ready").json()["reasons"]
            )
        assert wait_for(lambda: fake.closed == 1)


def test_the_attack_on_the_real_languagetool(tmp_path, languagetool_url):
    """The same against LanguageTool itself, which also refuses what is too long for it."""
    stage = GrammarStage(url=languagetool_url)
    app = create_app(settings_for(tmp_path), models.Pipeline([SentenceCaseStage(), stage]))
    with TestClient(app) as http:
        for attack in ATTACKS.values():
            attack_then_ordinary(http, attack)
        assert http.get("/ready").json()["status"] == "ready"
    # The server copydesk starts runs with its settings: texts past its limit are refused.
    refused = httpx.post(
        f"{languagetool_url}/v2/check", data={"text": "a " * 50001, "language": "en-US"}
    )
    assert refused.status_code == 413
