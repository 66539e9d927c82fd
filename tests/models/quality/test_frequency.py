from __future__ import annotations

import pickle

import wordfreq

from copydesk.models.quality.frequency import FrequencyTable


def test_gives_wordfreqs_value_for_every_english_word():
    table = FrequencyTable("en")
    expected = wordfreq.get_frequency_dict("en")
    assert all(table.get(word, -1.0) == freq for word, freq in expected.items())
    assert table.get("zzqxjv") == 0.0 and table.get("zzqxjv", -1.0) == -1.0


def test_is_read_only_when_first_asked_and_again_after_pickling():
    table = FrequencyTable("ru")
    assert table._table is None
    again = pickle.loads(pickle.dumps(table))
    assert again.get("москва") == wordfreq.get_frequency_dict("ru")["москва"]
