"""Hostile decisions on /v1/feedback and in an exported decisions file for /v1/learn:
a clear 422 and nothing stored, on each database the service supports."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from copydesk import models
from copydesk.models.stages import SentenceCaseStage
from copydesk.service.api import create_app
from copydesk.service.learning.store import stored_decisions
from copydesk.service.settings import Settings

EDIT = {"kind": "casing", "stage": "casing", "confidence": 0.5, "accepted": True}


@pytest.fixture
def client(database_url, tmp_path):
    settings = Settings(database_url=database_url, jobs_dir=tmp_path / "jobs", job_workers=0)
    pipeline = models.Pipeline([SentenceCaseStage()])
    with TestClient(create_app(settings, pipeline), raise_server_exceptions=False) as client:
        yield client


def stored(client: TestClient) -> int:
    return client.post("/v1/learn").json()["decisions"]


@pytest.mark.parametrize(
    "decision",
    [
        {**EDIT, "original": "", "replacement": ",", "context": "abc", "start": 2**40},
        {**EDIT, "original": "", "replacement": ",", "context": "abc", "start": 4},
        {**EDIT, "original": "b", "replacement": "B", "context": "abc", "start": True},
        {**EDIT, "original": "b", "replacement": "B", "start": 1},  # a start without its text
    ],
)
def test_feedback_refuses_a_start_that_is_not_in_its_context(client, decision):
    response = client.post("/v1/feedback", json={"decisions": [decision]})
    assert response.status_code == 422, response.text
    assert stored(client) == 0


@pytest.mark.parametrize(
    "decision",
    [
        {**EDIT, "accepted": "false", "original": "a", "replacement": "A"},
        {**EDIT, "original": "", "replacement": ",", "context": "abc", "start": 2**40},
        {**EDIT, "original": "", "replacement": ",", "context": "abc", "start": -3},
        {**EDIT, "original": "b", "replacement": "B", "context": "abc", "start": True},
        {**EDIT, "stage": "s" * 65, "original": "a", "replacement": "A"},
        {**EDIT, "kind": "k" * 33, "original": "a", "replacement": "A"},
        {**EDIT, "rule": "r" * 129, "original": "a", "replacement": "A"},
        {**EDIT, "confidence": 7.5, "original": "a", "replacement": "A"},
    ],
)
def test_learning_refuses_a_decisions_file_with_a_bad_decision(client, decision):
    good = {**EDIT, "original": "a", "replacement": "A"}
    response = client.post("/v1/learn", json={"export": {"decisions": [good, decision]}})
    assert response.status_code == 422, response.text
    assert json.loads(response.text)["detail"].startswith("not a decision")
    assert stored(client) == 0


def test_a_changed_mind_sent_without_the_text_keeps_the_text_it_was_first_sent_with(
    client, database_url
):
    """A closing page sends decisions without their text: a decision that replaces one
    sent with it keeps that text, so the judge still learns from it."""
    first = {**EDIT, "original": "b", "replacement": "B", "review": "r1", "edit": 3}
    sent = client.post(
        "/v1/feedback", json={"decisions": [{**first, "context": "abc", "start": 1}]}
    )
    assert sent.status_code == 201
    again = client.post("/v1/feedback", json={"decisions": [{**first, "accepted": False}]})
    assert again.status_code == 201
    engine = create_engine(database_url)
    with Session(engine) as session:
        (decision,) = stored_decisions(session, "default")
    engine.dispose()
    assert (decision.accepted, decision.context, decision.start) == (False, "abc", 1)
