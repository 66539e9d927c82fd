"""``copydesk learn`` as a user runs it: from an exported decisions file, and from MT
next to its published version, into the state database."""

from __future__ import annotations

import json
import os

from copydesk.models.learning import Decision
from copydesk.service.db.session import make_engine, session_factory
from copydesk.service.learning import approve, entries, house_rules, relearn, store_decisions
from tests.helpers import run_copydesk

PIPELINE = '[[stages]]\nname = "sentence_case"\n\n[[stages]]\nname = "entities"\n'


def environment(tmp_path) -> tuple[dict, str]:
    url = f"sqlite:///{tmp_path}/state.db"
    (tmp_path / "light.toml").write_text(PIPELINE, encoding="utf-8")
    env = {**os.environ, "COPYDESK_DATABASE_URL": url}
    env.pop("COPYDESK_NEWSROOMS", None)
    return env, url


def test_learn_from_an_exported_decisions_file(tmp_path):
    env, url = environment(tmp_path)
    decision = {
        "kind": "entity",
        "stage": "entities",
        "rule": "name-consistency",
        "confidence": 0.9,
        "accepted": False,
        "original": "Sergey",
        "replacement": "Sergei",
        "review": "r",
        "edit": 0,
    }
    export = {"original": "Sergei came. Sergey spoke.", "edits": [], "decisions": [decision]}
    path = tmp_path / "copydesk-decisions.json"
    path.write_text(json.dumps([export] * 3), encoding="utf-8")
    out = tmp_path / "learned.json"
    done = run_copydesk(
        "learn",
        "--newsroom",
        "weekly",
        "--decisions",
        str(path),
        "--pipeline",
        str(tmp_path / "light.toml"),
        "--export",
        str(out),
        env=env,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert "protected 'Sergey'" in done.stdout.decode()
    assert json.loads(out.read_text())["entries"][0]["key"] == "Sergey"
    with session_factory(make_engine(url))() as session:
        assert house_rules(session, "weekly").protected == {"Sergey"}
        assert not house_rules(session, "default")


def test_learn_from_mt_and_its_published_version(tmp_path):
    env, url = environment(tmp_path)
    mt, published = tmp_path / "mt", tmp_path / "published"
    mt.mkdir()
    published.mkdir()
    (mt / "a.txt").write_text("officials in Kiev spoke.\nthe mayor of Kiev came.\n")
    (published / "a.txt").write_text("Officials in Kyiv spoke.\nThe mayor of Kyiv came.\n")
    done = run_copydesk(
        "learn",
        "--mt",
        str(mt),
        "--published",
        str(published),
        "--pipeline",
        str(tmp_path / "light.toml"),
        env=env,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert "glossary candidate Kiev -> Kyiv" in done.stdout.decode()
    with session_factory(make_engine(url))() as session:
        (candidate,) = entries(session, "default", "candidate")
        assert candidate.value == {"term": "Kyiv", "variant": "Kiev", "support": 2}
        assert candidate.status == "proposed"
    (published / "b.txt").write_text("orphan\n")
    (mt / "c.txt").write_text("no published version\n")
    missing = run_copydesk(
        "learn",
        "--mt",
        str(mt),
        "--published",
        str(published),
        "--pipeline",
        str(tmp_path / "light.toml"),
        env=env,
    )
    assert missing.returncode != 0 and b"no published version" in missing.stderr


def test_repair_and_batch_apply_a_newsrooms_learned_rules_and_glossary(tmp_path):
    env, url = environment(tmp_path)
    reject = Decision(
        kind="entity",
        stage="entities",
        rule="name-consistency",
        confidence=0.9,
        accepted=False,
        original="Sergey",
        replacement="Sergei",
    )
    manual = Decision(kind="manual", original="Kiev", replacement="Kyiv")
    with session_factory(make_engine(url))() as session:
        store_decisions(session, "weekly", [reject] * 3)
        relearn(session, "weekly")
        store_decisions(session, "daily", [manual] * 2)
        relearn(session, "daily")
        (candidate,) = entries(session, "daily", "candidate")
        approve(session, candidate)
    text = "Sergei Lavrov arrived. Sergey Lavrov spoke. Officials in Kiev said so."
    (tmp_path / "in.txt").write_text(text + "\n", encoding="utf-8")
    light = ("--pipeline", str(tmp_path / "light.toml"))

    def repaired(*newsroom: str) -> str:
        done = run_copydesk("repair", *light, *newsroom, stdin=text.encode(), env=env)
        assert done.returncode == 0, done.stderr.decode()
        return done.stdout.decode()

    def batched(*newsroom: str) -> str:
        out = tmp_path / f"{newsroom[-1] if newsroom else 'shipped'}.txt"
        done = run_copydesk(
            "batch",
            str(tmp_path / "in.txt"),
            "--lines",
            "--out",
            str(out),
            *light,
            *newsroom,
            env=env,
        )
        assert done.returncode == 0, done.stderr.decode()
        return out.read_text(encoding="utf-8").rstrip("\n")

    shipped = "Sergei Lavrov arrived. Sergei Lavrov spoke. Officials in Kiev said so."
    weekly = text
    daily = "Sergei Lavrov arrived. Sergei Lavrov spoke. Officials in Kyiv said so."
    for run in (repaired, batched):
        assert run() == shipped
        assert run("--newsroom", "weekly") == weekly
        assert run("--newsroom", "daily") == daily
        assert run("--newsroom", "other") == shipped
    bad = run_copydesk("repair", *light, "--newsroom", "no such", stdin=b"x", env=env)
    assert bad.returncode == 2 and b"not a newsroom name" in bad.stderr


def test_eval_learning_measures_the_sets_and_learns_from_the_others_too(tmp_path):
    env, _ = environment(tmp_path)

    def suite(name: str, mt: list[str], references: list[str]) -> str:
        (tmp_path / f"{name}.mt").write_text("\n".join(mt) + "\n", encoding="utf-8")
        (tmp_path / f"{name}.ref").write_text("\n".join(references) + "\n", encoding="utf-8")
        path = tmp_path / f"{name}.toml"
        path.write_text(
            f'name = "{name}"\nunit = "lines"\nmt = "{tmp_path / f"{name}.mt"}"\n'
            f'references = ["{tmp_path / f"{name}.ref"}"]\n',
            encoding="utf-8",
        )
        return str(path)

    news = suite(
        "news",
        [f"officials in kiev met on day {i}." for i in range(8)],
        [f"Officials in Kyiv met on day {i}." for i in range(8)],
    )
    archive = suite(
        "archive",
        [f"talks in kiev ended on day {i}." for i in range(6)],
        [f"Talks in Kyiv ended on day {i}." for i in range(6)],
    )
    out = tmp_path / "learning.json"
    done = run_copydesk(
        "eval",
        "learning",
        "--suite",
        news,
        "--learn-from",
        archive,
        "--extra-en",
        "0",
        "--pipeline",
        str(tmp_path / "light.toml"),
        "--no-house-style",
        "--out",
        str(out),
        env=env,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert "| news | shipped |" in done.stdout.decode()
    assert "house style" not in done.stdout.decode()
    report = json.loads(out.read_text())
    assert report["decisions"] == 2 * (4 + 6) and report["learn_from"] == [archive]
    assert report["extra_en"] == 0
    shipped, last = report["curve"][0], report["curve"][-1]
    assert list(last["measures"]) == ["news"] and last["glossary"] == ["kiev -> Kyiv"]
    assert last["measures"]["news"]["to_write"] == 0 < shipped["measures"]["news"]["to_write"]
