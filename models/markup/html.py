"""HTML articles as a `Layout`: text between tags is repaired, everything else is kept.

Parsed with the standard library's `html.parser`, the tokenizer browsers' rules are
written for in Python: unlike lxml's tree it reports where each token starts in the
source, which is what mapping edits back byte for byte needs. Tags, attributes, comments,
declarations and character references are markup; so is everything inside elements
whose text is not prose (``script``, ``style``, ``code``, ``pre`` …). Block elements stand
for a paragraph break in the plain text, ``<br>`` for a line break, inline elements
for nothing, so a sentence may run across ``<a>`` or ``<em>``.
"""

from __future__ import annotations

import html
import itertools
from html.parser import HTMLParser

from copydesk.models.markup.layout import Layout, Run, protect_addresses

PARAGRAPH = "\n\n"
BLOCK = frozenset(
    "address article aside blockquote body caption dd details dialog div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main nav ol "
    "p section summary table tbody td tfoot th thead tr ul".split()
)
# Elements whose content is never prose to repair.
VERBATIM = frozenset(
    "code head kbd math noscript pre samp script style svg template textarea var".split()
)
VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())


def parse_html(text: str) -> Layout:
    """The HTML document ``text`` as runs; concatenated, they are ``text`` exactly."""
    tokens = _Tokens()
    tokens.feed(text)
    tokens.close()
    builder = _Builder()
    marks = [*tokens.marks, (len(text), "end", "")]
    for (start, kind, name), (end, _, _) in itertools.pairwise(marks):
        piece = text[start:end]
        if not piece:
            continue
        if kind == "data":
            builder.data(piece)
        elif kind == "ref":
            builder.markup(piece, html.unescape(piece) if not builder.verbatim else "")
        elif kind == "start":
            builder.start(name, piece)
        elif kind == "end_tag":
            builder.end(name, piece)
        else:  # comment, declaration, processing instruction
            builder.markup(piece, "")
    return Layout(protect_addresses(builder.runs), escape=escape_text)


def escape_text(text: str) -> str:
    """``text`` as HTML character data: ``&``, ``<`` and ``>`` as references."""
    return html.escape(text, quote=False)


class _Tokens(HTMLParser):
    """Where each token starts, and what it is; the text itself is sliced from the source."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self._line_starts = [0]
        self.marks: list[tuple[int, str, str]] = []

    def feed(self, data: str) -> None:
        for i, ch in enumerate(data):
            if ch == "\n":
                self._line_starts.append(i + 1)
        super().feed(data)

    def _mark(self, kind: str, name: str = "") -> None:
        line, column = self.getpos()
        self.marks.append((self._line_starts[line - 1] + column, kind, name))

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self._mark("start", tag)

    def handle_startendtag(self, tag: str, attrs: object) -> None:
        self._mark("start", tag)

    def handle_endtag(self, tag: str) -> None:
        self._mark("end_tag", tag)

    def handle_data(self, data: str) -> None:
        self._mark("data")

    def handle_entityref(self, name: str) -> None:
        self._mark("ref")

    def handle_charref(self, name: str) -> None:
        self._mark("ref")

    def handle_comment(self, data: str) -> None:
        self._mark("other")

    def handle_decl(self, decl: str) -> None:
        self._mark("other")

    def handle_pi(self, data: str) -> None:
        self._mark("other")

    def unknown_decl(self, data: str) -> None:
        self._mark("other")


class _Builder:
    """Runs from tokens, with block boundaries as single paragraph breaks."""

    def __init__(self) -> None:
        self.runs: list[Run] = []
        self._open_verbatim: list[str] = []
        self._plain_tail = ""  # the last characters of the plain text so far

    @property
    def verbatim(self) -> bool:
        return bool(self._open_verbatim)

    def data(self, piece: str) -> None:
        if self.verbatim:
            self.markup(piece, "")
            return
        if self._at_paragraph_start():
            stripped = piece.lstrip()
            if len(stripped) < len(piece):
                self.markup(piece[: len(piece) - len(stripped)], "")
                piece = stripped
        if piece:
            self._add(Run(piece))

    def start(self, name: str, piece: str) -> None:
        if name in VERBATIM and name not in VOID and not piece.endswith("/>"):
            self._open_verbatim.append(name)
            self.markup(piece, "")
        elif self.verbatim:
            self.markup(piece, "")
        elif name == "br":
            self.markup(piece, "\n")
        elif name in BLOCK:
            self._break(piece)
        else:
            self.markup(piece, "")

    def end(self, name: str, piece: str) -> None:
        if self._open_verbatim and name == self._open_verbatim[-1]:
            self._open_verbatim.pop()
            self.markup(piece, "")
        elif not self.verbatim and name in BLOCK:
            self._break(piece)
        else:
            self.markup(piece, "")

    def markup(self, piece: str, interpret_as: str) -> None:
        self._add(Run(piece, interpret_as))

    def _break(self, piece: str) -> None:
        self._strip_trailing_space()
        self.markup(piece, "" if self._at_paragraph_start() else PARAGRAPH)

    def _at_paragraph_start(self) -> bool:
        return not self._plain_tail or self._plain_tail.endswith(PARAGRAPH)

    def _strip_trailing_space(self) -> None:
        """Whitespace ending a paragraph's text is layout, not part of the sentence."""
        if not self.runs or self.runs[-1].is_markup:
            return
        text = self.runs[-1].original
        kept = text.rstrip()
        if kept == text:
            return
        self.runs.pop()
        if kept:
            self.runs.append(Run(kept))
        self.runs.append(Run(text[len(kept) :], ""))
        self._plain_tail = _tail(self.runs)

    def _add(self, run: Run) -> None:
        self.runs.append(run)
        self._plain_tail = (self._plain_tail + run.plain)[-4:]


def _tail(runs: list[Run], size: int = 4) -> str:
    """The last ``size`` characters of the runs' plain text."""
    pieces: list[str] = []
    total = 0
    for run in reversed(runs):
        pieces.append(run.plain)
        total += len(run.plain)
        if total >= size:
            break
    return "".join(reversed(pieces))[-size:]
