"""Name lists read from the packages that ship them, filtered for the casing rules."""

from __future__ import annotations

from copydesk.models.casing.knowledge import Knowledge
from copydesk.models.casing.name_lists import extend, names_dataset, natasha_names


def test_natasha_names_come_in_their_english_spelling() -> None:
    first, last = natasha_names()
    assert {"sergey", "ilya"} <= first
    assert {"degtyaryov", "lavrov"} <= last  # Дегтярёв, Лавров
    assert all(name.isascii() and name.islower() for name in first)


def test_names_dataset_keeps_names_ranked_high_in_some_country() -> None:
    first, last = names_dataset(max_rank=50)
    wider, _ = names_dataset(max_rank=500)
    assert 0 < len(first) < len(wider)
    assert first <= wider
    assert last and all(name.islower() for name in last)


def test_a_listed_name_that_is_also_a_word_is_left_out() -> None:
    known = Knowledge(lowercase=frozenset({"rose"}), common=frozenset({"grace"}))
    out = extend(known, given=frozenset({"rose", "grace", "will", "zhanna"}))
    # `rose` news writes in lower case, `grace` it never capitalises, `will` is common
    # English: only the name that is no word joins the given names.
    assert out.given == {"zhanna"}
    assert out.proper == frozenset()
