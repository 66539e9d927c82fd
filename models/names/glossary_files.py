"""Glossaries as files: CSV and TBX read and written.

TBX is read with lxml with entity expansion, DTD loading and network access off (an
uploaded termbase is untrusted XML). A term's ``administrativeStatus`` decides its role:
the preferred term (else the first unmarked, else the first admitted) is the one
enforced; deprecated and superseded terms become variants that are replaced by it;
other admitted terms are acceptable and left alone.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

import regex
from lxml import etree

from copydesk.models.errors import ConfigError
from copydesk.models.names.glossary_term import GlossaryTerm

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TBX_NAMESPACE = "urn:iso:std:iso:30042:ed-2"
CSV_COLUMNS = ("term", "variants", "notes", "source_forms")


def read_csv(text: str) -> list[GlossaryTerm]:
    """CSV whose header names ``term`` and maybe ``variants`` (``;``-separated), ``notes``
    and ``source_forms``."""
    try:
        return list(_csv_terms(text))
    except csv.Error as exc:  # a field over the csv module's limit, say
        raise ConfigError(f"glossary CSV cannot be read: {exc}") from exc


def write_csv(terms: Iterable[GlossaryTerm]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for t in terms:
        writer.writerow([t.term, "; ".join(t.variants), t.notes, "; ".join(t.source_forms)])
    return out.getvalue()


def read_tbx(data: bytes | str, lang: str = "en") -> list[GlossaryTerm]:
    """TBX (2008 ``termEntry/langSet/tig`` or v3 ``conceptEntry/langSec/termSec``)."""
    parser = etree.XMLParser(
        resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False
    )
    try:
        root = etree.fromstring(data.encode() if isinstance(data, str) else data, parser)
    except etree.XMLSyntaxError as exc:
        raise ConfigError(f"glossary TBX is not well-formed XML: {exc}") from exc
    terms = []
    for entry in _elements(root, ("termEntry", "conceptEntry")):
        english: list[tuple[str, str]] = []
        source: list[str] = []
        for lang_set in _elements(entry, ("langSet", "langSec")):
            code = (lang_set.get(XML_LANG) or lang_set.get("lang") or "").lower()
            found = list(_terms(lang_set))
            if code.startswith(lang):
                english += found
            elif code.startswith("ru"):
                source += [t for t, status in found if status not in ("deprecated", "superseded")]
        notes = [n.text.strip() for n in _elements(entry, ("note", "descrip")) if n.text]
        term = _enforced(english)
        if term is None:
            continue  # nothing English that may be enforced
        variants = tuple(
            t for t, status in english if t != term and status in ("deprecated", "superseded", "")
        )
        terms.append(GlossaryTerm(term, variants, "; ".join(notes), tuple(source)))
    return terms


def write_tbx(terms: Iterable[GlossaryTerm], name: str = "") -> bytes:
    """TBX v3 (TBX-Basic): the term preferred, its variants deprecated, source forms in
    a Russian language section."""
    root = etree.Element("tbx", nsmap={None: TBX_NAMESPACE}, type="TBX-Basic", style="dca")
    root.set(XML_LANG, "en")
    header = etree.SubElement(root, "tbxHeader")
    title = etree.SubElement(
        etree.SubElement(etree.SubElement(header, "fileDesc"), "titleStmt"), "title"
    )
    title.text = name or "copydesk glossary"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    for n, t in enumerate(terms, start=1):
        entry = etree.SubElement(body, "conceptEntry", id=f"c{n}")
        if t.notes:
            etree.SubElement(entry, "note").text = t.notes
        english = etree.SubElement(entry, "langSec")
        english.set(XML_LANG, "en")
        _term_section(english, t.term, "preferredTerm-admn-sts")
        for variant in t.variants:
            _term_section(english, variant, "deprecatedTerm-admn-sts")
        if t.source_forms:
            russian = etree.SubElement(entry, "langSec")
            russian.set(XML_LANG, "ru")
            for form in t.source_forms:
                _term_section(russian, form, "")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _term_section(lang_sec: etree._Element, text: str, status: str) -> None:
    section = etree.SubElement(lang_sec, "termSec")
    etree.SubElement(section, "term").text = text
    if status:
        etree.SubElement(section, "termNote", type="administrativeStatus").text = status


def _terms(lang_set: etree._Element) -> Iterator[tuple[str, str]]:
    """Each term of a language section with its status (``preferred``, ``admitted``,
    ``deprecated``, ``superseded`` or ``""``)."""
    for term in _elements(lang_set, ("term",)):
        text = "".join(term.itertext()).strip()
        if not text:
            continue
        holder = term.getparent()
        status = ""
        for note in _elements(holder, ("termNote",)):
            if note.get("type") == "administrativeStatus" and note.text:
                value = note.text.strip().lower()
                status = next(
                    (
                        s
                        for s in ("preferred", "admitted", "deprecated", "superseded")
                        if value.startswith(s)
                    ),
                    "",
                )
        yield text, status


def _enforced(english: list[tuple[str, str]]) -> str | None:
    for wanted in ("preferred", "", "admitted"):
        for text, status in english:
            if status == wanted:
                return text
    return None


def _elements(root: etree._Element, names: Iterable[str]) -> Iterator[etree._Element]:
    wanted = set(names)
    for element in root.iter():
        if isinstance(element.tag, str) and etree.QName(element).localname in wanted:
            yield element


def _csv_terms(text: str) -> Iterator[GlossaryTerm]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "term" not in [f.strip().lower() for f in reader.fieldnames]:
        raise ConfigError("glossary CSV needs a header with a 'term' column")
    for row in reader:
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        if not row.get("term"):
            continue
        variants = _split(row.get("variants", ""))
        yield GlossaryTerm(
            row["term"], variants, row.get("notes", ""), _split(row.get("source_forms", ""))
        )


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in regex.split(r"[;|]", value) if v.strip())
