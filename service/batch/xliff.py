"""XLIFF 1.2 and 2.0: the target of each unit is repaired; everything else is kept.

Units are read in document order: ``trans-unit`` (1.2) or ``segment`` (2.0), each with
its ``source`` (given to the stages as the source text) and ``target``. A target with
inline markup (``<g>``, ``<ph>``, ``<pc>`` …) is passed through untouched, and so is a
unit without a target. The file is re-serialised by lxml, keeping its declaration,
namespaces and comments; attribute quoting and empty-element forms may change.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

NAMESPACES = {
    "urn:oasis:names:tc:xliff:document:1.2": "1.2",
    "urn:oasis:names:tc:xliff:document:2.0": "2.0",
}


@dataclass(frozen=True)
class XliffUnit:
    index: int
    key: str
    source: str
    target: str | None  # None: no plain-text target to repair


class XliffError(ValueError):
    """The file is not XLIFF 1.2 or 2.0."""


def _parse(data: bytes) -> tuple[etree._ElementTree, str, str]:
    try:
        tree = etree.ElementTree(etree.fromstring(data, etree.XMLParser(resolve_entities=False)))
    except etree.XMLSyntaxError as exc:
        raise XliffError(f"not well-formed XML: {exc}") from exc
    ns = etree.QName(tree.getroot()).namespace or ""
    version = NAMESPACES.get(ns)
    if version is None:
        raise XliffError(f"not XLIFF 1.2 or 2.0 (namespace {ns!r})")
    return tree, ns, version


def _units(tree: etree._ElementTree, ns: str, version: str) -> Iterator[etree._Element]:
    tag = "trans-unit" if version == "1.2" else "segment"
    yield from tree.getroot().iter(f"{{{ns}}}{tag}")


def read_units(data: bytes) -> list[XliffUnit]:
    """The units of an XLIFF file, with plain-text targets."""
    tree, ns, version = _parse(data)
    out = []
    for i, unit in enumerate(_units(tree, ns, version)):
        source, target = unit.find(f"{{{ns}}}source"), unit.find(f"{{{ns}}}target")
        owner = unit if version == "1.2" else unit.getparent()
        key = owner.get("id") or str(i + 1)
        plain = target is not None and len(target) == 0
        out.append(XliffUnit(i, key, _text(source), (target.text or "") if plain else None))
    return out


def write_units(data: bytes, repaired: dict[int, str], notes: dict[int, str]) -> bytes:
    """The file with the given units' targets replaced and copydesk notes added."""
    tree, ns, version = _parse(data)
    for i, unit in enumerate(_units(tree, ns, version)):
        if i in repaired:
            unit.find(f"{{{ns}}}target").text = repaired[i]
        if i in notes:
            _add_note(unit, ns, version, notes[i])
    declaration = data.lstrip().startswith(b"<?xml")
    return etree.tostring(tree, xml_declaration=declaration, encoding="UTF-8")


def _add_note(unit: etree._Element, ns: str, version: str, text: str) -> None:
    if version == "1.2":
        note = etree.SubElement(unit, f"{{{ns}}}note", {"from": "copydesk"})
    else:
        owner = unit.getparent()
        notes = owner.find(f"{{{ns}}}notes")
        if notes is None:
            notes = etree.Element(f"{{{ns}}}notes")
            owner.insert(0, notes)
        note = etree.SubElement(notes, f"{{{ns}}}note", {"category": "copydesk"})
    note.text = text


def _text(element: etree._Element | None) -> str:
    return "" if element is None else "".join(element.itertext())
