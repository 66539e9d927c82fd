"""XLIFF 1.2 and 2.0 (and SDLXLIFF, memoQ's MQXLIFF): targets repaired as a CAT tool
expects them back.

Units are read in document order: ``trans-unit`` (1.2) or ``segment`` (2.0), each with
its ``source`` (given to the stages) and ``target``. A target's inline codes are kept in
place through placeholders (`copydesk.service.batch.inline`), which covers SDLXLIFF's
``<mrk mtype="seg">`` segments. Units a translator has locked or signed off are left
alone unless asked: ``translate="no"`` (on the unit or a group or file around it), 1.2's
``approved="yes"`` or a ``final`` target, 2.0's ``state="final"``, SDL's locked or
approved segments, memoQ's locked rows. A changed target is marked for review:
``state="needs-review-translation"`` in 1.2, ``state="translated"`` with
``subState="copydesk:repaired"`` in 2.0.

Written with lxml rather than translate-toolkit's stores: one walk serves 1.2, 2.0 and
the vendor dialects, inline codes are kept exactly (the stores rewrite them through
their own placeable model), and the DOCTYPE and entity references survive.
translate-toolkit reads the results back in the tests. Entities are never expanded.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from copydesk.service.batch.inline import read_inline, write_inline

NAMESPACES = {
    "urn:oasis:names:tc:xliff:document:1.2": "1.2",
    "urn:oasis:names:tc:xliff:document:2.0": "2.0",
}
SDL = "http://sdl.com/FileTypes/SdlXliff/1.0"
MEMOQ = "MQXliff"
SDL_APPROVED = {"ApprovedTranslation", "ApprovedSignOff"}
REPAIRED_SUBSTATE = "copydesk:repaired"


@dataclass(frozen=True)
class XliffUnit:
    index: int
    key: str
    source: str
    target: str | None  # with placeholders for inline codes; None: no target
    locked: str = ""  # why the unit is left alone, if it is


class XliffError(ValueError):
    """The file is not XLIFF 1.2 or 2.0."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _parse(data: bytes) -> tuple[etree._ElementTree, str, str]:
    try:
        tree = etree.fromstring(data, _parser()).getroottree()  # keeps the DOCTYPE
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
    """The units of an XLIFF file, targets with placeholders, and which are locked."""
    tree, ns, version = _parse(data)
    sdl = _sdl_segments(tree)
    out = []
    for i, unit in enumerate(_units(tree, ns, version)):
        source, target = unit.find(f"{{{ns}}}source"), unit.find(f"{{{ns}}}target")
        owner = unit if version == "1.2" else unit.getparent()
        key = owner.get("id") or str(i + 1)
        if version == "2.0" and unit.get("id"):
            key = f"{key}/{unit.get('id')}"
        text = read_inline(target) if target is not None else None
        source_text = "" if source is None else "".join(source.itertext())
        out.append(XliffUnit(i, key, source_text, text, _locked(unit, target, version, sdl)))
    return out


def write_units(data: bytes, repaired: dict[int, str], notes: dict[int, str]) -> bytes:
    """The file with the given units' targets replaced, marked for review where they
    changed, and copydesk notes added."""
    tree, ns, version = _parse(data)
    for i, unit in enumerate(_units(tree, ns, version)):
        target = unit.find(f"{{{ns}}}target")
        changed = i in repaired and target is not None and read_inline(target) != repaired[i]
        if changed and write_inline(target, repaired[i]):
            _mark_repaired(unit, target, version)
        if i in notes:
            _add_note(unit, ns, version, notes[i])
    declaration = data.lstrip().startswith(b"<?xml")
    return etree.tostring(tree, xml_declaration=declaration, encoding="UTF-8")


def _locked(
    unit: etree._Element, target: etree._Element | None, version: str, sdl: dict[str, str]
) -> str:
    for node in (unit, *unit.iterancestors()):
        if node.get("translate") == "no":
            return 'translate="no"'
    if version == "1.2":
        if unit.get("approved") == "yes":
            return 'approved="yes"'
        if target is not None and target.get("state") in ("final", "signed-off"):
            return f'state="{target.get("state")}"'
        if unit.get(f"{{{MEMOQ}}}locked") == "locked":
            return "memoQ: locked"
        mids = [
            m.get("mid")
            for m in unit.iter(f"{{{etree.QName(unit).namespace}}}mrk")
            if m.get("mtype") == "seg"
        ]
        for mid in mids:
            if mid in sdl:
                return f"SDL: {sdl[mid]}"
    elif unit.get("state") == "final":
        return 'state="final"'
    return ""


def _sdl_segments(tree: etree._ElementTree) -> dict[str, str]:
    """SDLXLIFF's locked or approved segments, by ``mid``: why each is left alone."""
    out = {}
    for seg in tree.getroot().iter(f"{{{SDL}}}seg"):
        if seg.get("locked") == "true":
            out[seg.get("id")] = "locked"
        elif seg.get("conf") in SDL_APPROVED:
            out[seg.get("id")] = seg.get("conf")
    return out


def _mark_repaired(unit: etree._Element, target: etree._Element, version: str) -> None:
    if version == "1.2":
        target.set("state", "needs-review-translation")
    else:
        unit.set("state", "translated")
        unit.set("subState", REPAIRED_SUBSTATE)


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
