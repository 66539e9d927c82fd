from __future__ import annotations

import pickle

from copydesk.models.packed import PackedWords


def test_finds_each_words_last_position_as_a_dict_would():
    words = ["Москва", "the", "naïve", "the", "", "Идлиб", "Москва"]
    packed = PackedWords([w.encode("utf-8") for w in words])
    expected = {w: i for i, w in enumerate(words)}
    assert len(packed) == len(words)
    for word in [*words, "absent", "Моск", "THE", "\udcff"]:
        assert packed.position(word) == expected.get(word, -1)


def test_lookups_are_the_same_after_pickling():
    packed = PackedWords([b"alpha", b"beta"])
    again = pickle.loads(pickle.dumps(packed))
    assert again.position("beta") == 1 and again.position("gamma") == -1
