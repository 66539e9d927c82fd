"""The form checks translators' QA tools run: doubled words, unpaired quotes and
brackets, and a sentence ending otherwise than its source (a question made a statement)."""

from __future__ import annotations

from typing import ClassVar

import regex

from copydesk.models.checks.units import PairedCheck, Unit
from copydesk.models.document import Document
from copydesk.models.flags import Check, Flag, FlagKind, Severity
from copydesk.models.source import SourcePairing

_DOUBLED = regex.compile(r"(?<![\p{L}\p{N}'’-])(\p{L}+)\s+(\1)(?![\p{L}\p{N}'’-])", regex.I)
# Doubles that English grammar makes (``had had``, ``that that``).
GRAMMATICAL_DOUBLES = frozenset({"had", "that", "is", "do", "can", "bye", "so", "very", "no"})
PAIRS = {"(": ")", "[": "]", "{": "}", "“": "”", "«": "»"}
CLOSING = {v: k for k, v in PAIRS.items()}
# Closing quotes and brackets that may follow a sentence's final mark.
# What may follow a sentence's final mark: closing quotes, brackets, emoji.
_TRAILING_SYMBOLS = regex.compile(r"[\"'”»’)\]}\s\p{So}\p{Sk}\p{Cn}\uFE0F\u200D]+$")


class DoubledWordCheck(Check):
    """The same word twice in a row (``the the``)."""

    name: ClassVar[str] = "doubled-word"
    needs_source: ClassVar[bool] = False

    def check(self, doc: Document, pairing: SourcePairing) -> list[Flag]:
        flags = []
        for m in _DOUBLED.finditer(doc.text):
            if m.group(1).lower() in GRAMMATICAL_DOUBLES or m.group(1).isupper():
                continue
            flags.append(
                Flag(
                    m.start(),
                    m.end(),
                    m.group(),
                    FlagKind.DOUBLED_WORD,
                    self.name,
                    f"{m.group(1)!r} is doubled",
                    Severity.WARNING,
                    0.8,
                    candidates=(m.group(1),),
                )
            )
        return flags


class UnpairedCheck(Check):
    """A bracket or quotation mark without its partner in the same paragraph (unless the
    source paragraph leaves one open too: a quotation running on)."""

    name: ClassVar[str] = "unpaired"
    needs_source: ClassVar[bool] = False

    def check(self, doc: Document, pairing: SourcePairing) -> list[Flag]:
        flags = []
        for index, paragraph in enumerate(doc.paragraphs):
            source = pairing.paragraphs[index] if index < len(pairing.paragraphs) else None
            if source and unpaired(source, 0, len(source)):
                continue
            for i in unpaired(doc.text, paragraph.start, paragraph.end):
                message = f"{doc.text[i]} has no partner in its paragraph"
                flags.append(
                    Flag(
                        i,
                        i + 1,
                        doc.text[i],
                        FlagKind.UNPAIRED,
                        self.name,
                        message,
                        Severity.WARNING,
                        0.7,
                    )
                )
        return flags


def unpaired(text: str, start: int, end: int) -> list[int]:
    """Offsets of the brackets and quotation marks in ``text[start:end]`` with no partner."""
    stack: list[int] = []
    lone: list[int] = []
    straight: list[int] = []
    for i in range(start, end):
        ch = text[i]
        if ch in PAIRS:
            stack.append(i)
        elif ch in CLOSING:
            if stack and text[stack[-1]] == CLOSING[ch]:
                stack.pop()
            else:
                lone.append(i)
        elif ch == '"':
            straight.append(i)
    lone += stack
    if len(straight) % 2:
        lone.append(straight[-1])
    return sorted(lone)


def final_mark(text: str) -> str:
    """A sentence's closing mark: ``?``, ``!``, ``.`` (``…`` and ``...`` too) or nothing."""
    stripped = _TRAILING_SYMBOLS.sub("", text)
    if not stripped:
        return ""
    last = stripped[-2] if stripped[-2:] in ("?.", "!.") else stripped[-1]
    if last in "?!":
        return last
    if last in ".…":
        return "."
    return ""


class EndPunctuationCheck(PairedCheck):
    """A question or exclamation in one side that the other side does not end with."""

    name: ClassVar[str] = "end-punctuation"

    def check_unit(self, unit: Unit) -> list[Flag]:
        assert unit.source is not None
        ours, theirs = final_mark(unit.text), final_mark(unit.source)
        if ours == theirs or not ({ours, theirs} & {"?", "!"}):
            return []
        stripped = _TRAILING_SYMBOLS.sub("", unit.text)
        at = len(stripped) - 1 if ours else len(stripped)
        said = unit.text[at : at + 1] if ours else ""
        message = f"the source ends with {theirs or 'no mark'!r}, the translation with " + (
            repr(ours) if ours else "no mark"
        )
        return [
            Flag(
                unit.start + at,
                unit.start + at + len(said),
                said,
                FlagKind.END_PUNCTUATION,
                self.name,
                message,
                Severity.INFO,
                0.6,
                candidates=(theirs,) if theirs else (),
            )
        ]
