"""The compact Russian frequency table answers as wordfreq's dictionary does, to the bit."""

from __future__ import annotations

from pathlib import Path

import wordfreq

from copydesk.models.quality.config import RU_FREQ_FILE, SHIPPED
from copydesk.models.quality.text import LETTERS, tokens
from copydesk.models.quality.wordfreqs import FrequencyTable

EXCERPT = Path(__file__).resolve().parents[2] / "fixtures" / "mlqe-pe-dev-excerpt"


def test_the_shipped_table_matches_wordfreq():
    table = FrequencyTable.load(SHIPPED / RU_FREQ_FILE)
    words = [
        t.lower()
        for t in tokens((EXCERPT / "dev.orig.ru").read_text(encoding="utf-8"))
        if LETTERS.match(t)
    ]
    words += ["ёлка", "елка", "qwerty", "", "абвгдеёжзийк"]
    reference = wordfreq.get_frequency_dict("ru")
    assert table.freqs(words) == [reference.get(w, 0.0) for w in words]
    assert len(table) == len(reference)
    assert table.get("министр") == reference["министр"]


def test_a_repeated_word_keeps_its_last_bucket_and_unknown_words_read_zero():
    table = FrequencyTable.from_buckets([["и"], [], ["дом", "и"]])
    assert table.get("и") == 10 ** (-2 / 100)
    assert table.get("дом") == 10 ** (-2 / 100)
    assert table.freqs(["кот", "дом"]) == [0.0, 10 ** (-2 / 100)]
    assert table.freqs([]) == []
    assert FrequencyTable.from_buckets([]).freqs(["дом"]) == [0.0]


def test_it_round_trips(tmp_path):
    table = FrequencyTable.from_buckets([["и"], ["дом"]])
    table.save(tmp_path / "f.npz")
    again = FrequencyTable.load(tmp_path / "f.npz")
    assert again.freqs(["и", "дом", "кот"]) == table.freqs(["и", "дом", "кот"])
