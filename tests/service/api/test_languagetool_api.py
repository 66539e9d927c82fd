"""LanguageTool's HTTP API: request fields, answer shape, offsets, keys, real clients."""

from __future__ import annotations

import json
import tempfile

import httpx
import language_tool_python
import pytest
from fastapi.testclient import TestClient

from copydesk import models
from copydesk.models.stages import EntitiesStage, SentenceCaseStage
from copydesk.service.api import create_app
from copydesk.service.settings import Settings
from tests.helpers import serving

MATCH_KEYS = {
    "message",
    "shortMessage",
    "replacements",
    "offset",
    "length",
    "context",
    "sentence",
    "type",
    "rule",
    "ignoreForIncompleteSentence",
    "contextForSureMatch",
}


def client_for(**settings) -> TestClient:
    pipeline = models.Pipeline([SentenceCaseStage(), EntitiesStage()])
    settings.setdefault("database_url", f"sqlite:///{tempfile.mkdtemp()}/state.db")
    client = TestClient(create_app(Settings(**settings), pipeline))
    client.__enter__()
    return client


@pytest.fixture(scope="module")
def client():
    return client_for()


def check(client, **fields):
    return client.post("/v2/check", data={"language": "en-US", **fields})


def test_languages_and_info(client):
    codes = {entry["longCode"] for entry in client.get("/v2/languages").json()}
    assert codes == {"en", "en-US", "en-GB", "en-AU", "en-CA", "en-NZ", "en-ZA"}
    assert client.get("/v2/info").json()["software"]["name"] == "copydesk"


def test_every_edit_is_a_match_in_languagetool_shape(client, seed_mt):
    answer = check(client, text=seed_mt).json()
    assert set(answer) == {"software", "warnings", "language", "matches"}
    assert answer["language"]["code"] == "en-US"
    matches = answer["matches"]
    found = {
        (
            seed_mt[m["offset"] : m["offset"] + m["length"]],
            m["replacements"][0]["value"],
            m["rule"]["id"],
        )
        for m in matches
    }
    assert ("Iglinskiy", "Idlib", "COPYDESK_GARBLED_NAME") in found
    assert ("the", "The", "COPYDESK_SENTENCE_INITIAL_CAPITAL") in found
    for m in matches:
        assert set(m) >= MATCH_KEYS | {"confidence", "applied"}
        assert set(m["rule"]) == {"id", "description", "issueType", "category"}
        assert m["rule"]["category"]["id"] and m["rule"]["category"]["name"]
        context = m["context"]
        assert (
            context["text"][context["offset"] : context["offset"] + context["length"]]
            == (seed_mt[m["offset"] : m["offset"] + m["length"]])
        )
        assert seed_mt[m["offset"] : m["offset"] + m["length"]] in m["sentence"]
    # At the default level, "correct all" is copydesk's own repair.
    repaired = client.post("/v1/repair", json={"text": seed_mt}).json()["results"][0]["repaired"]
    assert _correct(seed_mt, matches) == repaired


def test_suggestions_are_matches_at_picky_level():
    client = client_for(threshold=0.99)  # sentence_case's 0.98 falls below: suggestions
    assert check(client, text="the talks ended.").json()["matches"] == []
    [match] = check(client, text="the talks ended.", level="picky").json()["matches"]
    assert match["applied"] is False and match["replacements"] == [{"value": "The"}]


def test_offsets_count_utf16_units_like_languagetool(client):
    text = "Ok 🙂 e\u0301 ok. the next one."  # an astral emoji (two units), a combining mark
    [match] = check(client, text=text).json()["matches"]
    start = text.index("the")
    assert match["offset"] == start + 1 and match["length"] == 3
    assert match["context"]["offset"] == start + 1


