"""Each check finds an error planted in a correct translation and leaves the correct one alone."""

from __future__ import annotations

import pytest

from copydesk.models.checks import run_checks
from copydesk.models.flags import FlagKind


def kinds(text: str, source: str | None) -> list[FlagKind]:
    return [f.kind for f in run_checks(text, source)]


# (source, correct translation, the translation with an error planted, the kind flagged)
PLANTED = [
    # numbers written as words in Russian, and in English
    ("В аварии погибли двадцать пять человек.", "Twenty-five people died in the crash.",
     "Thirty-five people died in the crash.", FlagKind.NUMBER),
    ("Погибли трое военных.", "Three soldiers were killed.", "Four soldiers were killed.",
     FlagKind.NUMBER),
    ("Бюджет составит 2,5 млрд рублей.", "The budget will be 2.5 billion roubles.",
     "The budget will be 3.5 billion roubles.", FlagKind.NUMBER),
    ("В городе живут 1 500 000 человек.", "The city has 1,500,000 people.",
     "The city has 1,600,000 people.", FlagKind.NUMBER),
    ("Цены выросли на 5 процентов.", "Prices rose by 5%.", "Prices rose by 7%.",
     FlagKind.NUMBER),
    ("Встреча пройдёт 5 марта.", "The meeting will be held on March 5.",
     "The meeting will be held on May 5.", FlagKind.DATE),
    ("Переговоры начнутся в среду.", "The talks will begin on Wednesday.",
     "The talks will begin on Thursday.", FlagKind.DATE),
    ("Закон приняли в 2019 году.", "The law was passed in 2019.",
     "The law was passed in 2018.", FlagKind.DATE),
    # a negated verb, dropped; and a negation added
    ("Он не подписал договор.", "He did not sign the treaty.", "He did sign the treaty.",
     FlagKind.NEGATION),
    ("Россия выполнила свои обязательства.", "Russia has fulfilled its obligations.",
     "Russia has not fulfilled its obligations.", FlagKind.NEGATION),
    # inflected names: Идлибе, Лаврову
    ("Бои в Идлибе продолжаются.", "Fighting continues in Idlib.",
     "Fighting continues in Iglinskiy.", FlagKind.NAME),
    ("Эрдоган позвонил Лаврову.", "Erdogan called Lavrov.", "Erdogan called Peskov.",
     FlagKind.NAME),
    ("Министр иностранных дел Германии Хайко Маас прибыл в Москву.",
     "German Foreign Minister Heiko Maas arrived in Moscow.",
     "German Foreign Minister Heiko Maas arrived in Kiev.", FlagKind.NAME),
    ("Он сказал, что переговоры в Анкаре, которые длились три дня, завершились ничем.",
     "He said that the talks in Ankara, which lasted three days, ended in nothing.",
     "He said that the talks ended.", FlagKind.OMISSION),
]  # fmt: skip


@pytest.mark.parametrize(("source", "correct", "wrong", "kind"), PLANTED)
def test_a_planted_error_is_flagged_and_the_correct_version_is_not(source, correct, wrong, kind):
    assert kinds(correct, source) == []
    assert kind in kinds(wrong, source)


def test_a_transliteration_variant_is_no_error():
    source = "Сергей Лавров встретился с Дмитрием Песковым."
    for text in (
        "Sergey Lavrov met Dmitry Peskov.",
        "Sergei Lavrov met Dmitri Peskov.",
        "Sergej Lavrov met Dmitriy Peskov.",
    ):
        assert kinds(text, source) == [], text


def test_a_name_known_from_parallel_text():
    source = "Германия и Греция подписали соглашение."
    assert kinds("Germany and Greece signed an agreement.", source) == []
    assert FlagKind.NAME in kinds("Germany and Spain signed an agreement.", source)


def test_the_name_flag_points_at_the_stand_in_and_offers_the_source_name():
    source = "Бои в Идлибе продолжаются."
    text = "Fighting continues in Iglinskiy."
    [flag] = run_checks(text, source)
    assert flag.original == "Iglinskiy"
    assert source[flag.source_start : flag.source_end] == "Идлибе"
    assert flag.candidates == ("Idlib",)


