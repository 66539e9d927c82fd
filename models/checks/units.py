"""The pieces checks compare: each translated sentence (or paragraph) with its source.

The pairing comes from the repair context (`copydesk.models.source`). Where a
paragraph's sentences pair one to one, each sentence is a unit; where only the
paragraphs pair (the two texts split them into different numbers of sentences), the
paragraph is one unit, so that a number or a name is still compared with the source
that holds it; elsewhere a sentence stands alone, with no source.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from copydesk.models.document import Document
from copydesk.models.flags import Check, Flag
from copydesk.models.source import SourcePairing


@dataclass(frozen=True, slots=True)
class Unit:
    """A span of the translation and the source text it was paired with."""

    start: int
    end: int
    text: str
    source: str | None = None
    # Where ``source`` starts in the whole source text.
    source_start: int = 0

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """A span of ``source`` as offsets into the whole source text."""
        return self.source_start + start, self.source_start + end


class _Locator:
    """Finds paired source pieces in the whole source, in order."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.cursor = 0

    def find(self, piece: str) -> int:
        at = self.source.find(piece, self.cursor)
        if at < 0:
            at = max(0, self.source.find(piece))
        else:
            self.cursor = at + len(piece)
        return at


def units(doc: Document, pairing: SourcePairing) -> list[Unit]:
    """The document's units in text order (see the module docstring)."""
    source = pairing.source or ""
    locate = _Locator(source)
    found: list[Unit] = []
    index = 0
    for p_index, paragraph in enumerate(doc.paragraphs):
        count = len(paragraph.sentences)
        paired = pairing.sentences[index : index + count]
        whole = pairing.paragraphs[p_index] if p_index < len(pairing.paragraphs) else None
        if count > 1 and whole and any(s is None for s in paired):
            found.append(_unit(doc, paragraph.start, paragraph.end, whole, locate))
        else:
            for sentence, src in zip(paragraph.sentences, paired, strict=True):
                found.append(_unit(doc, sentence.start, sentence.end, src, locate))
        index += count
    return found


def _unit(doc: Document, start: int, end: int, source: str | None, locate: _Locator) -> Unit:
    if not source or not source.strip():
        return Unit(start, end, doc.text[start:end])
    return Unit(start, end, doc.text[start:end], source, locate.find(source))


class PairedCheck(Check):
    """A check that compares each unit with its source; units without one are skipped."""

    needs_source: ClassVar[bool] = True

    def check(self, doc: Document, pairing: SourcePairing) -> list[Flag]:
        if not pairing.has_source:
            return []
        return [f for u in units(doc, pairing) if u.source for f in self.check_unit(u)]

    def check_unit(self, unit: Unit) -> list[Flag]:
        """The flags of one unit that has a source (offsets into the document)."""
        raise NotImplementedError
