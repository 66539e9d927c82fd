"""The ``sentence_case`` stage: capitalise sentences and headlines that start in lowercase."""

from __future__ import annotations

from collections.abc import Iterable

from copydesk.models.document import Document
from copydesk.models.edits import Edit, EditKind
from copydesk.models.segmenter import tokenize
from copydesk.models.source import SourcePairing
from copydesk.models.stage import RepairContext, Stage
from copydesk.models.tokens import Sentence, Token, TokenKind

# Words that stay lowercase even at the start of a sentence. Mixed-case words
# (iPhone, eBay, mRNA) are recognised by their shape and need no entry here.
KEEP_LOWERCASE = (
    "e-mail", "e-mails", "e-commerce", "e-book", "e-books", "e-reader", "e-sports",
    # URL schemes and hosts that tokenised MT splits off a URL (`https: / / clck.ru`).
    "http", "https", "ftp", "www",
)  # fmt: skip


# A sentence that starts with one of these starts with markup, not with a word.
MARKUP_OPENERS = frozenset("< & [ {".split())


class SentenceCaseStage(Stage):
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
        authors = _lowercase_in_source(doc, context.pairing(doc))
        for sentence in doc.sentences:
            token = _first_word(sentence)
            if token is None or not self._needs_capital(token.text) or token.start in authors:
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
    """The sentence's first word after leading quotes, brackets and dashes; None otherwise.

    None too after markup (``< i >``, ``& gt;``, ``[img]``): a tag or an entity is not prose;
    and for a word joined to a slash (``r/PikabuPolitics``, ``km/h``): a path or a unit.
    """
    tokens = sentence.tokens
    for i, token in enumerate(tokens):
        if token.kind is TokenKind.WORD:
            after = tokens[i + 1] if i + 1 < len(tokens) else None
            if after is not None and after.text == "/" and after.start == token.end:
                return None  # a path or a handle: r/PikabuPolitics
            return token
        if token.kind in (TokenKind.NUMBER, TokenKind.URL) or token.text in MARKUP_OPENERS:
            return None
    return None


def _lowercase_in_source(doc: Document, pairing: SourcePairing) -> set[int]:
    """Where MT sentences start whose source sentence starts in lowercase too.

    A lowercase start the source has (a chat message, a fragment, a title in sentence
    case) is the author's, not a translation error.
    """
    starts = set()
    for mine, source in zip(doc.sentences, pairing.sentences, strict=True):
        if source is None:
            continue
        tokens = tokenize(source)
        word = _first_word(mine)
        first = _first_word(Sentence(tuple(tokens))) if tokens else None
        if word is not None and first is not None and first.text[0].islower():
            starts.add(word.start)
    return starts
