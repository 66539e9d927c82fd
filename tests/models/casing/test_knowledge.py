"""Building the casing knowledge from small corpora: weights, pruning, news winning."""

from __future__ import annotations

import lzma
from pathlib import Path

from copydesk.models.casing.counts import CorpusCounts, count_paragraphs, read_paragraphs
from copydesk.models.casing.knowledge import Knowledge, build_knowledge, phrase_totals
from copydesk.models.casing.lexicon import CasingLexicon

# Made-up places, so that no English word is one.
MADE_UP_PLACES = ("Zorkino", "Velikarsk", "Dremovo", "Pashkirsk", "Ulmovo", "Tarsovo")
PLACES = frozenset({"penza", "moscow", *(p.lower() for p in MADE_UP_PLACES)})
PEOPLE = (
    ("Ivan", "Petrov"),
    ("Oleg", "Sidorov"),
    ("Pavel", "Kuzin"),
    ("Yuri", "Lobov"),
    ("Gleb", "Tushin"),
    ("Lev", "Zotov"),
)

NEWS = [
    "The president of the company said on Monday that sales rose.",
    "Sales at the state company fell, the president said.",
    "The state will pay for it, an official said.",
    "Officials in the region said the president was right.",
    "Voters in the region backed the state budget.",
    "He met the president and the state governor on Tuesday.",
    "The region was calm, and the president left.",
    "It is a state matter, the president told reporters.",
    # A designator after places, and an office before given names, written as news does.
    *(
        f"Roads in {place} Region were closed on day {d}."
        for place in MADE_UP_PLACES
        for d in range(4)
    ),
    *(
        f"On day {d} the former Governor {given} {surname} spoke."
        for given, surname in PEOPLE
        for d in range(5)
    ),
]
# Encyclopedic style: capitalises `President` and `State`, and knows names news lacks.
EXTRA = [
    "The President of the Assembly thanked the State of Qatar for its work.",
    "The President spoke, and each Member State replied to the President.",
    "The State and the President agreed, said the President of the Council.",
    *(f"In {year} the cryptographer Adi Shamir wrote a paper." for year in range(1940, 1982)),
]


def counts_of(lines: list[str]) -> CorpusCounts:
    return count_paragraphs(lines, PLACES)


def test_counts_leave_out_sentence_starts_and_count_capitalised_runs() -> None:
    counts = counts_of(["Sales rose. Adi Shamir and the Penza Region met in Moscow Region."])
    assert counts.sentences == 2
    assert counts.words["Sales"] == 0 and counts.words["rose"] == 1
    assert counts.words["Adi"] == 0  # a sentence's first word proves nothing
    assert counts.words["Shamir"] == 1
    assert counts.spans["Penza Region"] == 1 and counts.spans["Moscow Region"] == 1
    assert "Adi Shamir" not in counts.spans  # its first capital is the sentence's
    assert counts.after_place["Region"] == 2


def test_pruning_drops_what_was_seen_once() -> None:
    counts = counts_of(["He saw the rare word zyxt and the word again."])
    counts.prune(2)
    assert counts.words == {"word": 2, "the": 2}


def test_counts_round_trip_through_the_cache(tmp_path: Path) -> None:
    counts = counts_of(NEWS)
    counts.save(tmp_path / "news.counts.json.gz")
    again = CorpusCounts.load(tmp_path / "news.counts.json.gz")
    assert again.words == counts.words and again.spans == counts.spans
    assert again.tokens == counts.tokens


def test_xz_corpora_are_read_as_streams(tmp_path: Path) -> None:
    path = tmp_path / "extra.txt.xz"
    with lzma.open(path, "wt", encoding="utf-8") as handle:
        handle.write("\n".join(EXTRA) + "\n")
    assert [p.strip() for p in read_paragraphs(path)] == EXTRA


def knowledge() -> Knowledge:
    counts = {"news": counts_of(NEWS), "wikipedia": counts_of(EXTRA)}
    return build_knowledge(counts, NEWS, PLACES)


def test_news_usage_wins_where_news_knows_the_word() -> None:
    known = knowledge()
    # UN style capitalises `President` and `State` every time; news writes them in lower
    # case often enough to decide, so they are common words, not proper ones.
    assert "president" not in known.proper and "state" not in known.proper
    assert "president" in known.common
    # What only the other source knows is learnt from it.
    assert "shamir" in known.proper
    assert "Adi Shamir" in known.names


def test_weights_decide_words_news_has_barely_seen() -> None:
    counts = {"news": counts_of(NEWS), "wikipedia": counts_of(EXTRA)}
    # 42 uses in the encyclopedia weigh 21 of news's, enough; in the UN speeches, 10.5.
    few = {"news": counts_of(NEWS), "un": counts_of(EXTRA)}
    assert "shamir" in build_knowledge(counts, NEWS, PLACES).proper
    assert "shamir" not in build_knowledge(few, NEWS, PLACES).proper


def test_designators_and_offices_are_learnt_with_news_usage() -> None:
    known = knowledge()
    assert "region" in known.designators
    assert "governor" in known.offices
    assert "region" not in known.proper  # `the region`: news writes it in lower case


def test_knowledge_round_trips_and_joins_a_lexicon(tmp_path: Path) -> None:
    known = knowledge()
    known.save(tmp_path / "k.json.gz")
    again = Knowledge.load(tmp_path / "k.json.gz")
    assert again == known
    lexicon = CasingLexicon(["Munich Security Conference"], {}).with_knowledge(again)
    assert ("adi", "shamir") in lexicon.repair_names
    assert ("munich", "security", "conference") in lexicon.names  # the network's, kept
    assert ("adi", "shamir") not in lexicon.names
    assert "region" in lexicon.designators


def test_phrase_totals_count_a_phrase_in_any_case() -> None:
    totals = phrase_totals(
        ["The Hubble Space Telescope and the hubble space telescope.", "A space telescope."],
        ["Hubble Space Telescope", "Space Telescope"],
    )
    assert totals == {"hubble space telescope": 2, "space telescope": 3}


def test_lists_left_out_of_the_shipped_file_are_emptied() -> None:
    known = knowledge().without(("names", "designators"))
    assert known.names == [] and known.designators == frozenset()
    assert "shamir" in known.proper and "governor" in known.offices
