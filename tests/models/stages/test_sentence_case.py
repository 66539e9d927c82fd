from __future__ import annotations

import pytest

from copydesk import models
from copydesk.models import Document, RepairContext
from copydesk.models.stages import SentenceCaseStage


def repaired(text: str, **settings) -> str:
    stage = SentenceCaseStage(**settings)
    return models.apply_edits(text, stage.propose(Document.from_text(text), RepairContext()))


def test_capitalises_sentence_starts_after_quotes_and_brackets():
    assert repaired("it rained. “we left,” he said. (the end.)") == (
        "It rained. “We left,” he said. (The end.)"
    )
    assert repaired("— and then? nothing.") == "— And then? Nothing."


def test_headlines_are_capitalised():
    assert repaired("talks open in Geneva\n\nthey did.") == "Talks open in Geneva\n\nThey did."


def test_words_lowercase_by_nature_are_left_alone():
    text = "iPhone sales rose. e-mail was down. eBay fell. 3 people left. www.x.org is up."
    assert repaired(text) == text
    assert (
        repaired("r/PikabuPolitics\n\nkm/h is the unit.") == "r/PikabuPolitics\n\nkm/h is the unit."
    )
    assert repaired("the talks with de Gaulle ended.") == "The talks with de Gaulle ended."


def test_colon_abbreviation_and_attribution_keep_lowercase():
    text = "He said: we expect it. Mr. smith and Acme Inc. ended it etc. and more."
    assert repaired(text) == text


def test_edits_are_word_level_with_reason():
    doc = Document.from_text("the Meeting began.")
    [edit] = SentenceCaseStage().propose(doc, RepairContext())
    assert (edit.start, edit.end, edit.original, edit.replacement) == (0, 3, "the", "The")
    assert edit.kind == "casing" and edit.stage == "sentence_case"
    assert edit.message == "sentence starts with a lowercase letter"
    assert 0 < edit.confidence <= 1


def test_configurable_lexicon():
    assert repaired("kpop is big.", keep_lowercase=["kpop"]) == "kpop is big."


def test_seed_article_changes_only_sentence_initial_lowercase_words(seed_mt):
    result = models.Pipeline([SentenceCaseStage()]).repair(seed_mt)
    changed = [(e.original, e.replacement) for e in result.edits]
    assert changed == [("foreign", "Foreign"), ("the", "The"), ("the", "The"), ("the", "The")]
    for edit in result.edits:
        before = seed_mt[: edit.start].rstrip(" ")
        assert before == "" or before.endswith(("\n", ".", "!", "?"))
    assert result.apply(result.edits) == result.repaired
    # Every sentence-initial capital of the light reference that the MT lacked is made.
    assert result.repaired.startswith("Idlib has become")
    for phrase in ("Foreign Minister of Russia", "The Meeting at", "The Biggest", "The President"):
        assert phrase in result.repaired


def test_split_url_scheme_stays_lowercase():
    # Tokenised MT splits URLs (`https: / / clck.ru`); the scheme is not a sentence's word.
    assert repaired("https: / / clck.ru / Jzjxe. then it ended.") == (
        "https: / / clck.ru / Jzjxe. Then it ended."
    )


def test_a_lowercase_start_the_source_has_too_is_the_authors():
    stage = SentenceCaseStage()
    mt = "this is my first track. the second one is better.\n\nthe album is out."
    source = "это мой первый трек. Второй лучше.\n\nальбом вышел."
    edits = stage.propose(Document.from_text(mt), RepairContext(source=source))
    assert [(e.original, e.start) for e in edits] == [("the", mt.index("the second"))]
    # Without the source, or when its sentences do not pair up, every start is capitalised.
    assert len(stage.propose(Document.from_text(mt), RepairContext())) == 3
    unpaired = RepairContext(source="это мой первый трек, второй лучше. альбом вышел.")
    assert len(stage.propose(Document.from_text(mt), unpaired)) == 3


def test_the_casing_model_leaves_first_words_to_the_rules():
    pipeline = models.load({"stages": [{"name": "sentence_case"}, {"name": "casing"}]})
    mt, source = "how to get rid of the cold?", "как избавиться от простуды?"
    assert pipeline.repair(mt, RepairContext(source=source)).repaired == mt
    assert pipeline.repair(mt).repaired == "How to get rid of the cold?"


@pytest.mark.parametrize(
    "text", ["< i > if Wikipedia does not comply", "& gt; sentence them", "[img] here"]
)
def test_markup_at_a_sentence_start_is_left_alone(text):
    assert repaired(text) == text
