"""Tokens, sentences and paragraphs: the pieces a `Document` is segmented into.

Offsets are half-open ``[start, end)`` Unicode code-point indices into the document's
text. Paragraph and sentence offsets are derived from their tokens, so the
segmentation cannot disagree with itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class TokenKind(StrEnum):
    WORD = "word"
    NUMBER = "number"
    PUNCT = "punct"
    SYMBOL = "symbol"
    URL = "url"


@dataclass(frozen=True, slots=True)
class Token:
    """One word, number, punctuation mark, URL or other grapheme cluster."""

    start: int
    end: int
    text: str
    kind: TokenKind

    @property
    def is_word(self) -> bool:
        return self.kind is TokenKind.WORD


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence, or a headline; ``quoted`` when it starts inside quoted speech."""

    tokens: tuple[Token, ...]
    is_headline: bool = False
    quoted: bool = False

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        return self.tokens[-1].end


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A block of text between blank lines."""

    sentences: tuple[Sentence, ...]

    @property
    def start(self) -> int:
        return self.sentences[0].start

    @property
    def end(self) -> int:
        return self.sentences[-1].end

    @property
    def is_headline(self) -> bool:
        return len(self.sentences) == 1 and self.sentences[0].is_headline