def test_data_annotation_gives_the_plain_texts_matches_at_markup_offsets(client):
    parts = [
        {"markup": "<p>"},
        {"text": "talks began. "},
        {"markup": "<b>"},
        {"text": "the"},
        {"markup": "</b>"},
        {"text": " vote came."},
        {"markup": "</p>", "interpretAs": "\n\n"},
    ]
    whole = "".join(p.get("text") or p["markup"] for p in parts)
    annotated = check(client, data=json.dumps({"annotation": parts})).json()["matches"]
    plain = check(client, text="talks began. the vote came.").json()["matches"]
    assert [m["rule"]["id"] for m in annotated] == [m["rule"]["id"] for m in plain]
    found = [
        (whole[m["offset"] : m["offset"] + m["length"]], m["replacements"][0]["value"])
        for m in annotated
    ]
    assert found == [("talks", "Talks"), ("the", "The")]


def test_rule_and_category_filters(client):
    text = "the talks ended. the vote came."
    assert len(check(client, text=text).json()["matches"]) == 2
    off = check(client, text=text, disabledRules="COPYDESK_SENTENCE_INITIAL_CAPITAL")
    assert off.json()["matches"] == []
    assert check(client, text=text, disabledCategories="CASING").json()["matches"] == []
    only = check(client, text=text, enabledOnly="true", enabledCategories="COPYDESK_NAMES")
    assert only.json()["matches"] == []


def test_the_browser_add_ons_request_shape(client):
    """The fields LanguageTool's browser add-on sends: an annotation, ``auto`` with
    preferred variants, its session and mode fields (ignored here, as unknown fields are)."""
    data = {"annotation": [{"text": "the talks ended."}, {"markup": "<br>", "interpretAs": "\n"}]}
    answer = client.post(
        "/v2/check",
        data={
            "data": json.dumps(data),
            "language": "auto",
            "preferredVariants": "en-US,de-DE",
            "motherTongue": "ru",
            "level": "picky",
            "enabledOnly": "false",
            "useragent": "webextension-chrome-ng",
            "textSessionId": "8:1700000000000",
            "mode": "allButTextLevelOnly",
            "noopLanguages": "de",
        },
    )
    assert answer.status_code == 200
    [match] = answer.json()["matches"]
    assert (match["offset"], match["length"], match["replacements"]) == (0, 3, [{"value": "The"}])


def test_get_with_query_parameters(client):
    answer = client.get("/v2/check", params={"language": "auto", "text": "the end."})
    assert answer.status_code == 200 and answer.json()["language"]["code"] == "en-US"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": "x", "language": "de-DE"}, "'de-DE' is not a language copydesk checks"),
        ({"text": "x"}, "Missing 'language'"),
        ({"language": "en-US"}, "Missing 'text' or 'data'"),
        ({"language": "en-US", "text": "x", "data": "{}"}, "only 'text' or 'data'"),
        ({"language": "en-US", "data": "{bad"}, "'data' is not valid JSON"),
        ({"language": "en-US", "data": '{"annotation": [{"text": 1}]}'}, "not a string"),
        ({"language": "en-US", "data": '{"annotation": [{}]}'}, "either 'text' or 'markup'"),
        ({"language": "en-US", "text": "x", "level": "max"}, "'level' must be"),
        ({"language": "en-US", "text": "x", "enabledOnly": "true"}, "enabledOnly=true needs"),
    ],
)
def test_bad_requests_are_plain_400s_like_languagetool(client, fields, message):
    answer = client.post("/v2/check", data=fields)
    assert answer.status_code == 400
    assert answer.text.startswith("Error: ") and message in answer.text


def test_keys_from_the_header_or_languagetools_apikey_field():
    client = client_for(api_keys=["k1"])
    assert check(client, text="the end.").status_code == 401
    assert check(client, text="the end.", apiKey="nope").text.startswith("Error: missing or")
    assert check(client, text="the end.", apiKey="k1").status_code == 200
    answer = client.post(
        "/v2/check", data={"language": "en", "text": "the end."}, headers={"X-API-Key": "k1"}
    )
    assert answer.status_code == 200
    assert client.get("/v2/languages").status_code == 200  # as LanguageTool: no key needed


def _correct(text: str, matches: list[dict]) -> str:
    """Every match's first replacement applied, as LanguageTool clients' "correct all"."""
    for m in sorted(matches, key=lambda m: -m["offset"]):
        start, end = m["offset"], m["offset"] + m["length"]
        text = text[:start] + m["replacements"][0]["value"] + text[end:]
    return text


