"""Reviews saved from the page: saved, listed, reopened whole, replaced and deleted, and
another newsroom's answer 404 (its ids are random, never counted)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from copydesk import models
from copydesk.models.stages import SentenceCaseStage
from copydesk.service.api import create_app
from copydesk.service.settings import Settings

A, B, ADMIN = {"X-API-Key": "key-a"}, {"X-API-Key": "key-b"}, {"X-API-Key": "key-admin"}
NEWSROOMS = {
    "daily": {"keys": ["key-a"]},
    "weekly": {"keys": ["key-b"]},
    "ops": {"keys": ["key-admin"], "role": "admin"},
}
STATE = {
    "result": {"original": "the talks ended.", "edits": [{"id": 0, "replacement": "The"}]},
    "text": "The talks ended.",
    "decisions": {"0": "accepted"},
}


@pytest.fixture
def client(database_url, tmp_path):
    settings = Settings(database_url=database_url, jobs_dir=tmp_path / "jobs", newsrooms=NEWSROOMS)
    with TestClient(create_app(settings, models.Pipeline([SentenceCaseStage()]))) as client:
        yield client


def test_a_review_is_saved_listed_reopened_replaced_and_deleted(client):
    created = client.post("/v1/reviews", json={"title": "Idlib", "state": STATE}, headers=A)
    assert created.status_code == 201, created.text
    review = created.json()
    assert review["newsroom"] == "daily" and review["state"] == STATE
    assert len(review["id"]) == 22 and not review["id"].isdigit()
    path = f"/v1/reviews/{review['id']}"
    assert client.get(path, headers=A).json()["state"] == STATE
    listed = client.get("/v1/reviews", headers=A).json()
    assert [(r["id"], r["title"]) for r in listed] == [(review["id"], "Idlib")]
    assert "state" not in listed[0]  # the list is light; reopening fetches the whole
    changed = {**STATE, "decisions": {"0": "rejected"}}
    replaced = client.put(path, json={"title": "Idlib, 2nd", "state": changed}, headers=A)
    assert replaced.status_code == 200 and replaced.json()["state"] == changed
    assert client.get(path, headers=A).json()["title"] == "Idlib, 2nd"
    assert client.delete(path, headers=A).status_code == 204
    assert client.get(path, headers=A).status_code == 404
    assert client.get("/v1/reviews", headers=A).json() == []


def test_another_newsroom_cannot_reach_a_review(client):
    review = client.post("/v1/reviews", json={"title": "mine", "state": STATE}, headers=A).json()
    path = f"/v1/reviews/{review['id']}"
    answers = [
        client.get(path, headers=B),
        client.put(path, json={"title": "theirs", "state": {}}, headers=B),
        client.delete(path, headers=B),
    ]
    assert [r.status_code for r in answers] == [404, 404, 404]
    assert client.get("/v1/reviews", headers=B).json() == []
    assert client.get("/v1/reviews", params={"newsroom": "daily"}, headers=B).status_code == 404
    assert client.get(path, headers=A).json()["title"] == "mine"  # untouched
    assert [r["id"] for r in client.get("/v1/reviews", headers=ADMIN).json()] == [review["id"]]
    assert client.get(path, headers=ADMIN).status_code == 200
    assert client.get("/v1/reviews", headers={}).status_code == 401


def test_a_review_needs_a_title_and_a_state(client):
    for body in ({"state": STATE}, {"title": "", "state": STATE}, {"title": "x"}):
        assert client.post("/v1/reviews", json=body, headers=A).status_code == 422
    assert client.get("/v1/reviews/nope", headers=A).status_code == 422
