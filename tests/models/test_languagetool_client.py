"""The bulk LanguageTool client's packing and offset mapping, against a fake server."""

from __future__ import annotations

from copydesk.models.grammar.client import SEPARATOR, LanguageToolClient, pack
from copydesk.models.utf16 import utf16_offsets


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

    def fake_post(self, text):  # LanguageTool's answer: UTF-16 offsets of the request
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