def test_language_tool_python_uses_copydesk_as_its_server(languagetool_url, seed_mt, tmp_path):
    """The real client, pointed at copydesk: the seed's repairs come back as its matches,
    and its correct() gives copydesk's repaired text (without LanguageTool's own spelling
    matches, which a client's correct() would also take); the shape matches LanguageTool's."""
    pipeline = models.load(overrides={"grammar": {"url": languagetool_url}})
    settings = Settings(
        database_url=f"sqlite:///{tmp_path}/s.db", job_workers=0, languagetool_passthrough=False
    )
    app = create_app(settings, pipeline)
    with serving(app) as url:
        tool = language_tool_python.LanguageTool("en-US", remote_server=url)
        matches = tool.check(seed_mt)
        found = {(m.matched_text, m.replacements[0], m.rule_id) for m in matches}
        assert ("Iglinskiy", "Idlib", "COPYDESK_GARBLED_NAME") in found
        assert ("security", "Security", "COPYDESK_CASING_KNOWN_NAME") in found
        assert ("will not stop", "does not stop", "COPYDESK_IF_WILL") in found
        assert tool.correct(seed_mt) == pipeline.repair(seed_mt).repaired
        tool.picky = True
        assert len(tool.check(seed_mt)) > len(matches)  # the suggestions too
        tool.close()
        ours = httpx.post(f"{url}/v2/check", data={"language": "en-US", "text": "He go home."})
    theirs = httpx.post(
        f"{languagetool_url}/v2/check", data={"language": "en-US", "text": "He go home."}
    )
    lt_match = theirs.json()["matches"][0]
    assert set(theirs.json()) <= set(ours.json()) | {"sentenceRanges", "extendedSentenceRanges"}
    for m in ours.json()["matches"]:
        assert set(lt_match) - {"sentenceRanges"} <= set(m)
        optional = {"urls", "sourceFile", "tags", "isPremium", "confidence", "subId"}
        assert set(lt_match["rule"]) - optional <= set(m["rule"])


def test_a_flag_is_a_match_without_replacements(client):
    text = "🙂 The army lost 25 soldiers."
    source = "Армия потеряла 35 солдат."
    answer = check(client, text=text, source=source).json()
    [flag] = [m for m in answer["matches"] if m["rule"]["id"].startswith("COPYDESK_FLAG_")]
    assert flag["rule"]["id"] == "COPYDESK_FLAG_NUMBER"
    assert flag["rule"]["category"]["id"] == "COPYDESK_MEANING"
    assert flag["replacements"] == []
    # UTF-16 offsets: the emoji counts two.
    assert (flag["offset"], flag["length"]) == (text.index("25") + 1, 2)
    assert flag["flag"]["sourceOffset"] == source.index("35")
    without = check(client, text=text, source=source, disabledCategories="COPYDESK_MEANING")
    assert not any(m["rule"]["id"].startswith("COPYDESK_FLAG_") for m in without.json()["matches"])


class _PartlyChecked(models.Stage):
    """Checks nothing and says part of the text went unchecked, as the grammar stage does
    for a text too costly for LanguageTool."""

    name = "grammar"

    def propose_many(self, docs, contexts):
        return [models.Proposal([], reason="not prose") for _ in docs]


def test_a_text_checked_in_part_is_reported_incomplete():
    database = f"sqlite:///{tempfile.mkdtemp()}/state.db"
    complete = TestClient(
        create_app(Settings(database_url=database), models.Pipeline([SentenceCaseStage()]))
    )
    partly = TestClient(
        create_app(Settings(database_url=database), models.Pipeline([_PartlyChecked()]))
    )
    with complete, partly:
        whole = complete.post("/v2/check", data={"language": "en-US", "text": "He went."})
        part = partly.post("/v2/check", data={"language": "en-US", "text": "He went."})
    assert whole.json()["warnings"] == {"incompleteResults": False}
    assert part.json()["warnings"] == {"incompleteResults": True}
