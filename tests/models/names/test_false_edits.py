"""Names the entities stage must leave alone, beside the true repairs of the same kinds."""

from __future__ import annotations

import pytest

from copydesk.models import Document, RepairContext
from copydesk.models.stages import EntitiesStage
from copydesk.models.translit import gendered_pair


def edits(text: str, source: str | None = None) -> list[tuple[str, str]]:
    found = EntitiesStage().propose(Document.from_text(text), RepairContext(source=source))
    return [(e.original, e.replacement) for e in found]


@pytest.mark.parametrize(
    "text",
    [
        # Gendered forms of one surname are two people.
        "Olga Petrova met Ivan Petrov in Moscow. Petrov said the talks went well. Petrova agreed.",
        "Maria Dostoevskaya and Fyodor Dostoevsky were discussed. Dostoevsky wrote novels.",
        "Andrei Bely spoke. Anna Belaya spoke later. Bely left.",
        "Yuri Ivanin met Ivanina. Ivanin spoke twice. Ivanin left.",
        # A name and a longer name that starts with it.
        "Kim met Kimberly. Kim spoke. Kim left again.",
        # Spellings that differ only in diacritics.
        "Müller spoke. Muller said. Müller left.",
        # A name beside a common English word of similar spelling.
        "The Apple chief spoke. Later the Appel family spoke. Apple shares rose.",
        # A sentence's first common word is no name, even where a place is called so.
        "Al Gore spoke. Al left early. All around us people were eating.",
        # Three letters apart: another name, not a garble of it.
        "Sternfeld wrote a book in 1934. Sternfeld won a prize. In the area of Sternberk "
        "drivers should beware.",
        # A surname after a given name garbles no common word or place.
        "The Blues won again. The Blues fans cheered. Alexis Blouet was there.",
        # Diacritics are added or taken off only on the glossary's or the source's say.
        "Katarina Witt skated. Katarina won gold. Then Kateřina Nováková spoke.",
        "Kateřina Nováková spoke. Kateřina left. Then Katerina Nováková arrived.",
    ],
)
def test_names_left_alone(text):
    assert edits(text) == []


def test_the_true_repairs_of_the_same_kinds_still_work():
    assert edits("Sergey Lavrov spoke. Sergei Lavrov left. Lavrov said.") == [("Sergei", "Sergey")]
    # A surname's own transliteration variants are still one name (-iy/-y, ei/ey).
    assert edits("Dmitry Peskov spoke. Dmitriy Peskov left. Peskov said.") == [
        ("Dmitriy", "Dmitry")
    ]


def test_a_letter_or_two_garbled_is_still_repaired():
    assert edits("Angela Merkel spoke. Merkel left. Later Merkal said so.") == [
        ("Merkal", "Merkel")
    ]


def test_gendered_pairs():
    assert gendered_pair("Petrov", "Petrova") and gendered_pair("Dostoevskaya", "Dostoevsky")
    assert gendered_pair("Ivanin", "Ivanina") and gendered_pair("Bely", "Belaya")
    assert not gendered_pair("Petrov", "Petrovsky") and not gendered_pair("Ina", "Inaya")


def test_a_repair_from_the_source_names_the_sources_word():
    [edit] = EntitiesStage().propose(
        Document.from_text("Meeting in Iglinskiy areas of de-escalation was held."),
        RepairContext(source="Встреча в идлибской зоне деэскалации прошла."),
    )
    assert (edit.original, edit.replacement) == ("Iglinskiy", "Idlib")
    assert "the source's word: 'идлибской'" in edit.message
