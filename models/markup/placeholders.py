"""Text with inline codes replaced by placeholder characters, as a `Layout`.

CAT-tool formats (XLIFF, TMX) hold a segment's inline codes (``<g>``, ``<x/>``, ``<ph>``,
``<mrk>`` …) as elements. Whoever reads the file puts one character of Unicode's private
use area where each code stands; here every such character is a markup run standing for
nothing, so that no edit can remove, move or cross one.
"""

from __future__ import annotations

import regex

from copydesk.models.markup.layout import Layout, Run

FIRST = 0xE000
LAST = 0xF8FF
PLACEHOLDER = regex.compile("[\ue000-\uf8ff]")


def placeholder(n: int) -> str:
    """The ``n``-th placeholder character (they cycle through the private use area)."""
    return chr(FIRST + n % (LAST - FIRST + 1))


def parse_placeholders(text: str) -> Layout:
    runs, cursor = [], 0
    for match in PLACEHOLDER.finditer(text):
        runs.append(Run(text[cursor : match.start()]))
        runs.append(Run(match.group(), ""))
        cursor = match.end()
    runs.append(Run(text[cursor:]))
    return Layout(runs)


def split_placeholders(text: str) -> list[str]:
    """The text between placeholders, in order (one more piece than placeholders)."""
    return PLACEHOLDER.split(text)
