"""Texts with no letters cost the casing model nothing: the hostile test's attack texts
(punctuation, symbols, control characters, lone combining marks) send it no row, and
ordinary sentences beside them are cased as they are alone."""

from __future__ import annotations

import time

import numpy as np
import pytest

from copydesk import models
from copydesk.models.stages import CasingStage

ATTACKS = {
    "marks": "\u0301" * 50000,
    "stops": ". " * 49999,
    "nuls": "\x00" * 10000,
    "brackets": "[" * 10000,
}
ORDINARY = "Yesterday i said that the talks in moscow will go on. The Biggest change came later."
# A generous guard against the old minute-long runs, not a timing: what the test asserts
# is the count of the model's positions.
GUARD_SECONDS = 20


@pytest.fixture
def positions(monkeypatch) -> list[int]:
    """The model positions (rows × width) the casing network is run on, per run."""
    stage = CasingStage()
    scorer = stage.model.scorer
    seen: list[int] = []

    def counting(ids: np.ndarray, types: np.ndarray, mask: np.ndarray) -> np.ndarray:
        seen.append(int(ids.size))
        return scorer(ids, types, mask)

    monkeypatch.setattr(stage.model, "scorer", counting)
    return seen


def without_grammar() -> models.Pipeline:
    config = models.default_config()
    config["stages"] = [s for s in config["stages"] if s["name"] != "grammar"]
    return models.load(config)


@pytest.mark.parametrize("attack", ATTACKS, ids=list(ATTACKS))
def test_an_attack_text_costs_the_casing_model_nothing(attack, positions):
    pipeline = without_grammar()
    started = time.monotonic()
    result = pipeline.repair(ATTACKS[attack])
    assert time.monotonic() - started < GUARD_SECONDS
    assert positions == []
    casing = next(s for s in result.stages if s.name == "casing")
    assert casing.status is models.StageStatus.OK and casing.proposed == 0
    assert result.repaired == ATTACKS[attack]


def test_sentences_without_letters_leave_the_others_as_they_were(positions):
    pipeline = models.Pipeline([CasingStage()])
    alone = pipeline.repair(ORDINARY)
    assert alone.repaired != ORDINARY and positions
    padding = "*** . . . 12:30. [] ---\n\n"
    beside = pipeline.repair(padding + ORDINARY)
    assert beside.repaired == padding + alone.repaired
    assert [(e.start - len(padding), e.replacement, e.confidence) for e in beside.edits] == [
        (e.start, e.replacement, e.confidence) for e in alone.edits
    ]
