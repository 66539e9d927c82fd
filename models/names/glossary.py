"""Newsroom glossaries: preferred terms, their variants, and notes, from CSV or TBX.

A glossary term wins over every other repair, and its casing is enforced: any variant,
or the term in any other casing, becomes the term.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import regex

from copydesk.models.errors import ConfigError
from copydesk.models.names.translit import variant_key

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class GlossaryTerm:
    term: str
    variants: tuple[str, ...] = ()
    notes: str = ""
    source_forms: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "term": self.term,
            "variants": list(self.variants),
            "notes": self.notes,
            "source_forms": list(self.source_forms),
        }


@dataclass(frozen=True)
class GlossaryMatch:
    start: int
    end: int
    text: str
    term: GlossaryTerm


@dataclass
class Glossary:
    """Terms, matched case-insensitively on word boundaries, longest first."""

    terms: list[GlossaryTerm] = field(default_factory=list)
    name: str = ""

    def __post_init__(self) -> None:
        forms: dict[str, GlossaryTerm] = {}
        self._by_key: dict[str, GlossaryTerm] = {}
        for term in self.terms:
            if not term.term.strip():
                raise ConfigError("a glossary term is empty")
            for form in (term.term, *term.variants):
                forms.setdefault(form.lower(), term)
                if " " not in form:
                    self._by_key.setdefault(variant_key(form), term)
        self._forms = forms
        alternatives = sorted(forms, key=len, reverse=True)
        self._pattern = (
            regex.compile(
                r"(?<![\p{L}\p{N}])(?:"
                + "|".join(regex.escape(f) for f in alternatives)
                + r")(?![\p{L}\p{N}])",
                regex.IGNORECASE,
            )
            if alternatives
            else None
        )

    def __len__(self) -> int:
        return len(self.terms)

    def matches(self, text: str) -> Iterator[GlossaryMatch]:
        """Non-overlapping occurrences of any term or variant, in any casing."""
        if self._pattern is None:
            return
        for m in self._pattern.finditer(text):
            yield GlossaryMatch(m.start(), m.end(), m.group(), self._forms[m.group().lower()])

    def term_for_name(self, name: str) -> GlossaryTerm | None:
        """The term whose spelling is a transliteration variant of one-word ``name``."""
        return self._by_key.get(variant_key(name))

    def merged(self, other: Glossary | None) -> Glossary:
        """This glossary with ``other``'s terms taking precedence."""
        if other is None or not other.terms:
            return self
        return Glossary([*other.terms, *self.terms], name=other.name or self.name)

    @classmethod
    def load(cls, path: str | Path) -> Glossary:
        """Read a ``.csv`` or ``.tbx`` file."""
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ConfigError(f"cannot read glossary {str(path)!r}: {exc.strerror}") from exc
        if path.suffix.lower() in (".tbx", ".xml"):
            return cls.from_tbx(data, name=path.stem)
        try:
            return cls.from_csv(data.decode("utf-8-sig"), name=path.stem)
        except UnicodeDecodeError as exc:
            raise ConfigError(f"glossary {str(path)!r} is not UTF-8") from exc

    @classmethod
    def from_csv(cls, text: str, name: str = "") -> Glossary:
        """CSV whose header names ``term`` and maybe ``variants`` (``;``-separated), ``notes``."""
        try:
            return cls(list(_csv_terms(text)), name)
        except csv.Error as exc:  # a field over the csv module's limit, say
            raise ConfigError(f"glossary CSV cannot be read: {exc}") from exc

    @classmethod
    def from_tbx(cls, data: bytes | str, name: str = "", lang: str = "en") -> Glossary:
        """TBX (2008 ``termEntry/langSet`` or v3 ``conceptEntry/langSec``): the first English
        term is preferred, other English terms are variants, Russian terms are source forms."""
        try:
            root = ET.fromstring(data)
        except ET.ParseError as exc:
            raise ConfigError(f"glossary TBX is not well-formed XML: {exc}") from exc
        terms = []
        for entry in _elements(root, ("termEntry", "conceptEntry")):
            english: list[str] = []
            source: list[str] = []
            notes: list[str] = []
            for lang_set in _elements(entry, ("langSet", "langSec")):
                code = (lang_set.get(XML_LANG) or lang_set.get("lang") or "").lower()
                words = [
                    t.text.strip()
                    for t in _elements(lang_set, ("term",))
                    if t.text and t.text.strip()
                ]
                if code.startswith(lang):
                    english += words
                elif code.startswith("ru"):
                    source += words
            notes += [n.text.strip() for n in _elements(entry, ("note", "descrip")) if n.text]
            if english:
                terms.append(
                    GlossaryTerm(english[0], tuple(english[1:]), "; ".join(notes), tuple(source))
                )
        return cls(terms, name)


def _elements(root: ET.Element, names: Iterable[str]) -> Iterator[ET.Element]:
    wanted = set(names)
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1] in wanted:
            yield element


def _csv_terms(text: str) -> Iterator[GlossaryTerm]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "term" not in [f.strip().lower() for f in reader.fieldnames]:
        raise ConfigError("glossary CSV needs a header with a 'term' column")
    for row in reader:
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        if not row.get("term"):
            continue
        variants = tuple(
            v.strip() for v in regex.split(r"[;|]", row.get("variants", "")) if v.strip()
        )
        yield GlossaryTerm(row["term"], variants, row.get("notes", ""))
