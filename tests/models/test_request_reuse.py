"""What a request reuses rather than redoes: the paragraphs a stage's edits left alone
when the text is segmented again, and a lexicon file's word usage."""

from __future__ import annotations

import json
import os

from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk import models
from copydesk.models import Document
from copydesk.models.casing.model import set_inference_threads
from copydesk.models.segmenter import segment
from copydesk.models.wordstats import read_word_usage

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


def test_a_lexicon_file_changed_in_place_is_read_again(tmp_path):
    """The word usage is read once per version of its file: its path is resolved once,
    its version (time and size) checked on every call."""
    path = tmp_path / "lexicon.json"
    path.write_text(json.dumps({"common": ["miles"]}), encoding="utf-8")
    first = read_word_usage(path)
    assert read_word_usage(path) is first and "miles" in first.common
    path.write_text(json.dumps({"common": ["miles", "dollars"]}), encoding="utf-8")
    os.utime(path, ns=(1, 1))
    again = read_word_usage(path)
    assert again is not first and "dollars" in again.common


TEXTS = [
    "the Meeting in geneva ended.\n\nforeign Minister Lavrov left for Moscow. he said i was "
    "right.\n\nSergei Lavrov and Sergey lavrov spoke in Idlib and Iglinskiy.",
    "NATO Talks Open In Geneva\n\nThe biggest Concern of all is a flood of refugees.\n\n"
    "“we talked about the situation in syria,” said heiko maas. the Russian side agreed.",
]


def test_the_stages_repair_as_they_did_segmenting_afresh_and_batches_one_by_one(
    seed_mt, monkeypatch
):
    """Paragraphs taken over and the network's batches side by side change nothing a
    request gets back."""
    pipeline = models.load(
        {"stages": [{"name": n} for n in ("sentence_case", "casing", "entities")]}
    )
    texts = [seed_mt, *TEXTS]
    now = [r.to_dict() for r in pipeline.repair_many(texts)]
    scratch = Document.from_text.__func__
    monkeypatch.setattr(
        Document, "from_text", classmethod(lambda cls, text, previous=None: scratch(cls, text))
    )
    set_inference_threads(2)  # every batch on every thread, one after another
    try:
        before = [r.to_dict() for r in pipeline.repair_many(texts)]
    finally:
        set_inference_threads(0)
    for a, b in zip(now, before, strict=True):
        for report in (*a["stages"], *b["stages"]):
            report.pop("seconds")
        assert a == b
    assert any(e["stage"] == "entities" for e in now[0]["edits"])  # the text changed late too
