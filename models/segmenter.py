"""Rule-based segmentation of news text into paragraphs, sentences and tokens.

Machine-translated news often starts sentences in lowercase, so a sentence boundary
cannot wait for a capital letter. After a full stop the next sentence starts whatever
its case, except after a known abbreviation or an initial (where only a capital opens a
new sentence) and where a lowercase word is an attribution: after closing quotes, a dash
allowed between (``"… averted." said Maas``, ``"Then what?" - asks Poliakov``), and a
verb of saying after a question or exclamation mark (``"can it bring"? asks Plamondon``).
A number's full stop before a lowercase word does not end a sentence in a list of numbered
steps, points or articles (``repeat steps 2. and 3. until done``). A colon never ends a
sentence. A line break inside a paragraph ends a sentence only after
terminal punctuation, so hard-wrapped text stays whole. A paragraph of one short line
with no closing punctuation is a headline.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import regex

from copydesk.models.tokens import Paragraph, Sentence, Token, TokenKind

_TOKEN = regex.compile(
    r"""
    (?P<url>(?:https?://|www\.)[^\s<>"“”]+[^\s<>"“”.,;:!?)\]}’”»]
         |[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+)
    |(?P<word>(?:\p{L}\p{M}*\.){2,}(?!\p{L})                  # dotted abbreviations: U.S., e.g.
         |\p{L}\p{M}*(?:[\p{L}\p{N}]\p{M}*)*(?:['’\-][\p{L}\p{N}]\p{M}*(?:[\p{L}\p{N}]\p{M}*)*)*)
    |(?P<number>\p{N}+(?:[.,:/]\p{N}+)*(?:\p{L}+)?)
    |(?P<punct>\.{2,}|[!?]{2,}|-{2,}|\p{P})
    |(?P<symbol>\X)
    """,
    regex.VERBOSE,
)
_KINDS = {kind.value: kind for kind in TokenKind}  # a group's name to its kind, without a call
_PUNCTUATION = regex.compile(r"\p{P}+")
_PARAGRAPH_BREAK = regex.compile(r"\r?\n[ \t]*(?:\r?\n[ \t]*)+")

TERMINALS = frozenset({".", "!", "?", "…", "?!", "!?"})
OPEN_QUOTES = frozenset({"“", "«", "„"})
CLOSE_QUOTES = frozenset({"”", "»"})
CLOSERS = frozenset({"”", "»", '"', "’", "'", ")", "]", "}"})
HEADLINE_MAX_WORDS = 25
DASHES = frozenset({"-", "–", "—"})
# Verbs that open an attribution after a quoted question or exclamation.
SAYING_VERBS = frozenset(
    """
    says said asks asked adds added writes wrote notes noted replies replied answers answered
    explains explained insists insisted continues continued recalls recalled exclaims exclaimed
    """.split()
)

# Abbreviations after which a full stop does not end a sentence before a capital.
TITLES = frozenset(
    "mr mrs ms dr prof gen lt col capt sgt maj adm cmdr rev hon sen rep gov pres st mt ft".split()
)
ABBREVIATIONS = TITLES | frozenset(
    """
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun
    no nos vol vols p pp ch fig figs art sec approx est etc vs inc ltd co corp plc bros dept
    univ assn ave blvd rd sq jr sr
    """.split()
)

# Nouns that number what follows them: a full stop after their number is an ordinal's
# ("steps 2. and 3."), not a sentence's end, when a lowercase word follows.
COUNTED = frozenset(
    """
    step steps point points item items paragraph paragraphs section sections article articles
    chapter chapters part parts page pages stage stages phase phases rule rules clause clauses
    question questions line lines figure figures table tables option options number numbers
    """.split()
)
LIST_JOINS = frozenset({"and", "or", "to", "through", "till", "until", ",", "-", "–", "—", "&"})


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of ``text[start:end]`` with offsets into ``text``; whitespace is skipped."""
    tokens = []
    for match in _TOKEN.finditer(text, start, len(text) if end is None else end):
        if match.group().isspace():
            continue
        kind = _KINDS[match.lastgroup]
        if kind is TokenKind.SYMBOL and _PUNCTUATION.fullmatch(match.group()):
            kind = TokenKind.PUNCT
        tokens.append(Token(match.start(), match.end(), match.group(), kind))
    return tokens


def segment(
    text: str, previous: tuple[str, Sequence[Paragraph]] | None = None
) -> tuple[Paragraph, ...]:
    """Split ``text`` into paragraphs of sentences of tokens.

    ``previous`` (an earlier text and its paragraphs: the text before a stage's edits)
    lends each paragraph that stands where it stood, character for character: a
    paragraph's segmentation reads nothing outside it, so it is the same."""
    known = _paragraphs_by_span(*previous) if previous is not None else {}
    paragraphs = []
    for start, end in _paragraph_spans(text):
        lent = known.get((start, text[start:end])) if known else None
        if lent is not None:
            paragraphs.append(lent)
            continue
        tokens = tokenize(text, start, end)
        if tokens:
            paragraphs.append(Paragraph(tuple(_sentences(text, tokens))))
    return tuple(paragraphs)


def _paragraphs_by_span(
    text: str, paragraphs: Sequence[Paragraph]
) -> dict[tuple[int, str], Paragraph]:
    """``text``'s paragraphs by where they start and what they say (empty if they are not
    ``text``'s). A span has a paragraph when it has a token: a character not whitespace."""
    spans = [(a, b) for a, b in _paragraph_spans(text) if text[a:b].strip()]
    if len(spans) != len(paragraphs):
        return {}
    known = {}
    for (a, b), paragraph in zip(spans, paragraphs, strict=True):
        if not a <= paragraph.start <= paragraph.end <= b:
            return {}
        known[a, text[a:b]] = paragraph
    return known


def _paragraph_spans(text: str) -> Iterator[tuple[int, int]]:
    cursor = 0
    for brk in _PARAGRAPH_BREAK.finditer(text):
        yield cursor, brk.start()
        cursor = brk.end()
    yield cursor, len(text)


def _sentences(text: str, tokens: list[Token]) -> Iterator[Sentence]:
    if _is_headline(text, tokens):
        yield Sentence(tuple(tokens), is_headline=True)
        return
    depth = 0  # quote nesting at the current token
    first = 0
    quoted = False
    for i, tok in enumerate(tokens):
        if i == first:
            quoted = depth > 0 or tok.text in OPEN_QUOTES or tok.text == '"'
        depth = _quote_depth(depth, tok.text)
        if tok.text not in TERMINALS and not (tok.kind is TokenKind.PUNCT and tok.text[0] in ".…"):
            continue
        j = i + 1
        while (
            j < len(tokens) and tokens[j].text in CLOSERS and tokens[j].start == tokens[j - 1].end
        ):
            j += 1
        if j < len(tokens) and tokens[j].start == tokens[j - 1].end:
            continue  # no space after: "3.5", "Yahoo!News"
        if _ends_sentence(text, tokens, i, j):
            yield Sentence(tuple(tokens[first:j]), quoted=quoted)
            first = j
    if first < len(tokens):
        yield Sentence(tuple(tokens[first:]), quoted=quoted)


def _ends_sentence(text: str, tokens: list[Token], i: int, j: int) -> bool:
    """Whether the terminal mark at ``i`` (closers up to ``j``) ends a sentence."""
    if j >= len(tokens):
        return True
    nxt = tokens[j]
    if "\n" in text[tokens[j - 1].end : nxt.start]:
        return True
    mark = tokens[i].text
    if nxt.text in DASHES and j + 1 < len(tokens) and j > i + 1:
        nxt = tokens[j + 1]  # "Then what?" - asks Poliakov
    upper_next = nxt.text[:1].isupper()
    lower_next = nxt.text[:1].islower()
    if j > i + 1 and lower_next:
        return False  # ."  said Maas
    if mark in ("?", "!") and nxt.text in SAYING_VERBS:
        return False  # "can it bring"? asks Plamondon
    if mark in ("…",) or mark.startswith(".."):
        return upper_next
    if mark != ".":
        return True
    prev = tokens[i - 1] if i > 0 and tokens[i - 1].end == tokens[i].start else None
    if prev is not None and prev.kind is TokenKind.NUMBER and lower_next:
        return not _numbered(tokens, i)
    if prev is None or not prev.is_word:
        return True
    word = prev.text.lower()
    if word in TITLES:
        return False
    if len(prev.text) == 1 or word in ABBREVIATIONS:
        return upper_next and len(prev.text) > 1
    return True


def _numbered(tokens: list[Token], i: int) -> bool:
    """Whether the number before the full stop at ``i`` numbers a step, point or article:
    a counting noun before it (``steps 2.``), or another numbered item joined to it
    (``2. and 3.``, either side)."""
    before = tokens[i - 2] if i >= 2 else None
    if before is not None and before.text.lower() in COUNTED:
        return True
    joined = before is not None and before.text.lower() in LIST_JOINS and i >= 4
    if joined and tokens[i - 3].text == "." and tokens[i - 4].kind is TokenKind.NUMBER:
        return True
    after = tokens[i + 1 : i + 4]
    return (
        len(after) == 3
        and after[0].text.lower() in LIST_JOINS
        and after[1].kind is TokenKind.NUMBER
        and after[2].text == "."
        and after[2].start == after[1].end
    )


def _is_headline(text: str, tokens: list[Token]) -> bool:
    body = text[tokens[0].start : tokens[-1].end]
    if "\n" in body:
        return False
    last = next((t for t in reversed(tokens) if t.text not in CLOSERS), tokens[-1])
    if last.text in TERMINALS or last.text in {":", ";", ",", "..."}:
        return False
    return sum(t.is_word for t in tokens) <= HEADLINE_MAX_WORDS


def _quote_depth(depth: int, token_text: str) -> int:
    if token_text in OPEN_QUOTES:
        return depth + 1
    if token_text in CLOSE_QUOTES:
        return max(depth - 1, 0)
    if token_text == '"':
        return 0 if depth else 1
    return depth
