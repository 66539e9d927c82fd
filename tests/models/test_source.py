"""The one source pairing every stage reads (copydesk.models.source)."""

from __future__ import annotations

from copydesk.models import Document, RepairContext


def pairs(mt: str, source: str | None) -> tuple:
    return RepairContext(source=source).pairing(Document.from_text(mt)).sentences


def test_a_one_sentence_document_takes_the_whole_source():
    assert pairs("The talks went on.", " Переговоры шли. Долго. ") == ("Переговоры шли. Долго.",)


def test_paragraphs_pair_then_their_sentences():
    mt = "One. Two.\n\nThree."
    assert pairs(mt, "Раз. Два.\n\nТри.") == ("Раз.", "Два.", "Три.")
    # A paragraph whose sentences differ in number pairs only its first sentence.
    assert pairs(mt, "Раз, два.\n\nТри.") == ("Раз, два.", None, "Три.")


def test_other_paragraphing_pairs_sentences_when_their_numbers_agree():
    assert pairs("One. Two.\n\nThree.", "Раз. Два. Три.") == ("Раз.", "Два.", "Три.")
    assert pairs("One. Two.\n\nThree.", "Раз, два. Три.") == (None, None, None)


def test_no_source_pairs_nothing_and_the_pairing_is_made_once():
    assert pairs("One. Two.", None) == (None, None)
    assert pairs("One. Two.", "  ") == (None, None)
    context = RepairContext(source="Раз. Два.")
    doc = Document.from_text("One. Two.")
    first = context.pairing(doc)
    assert context.pairing(Document.from_text("One. Two.")) is first
    assert first.paragraphs == ("Раз. Два.",)


def test_the_pairing_gives_the_whole_source_as_the_caller_gave_it():
    doc = Document.from_text("One. Two.")
    assert RepairContext(source="Раз. Два.").pairing(doc).source == "Раз. Два."
    assert RepairContext().pairing(doc).source is None
    blank = RepairContext(source="  ").pairing(doc)
    assert blank.source == "  " and not blank.has_source and blank.sentences == (None, None)
