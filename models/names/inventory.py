"""The names a document uses: capitalised words with their counts and positions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from copydesk.models.document import Document, Token
from copydesk.models.wordstats import is_known_place, shipped_word_usage, zipf

# Words this common in English are ordinary words even when capitalised (``Meeting``).
COMMON_WORD_ZIPF = 4.5


@dataclass
class NameUse:
    form: str
    tokens: list[Token] = field(default_factory=list)
    mid_sentence: int = 0

    @property
    def count(self) -> int:
        return len(self.tokens)

    @property
    def first(self) -> int:
        return self.tokens[0].start


def name_inventory(doc: Document) -> dict[str, NameUse]:
    """Capitalised words (``Idlib``, ``Sergey``), by exact form, in order of first use."""
    uses: dict[str, NameUse] = defaultdict(lambda: NameUse(""))
    for sentence in doc.sentences:
        first_word = next((t for t in sentence.tokens if t.is_word), None)
        for token in sentence.tokens:
            text = _bare(token.text)
            if not token.is_word or not text[:1].isupper() or (len(text) > 1 and text.isupper()):
                continue
            if zipf(text.lower()) >= COMMON_WORD_ZIPF and not is_known_place(text):
                continue
            opens = token is first_word
            if opens and text.lower() in shipped_word_usage().common:
                continue  # ``All around us``: a word news (almost) never capitalises mid-sentence
            use = uses[text]
            use.form = text
            use.tokens.append(Token(token.start, token.start + len(text), text, token.kind))
            use.mid_sentence += not opens
    return dict(uses)


def _bare(word: str) -> str:
    """The word without a possessive ending: ``Kerviel's`` -> ``Kerviel``."""
    for mark in ("'s", "’s", "'", "’"):
        if word.endswith(mark) and len(word) > len(mark) + 1:
            return word[: -len(mark)]
    return word
