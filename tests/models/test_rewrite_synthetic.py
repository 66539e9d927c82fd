"""Synthetic rewrite pairs: function words damaged, content words and meaning kept."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from copydesk.models.rewrite.synthetic import (
    ARTICLES,
    AUXILIARIES,
    PREPOSITIONS,
    garble,
    synthetic_pairs,
)

FUNCTION_WORDS = {*ARTICLES, *AUXILIARIES, *PREPOSITIONS}
CLEAN = "The minister has said that the talks in Munich are a success for the region."


def _content(sentence: str) -> list[str]:
    return [w.lower() for w in sentence.split() if w.lower() not in FUNCTION_WORDS]


def test_every_function_word_is_damaged_at_rate_one():
    damaged = garble(CLEAN, random.Random(1), rate=1.0)
    assert _content(damaged) == _content(CLEAN)
    kept = [w for w in damaged.split() if w.lower() in FUNCTION_WORDS]
    # articles are dropped or swapped, auxiliaries dropped, prepositions replaced
    assert not {"has", "are"} & {w.lower() for w in kept}
    assert "in" not in kept and "for" not in kept
    assert damaged[0].isupper()  # a dropped "The" passes its capital on


def test_rate_zero_changes_nothing():
    assert garble(CLEAN, random.Random(1), rate=0.0) == CLEAN


@given(st.lists(st.sampled_from(["the", "a", "is", "in", "talks", "Munich", "went"]), max_size=12))
def test_content_words_always_survive(words):
    sentence = " ".join(words)
    assert _content(garble(sentence, random.Random(0), rate=0.5)) == _content(sentence)


def test_pairs_are_drawn_from_usable_lines_and_repeat_with_the_seed():
    lines = [f"Line {i} is in the text of the day." for i in range(50)] + ["Too short."]
    pairs = synthetic_pairs(lines, 20, seed=3, rate=0.3)
    assert len(pairs) == 20 and pairs == synthetic_pairs(lines, 20, seed=3, rate=0.3)
    assert all(clean in lines and clean != "Too short." for _, clean in pairs)
    assert any(damaged != clean for damaged, clean in pairs)
    with pytest.raises(ValueError, match="only 50 lines fit"):
        synthetic_pairs(lines, 51)
