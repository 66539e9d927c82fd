"""The document model: an original text and its segmentation, never mutated by stages.

Offsets are half-open ``[start, end)`` Unicode code-point indices into `Document.text`
(Python string indices); the pieces are in `copydesk.models.tokens`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from copydesk.models.segmenter import segment
from copydesk.models.tokens import Paragraph, Sentence, Token, TokenKind


@dataclass(frozen=True)
class Document:
    """An original text with its paragraphs, sentences and tokens."""

    text: str
    paragraphs: tuple[Paragraph, ...]

    @classmethod
    def from_text(cls, text: str, previous: Document | None = None) -> Document:
        """``text`` segmented; the paragraphs of ``previous`` (the text before some edits)
        that those edits left as they were are taken over, not segmented again."""
        earlier = (previous.text, previous.paragraphs) if previous is not None else None
        return cls(text=text, paragraphs=segment(text, earlier))

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


__all__ = ["Document", "Paragraph", "Sentence", "Token", "TokenKind"]
