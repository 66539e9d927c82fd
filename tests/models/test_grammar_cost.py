"""The cost estimate of a text for LanguageTool, and the pieces a costly text is cut into."""

from __future__ import annotations

import time

import pytest

from copydesk.models.grammar.cost import estimate, pieces, sentence_cost, unchecked_reason

ATTACKS = {
    "combining marks": "\u0301" * 50000,
    "full stops": ". " * 49999,
    "NULs": "\x00" * 10000,
    "brackets": "[" * 10000,
}


def covers(text: str, found) -> bool:
    """The pieces are in order, touch each other and cover the text."""
    ends = [0] + [p.end for p in found]
    return all(p.start == e for p, e in zip(found, ends, strict=False)) and ends[-1] == len(text)


def test_prose_costs_about_its_length_and_junk_far_more(seed_mt):
    assert len(seed_mt) <= estimate(seed_mt) < 1.1 * len(seed_mt)
    # A run of non-word tokens costs far more than its length; plain words, their length.
    assert sentence_cost("[" * 2000) > 2.5 * 2000
    assert estimate("word " * 2000) == len("word " * 2000)
    # The cost grows faster than the run: twice the marks, more than twice the cost.
    assert sentence_cost("\u0301" * 4000) > 2.5 * sentence_cost("\u0301" * 2000)
    # Sentences are costed apart: many short ones cost what their lengths say.
    assert estimate("No. " * 1000) < 1.5 * len("No. " * 1000)


def test_an_ordinary_article_is_one_piece(seed_mt):
    (piece,) = pieces(seed_mt, 4000)
    assert (piece.start, piece.end, piece.skipped) == (0, len(seed_mt), "")


@pytest.mark.parametrize("name", ATTACKS)
def test_the_attack_payloads_are_not_sent_and_say_why_in_milliseconds(name):
    text = ATTACKS[name]
    started = time.perf_counter()
    found = pieces(text, 4000)
    assert time.perf_counter() - started < 0.5
    assert covers(text, found) and all(p.skipped for p in found)
    assert unchecked_reason(text, found).startswith("grammar not checked: not prose")


def test_long_prose_is_cut_between_sentences_under_the_bound():
    text = "He go home after the meeting in Munich. " * 500
    found = pieces(text, 4000)
    assert covers(text, found) and len(found) > 1
    assert all(not p.skipped and p.cost <= 4000 for p in found)
    assert all(text[: p.end].endswith(". ") or p.end == len(text) for p in found)
    assert unchecked_reason(text, found) == ""


def test_one_long_sentence_is_cut_between_words():
    text = "word, " * 3000 + "end."
    found = pieces(text, 4000)
    assert covers(text, found) and len(found) > 4
    assert all(not p.skipped and p.cost <= 4000 for p in found)
    assert all(text[p.end - 1] == " " for p in found[:-1])


def test_a_costly_run_inside_prose_is_left_out_and_the_prose_checked():
    prose = "The minister spoke in Munich on Friday. He go home. " * 40
    run = "x\u0301" * 3000  # letters, but one run without a space costing over the bound
    text = prose + run + " " + prose
    found = pieces(text, 4000)
    assert covers(text, found)
    skipped = [p for p in found if p.skipped]
    assert len(skipped) == 1 and text[skipped[0].start : skipped[0].end].strip() == run
    assert "a run of 6,000 characters without a space" in skipped[0].skipped
    reason = unchecked_reason(text, found)
    assert reason.startswith(f"grammar not checked on 6,001 of {len(text):,} characters")
    assert sum(p.end - p.start for p in found if not p.skipped) == 2 * len(prose)


def test_short_odd_texts_are_sent_as_they_are():
    for text in ("!!!", "—", "[1]", "\u0301", "12:30 – 14:00"):
        assert [p.skipped for p in pieces(text, 4000)] == [""]
