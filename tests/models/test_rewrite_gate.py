"""The estimate at work: the chat backend sends only the units that the checks flag or the
quality estimate rates low, with the flags as hints, against the scripted server."""

from __future__ import annotations

import pytest

from copydesk import models
from copydesk.models import RepairContext
from copydesk.models.errors import ConfigError
from copydesk.models.rewrite.chat import Prompt
from copydesk.models.rewrite.gate import Gate
from copydesk.models.stages import RewriteStage

FINE = "The government approved the budget for next year."
FINE_RU = "Правительство одобрило бюджет на следующий год."
WRONG_NUMBER = "The company hired 25 new workers last month."
WRONG_NUMBER_RU = "В прошлом месяце компания наняла 35 новых работников."
GARBLED = "Who the tongue to Kiev will bring, that and the bread eats."
GARBLED_RU = "Кто язык до Киева доведёт, тот и хлеб ест."
# No check flags it, but the estimate rates it low (predicted HTER about 0.5).
LOW = "Seven times measure, one time cut off the cloth."
LOW_RU = "Семь раз отмерь, один раз отрежь."


def stage(server, **settings) -> RewriteStage:
    _, url = server
    return RewriteStage(backend="openai", base_url=url, model="scripted", cache="", **settings)


def asked(script) -> dict[str, dict]:
    return {r["messages"][-1]["content"]: r for r in script.requests}


def test_only_flagged_or_low_quality_sentences_are_sent(server, script):
    text = f"{FINE} {WRONG_NUMBER} {GARBLED} {LOW}"
    source = f"{FINE_RU} {WRONG_NUMBER_RU} {GARBLED_RU} {LOW_RU}"
    result = models.Pipeline([stage(server)]).repair(text, RepairContext(source=source))
    assert set(asked(script)) == {WRONG_NUMBER, GARBLED, LOW}
    diagnostics = result.stages[0].diagnostics
    assert diagnostics["gate"] == {"not needed": 1, "flagged": 2, "estimate: hter": 1}
    assert diagnostics["units"] == {"not needed": 1, "unchanged": 3}


def test_the_flags_go_to_the_model_as_hints(server, script):
    models.Pipeline([stage(server)]).repair(WRONG_NUMBER, RepairContext(source=WRONG_NUMBER_RU))
    system = asked(script)[WRONG_NUMBER]["messages"][0]["content"]
    assert "first decide against the source whether it is really wrong" in system
    assert '- "25" (number): 25 is not in the source, which has 35; source: "35"' in system
    # The text alone is the user message; the hint is not in it.
    assert asked(script)[WRONG_NUMBER]["messages"][-1]["content"] == WRONG_NUMBER


def test_a_garbled_sentence_goes_with_its_fluency_flag(server, script):
    models.Pipeline([stage(server)]).repair(GARBLED, RepairContext(source=GARBLED_RU))
    system = asked(script)[GARBLED]["messages"][0]["content"]
    assert f'- "{GARBLED}" (fluency): this sentence may be too garbled to publish' in system


def test_a_unit_the_estimate_sends_carries_no_hints(server, script):
    models.Pipeline([stage(server)]).repair(LOW, RepairContext(source=LOW_RU))
    system = asked(script)[LOW]["messages"][0]["content"]
    assert "flagged these spans" not in system


def test_the_guards_stay_for_a_flagged_unit(server, script):
    """A flagged number is a hint, not a licence: the guard still refuses a changed number."""
    script.answers[WRONG_NUMBER] = WRONG_NUMBER.replace("25", "35")
    result = models.Pipeline([stage(server)]).repair(
        WRONG_NUMBER, RepairContext(source=WRONG_NUMBER_RU)
    )
    assert [e for e in result.edits if e.stage == "rewrite"] == []
    assert result.stages[0].diagnostics["units"]["all edits refused"] == 1


def test_gate_all_sends_every_unit(server, script):
    text = f"{FINE} {WRONG_NUMBER}"
    source = f"{FINE_RU} {WRONG_NUMBER_RU}"
    models.Pipeline([stage(server, gate="all")]).repair(text, RepairContext(source=source))
    assert set(asked(script)) == {FINE, WRONG_NUMBER}
    assert "(number)" in asked(script)[WRONG_NUMBER]["messages"][0]["content"]


def test_thresholds_decide_what_the_estimate_sends(server, script):
    strict = stage(server, gate_hter=1.0, gate_da=-10.0)  # the estimate sends nothing
    models.Pipeline([strict]).repair(LOW, RepairContext(source=LOW_RU))
    assert script.requests == []
    eager = stage(server, gate_hter=0.0)  # every unit with a predicted HTER above 0
    models.Pipeline([eager]).repair(FINE, RepairContext(source=FINE_RU))
    assert set(asked(script)) == {FINE}


def test_the_estimate_decides_without_a_source_too(server, script):
    models.Pipeline([stage(server, gate_hter=0.0)]).repair(FINE)
    assert set(asked(script)) == {FINE}
    script.reset()
    models.Pipeline([stage(server, gate_hter=1.0, gate_da=-10.0)]).repair(FINE)
    assert script.requests == []


def test_a_prompt_file_without_a_place_for_hints_sends_none(tmp_path):
    own = tmp_path / "own.toml"
    own.write_text(
        'version = "own-1"\nsystem = "Fix it."\nsource = "Source: {source}"\n'
        'context = "Around: {context}"\n',
        encoding="utf-8",
    )
    messages = Prompt.load(own).messages("Text.", hints=['- "x" (name): why'])
    assert messages[0]["content"] == "Fix it."
    shipped = Prompt.load().messages("Text.", hints=['- "x" (name): why'])
    assert shipped[0]["content"].endswith('- "x" (name): why')


def test_an_unknown_gate_is_a_configuration_error():
    with pytest.raises(ConfigError, match="rewrite gate"):
        Gate("sometimes")
