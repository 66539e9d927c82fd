"""The service under attack: each defect a hostile test found, replayed over real HTTP.
Every answer is a 4xx or a 2xx, never a 5xx."""

from __future__ import annotations

import os
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from copydesk import models
from copydesk.models.stages import EntitiesStage, SentenceCaseStage
from copydesk.service.api import create_app
from copydesk.service.settings import Settings
from tests.helpers import serving

POST_ROUTES = [
    "/v1/repair",
    "/v1/apply",
    "/v1/score",
    "/v1/glossaries",
    "/v1/glossaries/import",
    "/v1/feedback",
    "/v1/jobs",
]


def pipeline() -> models.Pipeline:
    return models.Pipeline([SentenceCaseStage(), EntitiesStage()])


@pytest.fixture
def state(tmp_path):
    (tmp_path / "allowed").mkdir()
    return tmp_path


def settings_for(state, **extra) -> Settings:
    base = {
        "database_url": f"sqlite:///{state}/state.db",
        "jobs_dir": state / "jobs",
        "jobs_allowed_dir": state / "allowed",
        "job_workers": 1,
    }
    return Settings(**{**base, **extra})


@pytest.fixture
def client(state):
    with TestClient(create_app(settings_for(state), pipeline())) as client:
        yield client


def test_deeply_nested_json_is_422_on_every_route_with_or_without_a_key(state):
    deep = "[" * 970 + "]" * 970
    objects = '{"a": ' * 100 + "1" + "}" * 100  # objects, nested inside a valid shape
    app = create_app(settings_for(state, api_keys=["k"], job_workers=0), pipeline())
    with serving(app) as url, httpx.Client(base_url=url, timeout=30) as http:
        for route in POST_ROUTES:
            for key in ({}, {"X-API-Key": "k"}):
                for body in (deep, f'{{"text": {deep}}}', f'{{"items": [{{"x": {objects}}}]}}'):
                    answer = http.post(
                        route, content=body, headers={"content-type": "application/json", **key}
                    )
                    assert answer.status_code == 422, (route, answer.text)
                    assert "nested" in answer.json()["detail"]
        put = http.put(
            "/v1/glossaries/AAAAAAAAAAAAAAAAAAAAAA",
            content=deep,
            headers={"content-type": "application/json", "X-API-Key": "k"},
        )
        assert put.status_code == 422
        # Content types FastAPI reads as JSON are checked as JSON.
        vendor = http.post(
            "/v1/repair",
            content=deep,
            headers={"content-type": "application/vnd.api+json", "X-API-Key": "k"},
        )
        assert vendor.status_code == 422
        shallow = http.post("/v1/repair", json={"text": "the end."}, headers={"X-API-Key": "k"})
        assert shallow.status_code == 200


def test_a_nested_data_field_on_the_languagetool_route_is_400(client):
    for data in ("[" * 5000, '{"annotation": ' + "[" * 970 + "]" * 970 + "}", "{" * 100_000):
        answer = client.post("/v2/check", data={"language": "en-US", "data": data})
        assert answer.status_code == 400 and answer.text.startswith("Error:"), answer.text


@pytest.mark.parametrize(
    "glossary",
    [
        [{"term": "Reuters", "variants": [""]}],
        [{"term": "Reuters", "variants": ["  "]}],
        [{"term": "Reuters", "variants": ["Reuter", "\t\n"]}],
        [{"term": " ", "variants": ["x"]}],
    ],
)
def test_a_blank_glossary_variant_or_term_is_refused(client, glossary):
    inline = client.post(
        "/v1/repair", json={"text": "The minister resigned.", "glossary": glossary}
    )
    stored = client.post("/v1/glossaries", json={"name": "g", "terms": glossary})
    assert (inline.status_code, stored.status_code) == (422, 422)
    good = client.post("/v1/glossaries", json={"name": "g", "terms": []}).json()
    replaced = client.put(f"/v1/glossaries/{good['id']}", json={"name": "g", "terms": glossary})
    assert replaced.status_code == 422
    assert client.get(f"/v1/glossaries/{good['id']}").json()["terms"] == []


@pytest.mark.parametrize(
    "body",
    [
        {"name": "g", "terms": [{"term": "a\x16"}]},
        {"name": "g", "terms": [{"term": "a", "variants": ["b\x01"]}]},
        {"name": "g", "terms": [{"term": "a", "notes": "\ufffe"}]},
        {"name": "x\x16", "terms": [{"term": "a"}]},
    ],
)
def test_a_glossary_no_file_could_hold_is_refused(client, body):
    """Control characters cannot be written as TBX (XML): refused, never a 500 at export."""
    assert client.post("/v1/glossaries", json=body).status_code == 422
    imported = client.post(
        "/v1/glossaries/import",
        json={"name": body["name"], "format": "csv", "content": "term\na\n"},
    )
    assert imported.status_code == (201 if body["name"] == "g" else 422)
    for stored in client.get("/v1/glossaries").json():
        for fmt in ("json", "csv", "tbx"):
            answer = client.get(f"/v1/glossaries/{stored['id']}", params={"format": fmt})
            assert answer.status_code == 200


