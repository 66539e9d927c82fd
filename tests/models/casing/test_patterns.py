"""Name patterns decided by usage: each place's designator, institutions' complements."""

from __future__ import annotations

import pytest

from copydesk.models.casing.counts import count_paragraphs
from copydesk.models.casing.knowledge import build_knowledge
from copydesk.models.casing.lexicon import CasingLexicon
from copydesk.models.casing.patterns import (
    designators_by_place,
    institution_heads,
    institution_names,
    place_designators,
)
from tests.models.casing.test_knowledge import MADE_UP_PLACES, NEWS, PLACES
from tests.models.casing.test_name_patterns import repaired

# News writes one place's region in lower case, the others' with a capital.
NEWS_WITH_MOSCOW = [
    *NEWS,
    *(f"Snow fell in the Moscow region on day {d}, officials said." for d in range(6)),
]
ENCYCLOPEDIA = [
    *(
        f"In {y} both sides signed a Memorandum of Understanding on trade."
        for y in range(1990, 2030)
    ),
    *(f"In {y} the Ministry of Defence bought ships." for y in range(1990, 2030)),
    # A head whose complement the encyclopedia writes in lower case as often: no head.
    *(f"In {y} a Festival of lights and a Festival of Music were held." for y in range(1990, 2030)),
]


@pytest.fixture(scope="module")
def counts() -> dict:
    return {
        "news": count_paragraphs(NEWS_WITH_MOSCOW, PLACES),
        "wikipedia": count_paragraphs(ENCYCLOPEDIA, PLACES),
    }


def test_counts_keep_each_places_pairs_and_each_heads_complements(counts) -> None:
    news = counts["news"]
    assert news.place_pairs["Moscow region"] == 6
    assert news.place_pairs["Ulmovo Region"] == 4
    wiki = counts["wikipedia"]
    assert wiki.head_of["Memorandum of ^"] == 40
    assert wiki.head_of["Festival of _"] == 40 and wiki.head_of["Festival of ^"] == 40


def test_each_pairs_usage_decides_and_most_places_decide_the_rest(counts) -> None:
    pairs = place_designators(counts, {"region"}, PLACES)
    assert pairs["moscow region"] is False
    assert all(pairs[f"{p.lower()} region"] for p in MADE_UP_PLACES)
    assert designators_by_place(pairs) == {"region"}


def test_institutions_are_heads_with_the_complements_the_corpora_give_them(counts) -> None:
    heads = institution_heads(counts)
    assert {"memorandum", "ministry"} <= heads
    assert "festival" not in heads
    names = institution_names(counts, heads)
    assert {"memorandum of understanding", "ministry of defence"} <= names


@pytest.fixture(scope="module")
def lexicon(counts) -> CasingLexicon:
    return CasingLexicon([], {}).with_knowledge(build_knowledge(counts, NEWS_WITH_MOSCOW, PLACES))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # No corpus has it whole; most places take the designator with a capital.
        ("Roads in Penza region were closed.", "Roads in Penza Region were closed."),
        # News writes this pair in lower case: its usage wins over the other places'.
        ("Roads in Moscow region were closed.", None),
        ("Roads in a Penza region town were closed.", None),  # `a`: a region of the place
        ("Officials in the region said so.", None),
        # MT capitalised the head only; the corpora write the complement with it.
        (
            "They keep to the Memorandum of understanding signed in May.",
            "They keep to the Memorandum of Understanding signed in May.",
        ),
        (
            "The chief of the Ministry of defence left.",
            "The chief of the Ministry of Defence left.",
        ),
        ("We saw the Festival of lights.", None),  # no head
        ("A memorandum of understanding was signed.", None),  # no capital from MT
        ("Memorandum of understanding signed.", None),  # the sentence's capital proves nothing
    ],
)
def test_patterns_through_the_rules(text, expected, lexicon) -> None:
    assert repaired(text, lexicon) == (expected or text)


def test_the_shipped_knowledge_mends_the_seed_articles_memorandum() -> None:
    from copydesk import models
    from copydesk.models.stages import CasingStage, SentenceCaseStage

    pipeline = models.Pipeline([SentenceCaseStage(), CasingStage()])
    text = (
        "It is emphasized that the Russian side continues to adhere to the provisions "
        "of the Memorandum of understanding adopted in October last year."
    )
    assert pipeline.repair(text).repaired == text.replace("understanding", "Understanding")
    clean = "They signed a memorandum of understanding on Monday."
    assert pipeline.repair(clean).repaired == clean
