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
    return Layout(protect_addresses(runs))


def _locate(text: str, children: list[Token], begin: int, end: int) -> tuple[list[Run], int] | None:
    """The runs of one inline block within ``text[begin:end]``, and where they stop."""
    runs: list[Run] = []
    cursor = begin
    in_autolink = False
    for child in children:
        if child.type == "link_open":
            in_autolink = child.markup == "autolink"
        elif child.type == "link_close":
            in_autolink = False
        if child.type in ("text", "text_special") and child.content:
            needle = child.markup if child.type == "text_special" else child.content
            at = text.find(needle, cursor, end)
            if at < 0:
                return None
            if at > cursor:
                runs.append(Run(text[cursor:at], ""))
            piece = text[at : at + len(needle)]
            if child.type == "text_special":
                runs.append(Run(piece, child.content))
            elif in_autolink:
                runs.append(Run(piece, piece))  # a URL: seen by the stages, never edited
            else:
                runs.append(Run(piece))
            cursor = at + len(needle)
        elif child.type in ("softbreak", "hardbreak"):
            at = text.find("\n", cursor, end)
            if at < 0:
                return None
            if at > cursor:
                runs.append(Run(text[cursor:at], ""))  # a hard break's spaces or backslash
            runs.append(Run("\n") if child.type == "softbreak" else Run("\n", "\n"))
            cursor = at + 1
    return runs, cursor
