"""Changing a few spans of an XML file and keeping every other byte as it was.

A CAT tool's file goes back to the CAT tool, and a reviewer diffs it: outside the
targets copydesk repairs, the declaration, the BOM, the encoding, line endings, quotes,
entity and character references, CDATA sections and the spelling of empty elements
must all stay. lxml reads the file (namespaces, attributes, well-formedness) but cannot
say where a node starts or ends in the file (libxml2 keeps only line numbers), and any
serialisation rewrites the whole document. So the decoded text is also read by a small
tokenizer of our own that records each element's span, paired with lxml's elements in
document order (names checked); changes are spans of that text, encoded back in the
file's own encoding and spliced between the original bytes.

Changed text is written as the file writes text: its line ending, ``&apos;`` and
``&quot;`` where the file uses them, a character reference for whatever its encoding
cannot hold, and inside a CDATA section it stays CDATA. Within one text piece only the
characters that differ are rewritten (a character diff), so a reference or a CDATA
section that the edit does not touch is kept as it was.
"""

from __future__ import annotations

import codecs
import difflib
import os
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from lxml import etree

from copydesk.service.batch.inline import WRAPPERS

BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
DECLARED = re.compile(rb"""\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
START_TAG = re.compile(r"""<([^\s/>!?]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(/?)>""")
END_TAG = re.compile(r"</([^\s>]+)\s*>")
REFERENCE = re.compile(r"&([^;\s&<]+);")
ATTRIBUTE = re.compile(r"""\s+([^\s=/>]+)\s*=\s*("[^"]*"|'[^']*')""")
MARKUP = re.compile("[<&]")
PREDEFINED = {"amp": "&", "lt": "<", "gt": ">", "apos": "'", "quot": '"'}


class SpliceError(ValueError):
    """The file's markup could not be located exactly (it is then not changed)."""


def sniff(data: bytes) -> tuple[int, str]:
    """The length of the byte order mark and the codec of the text after it."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            return len(bom), codec
    if data[:4] == b"<\0?\0":
        return 0, "utf-16-le"
    if data[:4] == b"\0<\0?":
        return 0, "utf-16-be"
    match = DECLARED.match(data)
    if match:
        try:
            name = codecs.lookup(match.group(1).decode("ascii")).name
        except LookupError as exc:
            raise SpliceError(f"unknown encoding {match.group(1).decode('ascii')!r}") from exc
        return 0, "utf-8" if name.startswith("utf-16") else name  # UTF-16 without a BOM
    return 0, "utf-8"


@dataclass
class Node:
    """An element, comment, processing instruction or entity reference inside the root,
    as offsets into the decoded text."""

    kind: str  # "element" | "comment" | "pi" | "entity"
    start: int
    end: int = -1
    name: str = ""
    open_end: int = -1  # end of the start tag
    close_start: int = -1  # start of the end tag (open_end for an empty element)
    empty: bool = False
    parent: int = -1
    children: list[int] = field(default_factory=list)

    @property
    def local(self) -> str:
        return self.name.rsplit(":", 1)[-1]


def tokenize(text: str) -> list[Node]:
    """Every node inside the root element, in document order (children listed by index)."""
    nodes: list[Node] = []
    stack: list[int] = []
    i = 0

    def add(node: Node) -> int:
        nodes.append(node)
        if stack:
            node.parent = stack[-1]
            nodes[stack[-1]].children.append(len(nodes) - 1)
        return len(nodes) - 1

    while True:
        found = MARKUP.search(text, i)
        if found is None:
            break
        lt = amp = found.start()
        if found.group() == "&":
            match = REFERENCE.match(text, amp)
            if match is None:
                raise SpliceError(f"a bare '&' at character {amp}")
            name = match.group(1)
            if stack and not name.startswith("#") and name not in PREDEFINED:
                add(Node("entity", amp, match.end(), name))
            i = match.end()
            continue
        if text.startswith("<!--", lt):
            end = text.find("-->", lt + 4)
            if end < 0:
                raise SpliceError("an unclosed comment")
            if stack:
                add(Node("comment", lt, end + 3))
            i = end + 3
        elif text.startswith("<![CDATA[", lt):
            end = text.find("]]>", lt + 9)
            if end < 0:
                raise SpliceError("an unclosed CDATA section")
            i = end + 3
        elif text.startswith("<!", lt):
            i = _skip_declaration(text, lt)
        elif text.startswith("<?", lt):
            end = text.find("?>", lt + 2)
            if end < 0:
                raise SpliceError("an unclosed processing instruction")
            if stack:
                add(Node("pi", lt, end + 2))
            i = end + 2
        elif text.startswith("</", lt):
            match = END_TAG.match(text, lt)
            if match is None or not stack or nodes[stack[-1]].name != match.group(1):
                raise SpliceError(f"an unexpected end tag at character {lt}")
            node = nodes[stack.pop()]
            node.close_start, node.end = lt, match.end()
            i = match.end()
        else:
            match = START_TAG.match(text, lt)
            if match is None:
                raise SpliceError(f"an unreadable start tag at character {lt}")
            index = add(Node("element", lt, name=match.group(1), open_end=match.end()))
            if match.group(3):
                node = nodes[index]
                node.empty, node.close_start, node.end = True, match.end(), match.end()
            else:
                stack.append(index)
            i = match.end()
    if stack:
        raise SpliceError("unclosed elements")
    return nodes


def _skip_declaration(text: str, start: int) -> int:
    """The end of a ``<!DOCTYPE …>`` (with its internal subset) or other declaration."""
    i, quote, depth = start + 2, "", 0
    while i < len(text):
        c = text[i]
        if quote:
            quote = "" if c == quote else quote
        elif c in "\"'":
            quote = c
        elif depth and text.startswith("<!--", i):
            i = text.find("-->", i) + 2
            if i < 2:
                break
        elif c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
        elif c == ">" and depth == 0:
            return i + 1
        i += 1
    raise SpliceError("an unclosed declaration")


class Slot(NamedTuple):
    """A text piece of an element: ``[start, end)`` of the decoded file, the inline
    elements around it (node indices), and whether it is a self-closing element's
    (which has no room for text)."""

    start: int
    end: int
    owners: tuple[int, ...]
    closed: bool


@dataclass(frozen=True)
class _Char:
    """One character of parsed text and where it is written: ``[start, end)`` of the
    decoded file, inside the CDATA section starting at ``cdata`` (-1: none)."""

    char: str
    start: int
    end: int
    cdata: int


class Splicer:
    """Changes to one XML file, spliced into its original bytes by `result`."""

    def __init__(self, data: bytes, root: etree._Element) -> None:
        self.data = data
        self.bom, self.codec = sniff(data)
        try:
            self.text = data[self.bom :].decode(self.codec)
        except UnicodeDecodeError as exc:
            raise SpliceError(f"not {self.codec} (byte {exc.start})") from exc
        self.nodes = tokenize(self.text)
        elements = [i for i, node in enumerate(self.nodes) if node.kind == "element"]
        self._elements = list(root.iter(etree.Element))  # kept: proxies stay the same
        if len(elements) != len(self._elements):
            raise SpliceError("the file's elements could not be located")
        self._index: dict[etree._Element, int] = {}
        for element, i in zip(self._elements, elements, strict=True):
            if etree.QName(element).localname != self.nodes[i].local:
                raise SpliceError(f"element {self.nodes[i].name!r} could not be located")
            self._index[element] = i
        self._element_of = {i: e for e, i in self._index.items()}
        self._changes: list[tuple[int, int, int, str]] = []  # start, end, order, text
        self._attributes: dict[tuple[int, str], str] = {}
        self.newline = "\r\n" if self.text.count("\r\n") * 2 > self.text.count("\n") else "\n"
        self.apos = "&apos;" in self.text
        self.quot = "&quot;" in self.text
        self._encodable: dict[str, bool] = {}

    # -- reading ---------------------------------------------------------------------

    def node(self, element: etree._Element) -> Node:
        return self.nodes[self._index[element]]

    def slots(self, element: etree._Element) -> list[Slot]:
        """The element's text pieces as `copydesk.service.batch.inline` walks them."""
        out: list[Slot] = []

        def walk(index: int, owners: tuple[int, ...]) -> None:
            node = self.nodes[index]
            kids = node.children
            first = self.nodes[kids[0]].start if kids else node.close_start
            out.append(Slot(node.open_end, first, owners, node.empty))
            for k, child in enumerate(kids):
                kid = self.nodes[child]
                if kid.kind == "element" and kid.local in WRAPPERS:
                    walk(child, (*owners, child))
                nxt = self.nodes[kids[k + 1]].start if k + 1 < len(kids) else node.close_start
                out.append(Slot(kid.end, nxt, owners, False))

        walk(self._index[element], ())
        return out

    def _chars(self, start: int, end: int) -> list[_Char]:
        """The parsed characters of a text piece (references resolved, CDATA opened,
        line ends normalised as an XML parser does)."""
        text, out, i = self.text, [], start
        while i < end:
            c = text[i]
            if c == "&":
                match = REFERENCE.match(text, i)
                name = match.group(1)
                if name.startswith("#x"):
                    char = chr(int(name[2:], 16))
                elif name.startswith("#"):
                    char = chr(int(name[1:]))
                else:
                    char = PREDEFINED[name]
                out.append(_Char(char, i, match.end(), -1))
                i = match.end()
            elif text.startswith("<![CDATA[", i):
                close = text.index("]]>", i)
                out += self._plain(i + 9, close, i)
                i = close + 3
            else:
                stop = min(
                    x for x in (text.find("&", i, end), text.find("<", i, end), end) if x >= 0
                )
                out += self._plain(i, stop, -1)
                i = stop
        return out

    def _plain(self, start: int, end: int, cdata: int) -> list[_Char]:
        out, text, i = [], self.text, start
        while i < end:
            if text[i] == "\r":
                step = 2 if i + 1 < end and text[i + 1] == "\n" else 1
                out.append(_Char("\n", i, i + step, cdata))
                i += step
            else:
                out.append(_Char(text[i], i, i + 1, cdata))
                i += 1
        return out

    def element(self, index: int) -> etree._Element:
        return self._element_of[index]

    # -- changing --------------------------------------------------------------------

    def set_content(
        self, element: etree._Element, pieces: list[str]
    ) -> list[tuple[int, ...]] | None:
        """Put new text pieces into the element's slots (inline codes stay as written).
        Returns, for each piece that changed, the wrappers it lies in (node indices),
        or None (and nothing changes) when the pieces do not fit the slots."""
        slots = self.slots(element)
        if len(slots) != len(pieces):
            return None
        planned, touched = [], []
        for (start, end, owners, closed), new in zip(slots, pieces, strict=True):
            chars = self._chars(start, end)
            old = "".join(c.char for c in chars)
            if old == new:
                continue
            if closed:
                return None  # a self-closing element cannot take text in place
            planned += self._diff(start, end, chars, old, new)
            touched.append(owners)
        for change in planned:
            self._change(*change)
        return touched

    def _diff(
        self, start: int, end: int, chars: list[_Char], old: str, new: str
    ) -> list[tuple[int, int, str]]:
        out = []
        head = len(os.path.commonprefix([old, new]))
        tail = len(os.path.commonprefix([old[head:][::-1], new[head:][::-1]]))
        matcher = difflib.SequenceMatcher(
            None, old[head : len(old) - tail], new[head : len(new) - tail], autojunk=False
        )
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            i1, i2, j1, j2 = i1 + head, i2 + head, j1 + head, j2 + head
            if i1 < i2:
                sections = {c.cdata for c in chars[i1:i2]}
                if len(sections) > 1:  # an edit across a CDATA boundary: the piece anew
                    return [(start, end, self.escape(new))]
                a, b, cdata = chars[i1].start, chars[i2 - 1].end, sections.pop()
            elif i1 < len(chars):
                a = b = chars[i1].start
                cdata = chars[i1].cdata
            elif chars:
                a = b = chars[-1].end
                cdata = chars[-1].cdata
            else:
                a = b = start
                cdata = -1
            replacement = new[j1:j2]
            out.append(
                (a, b, self.escape_cdata(replacement) if cdata >= 0 else self.escape(replacement))
            )
        return out

    def set_attribute(self, element: etree._Element, name: str, value: str) -> None:
        self._attributes[(self._index[element], name)] = value

    def insert_after(self, element: etree._Element, markup: str) -> None:
        """``markup`` after the element, on its own line as the element is on its own."""
        index = self._index[element]
        self._change(self.nodes[index].end, self.nodes[index].end, self._before(index) + markup)

    def insert_before(self, element: etree._Element, markup: str) -> None:
        index = self._index[element]
        start = self.nodes[index].start
        self._change(start, start, markup + self._before(index))

    def append_child(self, element: etree._Element, markup: str) -> None:
        """``markup`` as the element's last child."""
        index = self._index[element]
        node = self.nodes[index]
        if node.empty:
            tag = self.text[node.start : node.end].rstrip(">").rstrip("/").rstrip()
            self._change(node.start, node.end, f"{tag}>{markup}</{node.name}>")
        elif node.children:
            last = node.children[-1]
            self._change(self.nodes[last].end, self.nodes[last].end, self._before(last) + markup)
        else:
            self._change(node.close_start, node.close_start, markup)

    def _before(self, index: int) -> str:
        """The whitespace before a node, if only whitespace stands between it and the
        node before it (its indentation, with the line break)."""
        node = self.nodes[index]
        if node.parent < 0:
            return ""
        parent = self.nodes[node.parent]
        k = parent.children.index(index)
        previous = self.nodes[parent.children[k - 1]].end if k else parent.open_end
        gap = self.text[previous : node.start]
        return gap if gap.strip() == "" else ""

    def _change(self, start: int, end: int, text: str) -> None:
        self._changes.append((start, end, len(self._changes), text))

    # -- writing ---------------------------------------------------------------------

    def _fits(self, char: str) -> bool:
        if char not in self._encodable:
            try:
                char.encode(self.codec)
                self._encodable[char] = True
            except UnicodeEncodeError:
                self._encodable[char] = False
        return self._encodable[char]

    def escape(self, text: str, quote: str = "") -> str:
        """``text`` as this file writes character data (or an attribute value in
        ``quote``)."""
        out = []
        for char in text:
            if char == "&":
                out.append("&amp;")
            elif char == "<":
                out.append("&lt;")
            elif char == ">" and not quote:
                out.append("&gt;")
            elif char == "\n" and not quote:
                out.append(self.newline)
            elif char == "'" and (quote == "'" or (self.apos and not quote)):
                out.append("&apos;")
            elif char == '"' and (quote == '"' or (self.quot and not quote)):
                out.append("&quot;")
            elif char == "\r" or (quote and char in "\n\t") or not self._fits(char):
                out.append(f"&#x{ord(char):X};")
            else:
                out.append(char)
        return "".join(out)

    def escape_cdata(self, text: str) -> str:
        """``text`` written inside a CDATA section."""
        out = []
        for char in text.replace("]]>", "]]]]><![CDATA[>"):
            if char == "\n":
                out.append(self.newline)
            elif char == "\r" or not self._fits(char):
                out.append(f"]]>&#x{ord(char):X};<![CDATA[")
            else:
                out.append(char)
        return "".join(out)

    def _attribute_changes(self) -> None:
        for (index, name), value in sorted(self._attributes.items()):
            node = self.nodes[index]
            tag = self.text[node.start : node.open_end]
            found = list(ATTRIBUTE.finditer(tag))
            for match in found:
                if match.group(1) == name:
                    quote = match.group(2)[0]
                    a, b = node.start + match.start(2), node.start + match.end(2)
                    self._change(a, b, quote + self.escape(value, quote) + quote)
                    break
            else:
                quote = found[0].group(2)[0] if found else '"'
                at = node.start + (found[-1].end() if found else 1 + len(node.name))
                self._change(at, at, f" {name}={quote}{self.escape(value, quote)}{quote}")
        self._attributes.clear()

    @property
    def changed(self) -> bool:
        return bool(self._changes or self._attributes)

    def result(self) -> bytes:
        """The original bytes with every change spliced in; the same bytes when none."""
        self._attribute_changes()
        if not self._changes:
            return self.data
        out, char_at, byte_at = [self.data[: self.bom]], 0, self.bom
        for start, end, _, text in sorted(self._changes):
            if start < char_at:
                raise SpliceError("overlapping changes")
            kept = len(self.text[char_at:start].encode(self.codec))
            out.append(self.data[byte_at : byte_at + kept])
            out.append(text.encode(self.codec))
            byte_at += kept + len(self.text[start:end].encode(self.codec))
            char_at = end
        out.append(self.data[byte_at:])
        return b"".join(out)
