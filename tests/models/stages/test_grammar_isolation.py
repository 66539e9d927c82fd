"""The grammar stage under hostile load, against a fake LanguageTool: costly texts are not
sent, checks keep to the request's deadline, and the status says when checks fail."""

from __future__ import annotations

import time

import pytest

from copydesk import models
from copydesk.models.document import Document
from copydesk.models.errors import StageUnavailable
from copydesk.models.pipeline import StageStatus
from copydesk.models.stage import OUT_OF_TIME, RepairContext
from copydesk.models.stages import GrammarStage
from tests.languagetool_fake import fake_languagetool, wait_for

ATTACKS = ["\u0301" * 50000, ". " * 49999, "\x00" * 10000, "[" * 10000]


@pytest.fixture
def fake():
    with fake_languagetool(slow_seconds=10) as server:
        yield server


@pytest.mark.parametrize("attack", ATTACKS, ids=["marks", "stops", "nuls", "brackets"])
def test_an_attack_text_is_skipped_with_its_reason_and_never_sent(fake, attack):
    stage = GrammarStage(url=fake.url)
    attacked, ordinary = models.Pipeline([stage]).repair_many([attack, "He go home."])
    (report,) = attacked.stages
    assert report.seconds < 10  # its own rules only: it never waits on LanguageTool (20 s)
    assert report.status is StageStatus.SKIPPED
    assert report.reason.startswith("grammar not checked: not prose")
    assert fake.texts == ["He go home."]  # only the ordinary text reached the server
    assert ordinary.repaired == "He goes home." and ordinary.stages[0].reason == ""
    assert stage.status() == ("ok", "")  # a refused text is no trouble of the server's
    stage.close()


def test_a_costly_part_is_left_out_and_the_rest_checked(fake):
    text = "He go home. " * 10 + "x\u0301" * 3000 + " She go too."
    result = models.Pipeline([GrammarStage(url=fake.url)]).repair(text)
    (report,) = result.stages
    assert report.status is StageStatus.OK and report.applied == 11
    assert "a run of 6,000 characters without a space" in report.reason
    assert all("\u0301" not in sent for sent in fake.texts)


def test_the_request_deadline_ends_the_check_and_closes_it(fake):
    stage = GrammarStage(url=fake.url)
    context = RepairContext(deadline=time.monotonic() + 0.4)
    started = time.monotonic()
    with pytest.raises(StageUnavailable) as caught:
        stage.propose(Document.from_text("The slow text."), context)
    assert caught.value.reason == OUT_OF_TIME
    assert time.monotonic() - started < 1.5
    assert wait_for(lambda: fake.closed == 1 and fake.running == 0)
    assert stage.status() == ("ok", "")  # the request's own budget: no trouble of the server
    stage.close()


def test_status_is_degraded_while_checks_time_out_and_recovers(fake):
    stage = GrammarStage(url=fake.url, timeout=0.3)
    stage.backend.degraded_seconds = 0.6
    result = models.Pipeline([stage]).repair("The slow text.")
    assert result.stages[0].status is StageStatus.SKIPPED
    assert "took over 0.3 s" in result.stages[0].reason
    state, why = stage.status()
    assert state == "degraded" and "took over 0.3 s" in why
    assert models.Pipeline([stage]).repair("He go home.").repaired == "He goes home."
    assert wait_for(lambda: stage.status() == ("ok", ""), seconds=2)
    stage.close()


@pytest.mark.parametrize(("text", "why"), [("limit", "check-time limit"), ("busy", "overloaded")])
def test_languagetool_refusing_a_check_degrades_the_status(fake, text, why):
    stage = GrammarStage(url=fake.url)
    result = models.Pipeline([stage]).repair(f"The {text} text.")
    assert result.stages[0].status is StageStatus.SKIPPED and why in result.stages[0].reason
    assert stage.status()[0] == "degraded" and why in stage.status()[1]
    stage.close()
