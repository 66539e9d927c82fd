"""Cyrillic left in the English: a word or phrase the translation did not translate."""

from __future__ import annotations

from typing import ClassVar

import regex

from copydesk.models.document import Document
from copydesk.models.flags import Check, Flag, FlagKind, Severity
from copydesk.models.source import SourcePairing

# Cyrillic words, with the spaces and hyphens between them: one flag per phrase.
_CYRILLIC_RUN = regex.compile(r"\p{Cyrillic}+(?:[\s\-]+\p{Cyrillic}+)*")


class UntranslatedCheck(Check):
    """Flags every run of Cyrillic words in the translation."""

    name: ClassVar[str] = "untranslated"
    needs_source: ClassVar[bool] = False

    def check(self, doc: Document, pairing: SourcePairing) -> list[Flag]:
        return [
            Flag(
                m.start(),
                m.end(),
                m.group(),
                FlagKind.UNTRANSLATED,
                self.name,
                f"{m.group()!r} is left in Cyrillic",
                Severity.ERROR,
                0.95,
            )
            for m in _CYRILLIC_RUN.finditer(doc.text)
        ]
