"""The rewrite stage's chat backend against a scripted OpenAI-compatible server: the
request's shape, the guards, and each way a server can fail."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from copydesk import models
from copydesk.models import RepairContext
from copydesk.models.names.glossary import Glossary, GlossaryTerm
from copydesk.models.processes import free_port
from copydesk.models.stages import RewriteStage
from tests.helpers import run_copydesk

GARBLED = "Otherwise Turkey until the end of February they will move."
BETTER = "Otherwise, Turkey will move by the end of February."


def pipeline(server, **settings) -> models.Pipeline:
    _, url = server
    settings.setdefault("gate", "all")  # every unit: these tests are about what comes back
    stage = RewriteStage(backend="openai", base_url=url, model="scripted", cache="", **settings)
    return models.Pipeline([stage])


def test_the_last_user_message_is_exactly_the_text(server, script):
    source = "Иначе Турция до конца февраля будет двигаться."
    pipeline(server).repair(f"The talks ended. {GARBLED}", RepairContext(source=source))
    asked = {r["messages"][-1]["content"]: r for r in script.requests}
    request = asked[GARBLED]
    assert request["model"] == "scripted" and request["temperature"] == 0
    assert [m["role"] for m in request["messages"]] == ["system", "user"]
    assert "The talks ended." in request["messages"][0]["content"]  # the neighbour, as context


def test_a_good_rephrasing_comes_back_as_fluency_suggestions(server, script):
    script.answers[GARBLED] = BETTER
    result = pipeline(server).repair(GARBLED)
    assert result.repaired == GARBLED  # suggestions: the editor decides
    edits = [e for e in result.edits if e.stage == "rewrite"]
    assert edits and all(e.kind == "fluency" and not e.applied for e in edits)
    assert result.apply(edits) == BETTER
    assert result.stages[0].diagnostics["units"] == {"rewritten": 1}
    applied = pipeline(server, threshold=0.5).repair(GARBLED)
    assert applied.repaired == BETTER


@pytest.mark.parametrize(
    ("text", "answer", "reason"),
    [
        ("The meeting is planned for Monday in Ankara.",
         "The meeting is planned for Tuesday in Ankara.", "date changed"),
        ("The ministers agreed on the plan yesterday.",
         "The ministers did not agree on the plan yesterday.", "negation changed"),
        ("The treaty was signed in 2019 by both sides.",
         "The treaty was signed in 2020 by both sides.", "number changed"),
        ("Minister Lavrov met his colleague in Munich.",
         "Minister Lavrenko met his colleague in Munich.", "name changed"),
    ],
)  # fmt: skip
def test_edits_that_change_facts_are_refused_with_the_reason(server, script, text, answer, reason):
    script.answers[text] = answer
    result = pipeline(server).repair(text)
    assert [e for e in result.edits if e.stage == "rewrite"] == []
    refused = {f"edit refused: {reason}": 1, "all edits refused": 1}
    assert result.stages[0].diagnostics["units"] == refused


def test_a_name_the_glossary_or_source_supports_may_change(server, script):
    text = "Minister Lavrof met his colleague in Munich."
    script.answers[text] = "Minister Lavrov met his colleague in Munich."
    glossary = Glossary([GlossaryTerm("Sergey Lavrov")])
    with_glossary = pipeline(server).repair(text, RepairContext(glossary=glossary))
    assert [e.replacement for e in with_glossary.edits] == ["Lavrov"]
    with_source = pipeline(server).repair(text, RepairContext(source="Министр Лавров встретился."))
    assert [e.replacement for e in with_source.edits] == ["Lavrov"]


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ("Встреча прошла в Мюнхене, как и планировалось заранее.", "not English"),
        ("Here is the text: the meeting went ahead in Munich as planned.",
         "repeats the instructions"),
        ("The meeting went ahead in Munich as planned. " * 4, "length changed too much"),
        ("Everyone gathered there anyway, despite all expectations otherwise.",
         "rewrote too much"),
    ],
)  # fmt: skip
def test_answers_refused_whole(server, script, answer, reason):
    text = "The meeting went ahead in Munich as planned."
    script.answers[text] = answer
    result = pipeline(server).repair(text)
    assert result.edits == ()
    assert result.stages[0].diagnostics["units"] == {f"refused: {reason}": 1}


def test_answers_are_cached(server, script):
    script.answers[GARBLED] = BETTER
    stage_pipeline = pipeline(server)
    stage_pipeline.repair(GARBLED)
    stage_pipeline.repair(GARBLED)
    assert len(script.requests) == 1


def test_a_429_is_retried(server, script):
    script.mode = "429-once"
    script.answers[GARBLED] = BETTER
    result = pipeline(server).repair(GARBLED)
    assert result.stages[0].status == "ok" and len(script.requests) == 2


@pytest.mark.parametrize(
    ("mode", "reason"),
    [("500", "answered 500"), ("garbage", "not a chat completion"),
     ("no-choices", "not a chat completion")],
)  # fmt: skip
def test_a_misbehaving_server_skips_the_stage_with_the_reason(server, script, mode, reason):
    script.mode = mode
    result = pipeline(server, retries=0).repair(GARBLED)
    assert result.stages[0].status == "skipped" and reason in result.stages[0].reason
    assert result.repaired == GARBLED


def test_a_slow_server_skips_the_stage_after_its_timeout(server, script):
    script.mode = "slow"
    started = time.monotonic()
    result = pipeline(server, timeout=0.5, retries=0).repair(GARBLED)
    assert result.stages[0].status == "skipped" and "took over 0.5 s" in result.stages[0].reason
    assert time.monotonic() - started < 2.5


def test_a_down_server_opens_the_breaker(tmp_path):
    url = f"http://127.0.0.1:{free_port()}/v1"
    stage = RewriteStage(backend="openai", base_url=url, model="m", cache="", retries=0, gate="all")
    down = models.Pipeline([stage])
    texts = [f"{GARBLED} Number {i} of them." for i in range(20)]
    started = time.monotonic()
    first = down.repair(" ".join(texts))
    assert first.stages[0].status == "skipped" and "does not answer" in first.stages[0].reason
    again = down.repair(GARBLED)
    assert "not asked again" in again.stages[0].reason
    assert time.monotonic() - started < 10


def test_bad_settings_are_config_errors():
    with pytest.raises(models.ConfigError, match="needs 'base_url' and 'model'"):
        RewriteStage(backend="openai")
    with pytest.raises(models.ConfigError, match="backend must be"):
        RewriteStage(backend="vllm-magic", base_url="http://x/v1", model="m")


def test_eval_rewrite_against_a_newsrooms_server(server, script, tmp_path):
    """``copydesk eval rewrite --base-url``: do-nothing, the pipeline, and the pipeline
    with the server's guarded edits, on the dev suite and the seed."""
    _, url = server
    tests = Path(__file__).resolve().parents[1]
    rules = str(tests / "service" / "fixtures" / "starts-and-names.toml")
    excerpt = tests / "fixtures" / "mlqe-pe-dev-excerpt"
    suite = tmp_path / "excerpt.toml"
    suite.write_text(
        f'name = "mlqe-dev"\nunit = "lines"\nsource = "{excerpt}/dev.orig.ru"\n'
        f'mt = "{excerpt}/dev.orig.mt.en"\nreferences = ["{excerpt}/dev.detok.pe.en"]\n',
        encoding="utf-8",
    )
    options = ["--suite", str(suite), "--limit", "20", "--resamples", "0", "--pipeline", rules]
    proc = run_copydesk(
        *("eval", "rewrite", "--base-url", url, "--model", "scripted", *options),
        *("--out", str(tmp_path)),
        timeout=600,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")},
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads((tmp_path / "backend-scripted.json").read_text())
    assert set(report) == {"mlqe-dev", "seeds"}
    assert report["mlqe-dev"]["segments"] == 20
    guards = report["mlqe-dev"]["guards"]
    # The script copies the text; the gate keeps the lines the estimate rates well.
    assert set(guards) == {"unchanged", "not needed"}
    assert "| do-nothing |" in proc.stdout.decode() and len(script.requests) >= guards["unchanged"]
    assert (tmp_path / "cache" / "copydesk" / "llm-answers.sqlite").exists()
