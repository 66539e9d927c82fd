"""Batch jobs over HTTP: upload, follow, fetch; and survival across a restart."""

from __future__ import annotations

import json
import time

from fastapi.testclient import TestClient

from copydesk import models
from copydesk.models.stages import EntitiesStage, SentenceCaseStage
from copydesk.service.api import create_app
from copydesk.service.settings import Settings

LINES = "\n".join(json.dumps({"id": i, "text": f"the story {i} ends."}) for i in range(5))


def app_for(tmp_path, workers: int = 1, **extra) -> TestClient:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path}/state.db",
        jobs_dir=tmp_path / "jobs",
        job_workers=workers,
        **extra,
    )
    client = TestClient(create_app(settings, models.Pipeline([SentenceCaseStage()])))
    client.__enter__()  # the app's start-up (warm-up, jobs resumed), as a server runs it
    return client


def wait_done(client: TestClient, job_id: str, headers: dict | None = None) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        info = client.get(f"/v1/jobs/{job_id}", headers=headers).json()
        if info["status"] in ("done", "failed"):
            return info
        time.sleep(0.1)
    raise AssertionError("job did not finish")


def test_upload_follow_and_fetch(tmp_path):
    client = app_for(tmp_path)
    content = LINES + "\n{broken\n"
    created = client.post("/v1/jobs", json={"name": "feed.jsonl", "content": content})
    assert created.status_code == 202
    info = wait_done(client, created.json()["id"])
    assert info["status"] == "done" and info["records"] == 6 and info["rejects"] == 1
    assert info["done"] == info["total"] == 6
    result = client.get(f"/v1/jobs/{info['id']}/result")
    assert [json.loads(x)["text"] for x in result.text.splitlines()] == [
        f"The story {i} ends." for i in range(5)
    ]
    rejects = client.get(f"/v1/jobs/{info['id']}/rejects").text
    assert "invalid JSON" in rejects
    assert client.get("/v1/jobs/nope").status_code == 404


def test_server_side_paths_only_inside_the_allowed_folder(tmp_path):
    allowed = tmp_path / "archive"
    allowed.mkdir()
    (allowed / "a.txt").write_text("the end.\nit rained.\n", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("x", encoding="utf-8")
    client = app_for(tmp_path, jobs_allowed_dir=allowed)
    refused = client.post("/v1/jobs", json={"path": str(tmp_path / "secret.txt")})
    assert refused.status_code == 403
    sneaky = client.post("/v1/jobs", json={"path": str(allowed / ".." / "secret.txt")})
    assert sneaky.status_code == 403
    job = client.post("/v1/jobs", json={"path": str(allowed / "a.txt"), "lines": True}).json()
    assert wait_done(client, job["id"])["status"] == "done"
    assert client.get(f"/v1/jobs/{job['id']}/result").text == "The end.\nIt rained.\n"
    assert client.post("/v1/jobs", json={"content": "x"}).status_code == 422


def test_a_queued_job_survives_a_restart(tmp_path):
    stopped = app_for(tmp_path, workers=0)  # accepts jobs, runs none: as if it died at once
    job_id = stopped.post("/v1/jobs", json={"name": "f.jsonl", "content": LINES}).json()["id"]
    assert stopped.get(f"/v1/jobs/{job_id}").json()["status"] == "queued"
    assert stopped.get(f"/v1/jobs/{job_id}/result").status_code == 409
    restarted = app_for(tmp_path, workers=1)
    assert wait_done(restarted, job_id)["status"] == "done"
    assert restarted.get(f"/v1/jobs/{job_id}/result").text.count("The story") == 5


def test_a_job_writes_a_qa_report_beside_its_result(tmp_path):
    client = app_for(tmp_path)
    record = {"id": "a", "text": "it rained for three days.", "source": "Дождь шёл два дня."}
    created = client.post(
        "/v1/jobs",
        json={
            "name": "feed.jsonl",
            "content": json.dumps(record, ensure_ascii=False) + "\n",
            "qa": {"sort": "da", "flagged_only": True},
        },
    )
    info = wait_done(client, created.json()["id"])
    assert info["status"] == "done", info
    result = json.loads(client.get(f"/v1/jobs/{info['id']}/result").text)
    assert [f["kind"] for f in result["copydesk_flags"]] == ["number"]
    report = client.get(f"/v1/jobs/{info['id']}/qa").json()
    assert report["flags_by_kind"] == {"number": 1}
    assert report["listed"]["options"]["sort"] == "da" and len(report["list"]) == 1
    markdown = client.get(f"/v1/jobs/{info['id']}/qa", params={"format": "markdown"})
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert "| feed.jsonl | 1 | 1 | 1 |" in markdown.text


def test_a_job_whose_output_is_being_written_fails_at_the_start(tmp_path):
    from copydesk.service.api.jobs import job_spec
    from copydesk.service.batch.lock import output_lock
    from copydesk.service.db.tables import JobRow

    client = app_for(tmp_path, workers=0)  # queued, run by hand below
    created = client.post(
        "/v1/jobs", json={"name": "a.txt", "content": "the end.\n", "lines": True}
    )
    job_id = created.json()["id"]
    runner = client.app.state.jobs
    with runner.sessions() as session:
        spec = job_spec(session.get(JobRow, job_id), tmp_path / "jobs", 100_000)
    with output_lock(spec.lock_path, spec.out):
        runner._run(job_id)
    info = client.get(f"/v1/jobs/{job_id}").json()
    assert info["status"] == "failed" and "another job" in info["error"]
    runner._run(job_id)  # the lock released: it runs
    assert client.get(f"/v1/jobs/{job_id}").json()["status"] == "done"
    assert client.get(f"/v1/jobs/{job_id}/result").text == "The end.\n"


NEWSROOMS = {"daily": {"keys": ["key-d"]}, "weekly": {"keys": ["key-w"]}}
DAILY, WEEKLY = {"X-API-Key": "key-d"}, {"X-API-Key": "key-w"}
# The entities stage makes one spelling of a name per text: Sergey becomes Sergei here.
NAMES = "Sergei Lavrov arrived. Sergey Lavrov spoke.\nOfficials in Kiev said so.\n"


def newsroom_app(tmp_path, workers: int = 1) -> TestClient:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path}/state.db",
        jobs_dir=tmp_path / "jobs",
        job_workers=workers,
        newsrooms=NEWSROOMS,
    )
    pipeline = models.Pipeline([SentenceCaseStage(), EntitiesStage()])
    client = TestClient(create_app(settings, pipeline))
    client.__enter__()
    return client


