"""Markdown articles as a `Layout`, from markdown-it-py's tokens.

markdown-it-py gives each block the source lines it came from, and each inline token's
children in source order. Every ``text`` child is located in its block's lines (after
the previous one: the source is read once, left to right); what lies between them is
markup: emphasis markers, link brackets and targets, code spans, inline HTML, escapes,
entities, list and heading markers. Blocks stand for paragraph breaks, so a table's
cells and a list's items never run together into one sentence. Code blocks, fences and
HTML blocks are markup whole. A text child that cannot be found where it must be (the
parser normalised it) leaves its whole block as markup: not repaired, never damaged.
"""

from __future__ import annotations

import regex
from markdown_it import MarkdownIt
from markdown_it.token import Token

from copydesk.models.markup.layout import Layout, Run, protect_addresses

PARAGRAPH = "\n\n"


def parse_markdown(text: str) -> Layout:
    """The Markdown document ``text`` as runs; concatenated, they are ``text`` exactly."""
    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    parser.disable("text_join")  # keep escapes and entities apart from the text around them
    line_starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            line_starts.append(i + 1)
    line_starts.append(len(text))
    runs: list[Run] = []
    cursor = 0
    first = True
    for token in parser.parse(text):
        if token.type != "inline" or token.map is None:
            continue
        begin = max(cursor, line_starts[token.map[0]])
        end = line_starts[min(token.map[1], len(line_starts) - 1)]
        located = _locate(text, token.children or [], begin, end)
        if located is None:
            continue  # left inside the markup between blocks
        if begin > cursor or not first:
            runs.append(Run(text[cursor:begin], "" if first else PARAGRAPH))
        block_runs, cursor = located
        runs.extend(block_runs)
        first = False
    runs.append(Run(text[cursor:], ""))
    return Layout(protect_addresses(runs), escape=escape_text)


# What would be markup in a replacement: emphasis and code markers, link brackets, table
# pipes, backslashes, a strikethrough's ~~, underscores not inside a word, and a ``<`` or
# ``&`` that opens inline HTML, an autolink or a character reference.
_SPECIAL = regex.compile(
    r"[\\`*\[\]|]|~~|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])|<(?=[\p{L}/!?])|&(?=#?\w+;)"
)


def escape_text(text: str) -> str:
    """``text`` as Markdown text: its specials backslash-escaped where they would change
    the markup (CommonMark lets any ASCII punctuation be escaped so); ``U.S.`` or
    ``it's`` stay as they are."""
    return _SPECIAL.sub(lambda m: "".join("\\" + ch for ch in m.group()), text)


def _locate(text: str, children: list[Token], begin: int, end: int) -> tuple[list[Run], int] | None:
    """The runs of one inline block within ``text[begin:end]``, and where they stop."""
    runs: list[Run] = []
    cursor = begin

    def skip_to(at: int) -> None:
        nonlocal cursor
        if at > cursor:
            runs.append(Run(text[cursor:at], ""))
            cursor = at

    in_autolink = False
    for child in children:
        kind = child.type
        if kind in ("text", "text_special"):
            if not child.content:
                continue
            needle = child.markup if kind == "text_special" else child.content
            at = text.find(needle, cursor, end)
            if at < 0:
                return None
            skip_to(at)
            piece = text[at : at + len(needle)]
            if kind == "text_special":
                runs.append(Run(piece, child.content))
            elif in_autolink:
                runs.append(Run(piece, piece))  # a URL: seen by the stages, never edited
            else:
                runs.append(Run(piece))
            cursor = at + len(needle)
        elif kind in ("softbreak", "hardbreak"):
            at = text.find("\n", cursor, end)
            if at < 0:
                return None
            skip_to(at)  # a hard break's spaces or backslash
            runs.append(Run("\n") if kind == "softbreak" else Run("\n", "\n"))
            cursor = at + 1
        else:
            after = _markup_end(text, child, cursor, end)
            if after is None:
                return None
            if kind == "link_open":
                in_autolink = child.markup == "autolink"
            elif kind == "link_close":
                in_autolink = False
            skip_to(after)
    return runs, cursor


def _markup_end(text: str, token: Token, cursor: int, end: int) -> int | None:
    """Where a non-text inline token's source ends, searching from ``cursor``."""
    kind = token.type
    if kind == "code_inline":
        ticks = token.markup
        start = text.find(ticks, cursor, end)
        if start < 0:
            return None
        close = _CLOSING_TICKS[len(ticks)].search(text, start + len(ticks), end)
        return close.end() if close else None
    if kind == "html_inline":
        at = text.find(token.content, cursor, end)
        return at + len(token.content) if at >= 0 else None
    if kind == "link_open":
        opener = "<" if token.markup == "autolink" else "["
        at = text.find(opener, cursor, end)
        return at + 1 if at >= 0 else None
    if kind == "link_close":
        if token.markup == "autolink":
            at = text.find(">", cursor, end)
            return at + 1 if at >= 0 else None
        return _after_link_target(text, cursor, end)
    if kind == "image":
        at = text.find("![", cursor, end)
        if at < 0:
            return None
        located = _locate(text, token.children or [], at + 2, end)
        return _after_link_target(text, located[1], end) if located else None
    if token.markup and kind.endswith(("_open", "_close")):  # emphasis, strong, strikethrough
        at = text.find(token.markup, cursor, end)
        return at + len(token.markup) if at >= 0 else None
    return cursor


_CLOSING_TICKS = {n: regex.compile(rf"(?<!`)`{{{n}}}(?!`)") for n in range(1, 33)}


def _after_link_target(text: str, cursor: int, end: int) -> int | None:
    """Past a link's ``](target "title")``, ``][label]`` or ``]`` (a shortcut reference)."""
    at = text.find("]", cursor, end)
    if at < 0:
        return None
    i = at + 1
    if i < end and text[i] == "[":
        close = text.find("]", i, end)
        return close + 1 if close >= 0 else None
    if i >= end or text[i] != "(":
        return i
    i += 1
    depth, quote = 0, ""
    while i < end:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "<":
            close = text.find(">", i, end)
            i = close if close >= 0 else i
        elif ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                return i + 1
            depth -= 1
        i += 1
    return None
