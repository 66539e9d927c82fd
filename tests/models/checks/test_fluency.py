"""The fluency check: a sentence in an order no English writer would use is flagged, the
same sentence in order is not, the same way every time."""

from __future__ import annotations

import random

from copydesk.eval.components.checks import evaluate_fluency, scramble
from copydesk.models.checks import run_checks
from copydesk.models.checks.fluency import garbled_probability, least_likely
from copydesk.models.flags import FlagKind

CLEAN = "The minister said the talks would resume in February."
GARBLED = "The minister of the said talks February in would resume the."


def fluency(text: str) -> list:
    return [f for f in run_checks(text) if f.kind == FlagKind.FLUENCY]


def test_a_garbled_sentence_is_flagged_and_its_clean_version_is_not():
    [flag] = fluency(GARBLED)
    assert (flag.start, flag.end) == (0, len(GARBLED)) and flag.original == GARBLED
    assert "too garbled to publish" in flag.message and flag.confidence >= 0.5
    assert fluency(CLEAN) == []


def test_only_the_garbled_sentence_of_a_paragraph_is_flagged():
    text = f"{CLEAN} {GARBLED}"
    [flag] = fluency(text)
    assert text[flag.start : flag.end] == GARBLED


def test_the_message_quotes_the_least_likely_words():
    a, b = least_likely(GARBLED)
    assert 0 <= a < b <= len(GARBLED) and len(GARBLED[a:b].split()) >= 2
    assert repr(GARBLED[a:b]) in fluency(GARBLED)[0].message


def test_the_probability_is_deterministic_and_ranks_garbled_above_clean():
    first = garbled_probability([CLEAN, GARBLED])
    assert first.tolist() == garbled_probability([CLEAN, GARBLED]).tolist()
    assert first[1] > first[0]


def test_short_sentences_are_not_read():
    assert fluency("In would resume the.") == []


def test_scrambling_moves_words_and_keeps_them():
    garbled = scramble(CLEAN, random.Random(4))
    assert garbled is not None and garbled != CLEAN
    assert sorted(garbled.rstrip(".").split()) == sorted(CLEAN.rstrip(".").split())
    assert scramble("Too short to scramble.", random.Random(4)) is None


def test_the_evaluation_counts_false_flags_and_recall():
    report = evaluate_fluency([CLEAN, GARBLED.replace("said", "told")], seed=1)
    assert report["clean"] == 2 and report["garbled"] == 2
    assert 0 <= report["recall"] <= 1
