"""XLIFF 1.1, 1.2 and 2.0 (and SDLXLIFF, memoQ's MQXLIFF): targets repaired as a CAT tool
expects them back.

Units are read in document order: ``trans-unit`` (1.x) or ``segment`` (2.0), each with
its ``source`` (given to the stages) and ``target``. A target's inline codes are kept in
place through placeholders (`copydesk.service.batch.inline`), which covers SDLXLIFF's
``<mrk mtype="seg">`` segments. Only English targets are repaired: a target whose
language (its ``xml:lang``, else the file's ``target-language`` or ``trgLang``) is not
English is left alone, and so is a file that names an English source and no target
language. Units a translator has locked or signed off are left alone unless asked:
``translate="no"`` (on the unit or a group or file around it), 1.x's ``approved="yes"``
or a ``final`` target, 2.0's ``state="final"``, SDL's locked or approved segments,
memoQ's locked rows.

A changed target, or one the checks flag, is marked for review: 1.x's
``state="needs-review-translation"``; 2.0's ``state="translated"`` with ``subState``
``copydesk:repaired`` (or ``copydesk:flagged`` when a check flagged it); in SDLXLIFF also
each changed ``sdl:seg``'s ``conf="Draft"``, the status Trados Studio shows as not yet
confirmed. The file is changed in place (`copydesk.service.batch.splice`): every byte
outside the changed targets, their states and the added notes stays as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from lxml import etree

from copydesk.models.markup.placeholders import split_placeholders
from copydesk.service.batch.inline import read_inline
from copydesk.service.batch.splice import SpliceError, Splicer

NAMESPACES = {
    "urn:oasis:names:tc:xliff:document:1.1": "1.2",
    "urn:oasis:names:tc:xliff:document:1.2": "1.2",
    "urn:oasis:names:tc:xliff:document:2.0": "2.0",
}
SDL = "http://sdl.com/FileTypes/SdlXliff/1.0"
MEMOQ = "MQXliff"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SDL_APPROVED = {"ApprovedTranslation", "ApprovedSignOff"}
SDL_REVIEW = "Draft"  # Trados Studio: translated but not confirmed
REPAIRED_SUBSTATE = "copydesk:repaired"
FLAGGED_SUBSTATE = "copydesk:flagged"


@dataclass(frozen=True)
class XliffUnit:
    index: int
    key: str
    source: str
    target: str | None  # with placeholders for inline codes; None: no target
    locked: str = ""  # why the unit is left alone unless asked, if it is
    skip: str = ""  # why the unit is never repaired (its target is not English), if so


class XliffError(ValueError):
    """The file is not XLIFF 1.1, 1.2 or 2.0."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _parse(data: bytes) -> tuple[etree._ElementTree, str, str]:
    try:
        tree = etree.fromstring(data, _parser()).getroottree()  # keeps the DOCTYPE
    except etree.XMLSyntaxError as exc:
        raise XliffError(f"not well-formed XML: {exc}") from exc
    root = tree.getroot()
    ns = etree.QName(root).namespace or ""
    version = NAMESPACES.get(ns)
    if version is None and not ns and etree.QName(root).localname == "xliff":
        version = "1.2" if str(root.get("version", "")).startswith("1.") else None
    if version is None:
        raise XliffError(f"not XLIFF 1.1, 1.2 or 2.0 (namespace {ns!r})")
    return tree, ns, version


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}" if ns else tag


def _units(tree: etree._ElementTree, ns: str, version: str) -> Iterator[etree._Element]:
    tag = "trans-unit" if version == "1.2" else "segment"
    yield from tree.getroot().iter(_q(ns, tag))


def is_english(lang: str) -> bool:
    lang = lang.strip().lower()
    return lang == "en" or lang.startswith(("en-", "en_"))


def _language_skip(
    root: etree._Element, unit: etree._Element, target: etree._Element | None, version: str
) -> str:
    """Why this target is not repaired, if its language is not English."""
    declared = target.get(XML_LANG) if target is not None else None
    source = None
    if version == "1.2":
        file = next((a for a in unit.iterancestors() if etree.QName(a).localname == "file"), None)
        if file is not None:
            declared = declared or file.get("target-language")
            source = file.get("source-language")
    else:
        declared = declared or root.get("trgLang")
        source = root.get("srcLang")
    if declared:
        return "" if is_english(declared) else f"target language {declared}"
    if source and is_english(source):
        return f"source language {source}, no target language"
    return ""


def _source_language(root: etree._Element, unit: etree._Element, version: str) -> str:
    if version == "2.0":
        return root.get("srcLang") or ""
    file = next((a for a in unit.iterancestors() if etree.QName(a).localname == "file"), None)
    return (file.get("source-language") if file is not None else None) or ""


def read_units(data: bytes) -> list[XliffUnit]:
    """The units of an XLIFF file, targets with placeholders, and which are left alone."""
    tree, ns, version = _parse(data)
    root = tree.getroot()
    sdl = _sdl_segments(tree)
    out = []
    for i, unit in enumerate(_units(tree, ns, version)):
        source, target = unit.find(_q(ns, "source")), unit.find(_q(ns, "target"))
        owner = unit if version == "1.2" else unit.getparent()
        key = owner.get("id") or str(i + 1)
        if version == "2.0" and unit.get("id"):
            key = f"{key}/{unit.get('id')}"
        text = read_inline(target) if target is not None else None
        source_text = "" if source is None else "".join(source.itertext())
        if is_english(_source_language(root, unit, version)):
            source_text = ""  # the checks read a Russian source; an English one says nothing
        locked = _locked(unit, target, version, sdl)
        skip = _language_skip(root, unit, target, version) if target is not None else ""
        out.append(XliffUnit(i, key, source_text, text, locked, skip))
    return out


