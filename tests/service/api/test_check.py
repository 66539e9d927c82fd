"""``POST /v1/check``: flags with code-point and UTF-16 offsets, and segment estimates."""

from __future__ import annotations

import pytest

from tests.service.api.test_api import client_for

SOURCE = "🙂 Армия потеряла 35 солдат. Сергей Лавров не стал комментировать."
TEXT = "🙂 The army lost 25 soldiers. Sergei Lavrov did not comment."


@pytest.fixture(scope="module")
def client():
    return client_for(api_keys=["s3cret"])


def _check(client, body):
    return client.post("/v1/check", json=body, headers={"X-API-Key": "s3cret"})


def test_check_offsets_in_code_points_and_utf16(client):
    resp = _check(client, {"text": TEXT, "source": SOURCE})
    assert resp.status_code == 200, resp.text
    data = resp.json()
    [flag] = data["flags"]
    assert flag["kind"] == "number" and flag["check"] == "numbers"
    assert TEXT[flag["start"] : flag["end"]] == "25"
    # The emoji is one code point but two UTF-16 units.
    assert (flag["start_utf16"], flag["end_utf16"]) == (flag["start"] + 1, flag["end"] + 1)
    utf16 = TEXT.encode("utf-16-le")
    assert utf16[2 * flag["start_utf16"] : 2 * flag["end_utf16"]].decode("utf-16-le") == "25"
    assert SOURCE[flag["source_start"] : flag["source_end"]] == "35"
    assert flag["severity"] in {"error", "warning", "info"} and 0 <= flag["confidence"] <= 1
    assert flag["candidates"] == ["35"]
    assert len(data["segments"]) == 2
    assert all(set(s) == {"start", "end", "hter", "da"} for s in data["segments"])
    assert _check(client, {"text": TEXT, "source": SOURCE}).json() == data  # deterministic


def test_check_without_source_has_no_source_flags(client):
    data = _check(client, {"text": TEXT}).json()
    assert data["flags"] == []
    assert [TEXT[s["start"] : s["end"]] for s in data["segments"]] == [
        "🙂 The army lost 25 soldiers.",
        "Sergei Lavrov did not comment.",
    ]


def test_check_needs_the_key_and_keeps_the_limits(client):
    assert client.post("/v1/check", json={"text": TEXT}).status_code == 401
    small = client_for(max_text_chars=10)
    assert small.post("/v1/check", json={"text": TEXT}).status_code == 413


def test_repair_response_carries_flags_and_segments(client):
    resp = client.post(
        "/v1/repair", json={"text": TEXT, "source": SOURCE}, headers={"X-API-Key": "s3cret"}
    )
    assert resp.status_code == 200, resp.text
    [result] = resp.json()["results"]
    [flag] = result["flags"]
    assert (flag["kind"], TEXT[flag["start"] : flag["end"]]) == ("number", "25")
    assert flag["start_utf16"] == flag["start"] + 1
    assert len(result["segments"]) == 2
