"""The ``sentence_case`` stage: capitalise sentences and headlines that start in lowercase."""

from __future__ import annotations

from collections.abc import Iterable

from models.document import Document, Sentence, Token, TokenKind
from models.edits import Edit, EditKind
from models.stage import RepairContext

# Words that stay lowercase even at the start of a sentence. Mixed-case words
# (iPhone, eBay, mRNA) are recognised by their shape and need no entry here.
KEEP_LOWERCASE = (
    "e-mail", "e-mails", "e-commerce", "e-book", "e-books", "e-reader", "e-sports",
    # URL schemes and hosts that tokenised MT splits off a URL (`https: / / clck.ru`).
    "http", "https", "ftp", "www",
)  # fmt: skip


class SentenceCaseStage:
    """Rules only: the first word of a sentence or headline gets a capital letter."""

    name = "sentence_case"

    def __init__(
        self,
        *,
        keep_lowercase: Iterable[str] = KEEP_LOWERCASE,
        confidence: float = 0.98,
        headline_confidence: float = 0.95,
    ) -> None:
        self.keep_lowercase = frozenset(w.lower() for w in keep_lowercase)
        self.confidence = float(confidence)
        self.headline_confidence = float(headline_confidence)

    def propose(self, doc: Document, context: RepairContext) -> list[Edit]:
        edits = []
        for sentence in doc.sentences:
            token = _first_word(sentence)
            if token is None or not self._needs_capital(token.text):
                continue
            word = token.text
            edits.append(
                Edit(
                    start=token.start,
                    end=token.end,
                    original=word,
                    replacement=word[0].title() + word[1:],
                    kind=EditKind.CASING,
                    stage=self.name,
                    confidence=(
                        self.headline_confidence if sentence.is_headline else self.confidence
                    ),
                    message=(
                        "headline starts with a lowercase letter"
                        if sentence.is_headline
                        else "sentence starts with a lowercase letter"
                    ),
                    rule="sentence-initial-capital",
                )
            )
        return edits

    def _needs_capital(self, word: str) -> bool:
        if not word[0].islower() or word.lower() in self.keep_lowercase:
            return False
        return not any(ch.isupper() for ch in word[1:])  # iPhone, eBay, mRNA


def _first_word(sentence: Sentence) -> Token | None:
    """The sentence's first word after leading quotes, brackets and dashes; None otherwise."""
    for token in sentence.tokens:
        if token.kind is TokenKind.WORD:
            return token
        if token.kind in (TokenKind.NUMBER, TokenKind.URL):
            return None
    return None
