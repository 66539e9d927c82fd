"""Language detection: English, or which other language, by script and function words."""

from __future__ import annotations

import pytest

from copydesk.models.langid import detect


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Die Bundesregierung hat am Montag beschlossen, dass die Steuern nicht steigen.", "de-DE"),
        ("Министр иностранных дел России заявил, что переговоры продолжатся.", "ru-RU"),
        ("Міністр закордонних справ України заявив, що переговори триватимуть.", "uk-UA"),
        ("България е държава в Югоизточна Европа, която се намира на Балканите.", "bg"),
        ("Le ministre a déclaré que les négociations vont continuer avec la Turquie.", "fr"),
        ("El ministro dijo que las conversaciones continuarán en la capital.", "es"),
        ("東京で会議が開かれた。", "ja-JP"),
        ("会议在北京举行。", "zh-CN"),
        ("Η κυβέρνηση ανακοίνωσε νέα μέτρα.", "el-GR"),
    ],
)
def test_other_languages(text, code):
    found = detect(text)
    assert found.code == code and not found.english
    assert found.confidence >= 0.7


@pytest.mark.parametrize(
    "text",
    [
        "The foreign Minister of Russia Sergey Lavrov said on Monday that talks would go on.",
        "Sergey Lavrov",  # too little evidence: English
        "Putin met Erdogan in Sochi.",  # "met" and "in" are Dutch words too
        "Repeat steps 2. and 3. until done",
        "See https://en.wikinews.org/wiki/La_La_Land_receives_nominations for more.",
        "The talks in Moscow (переговоры в Москве) went on.",
        "",
    ],
)
def test_english_and_too_little_evidence_are_english(text):
    assert detect(text).english
