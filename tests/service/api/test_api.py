from __future__ import annotations

import tempfile

import pytest
from fastapi.testclient import TestClient

from copydesk import models
from copydesk.models import Document, Edit, RepairContext, Stage
from copydesk.models.stages import EntitiesStage, SentenceCaseStage
from copydesk.service.api import create_app
from copydesk.service.settings import Settings


class Exploding(Stage):
    name = "exploding"

    def propose(self, doc: Document, context: RepairContext) -> list[Edit]:
        raise RuntimeError("boom")


def client_for(pipeline=None, **settings) -> TestClient:
    pipeline = pipeline or models.Pipeline([SentenceCaseStage(), EntitiesStage()])
    settings.setdefault("database_url", f"sqlite:///{tempfile.mkdtemp()}/state.db")
    client = TestClient(create_app(Settings(**settings), pipeline))
    client.__enter__()  # the app's start-up (warm-up, jobs resumed), as a server runs it
    return client


@pytest.fixture(scope="module")
def client():
    return client_for()


def test_health_ready_and_openapi(client):
    assert client.get("/health").json() == {"status": "ok"}
    ready = client.get("/ready").json()
    assert ready == {
        "status": "ready",
        "stages": {"sentence_case": "ok", "entities": "ok"},
        "reasons": {},
        "storage": "ok",
    }
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/v1/repair", "/v1/apply", "/v1/score", "/health", "/ready"} <= set(paths)


def test_repair_one_text(client, seed_mt):
    response = client.post("/v1/repair", json={"text": seed_mt})
    assert response.status_code == 200
    [result] = response.json()["results"]
    assert result["original"] == seed_mt
    changes = [(e["original"], e["replacement"]) for e in result["edits"] if e["applied"]]
    assert ("Iglinskiy", "Idlib") in changes and ("the", "The") in changes
    edits = [
        Edit.from_dict({k: v for k, v in e.items() if k not in ("id", "start_utf16", "end_utf16")})
        for e in result["edits"]
    ]
    assert models.apply_edits(seed_mt, [e for e in edits if e.applied]) == result["repaired"]


def test_repair_several_texts_with_sources_and_inline_glossary(client):
    body = {
        "items": [
            {
                "text": "the talks in the Iglinskiy zone ended.",
                "source": "Переговоры в Идлибской зоне завершились.",
            },
            {"text": ""},
        ],
        "glossary": [{"term": "Munich Security Conference"}],
    }
    results = client.post("/v1/repair", json=body).json()["results"]
    assert results[0]["repaired"] == "The talks in the Idlib zone ended."
    assert results[1] == {
        "original": "",
        "repaired": "",
        "edits": [],
        "stages": results[1]["stages"],
        "flags": [],
        "segments": [],
    }
    text = {"text": "He spoke at the munich security conference."}
    glossed = client.post("/v1/repair", json={**text, "glossary": body["glossary"]}).json()
    assert glossed["results"][0]["repaired"] == "He spoke at the Munich Security Conference."


def test_utf16_offsets_for_javascript(client):
    text = "😀 👩\u200d👩\u200d👧 the end."
    [result] = client.post("/v1/repair", json={"text": text}).json()["results"]
    [edit] = result["edits"]
    assert (edit["start"], edit["end"]) == (8, 11)
    assert (
        text.encode("utf-16-le")[edit["start_utf16"] * 2 : edit["end_utf16"] * 2].decode(
            "utf-16-le"
        )
        == "the"
    )


def test_apply_chosen_edits(client, seed_mt):
    [result] = client.post("/v1/repair", json={"text": seed_mt}).json()["results"]
    chosen = [e for e in result["edits"] if e["original"] != "Iglinskiy"]
    response = client.post("/v1/apply", json={"original": seed_mt, "edits": chosen})
    assert response.status_code == 200
    text = response.json()["text"]
    assert "Iglinskiy" in text and "Sergei" not in text
    assert text == result["repaired"].replace("Idlib areas", "Iglinskiy areas")
    bad = client.post(
        "/v1/apply",
        json={
            "original": "abc",
            "edits": [{"start": 0, "end": 1, "original": "x", "replacement": "y"}],
        },
    )
    assert bad.status_code == 422 and "expects 'x'" in bad.json()["detail"]


def test_score(client):
    body = {
        "hypotheses": ["the Munich security conference opened."],
        "references": [["The Munich Security Conference opened."]],
        "metrics": ["ter", "chrf"],
    }
    scores = client.post("/v1/score", json=body).json()["scores"]
    assert [s["metric"] for s in scores] == ["ter", "chrf"]
    assert scores[0]["score"] == pytest.approx(60.0) and "case:mixed" in scores[0]["signature"]
    misaligned = {**body, "references": [["a", "b"]]}
    assert client.post("/v1/score", json=misaligned).status_code == 422
    assert "needs 'original'" in client.post("/v1/score", json={**body, "metrics": ["errant"]}).text


