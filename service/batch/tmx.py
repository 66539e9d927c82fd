"""TMX 1.4b: each translation unit's English variant repaired, with a non-English
variant (the first) as its source; every other variant, property, note and attribute is
kept, and so are the DOCTYPE and inline codes (``bpt``, ``ept``, ``ph``, ``it`` as
placeholders, ``hi`` with its text repaired: `copydesk.service.batch.inline`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from copydesk.service.batch.inline import read_inline, write_inline

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class TmxError(ValueError):
    """The file is not TMX."""


@dataclass(frozen=True)
class TmxUnit:
    index: int
    key: str
    source: str | None
    target: str | None  # the English variant with placeholders; None: there is none
    raw: str


def _parse(data: bytes) -> etree._ElementTree:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        tree = etree.fromstring(data, parser).getroottree()
    except etree.XMLSyntaxError as exc:
        raise TmxError(f"not well-formed XML: {exc}") from exc
    if tree.getroot().tag != "tmx" or tree.getroot().find("body") is None:
        raise TmxError("not TMX (no <tmx> root with a <body>)")
    return tree


def _variants(tu: etree._Element) -> Iterator[tuple[str, etree._Element]]:
    for tuv in tu.iterfind("tuv"):
        lang = tuv.get(XML_LANG) or tuv.get("lang") or ""  # 1.1 used lang=
        seg = tuv.find("seg")
        if seg is not None:
            yield lang, seg


def _is_english(lang: str) -> bool:
    return lang.lower() == "en" or lang.lower().startswith("en-")


def read_units(data: bytes) -> list[TmxUnit]:
    out = []
    for i, tu in enumerate(_parse(data).getroot().iter("tu")):
        english = [seg for lang, seg in _variants(tu) if _is_english(lang)]
        others = [seg for lang, seg in _variants(tu) if not _is_english(lang)]
        source = "".join(others[0].itertext()) if others else None
        target = read_inline(english[0]) if english else None
        key = tu.get("tuid") or str(i + 1)
        raw = etree.tostring(tu, encoding="unicode")[:1000]
        out.append(TmxUnit(i, key, source, target, raw))
    return out


def write_units(data: bytes, repaired: dict[int, str], notes: dict[int, str]) -> bytes:
    tree = _parse(data)
    for i, tu in enumerate(tree.getroot().iter("tu")):
        english = [seg for lang, seg in _variants(tu) if _is_english(lang)]
        if i in repaired and english:
            write_inline(english[0], repaired[i])
        if i in notes:  # notes come before the variants in a <tu>
            note = etree.Element("note")
            note.text = notes[i]
            tu.insert(0, note)
    declaration = data.lstrip().startswith(b"<?xml")
    return etree.tostring(tree, xml_declaration=declaration, encoding="UTF-8")
