"""The learning store and its schedule: relearning each newsroom from its own decisions,
lapsing what the decisions no longer support."""

from __future__ import annotations

from copydesk.models.learning import SUGGEST_ONLY, Decision
from copydesk.service.db.session import make_engine, session_factory
from copydesk.service.learning import (
    Relearner,
    entries,
    house_rules,
    relearn,
    store_decisions,
    undo,
)


def rejections(n: int) -> list[Decision]:
    return [Decision("entity", "entities", "", 0.9, False, "Sergei", "Sergey")] * n


def test_the_schedule_relearns_every_newsroom_from_its_own_decisions(tmp_path):
    sessions = session_factory(make_engine(f"sqlite:///{tmp_path}/state.db"))
    with sessions() as session:
        store_decisions(session, "weekly", rejections(3))
        store_decisions(session, "daily", rejections(1))
    relearner = Relearner(sessions, 3600, precision=0.95, shipped={"entities": 0.7})
    assert relearner.run_once() == 2
    with sessions() as session:
        assert house_rules(session, "weekly").protected == {"Sergei"}
        assert not house_rules(session, "daily")


def test_an_entry_the_decisions_no_longer_support_lapses(tmp_path):
    sessions = session_factory(make_engine(f"sqlite:///{tmp_path}/state.db"))
    with sessions() as session:
        store_decisions(session, "weekly", rejections(3))
        assert relearn(session, "weekly").changes == ["+ protected 'Sergei' (3 rejections)"]
        accepted = [Decision("entity", "entities", "", 0.9, True, "Sergei", "Sergey")] * 6
        store_decisions(session, "weekly", accepted)
        assert relearn(session, "weekly").changes == ["- protected 'Sergei' (3 rejections)"]
        assert entries(session, "weekly") == []


def test_a_word_cutoff_is_stored_applied_and_undone_like_a_rules(tmp_path):
    sessions = session_factory(make_engine(f"sqlite:///{tmp_path}/state.db"))
    wrong = [Decision("casing", "casing", "casing-model", 0.95, False, "social", "Social")] * 5
    with sessions() as session:
        store_decisions(session, "weekly", wrong)
        run = relearn(session, "weekly", shipped={"casing": 0.93})
        assert run.changes == ["+ cutoff casing:casing-model|social = 1.01 (5 decisions)"]
        rules = house_rules(session, "weekly")
        assert rules.cutoffs == {"casing:casing-model|social": SUGGEST_ONLY}
        (row,) = entries(session, "weekly")
        undo(session, row)
        assert not house_rules(session, "weekly")
        assert relearn(session, "weekly", shipped={"casing": 0.93}).changes == []
