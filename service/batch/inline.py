"""A CAT-tool segment's mixed content (text and inline codes) as placeholder text, and back.

An XLIFF target or a TMX ``seg`` holds text with inline elements. Elements that wrap
text (XLIFF's ``g``, ``mrk``, ``pc``; TMX's ``hi``) keep their text repairable and become
a placeholder where they open and one where they close; codes (``x``, ``ph``, ``bpt``,
``sc`` …), entity references, comments and processing instructions are one placeholder
each, their content untouched. Writing back walks the element the same way and puts
the repaired pieces into the same text and tail slots, so the element structure cannot
change (`copydesk.models.markup.placeholders`).
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from copydesk.models.markup.placeholders import placeholder, split_placeholders

# Inline elements whose content is text to repair; every other child is a code.
WRAPPERS = frozenset({"g", "mrk", "pc", "hi"})


def _slots(element: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """Where the element's text pieces live, in document order: (node, "text"|"tail")."""
    yield element, "text"
    for child in element:
        if isinstance(child.tag, str) and etree.QName(child).localname in WRAPPERS:
            yield from _slots(child)
        yield child, "tail"


def read_inline(element: etree._Element) -> str:
    """The element's content as text with a placeholder for every code."""
    pieces = []
    for n, (node, attr) in enumerate(_slots(element)):
        if n:
            pieces.append(placeholder(n - 1))
        pieces.append(getattr(node, attr) or "")
    return "".join(pieces)


def has_codes(element: etree._Element) -> bool:
    return len(element) > 0


def write_inline(element: etree._Element, text: str) -> bool:
    """Put placeholder text back into the element's slots; False (and nothing changed)
    when its pieces do not fit them."""
    slots = list(_slots(element))
    pieces = split_placeholders(text)
    if len(pieces) != len(slots):
        return False
    for (node, attr), piece in zip(slots, pieces, strict=True):
        setattr(node, attr, piece or None)
    return True
