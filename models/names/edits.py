"""Edits the names feature proposes: all of kind ``entity``, under the stage's name."""

from __future__ import annotations

from copydesk.models.edits import Edit, EditKind
from copydesk.models.names.glossary import GlossaryMatch

GLOSSARY_CONFIDENCE = 0.99


def name_edit(
    stage: str,
    start: int,
    end: int,
    original: str,
    replacement: str,
    confidence: float,
    message: str,
    rule: str,
) -> Edit:
    return Edit(
        start, end, original, replacement, EditKind.ENTITY, stage, confidence, message, rule
    )


def glossary_edits(stage: str, matches: list[GlossaryMatch]) -> list[Edit]:
    """Each glossary match written otherwise than the glossary's term, put right."""
    edits = []
    for match in matches:
        if match.text != match.term.term:
            notes = f" ({match.term.notes})" if match.term.notes else ""
            message = f"glossary term {match.term.term!r}{notes}"
            edits.append(
                name_edit(
                    stage,
                    match.start,
                    match.end,
                    match.text,
                    match.term.term,
                    GLOSSARY_CONFIDENCE,
                    message,
                    "glossary",
                )
            )
    return edits
