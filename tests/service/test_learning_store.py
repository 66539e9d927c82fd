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


def judged_decisions(n: int) -> list[Decision]:
    """Decisions with their text, each on another made-up word: the editor accepts the
    capitals the casing model raises and rejects the ones it lowers."""
    out = []
    for i in range(n):
        name = "".join("abcdefghijklmnopqrstuvwxyz"[(i // 26**k) % 26] for k in range(3))
        if i % 2:
            text, word, new, ok = f"the mayor of new {name} spoke.", name, name.title(), True
        else:
            text, word, new, ok = f"the {name.title()} spoke.", name.title(), name, False
        out.append(
            Decision("casing", "casing", "model", 0.8, ok, word, new, text, text.index(word))
        )
    return out


def test_the_judge_is_one_entry_kept_with_its_newsroom_and_undone_like_the_others(tmp_path):
    from copydesk.service.batch.spec import HouseSnapshot

    sessions = session_factory(make_engine(f"sqlite:///{tmp_path}/state.db"))
    with sessions() as session:
        store_decisions(session, "weekly", judged_decisions(1200))
        store_decisions(session, "daily", judged_decisions(200))
        run = relearn(session, "weekly", shipped={"casing": 0.9})
        assert [c.split(" (")[0] for c in run.changes] == ["+ judge of edits"]
        (row,) = entries(session, "weekly")
        assert (row.kind, row.key, row.status) == ("judge", "edits", "active")
        assert row.value["weights"] and row.value["rules"] == ["casing:model"]
        rules = house_rules(session, "weekly")
        assert rules.judge is not None and rules.judge.to_dict() == row.value
        # A job's snapshot carries the judge as it stood.
        snapshot = HouseSnapshot.of("weekly", rules, None)
        assert snapshot is not None and snapshot.rules().judge.to_dict() == row.value
        relearn(session, "daily", shipped={"casing": 0.9})
        assert house_rules(session, "daily").judge is None
        undo(session, row)
        assert house_rules(session, "weekly").judge is None
        assert relearn(session, "weekly", shipped={"casing": 0.9}).changes == []
        assert house_rules(session, "weekly").judge is None
