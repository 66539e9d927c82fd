from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk.models import Edit, EditError, EditKind, apply_edits, resolve_overlaps

PIECES = [*list("ab cD\r\n.é"), "é", "👩\u200d👩\u200d👧", "😀", "“"]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


def make(text: str, start: int, end: int, replacement: str, confidence: float = 0.9) -> Edit:
    return Edit(start, end, text[start:end], replacement, EditKind.GRAMMAR, "test", confidence)


@st.composite
def text_and_edits(draw):
    text = draw(TEXTS)
    edits = []
    for _ in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, len(text)))
        replacement = draw(st.text(alphabet="xyZ😀\u0301\r\n", max_size=4))
        if replacement == text[start:end]:
            continue
        confidence = draw(st.floats(0, 1))
        edits.append(make(text, start, end, replacement, confidence))
    return text, edits


def test_edit_rejects_bad_fields():
    with pytest.raises(EditError):
        Edit(3, 2, "", "x", "casing", "s", 0.5)
    with pytest.raises(EditError):
        Edit(0, 2, "a", "x", "casing", "s", 0.5)
    with pytest.raises(EditError):
        Edit(0, 1, "a", "x", "style", "s", 0.5)
    with pytest.raises(EditError):
        Edit(0, 1, "a", "x", "casing", "s", 1.5)
    with pytest.raises(EditError):
        Edit(0, 1, "a", "a", "casing", "s", 0.5)


def test_apply_checks_original_text():
    with pytest.raises(EditError, match="expects"):
        apply_edits("hello", [Edit(0, 1, "j", "H", "casing", "s", 0.5)])
    with pytest.raises(EditError, match="past the text"):
        apply_edits("hi", [Edit(1, 3, "ix", "", "casing", "s", 0.5)])


def test_no_edits_returns_original_exactly():
    text = "a\r\nb 😀 e\u0301"
    assert apply_edits(text, []) == text


def test_overlap_rule_prefers_confidence_then_earlier_start():
    text = "the foreign Minister"
    low = make(text, 4, 20, "Foreign Minister", 0.6)
    high = make(text, 12, 20, "minister", 0.9)
    assert resolve_overlaps([low, high]) == [high]
    tie_a = make(text, 0, 3, "The", 0.7)
    tie_b = make(text, 2, 5, "X", 0.7)
    assert resolve_overlaps([tie_b, tie_a]) == [tie_a]


def test_insertions_at_a_span_start_apply_before_it():
    text = "ab"
    ins = make(text, 0, 0, "<")
    rep = make(text, 0, 1, "A")
    assert apply_edits(text, [rep, ins]) == "<Ab"
    assert (
        resolve_overlaps([make(text, 1, 1, "x", 0.4), make(text, 1, 1, "y", 0.5)])[0].replacement
        == "y"
    )


@given(text_and_edits())
def test_any_subset_applies_consistently(data):
    text, edits = data
    kept = resolve_overlaps(edits)
    for i, a in enumerate(kept):
        for b in kept[i + 1 :]:
            assert not a.overlaps(b)
    result = apply_edits(text, edits)
    # Rebuild by hand from the kept edits: unchanged text between them is the original's.
    pieces, cursor = [], 0
    for e in kept:
        pieces += [text[cursor : e.start], e.replacement]
        cursor = e.end
    assert result == "".join(pieces) + text[cursor:]
    # Applying the kept edits again, one subset at a time, is the same as applying them once.
    assert apply_edits(text, kept) == result
    assert apply_edits(text, kept[::2]) == apply_edits(text, list(reversed(kept[::2])))


@given(text_and_edits())
def test_edits_roundtrip_through_dicts(data):
    _, edits = data
    for e in edits:
        assert Edit.from_dict(e.to_dict()) == e


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 12), st.integers(0, 3), st.sampled_from([0.2, 0.5, 0.9])),
        max_size=30,
    )
)
def test_resolving_overlaps_keeps_what_the_rule_keeps(spans):
    text = "abcdefghijklmnop"
    edits = [
        Edit(s, s + n, text[s : s + n], "X" * (n + 1), EditKind.GRAMMAR, "t", c)
        for s, n, c in spans
    ]
    ranked = sorted(
        enumerate(edits), key=lambda ie: (-ie[1].confidence, ie[1].start, ie[1].end, ie[0])
    )
    naive: list[Edit] = []
    for _, edit in ranked:
        if not any(edit.overlaps(k) for k in naive):
            naive.append(edit)
    assert resolve_overlaps(edits) == sorted(naive, key=lambda e: (e.start, e.end))
