"""One glossary entry: the term to enforce, the variants it replaces, its notes."""

from __future__ import annotations

from dataclasses import dataclass


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
