"""The document model: an original text and its segmentation, never mutated by stages.

Offsets are half-open ``[start, end)`` Unicode code-point indices into `Document.text`
(Python string indices). Paragraph and sentence offsets are derived from their tokens,
so the segmentation cannot disagree with itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property


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


@dataclass(frozen=True)
class Document:
    """An original text with its paragraphs, sentences and tokens."""

    text: str
    paragraphs: tuple[Paragraph, ...]

    @classmethod
    def from_text(cls, text: str) -> Document:
        from copydesk.models.segmenter import segment

        return cls(text=text, paragraphs=segment(text))

    @cached_property
    def sentences(self) -> tuple[Sentence, ...]:
        return tuple(s for p in self.paragraphs for s in p.sentences)

    @cached_property
    def tokens(self) -> tuple[Token, ...]:
        return tuple(t for s in self.sentences for t in s.tokens)

    def span(self, start: int, end: int) -> str:
        return self.text[start:end]

    def sentence_text(self, sentence: Sentence) -> str:
        return self.text[sentence.start : sentence.end]


def sentence_sources(doc: Document, source: str | None) -> list[str | None]:
    """The source sentence of each of ``doc``'s sentences, where they can be paired.

    A one-sentence document takes the whole source; otherwise the source must split
    into as many sentences as the document, taken in order. Else none is paired.
    """
    sentences = doc.sentences
    if not source or not source.strip():
        return [None] * len(sentences)
    if len(sentences) == 1:
        return [source.strip()]
    source_doc = Document.from_text(source)
    if len(source_doc.sentences) != len(sentences):
        return [None] * len(sentences)
    return [source_doc.sentence_text(s) for s in source_doc.sentences]
