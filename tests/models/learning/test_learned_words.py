"""Protected words from repeatedly rejected repairs; glossary candidates from hand
corrections; decisions from the page's export and from MT against its published text."""

from __future__ import annotations

import json

import pytest

from copydesk.models import InputError
from copydesk.models.edits import Edit
from copydesk.models.learning import MANUAL, Decision, implied_decisions, learn, read_export


def rejected(word: str, to: str, n: int) -> list[Decision]:
    return [Decision("entity", "entities", "name-consistency", 0.9, False, word, to)] * n


def test_a_repair_rejected_three_times_protects_the_word():
    assert learn(rejected("Sergei", "Sergey", 2)).house_rules().protected == frozenset()
    rules = learn(rejected("Sergei", "Sergey", 3)).house_rules()
    assert rules.protected == {"Sergei"}


def test_a_repair_also_accepted_often_is_not_protected():
    accepted = [Decision("entity", "entities", "", 0.9, True, "Sergei", "Sergey")] * 3
    assert not learn(rejected("Sergei", "Sergey", 3) + accepted).protected


def test_lowercase_words_are_never_protected():
    assert not learn(rejected("the", "The", 10)).protected


def test_hand_corrections_propose_a_glossary_entry_once_made_twice():
    once = [Decision(MANUAL, original="Kiev", replacement="Kyiv")]
    assert learn(once).candidates == ()
    (candidate,) = learn(once * 2).candidates
    assert (candidate.term, candidate.variant, candidate.support) == ("Kyiv", "Kiev", 2)


def test_a_capital_on_a_word_news_writes_in_lowercase_needs_five_corrections():
    # One story's title or brand name is not a house style: ``countdown`` is an English
    # word, so two hand corrections to ``Countdown`` propose nothing; a name does.
    title = [Decision(MANUAL, original="countdown", replacement="Countdown")]
    assert learn(title * 4).candidates == ()
    (candidate,) = learn(title * 5).candidates
    assert (candidate.term, candidate.support) == ("Countdown", 5)
    name = [Decision(MANUAL, original="rathbun", replacement="Rathbun")]
    assert [c.term for c in learn(name * 2).candidates] == ["Rathbun"]


def test_the_page_export_is_read_as_decisions():
    export = {
        "original": "sergey said.",
        "edits": [],
        "decisions": [
            {
                "kind": "casing",
                "stage": "sentence_case",
                "rule": "sentence-initial-capital",
                "confidence": 0.98,
                "accepted": True,
                "original": "s",
                "replacement": "S",
                "review": "r1",
                "edit": 0,
            },
            {
                "kind": "entity",
                "stage": "entities",
                "rule": "",
                "confidence": 0.9,
                "accepted": None,
                "original": "x",
                "replacement": "y",
                "review": "r1",
                "edit": 1,
            },
        ],
    }
    decisions = read_export(json.dumps([export, export]))
    assert len(decisions) == 4
    assert (
        decisions[0].accepted is True
        and decisions[0].key == "sentence_case:sentence-initial-capital"
    )
    assert decisions[1].accepted is None and not decisions[1].decided
    with pytest.raises(InputError):
        read_export('{"nothing": 1}')


def test_published_text_implies_accepts_rejects_and_hand_corrections():
    mt = "sergey met officials in Kiev on monday."
    edits = [
        Edit(0, 6, "sergey", "Sergey", "casing", "sentence_case", 0.98),
        Edit(32, 38, "monday", "Monday", "casing", "casing", 0.9),
        Edit(24, 28, "Kiev", "KIEV", "casing", "casing", 0.6),
    ]
    published = "Sergey met officials in Kyiv on Monday."
    decisions = implied_decisions(mt, edits, published)
    assert [d.accepted for d in decisions[:3]] == [True, True, False]
    (manual,) = decisions[3:]
    assert (manual.kind, manual.original, manual.replacement) == (MANUAL, "Kiev", "Kyiv")