def test_score_against_the_do_nothing_baseline(client):
    mt = ["the Munich security conference opened.", "foreign Minister Lavrov spoke.", "It rained."]
    body = {
        "hypotheses": [
            "The Munich Security Conference opened.",
            "Foreign Minister Lavrov spoke.",
            "It rained.",
        ],
        "references": [
            [
                "The Munich Security Conference opened.",
                "Foreign Minister Lavrov spoke.",
                "It rained.",
            ]
        ],
        "original": mt,
        "metrics": ["ter", "errant"],
        "resamples": 200,
    }
    data = client.post("/v1/score", json=body).json()
    assert [s["score"] for s in data["scores"]] == [0.0, 100.0]
    assert data["baseline"][0]["score"] > 0
    ter = data["versus_baseline"]["ter"]
    assert ter["delta"] < 0 and ter["improved"] == pytest.approx(2 / 3, abs=1e-4)
    assert data["edits"]["strict"]["p"] == 1.0 and data["edits"]["strict"]["tp"] >= 2


def test_bad_input_gets_clear_4xx():
    client = client_for(max_text_chars=50, max_request_bytes=2000)
    too_long = client.post("/v1/repair", json={"text": "x" * 51})
    assert too_long.status_code == 413 and "limit is 50" in too_long.json()["detail"]
    too_big = client.post("/v1/repair", json={"items": [{"text": "y" * 40}] * 60})
    assert too_big.status_code == 413 and "bytes" in too_big.json()["detail"]
    json_type = {"content-type": "application/json"}
    assert client.post("/v1/repair", content=b"{not json", headers=json_type).status_code == 422
    assert client.post("/v1/repair", json={"text": "a", "items": []}).status_code == 422
    assert client.post("/v1/repair", json={"txt": "a"}).status_code == 422
    not_utf8 = client.post("/v1/repair", content=b'{"text": "caf\xe9"}', headers=json_type)
    assert not_utf8.status_code == 400 and "not UTF-8" in not_utf8.json()["detail"]


def test_api_keys():
    client = client_for(api_keys=["s3cret"])
    assert client.post("/v1/repair", json={"text": "x"}).status_code == 401
    ok = client.post("/v1/repair", json={"text": "x"}, headers={"X-API-Key": "s3cret"})
    assert ok.status_code == 200
    assert client.get("/health").status_code == 200


def test_failing_stage_is_reported_not_a_500():
    client = client_for(models.Pipeline([Exploding(), SentenceCaseStage()]))
    response = client.post("/v1/repair", json={"text": "the end."})
    assert response.status_code == 200
    [result] = response.json()["results"]
    assert result["repaired"] == "The end."
    assert result["stages"][0]["status"] == "failed" and "boom" in result["stages"][0]["reason"]
    # A failure on one text is that text's report; readiness is about backends being up.
    assert client.get("/ready").json()["status"] == "ready"


def test_prometheus_metrics():
    client = client_for(models.Pipeline([Exploding(), SentenceCaseStage()]))
    client.post("/v1/repair", json={"text": "the end."})
    client.get("/health")
    text = client.get("/metrics").text
    assert 'copydesk_requests_total{method="POST",route="/v1/repair",status="200"} 1.0' in text
    assert 'copydesk_edits_total{applied="true",kind="casing"} 1.0' in text
    assert 'copydesk_stage_problems_total{stage="exploding",status="failed"} 1.0' in text
    assert 'copydesk_request_seconds_bucket{le="0.15",route="/v1/repair"}' in text


def test_repair_html_and_markdown(client):
    text = '<h1>talks</h1><p>the <a href="https://x.org/the">vote</a> came.</p>'
    [result] = client.post("/v1/repair", json={"text": text, "format": "html"}).json()["results"]
    assert result["original"] == text
    assert (
        result["repaired"] == '<h1>Talks</h1><p>The <a href="https://x.org/the">vote</a> came.</p>'
    )
    for edit in result["edits"]:
        assert text[edit["start"] : edit["end"]] == edit["original"]
    md = {"items": [{"text": "the **vote** came."}], "format": "markdown"}
    [result] = client.post("/v1/repair", json=md).json()["results"]
    assert result["repaired"] == "The **vote** came."
    refused = client.post("/v1/repair", json={"text": "x", "format": "docx"})
    assert refused.status_code == 422