@pytest.mark.parametrize("fmt", ["text", "html", "markdown"])
@pytest.mark.parametrize("text", ["", " ", "\n\n", "<p></p>"])
def test_an_empty_text_is_answered(client, fmt, text):
    glossary = [{"term": "Reuters", "variants": ["Reuter"]}]
    for body in (
        {"text": text, "format": fmt},
        {"items": [{"text": text}], "format": fmt},
        {"text": text, "format": fmt, "glossary": glossary},
    ):
        answer = client.post("/v1/repair", json=body)
        assert answer.status_code == 200, answer.text
        assert answer.json()["results"][0]["repaired"] == text


def wait_done(client: TestClient, job_id: str) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        info = client.get(f"/v1/jobs/{job_id}").json()
        if info["status"] in ("done", "failed"):
            return info
        time.sleep(0.1)
    raise AssertionError("job did not finish")


def test_a_plain_text_jobs_result_is_its_repaired_text(client):
    job = client.post("/v1/jobs", json={"name": "a.txt", "content": "the end.\n\nit rained.\n"})
    assert wait_done(client, job.json()["id"])["status"] == "done"
    result = client.get(f"/v1/jobs/{job.json()['id']}/result")
    assert result.status_code == 200, result.text
    assert result.text == "The end.\n\nIt rained.\n"
    assert client.get(f"/v1/jobs/{job.json()['id']}/rejects").status_code == 404


def open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts /proc/self/fd")
def test_a_job_path_naming_a_folder_or_a_pipe_is_refused_and_leaks_nothing(client, state):
    folder, pipe = state / "allowed" / "archive", state / "allowed" / "pipe"
    folder.mkdir()
    os.mkfifo(pipe)  # opening it to read would wait for a writer
    client.post("/v1/jobs", json={"path": str(folder)})  # the first opens what stays open
    before = open_files()
    for path in [folder, pipe, state / "allowed", "/dev/null"] * 13:
        answer = client.post("/v1/jobs", json={"path": str(path)})
        assert answer.status_code == 403, answer.text
    assert open_files() <= before
    assert not (state / "jobs").exists() or not any((state / "jobs").iterdir())


def test_metrics_are_labelled_by_known_methods_only(client):
    for i in range(50):
        client.request(f"XRANDOM{i}", "/v1/repair")
        client.request(f"X{i}", f"/no/such/{i}")
    text = client.get("/metrics").text
    assert "XRANDOM" not in text and 'method="OTHER"' in text
    series = [line for line in text.splitlines() if line.startswith("copydesk_requests_total")]
    assert len(series) <= 3  # OTHER on /v1/repair, OTHER unmatched, and GET /metrics at most


def test_metrics_behind_a_key(state):
    settings = settings_for(state, metrics_key="scrape-me", api_keys=["k"])
    with TestClient(create_app(settings, pipeline())) as client:
        assert client.get("/metrics").status_code == 401
        assert client.get("/metrics", headers={"X-API-Key": "k"}).status_code == 401
        wrong = client.get("/metrics", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401 and wrong.headers["WWW-Authenticate"] == "Bearer"
        ok = client.get("/metrics", headers={"Authorization": "Bearer scrape-me"})
        assert ok.status_code == 200 and "copydesk_requests_total" in ok.text


def test_apply_says_what_it_applied_and_what_it_dropped(client):
    edit = {"start": 0, "end": 3, "original": "the", "replacement": "The"}
    overlapping = {
        "start": 0,
        "end": 7,
        "original": "the end",
        "replacement": "The End",
        "confidence": 0.5,
    }
    later = {"start": 4, "end": 7, "original": "end", "replacement": "close"}
    answer = client.post(
        "/v1/apply", json={"original": "the end.", "edits": [edit, edit, overlapping, later]}
    )
    assert answer.status_code == 200
    assert answer.json() == {
        "text": "The close.",
        "applied": 2,
        "applied_edits": [0, 3],
        "dropped": [
            {"index": 1, "overlaps": 0, "reason": "duplicate"},
            {"index": 2, "overlaps": 0, "reason": "overlap"},
        ],
    }
    none = client.post("/v1/apply", json={"original": "abc", "edits": []}).json()
    assert none == {"text": "abc", "applied": 0, "applied_edits": [], "dropped": []}


def test_a_source_has_a_limit_of_its_own(state):
    settings = settings_for(state, max_text_chars=1000, max_source_chars=50)
    with TestClient(create_app(settings, pipeline())) as client:
        long = "я" * 51
        single = client.post("/v1/repair", json={"text": "the end.", "source": long})
        assert single.status_code == 413 and "source 0" in single.json()["detail"]
        items = [{"text": "a.", "source": "b"}, {"text": "c.", "source": long}]
        many = client.post("/v1/repair", json={"items": items})
        assert many.status_code == 413 and "source 1" in many.json()["detail"]
        check = client.post("/v2/check", data={"language": "en-US", "text": "x", "source": long})
        assert check.status_code == 413 and "source" in check.text
        fits = client.post("/v1/repair", json={"text": "the end.", "source": "я" * 50})
        assert fits.status_code == 200
