"""The source's names as the names stage reads them: pymorphy3's lemmas and tags."""

from copydesk.models import Document, RepairContext
from copydesk.models.checks.name_table import name_table
from copydesk.models.names.source import source_name_words, source_names
from copydesk.models.stages.entities import EntitiesStage
from copydesk.models.translit import variant_key


def test_names_in_any_case_are_read_in_their_dictionary_form():
    names = source_names("Министр встретился с Лавровым и Маасом в Идлибе.")
    assert names[variant_key("Lavrov")] == "Lavrov"
    assert names[variant_key("Maas")] == "Maas"
    assert names[variant_key("Idlib")] == "Idlib"


def test_a_name_opening_a_sentence_counts_and_a_common_word_does_not():
    names = source_names("Лавров заявил, что Парламент не собирался.")
    assert variant_key("Lavrov") in names
    assert variant_key("Parlament") not in names  # a common noun with a capital


def test_an_adjective_made_from_a_name_gives_the_name():
    names = source_names("Встреча в идлибской зоне деэскалации прошла.")
    assert names[variant_key("Idlib")] == "Idlib"
    assert source_name_words("в идлибской зоне")[variant_key("Idlib")] == "идлибской"
    # a dictionary adjective that no name makes is no name
    assert not any(k.startswith("yuridi") for k in source_names("юридический факультет"))


def test_a_surname_like_an_adjective_keeps_its_ending():
    names = source_names("Премьер говорил с Зеленским.")
    assert variant_key("Zelenskiy") in names


def test_a_surname_after_an_initial_does_not_open_a_sentence():
    names = source_names("Писатель Дм. Глуховский рассуждает о политике.")
    assert variant_key("Glukhovskiy") in names
    assert not source_names("Он ушёл. Глуховский остался.")  # a sentence start still is one


def test_the_learnt_english_form_comes_before_the_transliteration():
    def english(lemma: str) -> tuple[str, ...]:
        return name_table().get(lemma, ())

    assert variant_key("Israel") not in source_names("Переговоры прошли в Израиле.")
    names = source_names("Переговоры прошли в Израиле.", english)
    assert names[variant_key("Israel")] == "Israel"


def test_a_garbled_adjective_is_repaired_to_the_english_name():
    [edit] = EntitiesStage().propose(
        Document.from_text("The talks on the Itraelskoye side went on."),
        RepairContext(source="Переговоры с израильской стороной продолжились."),
    )
    assert (edit.original, edit.replacement) == ("Itraelskoye", "Israel")
