"""The fine-tuned rewrite model, run in the process, behind guards.

Each eligible sentence is rewritten by the model; the rewrite is kept only when it passes
every guard (`copydesk.models.rewrite.guards`) and the model itself prefers it to the MT
by a margin (mean log-probability per token). A kept rewrite becomes word-level
``fluency`` edits that share the sentence's confidence, a logistic function of that
likelihood gain.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from copydesk.models.devices import resolve_device
from copydesk.models.document import Document
from copydesk.models.edits import Edit, EditKind
from copydesk.models.errors import ConfigError, StageUnavailable
from copydesk.models.rewrite.guards import same_but_quotes, verdict
from copydesk.models.rewrite.meta import read_meta
from copydesk.models.rewrite.words import word_changes
from copydesk.models.stage import Proposal, RepairContext
from copydesk.models.tokens import Sentence

DEFAULT_MODEL = Path(__file__).resolve().parent / "weights"
GAIN_SCALE = 4.0  # confidence = logistic(GAIN_SCALE * gain)


@lru_cache(maxsize=2)
def load_rewriter(path: str, batch_size: int, device: str = "cpu"):  # noqa: ANN201 - lazy import
    """Load a rewrite model once per process (per device)."""
    try:
        # Imported here: the model needs torch and transformers, an optional extra.
        from copydesk.models.rewrite.generate import Rewriter
        from copydesk.models.rewrite.loading import load_generator
    except ImportError as exc:
        raise StageUnavailable("rewrite", f"the rewrite model needs {exc.name}") from exc
    try:
        generator = load_generator(path, device=device)
    except ConfigError as exc:
        raise StageUnavailable("rewrite", str(exc)) from exc
    return Rewriter(generator, batch_size=batch_size)


def confidence_of(gain: float) -> float:
    return round(1.0 / (1.0 + math.exp(-GAIN_SCALE * gain)), 4)


class LocalRewrite:
    """A model folder's rewriter and the settings it was tuned with."""

    def __init__(
        self,
        stage: str,
        *,
        model: str | None,
        threshold: float | None,
        min_similarity: float | None,
        min_words: int,
        max_words: int,
        batch_size: int,
        device: str,
        use_source: bool | None,
    ) -> None:
        self.stage = stage
        path = Path(model) if model else DEFAULT_MODEL
        meta = read_meta(path)
        tuned = meta.get("stage", {})
        self.threshold = float(threshold if threshold is not None else tuned.get("threshold", 0.9))
        self.min_similarity = float(
            min_similarity if min_similarity is not None else tuned.get("min_similarity", 60.0)
        )
        self.min_words, self.max_words = min_words, max_words
        # Only a model trained with sources in some prompts is shown one (default).
        trained_rate = meta.get("training", {}).get("settings", {}).get("source_rate", 0)
        self.use_source = bool(trained_rate) if use_source is None else use_source
        self.rewriter = load_rewriter(str(path), batch_size, resolve_device(device))

    def propose_many(
        self, docs: Sequence[Document], contexts: Sequence[RepairContext]
    ) -> list[Proposal]:
        """Every eligible sentence of every document through the model in one batch.

        Each document's report counts its sentences by outcome: ``passed``, or the guard
        that refused the rewrite.
        """
        todo: list[tuple[int, Sentence, str, str | None]] = []
        for d, (doc, context) in enumerate(zip(docs, contexts, strict=True)):
            pairs = (
                context.pairing(doc).sentences if self.use_source else [None] * len(doc.sentences)
            )
            for s, src in zip(doc.sentences, pairs, strict=True):
                text = doc.text[s.start : s.end]
                if not s.is_headline and self.min_words <= len(text.split()) <= self.max_words:
                    todo.append((d, s, text, src))
        candidates = (
            self.rewriter.rewrite_many([t[2] for t in todo], [t[3] for t in todo]) if todo else []
        )
        edits: list[list[Edit]] = [[] for _ in docs]
        outcomes: list[Counter[str]] = [Counter() for _ in docs]
        for (d, s, text, _), cand in zip(todo, candidates, strict=True):
            failed = verdict(text, cand.rewrite, cand.gain, min_similarity=self.min_similarity)
            outcomes[d][failed or "passed"] += 1
            if failed is None:
                edits[d] += self._edits(s, text, cand.rewrite, cand.gain)
        return [Proposal(e, dict(o)) for e, o in zip(edits, outcomes, strict=True)]

    def _edits(self, sentence: Sentence, text: str, rewrite: str, gain: float) -> list[Edit]:
        confidence = confidence_of(gain)
        edits = []
        for change in word_changes(text, rewrite):
            original = text[change.start : change.end]
            if same_but_quotes(original, change.replacement):
                continue
            edits.append(
                Edit(
                    start=sentence.start + change.start,
                    end=sentence.start + change.end,
                    original=original,
                    replacement=change.replacement,
                    kind=EditKind.FLUENCY,
                    stage=self.stage,
                    confidence=confidence,
                    message=f"the rewrite model prefers this phrasing (+{gain:.2f} log-prob/token)",
                    rule="rewrite-model",
                )
            )
        return edits
