"""Names built from parts (designators, offices) and names only the extra text knows,
through the casing decisions, with knowledge built from small corpora."""

from __future__ import annotations

import pytest

from copydesk.models.casing.counts import count_paragraphs
from copydesk.models.casing.decide import decide
from copydesk.models.casing.knowledge import build_knowledge
from copydesk.models.casing.lexicon import CasingLexicon
from copydesk.models.casing.units import Case, rebuild, split_units
from tests.models.casing.test_decide import unsure
from tests.models.casing.test_knowledge import EXTRA, NEWS, PLACES

ENCYCLOPEDIA = [
    *EXTRA,
    # The encyclopedia capitalises a common noun news writes in lower case.
    *(
        f"In {y} the Parliament met, and the Parliament voted on the bill."
        for y in range(1990, 2000)
    ),
]
NEWS_WITH_PARLIAMENT = [
    *NEWS,
    *(f"On day {d} the parliament met and the parliament voted on a bill." for d in range(5)),
]


@pytest.fixture(scope="module")
def lexicon() -> CasingLexicon:
    counts = {
        "news": count_paragraphs(NEWS_WITH_PARLIAMENT, PLACES),
        "wikipedia": count_paragraphs(ENCYCLOPEDIA, PLACES),
    }
    knowledge = build_knowledge(counts, NEWS_WITH_PARLIAMENT, PLACES)
    return CasingLexicon([], {}).with_knowledge(knowledge)


def repaired(text: str, lexicon: CasingLexicon) -> str:
    """``text`` as the rules repair it, the network keeping every word as it is."""
    units = split_units(text)
    texts = [u.text for u in units]
    for change in decide(units, texts, unsure(units, "none", Case.LOWER), lexicon, floor=0.99):
        texts[change.unit] = change.text
    return rebuild(text, units, texts)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Only the encyclopedia knows the cryptographer.
        ("The prize went to Adi shamir last year.", "The prize went to Adi Shamir last year."),
        # A designator after a place, though no text has the name whole.
        ("Roads in Penza region were closed.", "Roads in Penza Region were closed."),
        ("Snow fell in Ulmovo region again.", "Snow fell in Ulmovo Region again."),
        # No place before it: the common noun stays.
        ("Officials in the region said so.", None),
        ("The region was calm.", None),
        # An office before a person's name; not before other words.
        ("They met former governor Ivan Petrov.", "They met former Governor Ivan Petrov."),
        ("Then acting governor Zotov left.", "Then acting Governor Zotov left."),
        ("The governor said so.", None),
        # A common noun the encyclopedia capitalises and news does not: left alone.
        ("Then the parliament voted again.", None),
    ],
)
def test_names_from_the_extra_text_and_from_parts(text, expected, lexicon) -> None:
    assert repaired(text, lexicon) == (expected or text)


def test_the_encyclopedias_capitals_do_not_make_a_proper_word(lexicon) -> None:
    assert "parliament" not in lexicon.proper
    assert "parliament" in lexicon.common


def test_the_shipped_knowledge_restores_a_name_only_the_extra_text_has() -> None:
    from copydesk import models
    from copydesk.models.stages import CasingStage, SentenceCaseStage

    pipeline = models.Pipeline([SentenceCaseStage(), CasingStage()])
    got = pipeline.repair("The prize went to Adi shamir of the Weizmann Institute.").repaired
    assert got == "The prize went to Adi Shamir of the Weizmann Institute."
    # The encyclopedia and the UN capitalise these; news does not, and news wins.
    for clean in ("Then the parliament voted again.", "He spoke to the president of the state."):
        assert pipeline.repair(clean).repaired == clean
