"""The bulk LanguageTool client: packing, offset mapping, deadlines and turns, against
fake servers."""

from __future__ import annotations

import threading
import time

import pytest

from copydesk.models.errors import StageUnavailable
from copydesk.models.grammar.client import SEPARATOR, LanguageToolClient, pack
from copydesk.models.utf16 import utf16_offsets
from copydesk.models.waiting import on_waiting
from tests.languagetool_fake import fake_languagetool, wait_for


def test_pack_groups_texts_up_to_the_limit_and_skips_empty_ones():
    assert pack(["aaaa", "bb", "", "cccccccc", "d"], limit=8) == [[0, 1], [3], [4]]
    assert pack(["x" * 20], limit=8) == [[0]]


def test_utf16_offsets_count_astral_characters_twice():
    assert utf16_offsets("a😀b") == [0, 1, 3, 4]


def raw(offset: int, length: int, message: str, replacements: list[str], rule: str) -> dict:
    """One match as LanguageTool's JSON has it."""
    return {
        "offset": offset,
        "length": length,
        "message": message,
        "replacements": [{"value": r} for r in replacements],
        "rule": {"id": rule, "category": {"id": "G"}},
    }


def test_matches_map_back_to_each_text_in_code_points(monkeypatch):
    texts = ["😀 He go home.", "She go 👩\u200d👩\u200d👧 too."]
    joined = SEPARATOR.join(texts)
    units = utf16_offsets(joined)

    # LanguageTool's answer: UTF-16 offsets of the request.
    def fake_post(self, text, timeout, sent=None):
        assert text == joined
        found = []
        for word in ("go", "go"):
            start = text.find(word, found[-1]["cp"] + 1 if found else 0)
            found.append({"cp": start})
        home = units[joined.index("home.")]
        return [raw(units[f["cp"]], 2, "m", ["goes"], "R") for f in found] + [
            raw(home, 8, "across", [], "X")
        ]

    monkeypatch.setattr(LanguageToolClient, "_post", fake_post)
    client = LanguageToolClient("http://127.0.0.1:9")
    first, second = client.check_many(texts, timeout=5)
    assert [(m.offset, m.length, m.rule_id) for m in first] == [(texts[0].index("go"), 2, "R")]
    assert [(m.offset, m.length) for m in second] == [(texts[1].index("go"), 2)]
    client.close()


def test_pack_by_cost_keeps_each_request_under_the_limit():
    assert pack(["aa", "bb", "cc"], limit=10, costs=[2, 9, 2]) == [[0], [1], [2]]


def test_a_check_past_its_deadline_is_closed_and_frees_the_workers():
    with fake_languagetool(slow_seconds=10) as server:
        client = LanguageToolClient(server.url, parallel=2, bulk_chars=1)
        started = time.monotonic()
        with pytest.raises(StageUnavailable, match="took over"):
            client.check_many(["slow one", "slow two"], timeout=20, deadline=started + 0.5)
        assert time.monotonic() - started < 1.5
        # Both requests were closed, so the server no longer works for a caller gone.
        assert wait_for(lambda: server.closed == 2 and server.running == 0)
        started = time.monotonic()
        (found,) = client.check_many(["He go home."], timeout=20)
        assert [m.offset for m in found] == [3]
        assert time.monotonic() - started < 1.0  # no worker left waiting on the old checks
        client.close()


def test_the_per_request_timeout_ends_a_request_without_a_deadline():
    with fake_languagetool(slow_seconds=10) as server:
        client = LanguageToolClient(server.url)
        started = time.monotonic()
        with pytest.raises(StageUnavailable, match="took over 0.3 s"):
            client.check("slow", timeout=0.3)
        assert time.monotonic() - started < 1.5
        assert wait_for(lambda: server.closed == 1)
        client.close()


