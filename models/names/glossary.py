"""Newsroom glossaries: preferred terms, their variants, and notes, from CSV or TBX.

A glossary term wins over every other repair, and its casing is enforced: any variant,
or the term in any other casing, becomes the term.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import regex

from copydesk.models.errors import ConfigError
from copydesk.models.names.glossary_files import read_csv, read_tbx, write_csv, write_tbx
from copydesk.models.names.glossary_term import GlossaryTerm
from copydesk.models.names.translit import variant_key


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
        """CSV whose header names ``term`` and maybe ``variants``, ``notes``, ``source_forms``
        (`copydesk.models.names.glossary_files`)."""
        return cls(read_csv(text), name)

    @classmethod
    def from_tbx(cls, data: bytes | str, name: str = "", lang: str = "en") -> Glossary:
        """TBX 2008 or v3, by ``administrativeStatus`` (`copydesk.models.names.glossary_files`)."""
        return cls(read_tbx(data, lang), name)

    def to_csv(self) -> str:
        return write_csv(self.terms)

    def to_tbx(self) -> bytes:
        return write_tbx(self.terms, self.name)
