"""The ``entities`` stage: glossary terms, one spelling per name, and garbled-name repair.

An adapter over `copydesk.models.names` (and the checks' learnt name table, which it
hands to the names' reading of the source): the glossary's terms first (they settle their
spans), then one spelling per name (`names.consistency`), then garbled names
(`names.garbled`). The source is read through the context's pairing. The stage keeps
the name ``entities`` and the edit kind ``entity``, which its outputs carry.
"""

from __future__ import annotations

from copydesk.models.checks.name_table import name_table
from copydesk.models.document import Document
from copydesk.models.edits import Edit, spans_overlap
from copydesk.models.names.consistency import consistency_edits
from copydesk.models.names.edits import glossary_edits
from copydesk.models.names.garbled import GarbledNames, with_source_words
from copydesk.models.names.glossary import Glossary
from copydesk.models.names.inventory import name_inventory
from copydesk.models.names.source import source_names
from copydesk.models.stage import RepairContext, Stage
from copydesk.models.wordstats import known_places


def _english_names(lemma: str) -> tuple[str, ...]:
    """A Russian lemma's English forms from the checks' learnt table (Израиль: Israel)."""
    return name_table().get(lemma, ())


class EntitiesStage(Stage):
    """Repairs names: glossary terms, transliteration variants, and garbled names."""

    name = "entities"

    def __init__(
        self,
        *,
        glossary: str | None = None,
        threshold: float = 0.7,
        min_similarity: float = 0.6,
        consistency: bool = True,
        garbled: bool = True,
    ) -> None:
        known_places()  # load the gazetteer now, not on the first request
        self.glossary = Glossary.load(glossary) if glossary else Glossary()
        self.threshold = threshold
        self.min_similarity = min_similarity
        self.consistency = consistency
        self.garbled = garbled
        self._garbled = GarbledNames(self.name, min_similarity)

    def propose(self, doc: Document, context: RepairContext) -> list[Edit]:
        glossary = self.glossary.merged(context.glossary)
        matches = list(glossary.matches(doc.text))
        edits = glossary_edits(self.name, matches)
        taken = [(m.start, m.end) for m in matches]  # glossary terms are settled
        uses = {
            form: use
            for form, use in name_inventory(doc).items()
            if not any(spans_overlap(t.start, t.end, s, e) for t in use.tokens for s, e in taken)
        }
        source_text = context.pairing(doc).source
        source = source_names(source_text, _english_names) if source_text else {}
        variant_forms: set[str] = set()
        if self.consistency:
            consistency = consistency_edits(self.name, uses, glossary, source)
            variant_forms = {e.original for e in consistency} | {e.replacement for e in consistency}
            edits += consistency
        if self.garbled:
            rest = {f: u for f, u in uses.items() if f not in variant_forms}
            garbled = self._garbled.edits(doc.text, rest, uses, glossary, source)
            edits += with_source_words(garbled, source_text, _english_names)
        return edits
