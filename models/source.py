"""The source text, segmented once and paired with the machine translation.

Every stage that reads the source reads this pairing, so they all agree on which source
sentence a translated sentence came from. The policy, in order:

1. No source (missing or blank): nothing pairs.
2. A document of one sentence takes the whole source (a sentence-level corpus line).
3. Paragraphs pair in order when both texts have as many. Within a pair, sentences pair
   in order when both have as many; otherwise only the paragraphs' first sentences pair
   (a paragraph starts both texts' paragraph, wherever the later boundaries fall).
4. When the paragraph counts differ, sentences pair in order if the two texts have as
   many sentences in all; otherwise none pairs.

A sentence without a partner gets ``None``; stages then treat it as having no source.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from copydesk.models.document import Document


@dataclass(frozen=True)
class SourcePairing:
    """Which source paragraph and sentence each of a document's paragraphs and sentences has.

    ``source`` is the document-level view: the whole source text as the caller gave it
    (None for none), for a stage that reads the source as a whole (its names, say).
    """

    source: str | None
    paragraphs: tuple[str | None, ...]
    sentences: tuple[str | None, ...]

    @property
    def has_source(self) -> bool:
        return bool(self.source and self.source.strip())


@dataclass(frozen=True)
class Source:
    """A source text, segmented at most once however many documents it is paired with."""

    text: str

    @cached_property
    def document(self) -> Document:
        return Document.from_text(self.text)

    def pair(self, doc: Document) -> SourcePairing:
        """This source paired with ``doc`` by the module's policy."""
        n_paragraphs, n_sentences = len(doc.paragraphs), len(doc.sentences)
        if not self.text.strip():
            # Nothing pairs; the text itself is kept as the caller gave it.
            nothing = SourcePairing(
                self.text or None, (None,) * n_paragraphs, (None,) * n_sentences
            )
            return nothing
        if n_sentences == 1:
            whole = self.text.strip()
            return SourcePairing(self.text, (whole,), (whole,))
        src = self.document
        sentences: list[str | None] = []
        paragraphs: tuple[str | None, ...] = (None,) * n_paragraphs
        if len(src.paragraphs) == n_paragraphs:
            paragraphs = tuple(src.text[p.start : p.end] for p in src.paragraphs)
            for ours, theirs in zip(doc.paragraphs, src.paragraphs, strict=True):
                texts = [src.sentence_text(s) for s in theirs.sentences]
                if len(texts) == len(ours.sentences):
                    sentences += texts
                else:
                    sentences += [texts[0]] + [None] * (len(ours.sentences) - 1)
        elif len(src.sentences) == n_sentences:
            sentences = [src.sentence_text(s) for s in src.sentences]
        else:
            sentences = [None] * n_sentences
        return SourcePairing(self.text, paragraphs, tuple(sentences))


NO_SOURCE = Source("")
