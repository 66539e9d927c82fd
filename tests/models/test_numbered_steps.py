"""Numbered steps, points and articles are not sentence starts: ``steps 2. and 3.``."""

from __future__ import annotations

import pytest

from copydesk import models
from copydesk.models import Document
from copydesk.models.stages import SentenceCaseStage

STEPS = "Repeat steps 2. and 3. until done"


@pytest.fixture(scope="module")
def pipeline():
    return models.Pipeline([SentenceCaseStage()])


@pytest.mark.parametrize(
    "text",
    [
        STEPS,
        STEPS + ".",
        "Read point 4. then sign the form.",
        "See articles 5., 6. and 7. below.",
        "Items 1. to 3. are optional.",
    ],
)
def test_a_numbered_step_is_one_sentence_and_unchanged(pipeline, text):
    doc = Document.from_text(text)
    assert len(doc.sentences) == 1
    result = pipeline.repair(text)
    assert result.repaired == text and not result.edits


def test_numbered_steps_in_lines_and_in_a_plain_segment(pipeline):
    lines = f"Open the settings.\n{STEPS}.\nthe form closes."
    assert pipeline.repair(lines).repaired == f"Open the settings.\n{STEPS}.\nThe form closes."
    segment = f"{STEPS}."  # a TMX or XLIFF segment: one line, repaired alone
    assert pipeline.repair_many([segment, segment])[0].repaired == segment


def test_a_number_that_ends_a_sentence_still_does(pipeline):
    """MT often starts sentences in lowercase; a number's full stop before one is a
    sentence end unless the number numbers something."""
    text = "The vote was 52. the turnout was low."
    assert pipeline.repair(text).repaired == "The vote was 52. The turnout was low."
    assert len(Document.from_text("Turnout rose to 61. and the vote counted.").sentences) == 2
