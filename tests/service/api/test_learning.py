"""Learning per newsroom through the API: decisions in, learned rules out, applied by the
next repair of that newsroom only; candidates approved into the glossary; undo."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from copydesk import models
from copydesk.models.stages import EntitiesStage, SentenceCaseStage
from copydesk.service.api import create_app
from copydesk.service.settings import Settings

DAILY, WEEKLY = {"X-API-Key": "key-d"}, {"X-API-Key": "key-w"}
NEWSROOMS = {"daily": {"keys": ["key-d"]}, "weekly": {"keys": ["key-w"]}}
# The entities stage makes one spelling of a name per text: Sergey becomes Sergei here.
TEXT = "Sergei Lavrov arrived. Sergey Lavrov spoke."


@pytest.fixture
def client(tmp_path):
    settings = Settings(
        database_url=f"sqlite:///{tmp_path}/state.db",
        jobs_dir=tmp_path / "jobs",
        newsrooms=NEWSROOMS,
        job_workers=0,
    )
    pipeline = models.Pipeline([SentenceCaseStage(), EntitiesStage()])
    with TestClient(create_app(settings, pipeline)) as client:
        yield client


def repaired(client: TestClient, text: str, headers: dict) -> str:
    response = client.post("/v1/repair", json={"text": text}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["results"][0]["repaired"]


def the_repair(client: TestClient, headers: dict) -> dict:
    (edit,) = [
        e
        for e in client.post("/v1/repair", json={"text": TEXT}, headers=headers).json()["results"][
            0
        ]["edits"]
        if e["stage"] == "entities"
    ]
    return edit


def reject(client: TestClient, edit: dict, headers: dict, times: int = 3) -> None:
    decision = {k: edit[k] for k in ("kind", "stage", "rule", "confidence", "original")}
    decision |= {"replacement": edit["replacement"], "accepted": False}
    response = client.post("/v1/feedback", json={"decisions": [decision] * times}, headers=headers)
    assert response.status_code == 201, response.text


def test_a_rejected_repair_stops_for_that_newsroom_only(client):
    edit = the_repair(client, WEEKLY)
    assert (edit["original"], edit["replacement"]) == ("Sergey", "Sergei")
    reject(client, edit, WEEKLY)
    run = client.post("/v1/learn", headers=WEEKLY).json()
    assert run["newsroom"] == "weekly" and any("protected 'Sergey'" in c for c in run["changes"])
    assert repaired(client, TEXT, WEEKLY) == TEXT
    assert repaired(client, TEXT, DAILY) == "Sergei Lavrov arrived. Sergei Lavrov spoke."
    client.post("/v1/learn", headers=DAILY)
    assert client.get("/v1/learn", headers=DAILY).json()["entries"] == []


def test_undoing_a_learned_entry_restores_the_shipped_behaviour(client):
    reject(client, the_repair(client, WEEKLY), WEEKLY)
    client.post("/v1/learn", headers=WEEKLY)
    (entry,) = client.get("/v1/learn", headers=WEEKLY).json()["entries"]
    assert client.delete(f"/v1/learn/{entry['id']}", headers=DAILY).status_code == 404
    undone = client.delete(f"/v1/learn/{entry['id']}", headers=WEEKLY)
    assert undone.status_code == 200 and undone.json()["status"] == "undone"
    assert repaired(client, TEXT, WEEKLY) == "Sergei Lavrov arrived. Sergei Lavrov spoke."
    client.post("/v1/learn", headers=WEEKLY)  # relearning leaves an undo undone
    assert repaired(client, TEXT, WEEKLY) == "Sergei Lavrov arrived. Sergei Lavrov spoke."


def test_a_hand_correction_becomes_an_approved_glossary_entry(client):
    text = "Officials in Kiev said so."
    manual = {"kind": "manual", "original": "Kiev", "replacement": "Kyiv"}
    assert (
        client.post("/v1/feedback", json={"decisions": [manual] * 2}, headers=DAILY).status_code
        == 201
    )
    client.post("/v1/learn", headers=DAILY)
    (candidate,) = client.get("/v1/learn/candidates", headers=DAILY).json()
    assert candidate["key"] == "Kiev -> Kyiv" and candidate["status"] == "proposed"
    assert client.get("/v1/learn/candidates", headers=WEEKLY).json() == []
    assert repaired(client, text, DAILY) == text  # proposed, not yet approved
    path = f"/v1/learn/candidates/{candidate['id']}/approve"
    assert client.post(path, headers=WEEKLY).status_code == 404
    assert client.post(path, headers=DAILY).json()["status"] == "approved"
    assert repaired(client, text, DAILY) == "Officials in Kyiv said so."
    assert repaired(client, text, WEEKLY) == text
    exported = client.get("/v1/learn/export", headers=DAILY)
    assert exported.status_code == 200 and "Kiev -> Kyiv" in exported.text
    client.delete(f"/v1/learn/{candidate['id']}", headers=DAILY)
    assert repaired(client, text, DAILY) == text


def test_learning_from_an_exported_decisions_file(client):
    edit = the_repair(client, WEEKLY)
    decision = {k: edit[k] for k in ("kind", "stage", "rule", "confidence", "original")}
    decision |= {"replacement": edit["replacement"], "accepted": False, "review": "r", "edit": 0}
    export = {"original": TEXT, "edits": [], "decisions": [decision]}
    run = client.post("/v1/learn", json={"export": [export] * 3}, headers=WEEKLY).json()
    assert run["source"] == "export" and run["decisions"] == 3
    assert repaired(client, TEXT, WEEKLY) == TEXT
    bad = client.post("/v1/learn", json={"export": {"nothing": []}}, headers=WEEKLY)
    assert bad.status_code == 422


def test_stats_show_the_last_learning_and_leave_hand_corrections_out(client):
    reject(client, the_repair(client, WEEKLY), WEEKLY)
    manual = {"kind": "manual", "original": "Kiev", "replacement": "Kyiv"}
    client.post("/v1/feedback", json={"decisions": [manual]}, headers=WEEKLY)
    before = client.get("/v1/stats", headers=WEEKLY).json()
    assert [s["stage"] for s in before] == ["entities"] and before[0]["learned_at"] is None
    client.post("/v1/learn", headers=WEEKLY)
    (after,) = client.get("/v1/stats", headers=WEEKLY).json()
    assert after["learned_at"] is not None
    assert any("Sergey" in c for c in after["learned_changes"])


def test_a_decision_on_an_edit_still_needs_its_stage_and_confidence(client):
    bad = client.post(
        "/v1/feedback", json={"decisions": [{"kind": "casing", "accepted": True}]}, headers=DAILY
    )
    assert bad.status_code == 422
    empty = client.post("/v1/feedback", json={"decisions": [{"kind": "manual"}]}, headers=DAILY)
    assert empty.status_code == 422


def test_calibrated_cutoffs_are_each_newsrooms_own(client):
    decision = {"kind": "casing", "stage": "sentence_case", "rule": "sentence-initial-capital"}
    # Rejected on 40 words, each once: the rule, not a word of it.
    rejects = [
        {**decision, "confidence": 0.98, "accepted": False, "original": w, "replacement": w.title()}
        for w in (f"word{i}" for i in range(40))
    ]
    client.post("/v1/feedback", json={"decisions": rejects}, headers=WEEKLY)
    client.post("/v1/learn", headers=WEEKLY)
    (weekly,) = client.get("/v1/stats", headers=WEEKLY).json()
    assert weekly["learned_cutoffs"] == {"sentence_case:sentence-initial-capital": 1.01}
    assert repaired(client, "officials met.", WEEKLY) == "officials met."
    assert repaired(client, "officials met.", DAILY) == "Officials met."


def test_a_word_the_editors_keep_rejecting_is_offered_and_the_rule_goes_on(client):
    decision = {"kind": "casing", "stage": "sentence_case", "rule": "sentence-initial-capital"}
    rejects = [
        {
            **decision,
            "confidence": 0.98,
            "accepted": False,
            "original": "iphone",
            "replacement": "Iphone",
        }
    ]
    client.post("/v1/feedback", json={"decisions": rejects * 5}, headers=WEEKLY)
    client.post("/v1/learn", headers=WEEKLY)
    (weekly,) = client.get("/v1/stats", headers=WEEKLY).json()
    key = "sentence_case:sentence-initial-capital|iphone"
    assert weekly["learned_cutoffs"] == {key: 1.01}
    assert repaired(client, "iphone sales rose. officials met.", WEEKLY) == (
        "iphone sales rose. Officials met."
    )
    assert repaired(client, "iphone sales rose.", DAILY) == "Iphone sales rose."
    (entry,) = [
        e for e in client.get("/v1/learn", headers=WEEKLY).json()["entries"] if e["key"] == key
    ]
    assert client.delete(f"/v1/learn/{entry['id']}", headers=WEEKLY).status_code == 200
    assert repaired(client, "iphone sales rose.", WEEKLY) == "Iphone sales rose."


def test_the_judge_of_edits_is_learned_listed_applied_and_undone(client):
    # Decisions with their text, in an exported decisions file: sentence starts, the
    # editor keeps `the` capitalised and rejects capitals on made-up product names.
    decision = {"kind": "casing", "stage": "sentence_case", "rule": "sentence-initial-capital"}
    decisions = []
    for i in range(1200):
        name = "q" + "".join("abcdefghijklmnopqrstuvwxyz"[(i // 26**k) % 26] for k in range(3))
        text, word, ok = (
            ("the talks ended.", "the", True) if i % 2 else (f"{name} rose.", name, False)
        )
        decisions.append(
            {**decision, "confidence": 0.9, "accepted": ok, "original": word,
             "replacement": word.title(), "context": text, "start": 0}
        )  # fmt: skip
    export = {"original": "", "edits": [], "decisions": decisions}
    assert client.post("/v1/learn", json={"export": export}, headers=WEEKLY).status_code == 200
    (judge,) = [
        e for e in client.get("/v1/learn", headers=WEEKLY).json()["entries"] if e["kind"] == "judge"
    ]
    assert judge["key"] == "edits" and judge["status"] == "active" and judge["value"]["weights"]
    assert '"kind": "judge"' in client.get("/v1/learn/export", headers=WEEKLY).text
    text = "zxqv sales rose. the talks ended."
    assert repaired(client, text, WEEKLY) == "zxqv sales rose. The talks ended."
    assert repaired(client, text, DAILY) == "Zxqv sales rose. The talks ended."
    assert client.delete(f"/v1/learn/{judge['id']}", headers=WEEKLY).status_code == 200
    assert repaired(client, text, WEEKLY) == "Zxqv sales rose. The talks ended."


def test_decisions_from_the_page_carry_their_text_and_teach_the_judge(client):
    decision = {"kind": "casing", "stage": "sentence_case", "rule": "sentence-initial-capital"}
    decisions = [
        {**decision, "confidence": 0.9, "accepted": i % 2 == 1, "review": "r", "edit": i,
         "original": "the" if i % 2 else f"q{i:04d}",
         "replacement": "The" if i % 2 else f"Q{i:04d}",
         "context": "the talks ended." if i % 2 else f"q{i:04d} rose.", "start": 0}
        for i in range(1200)
    ]  # fmt: skip
    wrong = {**decisions[1], "start": 4}
    refused = client.post("/v1/feedback", json={"decisions": [wrong]}, headers=WEEKLY)
    assert refused.status_code == 422 and "where original stands" in refused.text
    assert (
        client.post("/v1/feedback", json={"decisions": decisions}, headers=WEEKLY).status_code
        == 201
    )
    assert client.post("/v1/learn", json={}, headers=WEEKLY).status_code == 200
    kinds = {e["kind"] for e in client.get("/v1/learn", headers=WEEKLY).json()["entries"]}
    assert "judge" in kinds
    assert repaired(client, "zxqv sales rose. the talks ended.", WEEKLY) == (
        "zxqv sales rose. The talks ended."
    )