def test_a_large_call_leaves_room_for_a_small_one_made_meanwhile():
    """One call keeps at most `parallel` requests queued: a call made while it runs takes
    its turn between them instead of waiting for all of them."""
    with fake_languagetool(slow_seconds=0.2) as server:
        client = LanguageToolClient(server.url, parallel=2, bulk_chars=1)
        large = threading.Thread(
            target=client.check_many, args=([f"slow {i}" for i in range(30)], 60)
        )
        large.start()  # 30 requests of 0.2 s on 2 workers: 3 s
        time.sleep(0.3)
        started = time.monotonic()
        (found,) = client.check_many(["He go home."], timeout=20)
        small = time.monotonic() - started
        assert found and small < 1.0, small
        assert large.is_alive()
        large.join()
        client.close()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("limit", "check-time limit"),
        ("busy", "overloaded"),
    ],
)
def test_languagetool_refusals_say_why(text, reason):
    with fake_languagetool() as server:
        client = LanguageToolClient(server.url)
        with pytest.raises(StageUnavailable, match=reason):
            client.check(text, timeout=5)
        client.close()


def test_a_call_that_fits_one_round_goes_as_one_run_of_neighbours_per_slot(monkeypatch):
    """The seed article's paragraphs (by length) in two requests that end together, not
    three of which the last waits for a slot; each request keeps its paragraphs in order."""
    texts = ["x" * n for n in (43, 320, 149, 563, 363, 214, 332, 503)]
    sent: list[str] = []
    lock = threading.Lock()

    def fake_post(self, text, timeout, countdown=None):
        with lock:
            sent.append(text)
        return []

    monkeypatch.setattr(LanguageToolClient, "_post", fake_post)
    client = LanguageToolClient("http://127.0.0.1:9", parallel=2)
    client.check_many(texts, timeout=5)
    client.close()
    assert sorted(sent) == sorted([SEPARATOR.join(texts[:4]), SEPARATOR.join(texts[4:])])
    # A larger call is packed in order up to the bulk size, as before.
    assert pack(texts, limit=1000) == [[0, 1, 2], [3, 4], [5, 6], [7]]


def test_the_heaviest_request_goes_out_first_and_each_text_keeps_its_matches(monkeypatch):
    """The last request to end ends the call: the heaviest is sent first, and what each
    text gets back is what it got in text order."""
    texts = ["He go home."] * 2 + ["She go to work, he go home."] * 3 + ["They go."]
    order: list[str] = []
    lock = threading.Lock()

    def fake_post(self, text, timeout, countdown=None):
        with lock:
            order.append(text)
        return [raw(i, 2, "m", ["goes"], "R") for i in range(len(text)) if text[i : i + 3] == "go "]

    monkeypatch.setattr(LanguageToolClient, "_post", fake_post)
    client = LanguageToolClient("http://127.0.0.1:9", parallel=1, bulk_chars=60)
    found = client.check_many(texts, timeout=5)
    client.close()
    groups = pack(texts, limit=60)
    weights = [sum(len(texts[i]) for i in g) for g in groups]
    assert len(set(weights)) > 1 and weights != sorted(weights, reverse=True)
    assert [len(t) for t in order] == sorted(map(len, order), reverse=True)
    assert [[m.offset for m in ms] for ms in found] == [
        [i for i in range(len(t)) if t[i : i + 3] == "go "] for t in texts
    ]


def test_whoever_waits_is_told_once_when_the_first_requests_have_gone_out():
    """`copydesk.models.waiting`: the hook is called once both requests of the round are
    out, while LanguageTool still holds them, not when they are answered."""
    told: list[float] = []
    with fake_languagetool(slow_seconds=1.0) as server:
        client = LanguageToolClient(server.url, parallel=2, bulk_chars=1)
        with on_waiting(lambda: told.append(time.monotonic())):
            started = time.monotonic()
            client.check_many(["slow one", "slow two"], timeout=20)
        assert time.monotonic() - started >= 1.0 and server.checks == 2
        assert len(told) == 1 and told[0] - started < 0.8  # before the answers
        # Outside the block nobody is told.
        client.check_many(["He go home."], timeout=20)
        assert len(told) == 1
        client.close()
