"""TMX 1.4b: each translation unit's English target variant repaired.

The source language (the unit's ``srclang``, else the header's) is never changed: its
variant is the unit's source when it is not English, and when it is English a unit is
repaired only if it also holds another English variant (``en-GB`` beside an ``en-US``
source). With ``srclang="*all*"`` or none, the first English variant is the target and
the first other variant its source. Units without an English target are left alone and
counted. Every other variant, property, note and attribute is kept, and so are the
DOCTYPE and inline codes (``bpt``, ``ept``, ``ph``, ``it`` as placeholders, ``hi`` with
its text repaired: `copydesk.service.batch.inline`). The file is changed in place
(`copydesk.service.batch.splice`): outside the repaired segments and the added notes,
every byte stays as it was, in the file's own encoding (UTF-16 included).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from lxml import etree

from copydesk.models.markup.placeholders import split_placeholders
from copydesk.service.batch.inline import read_inline
from copydesk.service.batch.splice import SpliceError, Splicer
from copydesk.service.batch.xliff import is_english

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class TmxError(ValueError):
    """The file is not TMX."""


@dataclass(frozen=True)
class TmxUnit:
    index: int
    key: str
    source: str | None
    target: str | None  # the English target variant with placeholders; None: there is none
    raw: str
    skip: str = ""  # why the unit is left alone, when it has no English target


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


def _srclang(tree: etree._ElementTree) -> str:
    header = tree.getroot().find("header")
    return (header.get("srclang") if header is not None else None) or ""


def _pick(tu: etree._Element, srclang: str) -> tuple[etree._Element | None, str | None, str]:
    """The unit's English target segment, its source text and, without a target, why."""
    variants = list(_variants(tu))
    srclang = (tu.get("srclang") or srclang).strip()
    if srclang and srclang != "*all*":
        exact = [seg for lang, seg in variants if lang.lower() == srclang.lower()]
        primary = srclang.lower().split("-")[0]
        sources = exact or [s for lang, s in variants if lang.lower().split("-")[0] == primary]
        targets = [seg for lang, seg in variants if is_english(lang) and seg not in sources]
        source = None
        if sources and not is_english(srclang):
            source = "".join(sources[0].itertext())
        if targets:
            return targets[0], source, ""
        if is_english(srclang):
            return None, None, f"English is the source language ({srclang}), no other English"
        return None, None, "no English variant"
    english = [seg for lang, seg in variants if is_english(lang)]
    others = [seg for lang, seg in variants if not is_english(lang)]
    if not english:
        return None, None, "no English variant"
    return english[0], ("".join(others[0].itertext()) if others else None), ""


def read_units(data: bytes) -> list[TmxUnit]:
    tree = _parse(data)
    srclang = _srclang(tree)
    out = []
    for i, tu in enumerate(tree.getroot().iter("tu")):
        target, source, skip = _pick(tu, srclang)
        key = tu.get("tuid") or str(i + 1)
        raw = etree.tostring(tu, encoding="unicode")[:1000]
        text = read_inline(target) if target is not None else None
        out.append(TmxUnit(i, key, source, text, raw, skip))
    return out


def write_units(
    data: bytes,
    repaired: dict[int, str],
    notes: dict[int, str],
    review: Iterable[int] = (),  # TMX has no review state: the notes say it
) -> bytes:
    """The file's original bytes with the given units' English targets replaced and
    notes added before their variants. With nothing to change, the same bytes."""
    tree = _parse(data)
    try:
        splicer = Splicer(data, tree.getroot())
    except SpliceError as exc:
        raise TmxError(f"cannot write this file in place: {exc}") from exc
    srclang = _srclang(tree)
    for i, tu in enumerate(tree.getroot().iter("tu")):
        target, _, _ = _pick(tu, srclang)
        if i in repaired and target is not None and read_inline(target) != repaired[i]:
            splicer.set_content(target, split_placeholders(repaired[i]))
        if i in notes:  # notes come before the variants in a <tu>
            note = f"<note>{splicer.escape(notes[i])}</note>"
            first = tu.find("tuv")
            if first is None:
                splicer.append_child(tu, note)
            else:
                splicer.insert_before(first, note)
    return splicer.result()
