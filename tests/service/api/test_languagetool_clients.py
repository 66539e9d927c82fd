"""LanguageTool's clients as they are: browsers (CORS), variants, ``language=auto`` on
other languages, the 413, personal dictionaries (``/v2/words``) and LanguageTool's own
matches beside copydesk's."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from copydesk import models
from copydesk.models.stages import CasingStage, EntitiesStage, GrammarStage, SentenceCaseStage
from tests.service.api.test_languagetool_api import check, client_for

GERMAN = (
    "Die Bundesregierung hat am Montag beschlossen, dass die Steuern im nächsten Jahr "
    "nicht erhöht werden. der Minister sagte, es gebe keinen Grund dafür."
)
RUSSIAN = (
    "Министр иностранных дел России Сергей Лавров заявил, что переговоры продолжатся. "
    "встреча пройдет в Мюнхене."
)


@pytest.fixture(scope="module")
def client():
    return client_for()


# CORS


def test_a_browser_preflight_is_answered_for_the_configured_origins():
    client = client_for(cors_origins="https://cms.example.org")
    preflight = client.options(
        "/v2/check",
        headers={
            "Origin": "https://cms.example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-api-key",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://cms.example.org"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    answer = check(client, text="the minister spoke.", **{}).headers
    assert "access-control-allow-origin" not in answer  # no Origin, no CORS header
    cross = client.post(
        "/v2/check",
        data={"language": "en-US", "text": "the minister spoke."},
        headers={"Origin": "https://cms.example.org"},
    )
    assert cross.headers["access-control-allow-origin"] == "https://cms.example.org"
    other = client.options(
        "/v2/check",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert other.status_code == 400
    assert "access-control-allow-origin" not in other.headers


def test_every_origin_with_a_star_and_none_by_default(client):
    star = client_for(cors_origins="*")
    answer = star.options(
        "/v1/repair",
        headers={"Origin": "https://any.example", "Access-Control-Request-Method": "POST"},
    )
    assert answer.status_code == 200 and answer.headers["access-control-allow-origin"] == "*"
    closed = client.post(
        "/v2/check",
        data={"language": "en-US", "text": "the minister spoke."},
        headers={"Origin": "https://any.example"},
    )
    assert "access-control-allow-origin" not in closed.headers  # LanguageTool's default


# Variants


@pytest.mark.parametrize("variant", ["en-GB", "en-AU", "en-CA", "en-NZ", "en-ZA", "en"])
def test_every_english_variant_languagetool_accepts(client, variant):
    answer = check(client, text="the minister spoke.", language=variant)
    assert answer.status_code == 200
    language = answer.json()["language"]
    assert language["code"] == ("en-US" if variant == "en" else variant)
    assert answer.json()["matches"][0]["replacements"] == [{"value": "The"}]


def test_preferred_variants_pick_the_variant_of_auto(client):
    answer = check(
        client, text="the minister spoke.", language="auto", preferredVariants="de-AT,en-GB"
    )
    assert answer.json()["language"]["code"] == "en-GB"
    assert answer.json()["language"]["name"] == "English (GB)"
    plain = check(client, text="the minister spoke.", language="auto").json()
    assert plain["language"]["code"] == "en-US"
    refused = check(client, text="x", language="en-US", preferredVariants="en-GB")
    assert refused.status_code == 400 and "preferredVariants" in refused.text


# language=auto on other languages


@pytest.mark.parametrize(
    ("text", "code"), [(GERMAN, "de-DE"), (RUSSIAN, "ru-RU")], ids=["german", "russian"]
)
def test_auto_answers_another_language_without_english_edits(client, text, code):
    answer = check(client, text=text, language="auto").json()
    assert answer["matches"] == []
    assert answer["language"]["code"] == code
    assert answer["language"]["detectedLanguage"]["code"] == code
    assert answer["language"]["detectedLanguage"]["confidence"] >= 0.7
    # Asked for English explicitly, it is checked as English (as LanguageTool does),
    # and the answer still says what the text is in.
    asked = check(client, text=text, language="en-US").json()
    assert asked["language"]["code"] == "en-US"
    assert asked["language"]["detectedLanguage"]["code"] == code


def test_auto_on_english_checks_it(client, seed_mt):
    answer = check(client, text=seed_mt, language="auto").json()
    assert answer["language"]["detectedLanguage"]["code"] == "en-US"
    assert any(m["rule"]["id"] == "COPYDESK_GARBLED_NAME" for m in answer["matches"])


# 413


def test_a_text_over_the_limit_is_a_413_as_in_languagetool():
    client = client_for(max_text_chars=100)
    answer = check(client, text="word " * 40)
    assert answer.status_code == 413
    assert answer.text.startswith("Error: Your text exceeds the limit of 100 characters")
    data = json.dumps({"annotation": [{"text": "word " * 40}]})
    assert check(client, data=data).status_code == 413
    assert check(client, text="word " * 20).status_code == 200


# /v2/words


def test_personal_dictionary_add_list_delete_per_key():
    client = client_for(api_keys=["alice", "bob"])
    add = client.post("/v2/words/add", data={"word": "Sergei", "apiKey": "alice", "username": "a"})
    assert add.status_code == 200 and add.json() == {"added": True}
    again = client.post("/v2/words/add", data={"word": "Sergei", "apiKey": "alice"})
    assert again.json() == {"added": False}
    client.post("/v2/words/add", data={"word": "Iglinskiy", "apiKey": "alice", "dict": "places"})
    assert client.get("/v2/words", params={"apiKey": "alice"}).json() == {
        "words": ["Iglinskiy", "Sergei"]
    }
    assert client.get("/v2/words", params={"apiKey": "alice", "dicts": "places"}).json() == {
        "words": ["Iglinskiy"]
    }
    assert client.get("/v2/words", params={"apiKey": "alice", "limit": "1"}).json() == {
        "words": ["Iglinskiy"]
    }
    assert client.get("/v2/words", headers={"X-API-Key": "bob"}).json() == {"words": []}
    assert client.get("/v2/words").status_code == 401
    gone = client.post("/v2/words/delete", data={"word": "Sergei", "apiKey": "alice"})
    assert gone.json() == {"deleted": True}
    assert client.post("/v2/words/delete", data={"word": "Sergei", "apiKey": "alice"}).json() == {
        "deleted": False
    }
    assert client.get("/v2/words", params={"apiKey": "alice"}).json() == {"words": ["Iglinskiy"]}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "Missing 'word'"),
        ({"word": "two words"}, "whitespace"),
        ({"word": "x" * 300}, "longer"),
    ],
)
def test_bad_words_are_400s(client, fields, message):
    answer = client.post("/v2/words/add", data=fields)
    assert answer.status_code == 400 and message in answer.text
    assert client.get("/v2/words", params={"offset": "-1"}).status_code == 400


def test_a_keys_words_are_never_changed_by_its_repairs(seed_mt):
    client = client_for(api_keys=["alice", "bob"])
    text = "Sergey Lavrov met the minister. Sergei Lavrov spoke in Iglinskiy areas."
    before = check(client, text=text, apiKey="alice").json()["matches"]
    touched = {text[m["offset"] : m["offset"] + m["length"]] for m in before}
    assert touched & {"Sergei", "Iglinskiy"}, touched  # copydesk changes them by default
    for word in ("Sergei", "Iglinskiy"):
        client.post("/v2/words/add", data={"word": word, "apiKey": "alice"})
    after = check(client, text=text, apiKey="alice").json()["matches"]
    for m in after:
        assert not {"Sergei", "Iglinskiy"} & set(
            text[m["offset"] : m["offset"] + m["length"]].split()
        )
    # /v1/repair of the same key obeys them too; another key's repair does not.
    repaired = client.post("/v1/repair", json={"text": text}, headers={"X-API-Key": "alice"})
    assert "Sergei" in repaired.json()["results"][0]["repaired"]
    assert "Iglinskiy" in repaired.json()["results"][0]["repaired"]
    other = client.post("/v1/repair", json={"text": text}, headers={"X-API-Key": "bob"})
    assert other.json()["results"][0]["repaired"] != repaired.json()["results"][0]["repaired"]


# LanguageTool's own matches


def test_languagetool_spelling_and_typography_come_back_beside_copydesks(languagetool_url):
    text = "the minister recieved the the letter yesterday ."

    def client_with_grammar(**settings) -> TestClient:
        client = client_for(**settings)
        client.app.state.pipeline = models.Pipeline(
            [SentenceCaseStage(), GrammarStage(url=languagetool_url)]
        )
        return client

    client = client_with_grammar()
    matches = check(client, text=text).json()["matches"]
    by_rule = {m["rule"]["id"]: m for m in matches}
    assert "COPYDESK_SENTENCE_INITIAL_CAPITAL" in by_rule
    spelling = [m for m in matches if m["rule"]["category"]["id"] == "TYPOS"]
    assert spelling, by_rule
    typo = spelling[0]
    assert text[typo["offset"] : typo["offset"] + typo["length"]] == "recieved"
    assert typo["replacements"][0]["value"] == "received"
    assert typo["context"]["text"] and typo["sentence"]
    starts = [m["offset"] for m in matches]
    assert starts == sorted(starts)
    # The personal dictionary silences it, as in LanguageTool; the setting turns all off.
    client.post("/v2/words/add", data={"word": "recieved"})
    again = check(client, text=text).json()["matches"]
    assert not any(m["rule"]["category"]["id"] == "TYPOS" for m in again)
    off = client_with_grammar(languagetool_passthrough=False)
    ids = {m["rule"]["category"]["id"] for m in check(off, text=text).json()["matches"]}
    assert not ids & {"TYPOS", "TYPOGRAPHY", "STYLE"}
    # The client's own category filter applies to them as to copydesk's.
    filtered = check(client_with_grammar(), text=text, disabledCategories="TYPOS").json()
    assert not any(m["rule"]["category"]["id"] == "TYPOS" for m in filtered["matches"])
    # Without a grammar stage there is no LanguageTool to ask: copydesk's matches alone.
    plain = check(client_for(), text=text).json()["matches"]
    assert {m["rule"]["category"]["id"] for m in plain} <= {"CASING", "COPYDESK_FORM"}


# Replacements stay inside the text


@pytest.mark.parametrize("interpret", ["russia", " of russia", "Russia"])
def test_no_replacement_outside_the_text_even_at_picky(interpret):
    """``<x/>`` standing for text: no match may replace or insert at the markup."""
    client = client_for()
    client.app.state.pipeline = models.Pipeline(
        [SentenceCaseStage(), CasingStage(), EntitiesStage()]
    )
    annotation = [
        {"text": "Lavrov said "},
        {"markup": "<x/>", "interpretAs": interpret},
        {"text": " agreed."},
    ]
    markup = (len("Lavrov said "), len("Lavrov said <x/>"))
    for level in ("default", "picky"):
        answer = check(client, data=json.dumps({"annotation": annotation}), level=level)
        for m in answer.json()["matches"]:
            if not m["replacements"]:
                continue  # a flag points at text, and offers nothing
            start, end = m["offset"], m["offset"] + m["length"]
            assert end < markup[0] or start > markup[1], m


def test_personal_words_on_each_database(database_url):
    """The migration and the dictionary on SQLite and PostgreSQL alike."""
    client = client_for(database_url=database_url, api_keys=["alice"])
    for word in ("Sergei", "Idlib", "Sergei"):
        client.post("/v2/words/add", data={"word": word, "apiKey": "alice"})
    assert client.get("/v2/words", params={"apiKey": "alice"}).json() == {
        "words": ["Idlib", "Sergei"]
    }
    assert client.post("/v2/words/delete", data={"word": "Idlib", "apiKey": "alice"}).json() == {
        "deleted": True
    }
