"""The ``casing`` stage: the trained truecaser, applied sentence by sentence in one batch."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from copydesk.models.casing.decide import decide_document
from copydesk.models.casing.edits import casing_edits
from copydesk.models.casing.knowledge import Knowledge
from copydesk.models.casing.lexicon import CasingLexicon
from copydesk.models.casing.model import CasingModel
from copydesk.models.casing.newsroom import read_newsroom_lexicon
from copydesk.models.casing.units import split_units
from copydesk.models.document import Document
from copydesk.models.edits import Edit
from copydesk.models.stage import Proposal, RepairContext, Stage
from copydesk.models.tokens import Sentence
from copydesk.models.translit import mirrors_source_capitals, source_capitals

DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "casing" / "weights"


@lru_cache(maxsize=4)
def load_casing_model(path: str) -> CasingModel:
    """Load a casing model folder once per process."""
    return CasingModel.load(path)


def _has_letters(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` has a letter: a sentence without one has no word to case
    (`decide` and its rules change letter units only), so it costs the model nothing."""
    return any(map(str.isalpha, text[start:end]))


class CasingStage(Stage):
    """Repairs word casing with the trained model; sentence-initial capitals stay rules'."""

    name = "casing"

    def __init__(
        self,
        *,
        model: str | None = None,
        threshold: float | None = None,
        suggest_from: float = 0.5,
        skip_title_case_headlines: bool = True,
        batch_rows: int = 64,
        lexicon: str | None = None,
    ) -> None:
        self.model = load_casing_model(str(Path(model) if model else DEFAULT_MODEL))
        # A newsroom lexicon (`copydesk.models.casing.newsroom`) for every document; a
        # request's own (``options["lexicon"]``, a path) replaces it.
        self.lexicon = lexicon
        self._newsrooms: dict[str, tuple[Knowledge, CasingLexicon]] = {}
        self.threshold = float(
            threshold if threshold is not None else self.model.settings["threshold"]
        )
        self.suggest_from = min(float(suggest_from), self.threshold)
        self.skip_title_case_headlines = skip_title_case_headlines
        self.batch_rows = batch_rows

    def propose_many(
        self, docs: Sequence[Document], contexts: Sequence[RepairContext]
    ) -> list[Proposal]:
        """Every sentence of every document through the model in one batch.

        The rules decide at each document's threshold as the pipeline resolved it (a
        request's own threshold included); the source is read through the pairing.
        """
        batch, owners, keep = [], [], []
        for d, doc in enumerate(docs):
            pairs = contexts[d].pairing(doc).sentences
            for s, source in zip(doc.sentences, pairs, strict=True):
                if _has_letters(doc.text, s.start, s.end) and not self._is_title_case_headline(s):
                    units = split_units(doc.text, s.start, s.end)
                    batch.append((units, [u.text for u in units]))
                    owners.append(d)
                    mirrored = source and mirrors_source_capitals(source, doc.sentence_text(s))
                    keep.append(bool(mirrored))
        probs = self.model.predict(batch, batch_rows=self.batch_rows)
        rows_of: list[list[int]] = [[] for _ in docs]
        for row, d in enumerate(owners):
            rows_of[d].append(row)
        edits: list[list[Edit]] = [[] for _ in docs]
        for d, rows in enumerate(rows_of):
            source = contexts[d].pairing(docs[d]).source
            decided = decide_document(
                [batch[r] for r in rows],
                [probs[r] for r in rows],
                self._lexicon(contexts[d].options.get("lexicon") or self.lexicon),
                floor=self.suggest_from,
                threshold=contexts[d].threshold_for(self.name, self.threshold),
                # Words the source writes as names are not lowered (``Play Market``), nor
                # any capital of a sentence whose source has capitals enough for them all;
                # and only its names and known names are capitalised (``our kangaroos``).
                source_capitals=source_capitals(source) if source else None,
                keep_capitals=[keep[r] for r in rows],
            )
            for (units, _), changes in zip((batch[r] for r in rows), decided, strict=True):
                edits[d].extend(casing_edits(self.name, units, changes))
        return [Proposal(e) for e in edits]

    def _lexicon(self, newsroom: str | None) -> CasingLexicon:
        """The model's lexicon, with a newsroom lexicon's names where one is named."""
        if not newsroom:
            return self.model.lexicon
        knowledge = read_newsroom_lexicon(newsroom)
        known = self._newsrooms.get(newsroom)
        if known is None or known[0] is not knowledge:  # new, or the file changed
            known = self._newsrooms[newsroom] = (
                knowledge,
                self.model.lexicon.with_newsroom(knowledge),
            )
        return known[1]

    def _is_title_case_headline(self, sentence: Sentence) -> bool:
        """Headline Style Like This is an editorial choice, not an MT error."""
        if not (self.skip_title_case_headlines and sentence.is_headline):
            return False
        words = [t.text for t in sentence.tokens if t.is_word and len(t.text) > 3]
        return len(words) >= 2 and sum(w[0].isupper() for w in words) / len(words) >= 0.6
