"""The answer guards against meaning changes a model's answer can slip in: spelled-out
numbers, a name in any place (the first word included), a word's opposite, and markup,
each refused with its reason, through the chat backend and a scripted server; and the
same guards in the local model's `check`."""

from __future__ import annotations

import pytest

from copydesk import models
from copydesk.models import RepairContext
from copydesk.models.names.glossary import Glossary, GlossaryTerm
from copydesk.models.rewrite.antonyms import PAIRS
from copydesk.models.rewrite.guards import antonym_swap, check, numbers
from copydesk.models.stages import RewriteStage


def repaired(server, text: str, context: RepairContext | None = None) -> models.RepairResult:
    _, url = server
    # every unit (gate "all"): these tests are about the guards on what comes back
    stage = RewriteStage(backend="openai", base_url=url, model="scripted", cache="", gate="all")
    return models.Pipeline([stage]).repair(text, context or RepairContext())


def units(result: models.RepairResult) -> dict:
    return result.stages[0].diagnostics["units"]


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("Three soldiers were wounded near the border on Friday.",
         "Four soldiers were wounded near the border on Friday."),
        ("The fund lost a million dollars in the last year.",
         "The fund lost a billion dollars in the last year."),
        ("About a dozen people gathered near the embassy yesterday.",
         "About twenty people gathered near the embassy yesterday."),
        ("The talks lasted twenty-five hours in the end.",
         "The talks lasted twenty-six hours in the end."),
        ("The second round of talks was held in Geneva.",
         "The third round of talks was held in Geneva."),
    ],
)  # fmt: skip
def test_a_spelled_out_number_changed_is_refused(server, script, text, answer):
    script.answers[text] = answer
    result = repaired(server, text)
    assert result.edits == ()
    assert units(result) == {"edit refused: number changed": 1, "all edits refused": 1}


def test_a_number_in_words_or_figures_is_one_number():
    assert numbers("three ministers") == numbers("3 ministers")
    assert numbers("twenty-five days") == numbers("25 days")
    assert numbers("dozens of people") == numbers("a dozen people")


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("Putin met the envoy in Moscow on Friday.", "Navalny met the envoy in Moscow on Friday."),
        ("The envoy met officials in Moscow on Friday.",
         "Navalny met officials in Moscow on Friday."),
        ("Turkey until the end of February will move troops.",
         "Greece until the end of February will move troops."),
        ("Officials in Ankara confirmed the meeting with Lavrov.",
         "Officials in Ankara confirmed the meeting with Shoigu."),
    ],
)  # fmt: skip
def test_a_name_changed_anywhere_is_refused(server, script, text, answer):
    script.answers[text] = answer
    result = repaired(server, text)
    assert result.edits == ()
    assert units(result) == {"edit refused: name changed": 1, "all edits refused": 1}


def test_a_first_word_name_the_source_or_glossary_gives_may_change(server, script):
    text = "Navalni met the envoy in Moscow on Friday."
    script.answers[text] = "Navalny met the envoy in Moscow on Friday."
    source = RepairContext(source="Навальный встретился с посланником в Москве в пятницу.")
    glossary = RepairContext(glossary=Glossary([GlossaryTerm("Alexei Navalny")]))
    for context in (source, glossary):
        result = repaired(server, text, context)
        assert [e.replacement for e in result.edits] == ["Navalny"]


def test_a_first_word_that_is_no_name_may_change(server, script):
    text = "However the talks in Geneva went on for days."
    script.answers[text] = "But the talks in Geneva went on for days."
    result = repaired(server, text)
    assert [(e.original, e.replacement) for e in result.edits] == [("However", "But")]


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("The council rejected the plan on Friday evening.",
         "The council accepted the plan on Friday evening."),
        ("Prices for gas increased sharply in the winter.",
         "Prices for gas decreased sharply in the winter."),
        ("Oil prices rose sharply after the talks in Vienna.",
         "Oil prices fell sharply after the talks in Vienna."),
        ("The party supports the new law on elections.",
         "The party opposes the new law on elections."),
        ("The court allowed the rally near the parliament.",
         "The court forbade the rally near the parliament."),
    ],
)  # fmt: skip
def test_an_antonym_swap_is_refused(server, script, text, answer):
    script.answers[text] = answer
    result = repaired(server, text)
    assert result.edits == ()
    assert units(result) == {"refused: antonym swapped": 1}


def test_an_antonym_swap_split_over_edits_is_refused_with_the_answer(server, script):
    text = "The plan was rejected by the council on Friday."
    script.answers[text] = "The council accepted the plan on Friday."
    assert units(repaired(server, text)) == {"refused: antonym swapped": 1}


def test_every_antonym_pair_is_two_distinct_families():
    for one, other in PAIRS:
        assert not set(one.split()) & set(other.split())
        first, second = one.split()[0], other.split()[0]
        assert antonym_swap(f"they {first} it", f"they {second} it") == (first, second)


@pytest.mark.parametrize(
    "answer",
    [
        "The minister <img src=x onerror=alert(1)> spoke in Munich on Friday.",
        "The minister spoke in Munich <script>alert(1)</script> on Friday.",
        "The minister spoke in <b>Munich</b> on Friday.",
        "The minister spoke in [Munich](javascript:alert(1)) on Friday.",
    ],
)
def test_markup_in_an_answer_is_refused(server, script, answer):
    text = "The minister spoke in Munich on Friday."
    script.answers[text] = answer
    result = repaired(server, text)
    assert result.edits == () and result.repaired == text
    assert units(result) == {"refused: markup in the answer": 1}


@pytest.mark.parametrize(
    ("mt", "rewrite", "failure"),
    [
        ("Three soldiers were hurt near the border.", "Four soldiers were hurt near the border.",
         "numbers changed"),
        ("Putin met the envoy in Moscow.", "Navalny met the envoy in Moscow.", "name lost"),
        ("The envoy met officials in Moscow.", "Navalny met officials in Moscow.", "name added"),
        ("The council rejected the plan in May.", "The council accepted the plan in May.",
         "antonym swapped"),
        ("The minister spoke in Munich.", "The minister <script>x</script> spoke in Munich.",
         "markup added"),
        ("Three soldiers were hurt near the border.", "3 soldiers were hurt near the border.",
         None),
    ],
)  # fmt: skip
def test_the_local_models_guards_refuse_the_same(mt, rewrite, failure):
    assert check(mt, rewrite, min_similarity=0) == failure