def test_phrases_that_negate_nothing():
    pairs = [
        ("Он не только пишет, но и поёт.", "He not only writes but also sings."),
        ("Как ни старайся, ничего не выйдет.", "However hard you try, nothing will come of it."),
        ("Никто ничего не сказал.", "Nobody said anything."),
        ("Пострадали не менее 10 человек.", "At least 10 people were injured."),
        # questions with ``не … ли``, concessions with ``бы … ни``, set phrases
        ("Мы выясняем, не писали ли таблоиды об этом.", "We find out if the tabloids wrote it."),
        ("Чье бы поле ни было, да телята наши.", "Whatever field it is, the calves are ours."),
        ("Стилист не просто одевает людей.", "A stylist does not just dress people."),
        ("Ноги устанут, не говоря о спине.", "Legs get tired, not to mention the back."),
        ("У церкви томоса нету.", "The church does not have a tomos."),
        ("Соперник встанет несмотря ни на что.", "The rival will stand no matter what."),
        # lexicalised negatives: ``without``, ``no longer``, ``no surprise``
        ("Он уехал, не оказав помощи.", "He left without helping."),
        ("Всё перестало приносить удовольствие.", "Everything is no longer fun."),
        ("Неудивительно, что идей много.", "It is no surprise that ideas are plentiful."),
    ]
    for source, text in pairs:
        assert kinds(text, source) == [], text


def test_a_rendered_negative_word_explains_no_added_not():
    source = "Пациенты обеспечены необходимыми лекарствами."
    assert kinds("Patients are provided with the necessary drugs.", source) == []
    assert kinds("Patients are not provided with the necessary drugs.", source) == [
        FlagKind.NEGATION
    ]
    # two negations make none; нечего is "nothing to"
    assert (
        kinds("A great race is not without a degenerate.", "В великом роду не без выродка.") == []
    )
    assert kinds("The Swiss have nothing to add.", "Швейцарцам нечего добавить.") == []


def test_not_yet_is_a_negation_on_both_sides():
    source = "Причина столкновения пока не ясна."
    assert kinds("The cause of the collision is not yet clear.", source) == []
    assert kinds("The cause of the collision is clear.", source) == [FlagKind.NEGATION]


def test_english_spellings_of_foreign_names_render_them():
    source = "В переводе Питера Грейвза проза гибкая."
    assert kinds("In this translation by Peter Graves, the prose is supple.", source) == []
    assert kinds("In this translation by Peter Jones, the prose is supple.", source) == [
        FlagKind.NAME
    ]


def test_without_that_renders_bez_leaves_a_dropped_negation_flagged():
    source = "Без заботы и репу не вырастишь."
    assert kinds("You can't grow turnips without care.", source) == []
    assert kinds("You can grow turnips without care.", source) == [FlagKind.NEGATION]


def test_numbers_said_otherwise_agree():
    pairs = [
        ("Погибли 3 тыс. человек.", "Three thousand people died."),
        ("Это случилось в 90-х.", "It happened in the 1990s."),
        ("Он был пятым.", "He came fifth."),
        ("Компания потратила 5 млн долларов.", "The company spent $5m."),
        ("Полмиллиона человек вышли на улицы.", "Half a million people took to the streets."),
        ("Это семилетний план.", "This is a seven-year plan."),
        ("Одна из стран вышла.", "One of the countries left."),
    ]
    for source, text in pairs:
        assert kinds(text, source) == [], text


def test_untranslated_cyrillic():
    flags = run_checks("The governor of Приморье said so.", "Губернатор Приморья так сказал.")
    assert [(f.kind, f.original) for f in flags if f.kind is FlagKind.UNTRANSLATED] == [
        (FlagKind.UNTRANSLATED, "Приморье")
    ]
    assert kinds("Он сказал hello", None) == [FlagKind.UNTRANSLATED]


def test_form_checks():
    assert kinds("He said the the talks went well.", None) == [FlagKind.DOUBLED_WORD]
    assert kinds("He had had enough.", None) == []
    assert kinds('He said "yes.', None) == [FlagKind.UNPAIRED]
    assert kinds('He said "yes."', None) == []
    assert kinds("Will he come.", "Он придёт?") == [FlagKind.END_PUNCTUATION]
    assert kinds("Will he come?", "Он придёт?") == []
