"""Casing decisions as edits: each with the message its reason gives an editor."""

from __future__ import annotations

from collections.abc import Sequence

from copydesk.models.casing.units import case_of
from copydesk.models.edits import Edit, EditKind

CASE_NAMES = {1: "lowercase", 2: "capitalised", 3: "upper case", 4: "its usual mixed case"}
# Each edit's message, by what made the change (`models.casing.decide.Reason`).
REASON_MESSAGES = {
    "model": "the casing model reads this word in {case}",
    "document": "the casing model leans to {case}, and the rest of the document writes it so",
    "known-name": "part of a name the training text writes this way",
    "proper-word": "the training text always writes this word capitalised",
    "surname": "an unknown word straight after a given name: a surname",
    "common-word": "the training text almost never capitalises this word in running text",
    "function-word": "a function word capitalised in running text",
    "pronoun": "the pronoun I is always a capital",
    "designator": "a word news capitalises after a place's name, as in Penza Region",
    "office": "an office news capitalises before a person's name",
    "institution": "the complement of a name's head, as in Memorandum of Understanding",
}
OFFERED_MESSAGE = "; offered, not made: a capital the source does not explain may be a name"


def casing_edits(stage: str, units: Sequence, changes: Sequence) -> list[Edit]:
    """The edits for ``changes`` (`copydesk.models.casing.decide`) to ``units``; an
    offered change is a suggestion whatever its confidence."""
    edits = []
    for change in changes:
        unit = units[change.unit]
        case = CASE_NAMES.get(int(case_of(change.text)), "another case")
        edits.append(
            Edit(
                start=unit.start,
                end=unit.end,
                original=unit.text,
                replacement=change.text,
                kind=EditKind.CASING,
                stage=stage,
                confidence=round(change.confidence, 4),
                message=REASON_MESSAGES[change.reason].format(case=case)
                + (OFFERED_MESSAGE if change.offered else ""),
                rule=f"casing-{change.reason}",
                applied=not change.offered,
            )
        )
    return edits
