"""Newsrooms: what one newsroom stored, another cannot list, read, export, change or
delete (its ids answer 404); ids are random; admins reach every newsroom; and the
migration gives the rows made before newsrooms to the default newsroom. On SQLite and
on PostgreSQL."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from pydantic import ValidationError

from copydesk import models
from copydesk.models.stages import EntitiesStage, SentenceCaseStage
from copydesk.service.api import create_app
from copydesk.service.db.session import MIGRATIONS
from copydesk.service.settings import Settings, key_newsroom

A, B, ADMIN = {"X-API-Key": "key-a"}, {"X-API-Key": "key-b"}, {"X-API-Key": "key-admin"}
NEWSROOMS = {
    "daily": {"keys": ["key-a", "key-a2"]},
    "weekly": {"keys": ["key-b"]},
    "ops": {"keys": ["key-admin"], "role": "admin"},
}
GLOSSARY = {"name": "desk", "terms": [{"term": "Zelensky", "variants": ["Zelenskiy"]}]}


def app_client(database_url: str, tmp_path, **extra) -> TestClient:
    settings = Settings(database_url=database_url, jobs_dir=tmp_path / "jobs", **extra)
    pipeline = models.Pipeline([SentenceCaseStage(), EntitiesStage()])
    return TestClient(create_app(settings, pipeline))


@pytest.fixture
def client(database_url, tmp_path):
    with app_client(database_url, tmp_path, newsrooms=NEWSROOMS, job_workers=1) as client:
        yield client


def no_5xx(*responses) -> None:
    assert all(r.status_code < 500 for r in responses), [r.text for r in responses]


def test_another_newsroom_cannot_reach_a_glossary(client):
    created = client.post("/v1/glossaries", json=GLOSSARY, headers=A)
    assert created.status_code == 201 and created.json()["newsroom"] == "daily"
    gid = created.json()["id"]
    path = f"/v1/glossaries/{gid}"
    answers = [
        client.get(path, headers=B),
        client.get(path, params={"format": "csv"}, headers=B),
        client.get(path, params={"format": "tbx"}, headers=B),
        client.put(path, json={"name": "mine", "terms": []}, headers=B),
        client.delete(path, headers=B),
        client.post("/v1/repair", json={"text": "Zelenskiy spoke.", "glossary_id": gid}, headers=B),
    ]
    assert [r.status_code for r in answers] == [404] * len(answers)
    # A 404 for an id that exists reads exactly as one for an id that does not.
    unknown = client.get("/v1/glossaries/AAAAAAAAAAAAAAAAAAAAAA", headers=B)
    assert answers[0].json()["detail"].replace(gid, "X") == unknown.json()["detail"].replace(
        "AAAAAAAAAAAAAAAAAAAAAA", "X"
    )
    assert client.get("/v1/glossaries", headers=B).json() == []
    # The name is the newsroom's own: another newsroom may use it, no 409 tells it exists.
    assert client.post("/v1/glossaries", json=GLOSSARY, headers=B).status_code == 201
    assert client.post("/v1/glossaries", json=GLOSSARY, headers=A).status_code == 409
    # Untouched for its owner, and every key of the newsroom reaches it.
    own = client.get(path, headers={"X-API-Key": "key-a2"})
    assert own.status_code == 200 and own.json()["terms"][0]["variants"] == ["Zelenskiy"]
    repaired = client.post(
        "/v1/repair", json={"text": "Zelenskiy spoke.", "glossary_id": gid}, headers=A
    )
    assert repaired.json()["results"][0]["repaired"] == "Zelensky spoke."
    assert client.delete(path, headers=A).status_code == 204


def test_ids_are_random_tokens(client):
    ids = [
        client.post("/v1/glossaries", json={**GLOSSARY, "name": f"g{i}"}, headers=A).json()["id"]
        for i in range(5)
    ]
    assert len(set(ids)) == 5
    for gid in ids:
        assert len(gid) == 22 and not gid.isdigit()
    job = client.post("/v1/jobs", json={"name": "a.txt", "content": "x.\n"}, headers=A).json()
    assert len(job["id"]) == 22 and job["id"] not in ids
    for bad in ("1", "0", "../x", "a" * 23, "a" * 21):
        no_5xx(client.get(f"/v1/glossaries/{bad}", headers=A))


def wait_done(client: TestClient, job_id: str, headers: dict) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        info = client.get(f"/v1/jobs/{job_id}", headers=headers).json()
        if info["status"] in ("done", "failed"):
            return info
        time.sleep(0.1)
    raise AssertionError("job did not finish")


def test_another_newsroom_cannot_reach_a_job(client):
    content = '{"id": 1, "text": "the end."}\n{broken\n'
    job = client.post("/v1/jobs", json={"name": "a.jsonl", "content": content}, headers=A).json()
    assert job["newsroom"] == "daily"
    assert wait_done(client, job["id"], A)["status"] == "done"
    for suffix in ("", "/result", "/rejects"):
        assert client.get(f"/v1/jobs/{job['id']}{suffix}", headers=B).status_code == 404
        assert client.get(f"/v1/jobs/{job['id']}{suffix}", headers=A).status_code == 200
    assert client.get("/v1/jobs", headers=B).json() == []
    assert [j["id"] for j in client.get("/v1/jobs", headers=A).json()] == [job["id"]]
    assert client.get("/v1/jobs", params={"newsroom": "daily"}, headers=B).status_code == 404


def test_feedback_and_stats_are_the_newsrooms_own(client):
    edit = {"kind": "casing", "stage": "casing", "confidence": 0.9, "review": "r1", "edit": 0}
    assert (
        client.post(
            "/v1/feedback", json={"decisions": [{**edit, "accepted": True}]}, headers=A
        ).status_code
        == 201
    )
    # The same review id from another newsroom is another review: A's decision stays.
    assert (
        client.post(
            "/v1/feedback", json={"decisions": [{**edit, "accepted": False}]}, headers=B
        ).status_code
        == 201
    )
    [a] = client.get("/v1/stats", headers=A).json()
    [b] = client.get("/v1/stats", headers=B).json()
    assert (a["accepted"], a["rejected"]) == (1, 0) and (b["accepted"], b["rejected"]) == (0, 1)
    assert client.get("/v1/stats", params={"newsroom": "daily"}, headers=B).status_code == 404
    assert client.get("/v1/stats", params={"newsroom": "weekly"}, headers=B).json() == [b]
    [both] = client.get("/v1/stats", headers=ADMIN).json()
    assert (both["accepted"], both["rejected"]) == (1, 1)
    assert client.get("/v1/stats", params={"newsroom": "daily"}, headers=ADMIN).json() == [a]
    assert client.get("/v1/stats", params={"newsroom": "ops"}, headers=ADMIN).json() == []


def test_an_admin_lists_and_reaches_every_newsroom(client):
    a = client.post("/v1/glossaries", json=GLOSSARY, headers=A).json()
    b = client.post("/v1/glossaries", json=GLOSSARY, headers=B).json()
    listed = client.get("/v1/glossaries", headers=ADMIN).json()
    assert {(g["id"], g["newsroom"]) for g in listed} == {(a["id"], "daily"), (b["id"], "weekly")}
    only = client.get("/v1/glossaries", params={"newsroom": "weekly"}, headers=ADMIN).json()
    assert [g["id"] for g in only] == [b["id"]]
    assert client.get(f"/v1/glossaries/{a['id']}", headers=ADMIN).json()["newsroom"] == "daily"
    job = client.post("/v1/jobs", json={"name": "a.txt", "content": "x.\n"}, headers=B).json()
    assert [j["id"] for j in client.get("/v1/jobs", headers=ADMIN).json()] == [job["id"]]
    # What an admin makes is its own newsroom's.
    mine = client.post("/v1/glossaries", json=GLOSSARY, headers=ADMIN).json()
    assert mine["newsroom"] == "ops"
    assert client.get(f"/v1/glossaries/{mine['id']}", headers=A).status_code == 404
    assert client.get("/v1/glossaries", headers=A).json() == [
        {"id": a["id"], "newsroom": "daily", "name": "desk", "terms": 1}
    ]
    assert client.get("/v1/glossaries", headers={"X-API-Key": "nope"}).status_code == 401


def test_plain_keys_are_a_newsroom_each_and_no_keys_the_default(database_url, tmp_path):
    with app_client(database_url, tmp_path, api_keys=["k1", "k2"]) as keyed:
        made = keyed.post("/v1/glossaries", json=GLOSSARY, headers={"X-API-Key": "k1"}).json()
        assert made["newsroom"] == key_newsroom("k1") and "k1" not in made["newsroom"]
        other = keyed.get(f"/v1/glossaries/{made['id']}", headers={"X-API-Key": "k2"})
        assert other.status_code == 404
    with app_client(database_url, tmp_path) as local:
        made = local.post("/v1/glossaries", json={**GLOSSARY, "name": "local"}).json()
        assert made["newsroom"] == "default"
        assert [g["name"] for g in local.get("/v1/glossaries").json()] == ["local"]


def test_the_newsroom_settings_are_checked(monkeypatch):
    monkeypatch.setenv("COPYDESK_NEWSROOMS", '{"daily": {"keys": ["k1"], "role": "admin"}}')
    caller = Settings().caller("k1")
    assert (caller.newsroom, caller.admin) == ("daily", True)
    for bad in (
        {"newsrooms": {"a": {"keys": ["k"]}, "b": {"keys": ["k"]}}},  # one key, two newsrooms
        {"newsrooms": {"a": {"keys": ["k"]}}, "api_keys": ["k"]},
        {"newsrooms": {"a b": {"keys": ["k"]}}},
        {"newsrooms": {"a": {"keys": []}}},
        {"newsrooms": {"a": {"keys": ["k"], "role": "owner"}}},
        {"newsrooms": {"a": {"keys": ["k"], "rol": "admin"}}},
        {"api_keys": [" "]},
    ):
        with pytest.raises(ValidationError):
            Settings(**bad)


def at_revision(url: str, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    engine.dispose()


def test_the_migration_gives_old_rows_to_the_default_newsroom(database_url, tmp_path):
    at_revision(database_url, "0003")  # the schema before newsrooms, with rows in it
    now = datetime.now(UTC)
    glossaries = sa.table(
        "glossaries",
        sa.column("terms", sa.JSON),
        *(sa.column(c) for c in ("id", "name", "created_at", "updated_at")),
    )
    jobs = sa.table(
        "jobs",
        sa.column("spec", sa.JSON),
        *(
            sa.column(c)
            for c in (
                "id",
                "status",
                "done",
                "total",
                "records",
                "rejects",
                "summary",
                "error",
                "created_at",
                "updated_at",
            )
        ),
    )
    feedback = sa.table(
        "feedback",
        *(
            sa.column(c)
            for c in (
                "kind",
                "stage",
                "rule",
                "confidence",
                "accepted",
                "original",
                "replacement",
                "created_at",
                "decision",
                "review",
                "edit",
            )
        ),
    )
    engine = sa.create_engine(database_url)
    terms = [{"term": "Zelensky", "variants": ["Zelenskiy", " "], "notes": ""}]
    with engine.begin() as db:
        db.execute(
            sa.insert(glossaries).values(
                id=7, name="desk", terms=terms, created_at=now, updated_at=now
            )
        )
        db.execute(
            sa.insert(jobs).values(
                id="0b1e2c3d-0000-4000-8000-000000000000",
                status="done",
                spec={},
                done=1,
                total=1,
                records=1,
                rejects=0,
                summary="",
                error="",
                created_at=now,
                updated_at=now,
            )
        )
        db.execute(
            sa.insert(feedback).values(
                kind="casing",
                stage="casing",
                rule="",
                confidence=0.9,
                accepted=True,
                original="",
                replacement="",
                created_at=now,
                decision="decided",
                review="r1",
                edit=0,
            )
        )
    engine.dispose()
    newsrooms = {"default": {"keys": ["key-old"]}, **NEWSROOMS}
    with app_client(database_url, tmp_path, newsrooms=newsrooms, job_workers=0) as client:
        old = {"X-API-Key": "key-old"}
        glossary = client.get("/v1/glossaries/7", headers=old)
        assert glossary.status_code == 200 and glossary.json()["newsroom"] == "default"
        assert glossary.json()["terms"][0]["variants"] == ["Zelenskiy"]  # the blank dropped
        assert client.get("/v1/glossaries/7", headers=A).status_code == 404
        job_id = "0b1e2c3d-0000-4000-8000-000000000000"
        assert client.get(f"/v1/jobs/{job_id}", headers=old).json()["newsroom"] == "default"
        assert client.get(f"/v1/jobs/{job_id}", headers=A).status_code == 404
        assert client.get("/v1/stats", headers=old).json()[0]["accepted"] == 1
        assert client.get("/v1/stats", headers=A).json() == []
        repaired = client.post(
            "/v1/repair", json={"text": "Zelenskiy spoke.", "glossary_id": 7}, headers=old
        ).json()
        assert repaired["results"][0]["repaired"] == "Zelensky spoke."
        fresh = client.post("/v1/glossaries", json={**GLOSSARY, "name": "new"}, headers=old)
        assert fresh.status_code == 201 and len(fresh.json()["id"]) == 22
        # The name is unique per newsroom from now on.
        assert client.post("/v1/glossaries", json=GLOSSARY, headers=A).status_code == 201
        assert client.post("/v1/glossaries", json=GLOSSARY, headers=old).status_code == 409


def test_a_newsroom_reads_server_files_only_from_its_own_folder(tmp_path):
    daily, shared = tmp_path / "daily", tmp_path / "shared"
    for folder in (daily, shared):
        folder.mkdir()
        (folder / "a.txt").write_text("the end.\n", encoding="utf-8")
    newsrooms = {
        "daily": {"keys": ["key-a"], "jobs_allowed_dir": str(daily)},
        "weekly": {"keys": ["key-b"]},
    }
    url = f"sqlite:///{tmp_path}/state.db"
    with app_client(
        url, tmp_path, newsrooms=newsrooms, jobs_allowed_dir=shared, job_workers=0
    ) as client:
        for headers, path, status in [
            (A, daily / "a.txt", 202),
            (A, shared / "a.txt", 403),
            (B, daily / "a.txt", 403),
            (B, shared / "a.txt", 202),
        ]:
            answer = client.post("/v1/jobs", json={"path": str(path)}, headers=headers)
            assert answer.status_code == status, (headers, path, answer.text)
