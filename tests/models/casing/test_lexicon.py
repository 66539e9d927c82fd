from __future__ import annotations

import pickle

from copydesk.models.casing.lexicon import CasingLexicon, mine_lexicon
from copydesk.models.casing.units import Case


def test_mines_names_written_in_title_case_most_of_the_time():
    lines = [
        "Delegates met at the Munich Security Conference on Friday.",
        "Later the Munich Security Conference heard from Lavrov.",
        "He spoke to the foreign minister about it.",
        "The Foreign Minister left early.",
        "A foreign minister said little, and another foreign minister agreed.",
        "Sales of the iPhone rose and the iPhone sold well.",
    ]
    lexicon = mine_lexicon(lines)
    assert ("munich", "security", "conference") in lexicon.names
    assert ("foreign", "minister") not in lexicon.names  # mostly lowercase in this text
    assert lexicon.mixed["iphone"] == "iPhone"


def test_name_cases_take_the_longest_match(tmp_path):
    lexicon = CasingLexicon(["Ministry of Foreign Affairs", "Foreign Affairs"], {})
    words = "the ministry of foreign affairs said".split()
    assert lexicon.name_cases(words) == [
        Case.NONE,
        Case.CAPITALISED,
        Case.LOWER,
        Case.CAPITALISED,
        Case.CAPITALISED,
        Case.NONE,
    ]
    path = tmp_path / "lex.json"
    lexicon.save(path)
    assert CasingLexicon.load(path).names == lexicon.names


def test_mines_single_words_always_capitalised_away_from_sentence_starts(tmp_path):
    lines = [
        "Fans in Montpellier cheered.",
        "The coach left Montpellier on Monday.",
        "He praised Montpellier and its fans.",
        "Bills were passed; two Bills failed and the bills lapsed.",
        "Dumont spoke first.",  # a sentence start proves nothing
        "Dumont left.",
        "Dumont agreed.",
    ]
    lexicon = mine_lexicon(lines)
    assert "montpellier" in lexicon.proper
    assert "bills" not in lexicon.proper  # lowercase once in three
    assert "dumont" not in lexicon.proper
    path = tmp_path / "lex.json"
    lexicon.save(path)
    assert CasingLexicon.load(path).proper == lexicon.proper


def test_mines_single_words_never_capitalised_away_from_sentence_starts(tmp_path):
    lines = ["The biggest worry was the biggest cost."] * 12 + ["A Biggest Loser fan."] * 2
    assert "biggest" not in mine_lexicon(lines).common  # 2 of 26 uses capitalised
    lexicon = mine_lexicon(lines[:3])
    assert "biggest" in lexicon.common and "worry" not in lexicon.common  # 3 uses: too few
    path = tmp_path / "lex.json"
    lexicon.save(path)
    assert CasingLexicon.load(path).common == lexicon.common


def test_mines_given_names_and_the_words_written_in_lowercase(tmp_path):
    lines = [
        "The composer Igor Vdovin sang.",
        "Fans of Igor Matvienko came.",
        "He played with Igor Butman.",
        "They went to Paris and Paris was grey in Paris.",
    ]
    lexicon = mine_lexicon(lines)
    assert "igor" in lexicon.given  # always capitalised, always before another capital
    assert "paris" in lexicon.proper and "paris" not in lexicon.given
    assert {"composer", "sang", "grey"} <= lexicon.lowercase
    assert "igor" not in lexicon.lowercase and "the" not in lexicon.lowercase  # first words
    path = tmp_path / "lex.json"
    lexicon.save(path)
    loaded = CasingLexicon.load(path)
    assert (loaded.given, loaded.lowercase) == (lexicon.given, lexicon.lowercase)


def test_packed_names_read_like_the_dict_they_replace():
    names = ["Munich Security Conference", "Foreign Affairs", "FOREIGN affairs", "Adi Shamir"]
    keyed = {}
    for name in names:
        keyed[tuple(w.lower() for w in name.split())] = tuple(name.split())
    packed = CasingLexicon(names).names
    assert list(packed.items()) == list(keyed.items())
    assert packed[("foreign", "affairs")] == ("FOREIGN", "affairs")  # the later form wins
    assert ("adi", "shamir") in packed and ("Adi", "Shamir") not in packed
    assert packed.get(("munich", "security")) is None and len(packed) == 3
    extra = CasingLexicon(["Adi Shamir Jr", "Munich Security Conference"]).names
    assert list((packed | extra).items()) == list((keyed | dict(extra.items())).items())
    assert pickle.loads(pickle.dumps(packed)) == keyed


def test_names_are_found_in_packed_names_as_in_the_dict_they_replace():
    from copydesk.models.casing.lexicon import NameSearch, find_names

    names = ["Munich Security Conference", "Security Council", "Foreign Affairs", "Adi Shamir"]
    packed = CasingLexicon(names).names
    keyed = {tuple(w.lower() for w in n.split()): tuple(n.split()) for n in names}
    words = "the munich security Council met Adi shamir and the security council".split()
    found = find_names(packed, words)
    assert found == find_names(keyed, words)
    assert found == [
        (2, ("Security", "Council")),
        (5, ("Adi", "Shamir")),
        (9, ("Security", "Council")),
    ]
    assert find_names(packed, ["Munich", "Security", "Conference"]) == [
        (0, ("Munich", "Security", "Conference"))
    ]
    assert find_names(CasingLexicon([]).names, words) == []
    search = NameSearch(packed)
    assert search(words) == found
    assert search([w.upper() for w in words]) is search(words)  # searched once, whatever the case
