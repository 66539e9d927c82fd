"""Hostile input on every route: a clear 4xx before any work, and nothing left behind."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from copydesk import models
from copydesk.models.stages import SentenceCaseStage
from copydesk.service.api import create_app
from copydesk.service.settings import Settings
from tests.helpers import serving


@pytest.fixture()
def state(tmp_path):
    return tmp_path


@pytest.fixture()
def client(state):
    settings = Settings(
        database_url=f"sqlite:///{state}/state.db",
        jobs_dir=state / "jobs",
        job_workers=0,
        jobs_allowed_dir=state / "allowed",
    )
    (state / "allowed").mkdir()
    with TestClient(create_app(settings, models.Pipeline([SentenceCaseStage()]))) as client:
        yield client


def raw(client: TestClient, path: str, body: str) -> int:
    response = client.post(path, content=body, headers={"content-type": "application/json"})
    assert "detail" in response.json()
    return response.status_code


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/repair", '{"text": "the end \\ud800 here."}'),  # a lone surrogate
        ("/v1/repair", '{"text": "ok", "source": "\\udfff"}'),
        ("/v1/repair", '{"items": [{"text": "a"}, {"text": "\\ud83d"}]}'),
        ("/v1/repair", '{"text": "the end.", "threshold": NaN}'),
        ("/v1/repair", '{"text": "the end.", "threshold": Infinity}'),
        ("/v1/repair", '{"text": "the end.", "glossary_id": 99999999999999999999999}'),
        (
            "/v1/apply",
            '{"original": "abc", "edits": [{"start": 1e400, "end": 2, '
            '"original": "b", "replacement": "c"}]}',
        ),
        (
            "/v1/feedback",
            '{"decisions": [{"kind": "casing", "stage": "\\ud800", '
            '"confidence": 0.5, "accepted": true}]}',
        ),
        ("/v1/glossaries", '{"name": "\\udc00", "terms": []}'),
        ("/v1/score", '{"hypotheses": ["a"], "references": [["a"]], "resamples": NaN}'),
    ],
)
def test_values_nothing_downstream_can_hold_are_refused(client, path, body):
    assert raw(client, path, body) == 422


def test_ids_beyond_64_bits_in_paths_are_refused(client):
    assert client.get(f"/v1/glossaries/{2**70}").status_code == 422
    assert client.delete(f"/v1/glossaries/{2**64}").status_code == 422


@pytest.mark.parametrize(
    "body",
    [
        {"name": ".", "content": "x"},
        {"name": "..", "content": "x"},
        {"name": "a/b", "content": "x"},
        {"path": "a\x00b"},
        {"path": "x" * 5000},
    ],
)
def test_job_uploads_with_impossible_names_leave_nothing(client, state, body):
    response = client.post("/v1/jobs", json=body)
    assert response.status_code == 422, response.text
    assert not (state / "jobs").exists() or not any((state / "jobs").iterdir())


def test_a_job_path_outside_the_folder_leaves_nothing(client, state):
    (state / "secret.txt").write_text("x")
    assert client.post("/v1/jobs", json={"path": str(state / "secret.txt")}).status_code == 403
    assert not (state / "jobs").exists() or not any((state / "jobs").iterdir())


def test_a_csv_field_over_the_csv_modules_limit_is_422(client):
    content = "term,variants\n" + "x" * 200_000 + ",y\n"
    response = client.post(
        "/v1/glossaries/import", json={"name": "big", "format": "csv", "content": content}
    )
    assert response.status_code == 422 and "cannot be read" in response.json()["detail"]
    assert client.get("/v1/glossaries").json() == []


def test_a_deleted_database_is_503_and_ready_says_so(state):
    settings = Settings(database_url=f"sqlite:///{state}/gone.db", job_workers=0)
    with TestClient(create_app(settings, models.Pipeline([SentenceCaseStage()]))) as client:
        assert client.get("/v1/glossaries").status_code == 200
        Path(state / "gone.db").unlink()
        response = client.get("/v1/glossaries")
        assert response.status_code == 503 and "database" in response.json()["detail"]
        ready = client.get("/ready")
        assert ready.status_code == 503 and ready.json()["status"] == "unavailable"


def test_metrics_stay_bounded_whatever_the_paths(client):
    before = len(client.get("/metrics").text)
    for i in range(300):
        client.get(f"/v1/jobs/{i:040d}")
        client.get(f"/no/such/path/{i}")
    text = client.get("/metrics").text
    assert 'route="/v1/jobs/{job_id}"' in text and 'route="unmatched"' in text
    assert len(text) < before + 20_000


def test_a_key_past_its_rate_gets_429_with_retry_after(state):
    settings = Settings(
        database_url=f"sqlite:///{state}/k.db", api_keys=["k1", "k2"], key_rate="3/minute"
    )
    with TestClient(create_app(settings, models.Pipeline([SentenceCaseStage()]))) as client:
        key = {"X-API-Key": "k1"}
        for _ in range(3):
            assert client.post("/v1/repair", json={"text": "x"}, headers=key).status_code == 200
        refused = client.post("/v1/repair", json={"text": "x"}, headers={"X-API-Key": "k1"})
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
        other = client.post("/v1/repair", json={"text": "x"}, headers={"X-API-Key": "k2"})
        assert other.status_code == 200  # each key has its own allowance


def test_a_swapped_job_file_is_not_read(tmp_path):
    """The job reads the file as it was checked at submit time, not a link put in its place."""
    allowed = tmp_path / "allowed"
    allowed.mkdir()
    (tmp_path / "secret.txt").write_text("top secret.\n")
    job_file = allowed / "a.txt"
    job_file.write_text("the end.\n")
    base = {
        "database_url": f"sqlite:///{tmp_path}/s.db",
        "jobs_dir": tmp_path / "jobs",
        "jobs_allowed_dir": allowed,
    }
    pipeline = models.Pipeline([SentenceCaseStage()])
    with TestClient(create_app(Settings(**base, job_workers=0), pipeline)) as queued:
        job = queued.post("/v1/jobs", json={"path": str(job_file), "lines": True}).json()
    job_file.unlink()
    job_file.symlink_to(tmp_path / "secret.txt")  # swapped after the check
    with TestClient(create_app(Settings(**base, job_workers=1), pipeline)) as running:
        for _ in range(200):
            info = running.get(f"/v1/jobs/{job['id']}").json()
            if info["status"] in ("done", "failed"):
                break
            time.sleep(0.05)
        assert running.get(f"/v1/jobs/{job['id']}/result").text == "The end.\n"


def test_a_body_over_the_limit_is_413_before_it_is_read(client):
    huge = client.post(
        "/v1/repair", content=b"x" * 2_000_000, headers={"content-type": "application/json"}
    )
    assert huge.status_code == 413
    assert json.loads(huge.text)["detail"].startswith("request body is")


def test_a_request_past_its_time_budget_is_503_naming_what_did_not_run(state):
    class Slow(models.Stage):
        name = "slow"

        def propose(self, doc, context):
            time.sleep(0.3)
            return []

    settings = Settings(database_url=f"sqlite:///{state}/t.db", request_seconds=0.1)
    pipeline = models.Pipeline([Slow(), SentenceCaseStage()])
    with TestClient(create_app(settings, pipeline)) as client:
        response = client.post("/v1/repair", json={"text": "the end."})
        assert response.status_code == 503
        assert "sentence_case" in response.json()["detail"]


def test_a_huge_content_length_is_answered_before_any_body_is_sent(tmp_path):
    """A 200 MB Content-Length and no body at all: the 413 comes at once."""
    settings = Settings(database_url=f"sqlite:///{tmp_path}/s.db", job_workers=0)
    app = create_app(settings, models.Pipeline([SentenceCaseStage()]))
    with serving(app) as url:
        address = urlsplit(url)
        with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
            sock.sendall(
                b"POST /v1/repair HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Content-Length: 200000000\r\n\r\n"
            )
            answer = b""
            while b"the limit is" not in answer:  # the status line and body may come apart
                chunk = sock.recv(4096)
                if not chunk:
                    break
                answer += chunk
    assert answer.startswith(b"HTTP/1.1 413") and b"the limit is" in answer, answer
