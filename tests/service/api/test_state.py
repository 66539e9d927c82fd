"""Stored glossaries and editor feedback, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from copydesk import models
from copydesk.models.stages import EntitiesStage, SentenceCaseStage
from copydesk.service.api import create_app
from copydesk.service.settings import Settings

TBX = """<?xml version="1.0"?><martif type="TBX"><text><body>
<termEntry><langSet xml:lang="en"><tig><term>Munich Security Conference</term></tig></langSet>
</termEntry></body></text></martif>"""


@pytest.fixture
def client(database_url):
    pipeline = models.Pipeline([SentenceCaseStage(), EntitiesStage()])
    with TestClient(create_app(Settings(database_url=database_url), pipeline)) as client:
        yield client


def test_glossary_lifecycle(client):
    body = {"name": "desk", "terms": [{"term": "Zelensky", "variants": ["Zelenskiy"]}]}
    created = client.post("/v1/glossaries", json=body)
    assert created.status_code == 201
    gid = created.json()["id"]
    assert client.post("/v1/glossaries", json=body).status_code == 409
    assert client.get("/v1/glossaries").json() == [
        {"id": gid, "newsroom": "default", "name": "desk", "terms": 1}
    ]
    assert client.get(f"/v1/glossaries/{gid}").json()["terms"][0]["variants"] == ["Zelenskiy"]
    repaired = client.post("/v1/repair", json={"text": "Zelenskiy spoke.", "glossary_id": gid})
    assert repaired.json()["results"][0]["repaired"] == "Zelensky spoke."
    replaced = client.put(f"/v1/glossaries/{gid}", json={"name": "desk", "terms": []})
    assert replaced.status_code == 200 and replaced.json()["terms"] == []
    assert client.delete(f"/v1/glossaries/{gid}").status_code == 204
    assert client.get(f"/v1/glossaries/{gid}").status_code == 404
    assert client.post("/v1/repair", json={"text": "x", "glossary_id": gid}).status_code == 404


def test_glossary_import_csv_and_tbx(client):
    csv = client.post(
        "/v1/glossaries/import",
        json={
            "name": "csv",
            "format": "csv",
            "content": "term,variants\nSergey Lavrov,Sergei Lavrov\n",
        },
    )
    assert csv.status_code == 201 and csv.json()["terms"][0]["term"] == "Sergey Lavrov"
    tbx = client.post(
        "/v1/glossaries/import", json={"name": "tbx", "format": "tbx", "content": TBX}
    )
    assert tbx.status_code == 201
    text = {"text": "At the munich security conference.", "glossary_id": tbx.json()["id"]}
    result = client.post("/v1/repair", json=text).json()["results"][0]
    assert result["repaired"] == "At the Munich Security Conference."
    bad = client.post("/v1/glossaries/import", json={"name": "x", "format": "tbx", "content": "<a"})
    assert bad.status_code == 422 and "not well-formed" in bad.json()["detail"]


def test_feedback_gives_precision_per_stage(client):
    decision = {"kind": "casing", "stage": "casing", "confidence": 0.9}
    decisions = [
        {**decision, "accepted": True},
        {**decision, "accepted": True},
        {**decision, "accepted": False},
        {"kind": "entity", "stage": "entities", "confidence": 0.8, "accepted": True},
    ]
    assert client.post("/v1/feedback", json={"decisions": decisions}).json() == {"recorded": 4}
    stats = client.get("/v1/stats").json()
    assert stats == [
        {
            "stage": "casing",
            "kind": "casing",
            "accepted": 2,
            "rejected": 1,
            "not_reviewed": 0,
            "precision": 2 / 3,
            "learned_cutoffs": {},
            "learned_at": None,
            "learned_changes": [],
        },
        {
            "stage": "entities",
            "kind": "entity",
            "accepted": 1,
            "rejected": 0,
            "not_reviewed": 0,
            "precision": 1.0,
            "learned_cutoffs": {},
            "learned_at": None,
            "learned_changes": [],
        },
    ]
    assert client.post("/v1/feedback", json={"decisions": [{"kind": "style"}]}).status_code == 422


def test_unreviewed_edits_are_not_rejections_and_a_later_decision_replaces(client):
    edit = {"kind": "fluency", "stage": "rewrite", "confidence": 0.5, "review": "r1"}
    first = [
        {**edit, "edit": 0, "accepted": False},
        {**edit, "edit": 1, "accepted": None},
        {**edit, "edit": 2},
    ]
    assert client.post("/v1/feedback", json={"decisions": first}).status_code == 201
    changed = [{**edit, "edit": 0, "accepted": True}]  # the editor undid the rejection
    assert client.post("/v1/feedback", json={"decisions": changed}).status_code == 201
    [row] = [s for s in client.get("/v1/stats").json() if s["stage"] == "rewrite"]
    assert (row["accepted"], row["rejected"], row["not_reviewed"], row["precision"]) == (
        1,
        0,
        2,
        1.0,
    )


def test_glossary_export_as_csv_and_tbx(client):
    from copydesk.models.names.glossary import Glossary

    terms = [{"term": "Sergey Lavrov", "variants": ["Sergei Lavrov"], "notes": "minister"}]
    created = client.post("/v1/glossaries", json={"name": "export-me", "terms": terms}).json()
    tbx = client.get(f"/v1/glossaries/{created['id']}", params={"format": "tbx"})
    assert tbx.status_code == 200 and tbx.headers["content-type"] == "application/x-tbx+xml"
    assert "attachment" in tbx.headers["content-disposition"]
    csv_file = client.get(f"/v1/glossaries/{created['id']}", params={"format": "csv"})
    for exported in (Glossary.from_tbx(tbx.content), Glossary.from_csv(csv_file.text)):
        [term] = exported.terms
        assert (term.term, term.variants, term.notes) == (
            "Sergey Lavrov",
            ("Sergei Lavrov",),
            "minister",
        )
    assert (
        client.get(f"/v1/glossaries/{created['id']}", params={"format": "pdf"}).status_code == 422
    )