def write_units(
    data: bytes,
    repaired: dict[int, str],
    notes: dict[int, str],
    review: Iterable[int] = (),
) -> bytes:
    """The file's original bytes with the given units' targets replaced and marked for
    review where they changed, units in ``review`` marked too, and copydesk notes added.
    With nothing to change, the very bytes that came in."""
    tree, ns, version = _parse(data)
    try:
        splicer = Splicer(data, tree.getroot())
    except SpliceError as exc:
        raise XliffError(f"cannot write this file in place: {exc}") from exc
    review = set(review)
    sdl_segs = _sdl_seg_elements(tree)
    note_groups: dict[etree._Element, list[str]] = {}
    for i, unit in enumerate(_units(tree, ns, version)):
        target = unit.find(_q(ns, "target"))
        if target is None:
            continue
        changed: list[tuple[int, ...]] = []
        if i in repaired and read_inline(target) != repaired[i]:
            changed = splicer.set_content(target, split_placeholders(repaired[i])) or []
        flagged = i in review
        if changed or flagged:
            _mark(splicer, unit, target, version, flagged)
            _mark_sdl(splicer, unit, target, sdl_segs, changed, flagged)
        if i in notes:
            owner = unit if version == "1.2" else unit.getparent()
            note_groups.setdefault(owner, []).append(notes[i])
            if version == "1.2":
                _add_note_12(splicer, target, notes[i])
    if version == "2.0":
        for owner, texts in note_groups.items():
            _add_notes_20(splicer, owner, ns, texts)
    return splicer.result()


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
        local = {seg.get("id"): seg for seg in unit.iter(f"{{{SDL}}}seg")}
        for mid in _mids(unit):
            why = _sdl_lock(local[mid]) if mid in local else sdl.get(mid)
            if why:
                return f"SDL: {why}"
    elif unit.get("state") == "final":
        return 'state="final"'
    return ""


def _mids(element: etree._Element) -> list[str]:
    return [
        m.get("mid")
        for m in element.iter(etree.Element)
        if etree.QName(m).localname == "mrk" and m.get("mtype") == "seg"
    ]


def _sdl_segments(tree: etree._ElementTree) -> dict[str, str]:
    """SDLXLIFF's locked or approved segments, by ``mid``: why each is left alone. A
    unit's own ``sdl:seg-defs`` come first (Trados numbers segments per unit, too)."""
    out = {}
    for seg in tree.getroot().iter(f"{{{SDL}}}seg"):
        why = _sdl_lock(seg)
        if why:
            out.setdefault(seg.get("id"), why)
    return out


def _sdl_lock(seg: etree._Element) -> str:
    if seg.get("locked") == "true":
        return "locked"
    return seg.get("conf") if seg.get("conf") in SDL_APPROVED else ""


def _sdl_seg_elements(tree: etree._ElementTree) -> dict[str, etree._Element]:
    """SDLXLIFF's segment definitions by id (the first of each id in the file)."""
    out: dict[str, etree._Element] = {}
    for seg in tree.getroot().iter(f"{{{SDL}}}seg"):
        out.setdefault(seg.get("id"), seg)
    return out


def _mark(
    splicer: Splicer, unit: etree._Element, target: etree._Element, version: str, flagged: bool
) -> None:
    if version == "1.2":
        splicer.set_attribute(target, "state", "needs-review-translation")
    else:
        splicer.set_attribute(unit, "state", "translated")
        splicer.set_attribute(unit, "subState", FLAGGED_SUBSTATE if flagged else REPAIRED_SUBSTATE)


def _mark_sdl(
    splicer: Splicer,
    unit: etree._Element,
    target: etree._Element,
    segs: dict[str, etree._Element],
    changed: list[tuple[int, ...]],
    flagged: bool,
) -> None:
    """``conf="Draft"`` on the SDL segments whose text changed (all of the target's when
    the unit is flagged): Trados shows them as not confirmed."""
    if not segs:
        return
    if flagged:
        mids = _mids(target)
    else:
        wrappers = {splicer.element(i) for owners in changed for i in owners}
        mids = [m.get("mid") for m in wrappers if m.get("mtype") == "seg"]
        if any(not owners for owners in changed):  # text outside any segment marker
            mids = _mids(target)
    local = {s.get("id"): s for s in unit.iter(f"{{{SDL}}}seg")}
    for mid in mids:
        seg = local.get(mid, segs.get(mid))
        if seg is not None and seg.get("conf") != SDL_REVIEW:
            splicer.set_attribute(seg, "conf", SDL_REVIEW)


def _add_note_12(splicer: Splicer, target: etree._Element, text: str) -> None:
    """A ``<note from="copydesk">`` right after the target (the schema's place for notes)."""
    splicer.insert_after(target, f'<note from="copydesk">{splicer.escape(text)}</note>')


def _add_notes_20(splicer: Splicer, unit: etree._Element, ns: str, texts: list[str]) -> None:
    """``<note category="copydesk">``s in the unit's ``<notes>``, made where there is none
    (before ``originalData`` and the segments, as 2.0 orders a unit)."""
    markup = "".join(f'<note category="copydesk">{splicer.escape(t)}</note>' for t in texts)
    notes = unit.find(_q(ns, "notes"))
    if notes is not None:
        splicer.append_child(notes, markup)
        return
    first = next(
        (
            c
            for c in unit.iterchildren(etree.Element)
            if etree.QName(c).localname in ("originalData", "segment", "ignorable")
        ),
        None,
    )
    if first is None:
        splicer.append_child(unit, f"<notes>{markup}</notes>")
    else:
        splicer.insert_before(first, f"<notes>{markup}</notes>")
