"""Segmenting a text again after edits, taking over the paragraphs the edits left alone."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk.models import Document
from copydesk.models.segmenter import segment

PIECES = [
    "the", "Minister", "said", ".", "?", "!", " ", "  ", "\n", "\n\n", "\n \n", "“", "”",
    "U.S.", "www.example.com", "Www", "e.g.", "Mr.", "3.", "steps", "2.", "said Maas", "-",
    "\u0301", "ß", "İ", "\t", "\r\n\r\n", "AND", "idlib", "Idlib", "...", ":", "é",
]  # fmt: skip
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


def edited(text: str, data: st.DataObject) -> str:
    """``text`` with a few spans replaced: recased, or any piece put in."""
    for _ in range(data.draw(st.integers(0, 3))):
        a = data.draw(st.integers(0, len(text)))
        b = data.draw(st.integers(a, min(len(text), a + 8)))
        new = data.draw(
            st.sampled_from([text[a:b].upper(), text[a:b].lower(), text[a:b].title(), *PIECES])
        )
        text = text[:a] + new + text[b:]
    return text


@settings(max_examples=400, deadline=None)
@given(texts, st.data())
def test_taking_paragraphs_over_gives_the_segmentation_from_scratch(text, data):
    new = edited(text, data)
    assert segment(new, (text, segment(text))) == segment(new)


def test_the_seed_after_the_stages_edits(seed_mt):
    """The paragraphs an edit left where they were are the same objects; the rest are new,
    and the whole is what segmenting from scratch gives."""
    before = Document.from_text(seed_mt)
    at = seed_mt.index("Idlib")
    text = seed_mt[:at] + "IDLIB" + seed_mt[at + 5 :]
    after = Document.from_text(text, previous=before)
    assert after == Document.from_text(text)
    changed = [i for i, p in enumerate(before.paragraphs) if p.start <= at < p.end]
    kept = [a is b for a, b in zip(before.paragraphs, after.paragraphs, strict=True)]
    assert kept == [i not in changed for i in range(len(kept))]
    assert Document.from_text(seed_mt, previous=Document.from_text("other text")) == before