def teach(client: TestClient) -> None:
    """The weekly's editors reject Sergey -> Sergei; the daily's approve Kiev -> Kyiv."""
    reject = {"kind": "entity", "stage": "entities", "rule": "name-consistency"}
    reject |= {"confidence": 0.9, "accepted": False, "original": "Sergey", "replacement": "Sergei"}
    manual = {"kind": "manual", "original": "Kiev", "replacement": "Kyiv"}
    for headers, decisions in ((WEEKLY, [reject] * 3), (DAILY, [manual] * 2)):
        sent = client.post("/v1/feedback", json={"decisions": decisions}, headers=headers)
        assert sent.status_code == 201, sent.text
        client.post("/v1/learn", headers=headers)
    (candidate,) = client.get("/v1/learn/candidates", headers=DAILY).json()
    client.post(f"/v1/learn/candidates/{candidate['id']}/approve", headers=DAILY)


def job_output(client: TestClient, headers: dict, job_id: str | None = None) -> str:
    if job_id is None:
        body = {"name": "names.txt", "content": NAMES, "lines": True}
        job_id = client.post("/v1/jobs", json=body, headers=headers).json()["id"]
    assert wait_done(client, job_id, headers)["status"] == "done"
    return client.get(f"/v1/jobs/{job_id}/result", headers=headers).text


def test_a_job_runs_under_its_newsrooms_learned_rules_and_glossary(tmp_path):
    client = newsroom_app(tmp_path)
    shipped = "Sergei Lavrov arrived. Sergei Lavrov spoke.\nOfficials in Kiev said so.\n"
    assert job_output(client, WEEKLY) == shipped
    teach(client)
    assert job_output(client, WEEKLY) == NAMES  # Sergey protected; Kiev as shipped
    assert job_output(client, DAILY) == (
        "Sergei Lavrov arrived. Sergei Lavrov spoke.\nOfficials in Kyiv said so.\n"
    )


def test_a_job_keeps_the_rules_it_was_made_with(tmp_path):
    stopped = newsroom_app(tmp_path, workers=0)
    teach(stopped)
    body = {"name": "names.txt", "content": NAMES, "lines": True}
    job_id = stopped.post("/v1/jobs", json=body, headers=WEEKLY).json()["id"]
    (entry,) = stopped.get("/v1/learn", headers=WEEKLY).json()["entries"]
    assert stopped.delete(f"/v1/learn/{entry['id']}", headers=WEEKLY).status_code == 200
    restarted = newsroom_app(tmp_path, workers=1)  # the queued job runs now, as made
    assert job_output(restarted, WEEKLY, job_id) == NAMES
