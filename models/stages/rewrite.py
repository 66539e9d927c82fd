"""The ``rewrite`` stage: a fine-tuned language model repairs garbled phrasing, guarded.

Each sentence is rewritten by the model; the rewrite is kept only when it passes every
guard (numbers, dates, names, negations survive; close enough to the MT) and the model
itself prefers it to the MT by a margin (mean log-probability per token). A kept rewrite
becomes word-level ``fluency`` edits that share the sentence's confidence, a logistic
function of that likelihood gain; below the stage's threshold they are suggestions.
Where the caller gives the source text and it splits into as many sentences as the
document (one, for a sentence-level corpus), each sentence is rewritten with its
source sentence in the prompt. The stage is off in the default pipeline (see the README
for the figures that decide it).

``backend = "openai"`` sends the text instead to any OpenAI-compatible model server
(``base_url``, ``model``), and ``backend = "llama-cpp"`` to a local llama.cpp server the
stage starts for a GGUF model (``gguf``, default the packaged SmolLM2); see
`copydesk.models.rewrite.chat_rewrite`. Their edits are suggestions unless the pipeline
gives the stage a threshold.
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
from copydesk.models.errors import StageUnavailable
from copydesk.models.rewrite.meta import read_meta
from copydesk.models.rewrite.prompt import MAX_WORDS, MIN_WORDS
from copydesk.models.stage import Proposal, RepairContext, Stage
from copydesk.models.tokens import Sentence

DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "rewrite" / "weights"
GAIN_SCALE = 4.0  # confidence = logistic(GAIN_SCALE * gain)


@lru_cache(maxsize=2)
def load_rewriter(path: str, batch_size: int, device: str = "cpu"):  # noqa: ANN201 - lazy import
    """Load a rewrite model once per process (per device)."""
    try:
        from copydesk.models.rewrite.generate import Rewriter
        from copydesk.models.rewrite.loading import load_generator
    except ImportError as exc:
        raise StageUnavailable("rewrite", f"the rewrite model needs {exc.name}") from exc
    from copydesk.models.errors import ConfigError

    try:
        generator = load_generator(path, device=device)
    except ConfigError as exc:
        raise StageUnavailable("rewrite", str(exc)) from exc
    return Rewriter(generator, batch_size=batch_size)


def confidence_of(gain: float) -> float:
    return round(1.0 / (1.0 + math.exp(-GAIN_SCALE * gain)), 4)


class RewriteStage(Stage):
    """Rewrites garbled sentences with the fine-tuned model, behind guards."""

    name = "rewrite"

    def __init__(
        self,
        *,
        model: str | None = None,
        threshold: float | None = None,
        min_similarity: float | None = None,
        min_words: int = MIN_WORDS,
        max_words: int = MAX_WORDS,
        batch_size: int = 16,
        device: str = "auto",
        use_source: bool | None = None,
        backend: str = "local",
        base_url: str | None = None,
        api_key_env: str = "COPYDESK_LLM_API_KEY",
        temperature: float = 0.0,
        max_concurrency: int = 4,
        timeout: float = 60.0,
        retries: int = 2,
        unit: str = "sentence",
        max_share: float = 0.7,
        cache: str | None = None,
        gguf: str | None = None,
        prompt: str | None = None,
    ) -> None:
        self.backend = backend
        if backend != "local":
            from copydesk.models.rewrite.chat_rewrite import ChatBackend

            self.chat = ChatBackend(
                backend, model=model, base_url=base_url, api_key_env=api_key_env,
                temperature=temperature, max_concurrency=max_concurrency, timeout=timeout,
                retries=retries, unit=unit, max_share=max_share, cache=cache, gguf=gguf,
                prompt=prompt, min_words=min_words, max_words=max_words, name=self.name,
            )  # fmt: skip
            # Suggestions by default: the editor decides (a pipeline may set a threshold).
            self.threshold = 1.0 if threshold is None else float(threshold)
            return
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

    def warm_up(self) -> None:
        if self.backend != "local":
            self.chat.rewriter()  # a llama.cpp server starts and answers

    def close(self) -> None:
        if self.backend != "local":
            self.chat.stop()

    def propose_many(
        self, docs: Sequence[Document], contexts: Sequence[RepairContext]
    ) -> list[Proposal]:
        """Every eligible sentence of every document through the model in one batch.

        Each document's report counts its sentences by outcome: ``passed``, or the guard
        that refused the rewrite.
        """
        if self.backend != "local":
            from copydesk.models.rewrite.chat import ChatUnavailable

            try:
                return self.chat.rewriter().propose_many(docs, contexts)
            except ChatUnavailable as exc:
                raise StageUnavailable(self.name, str(exc)) from exc
        from copydesk.models.rewrite.guards import same_but_quotes, verdict
        from copydesk.models.rewrite.words import word_changes

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
            if failed is not None:
                continue
            confidence = confidence_of(cand.gain)
            for change in word_changes(text, cand.rewrite):
                original = text[change.start : change.end]
                if same_but_quotes(original, change.replacement):
                    continue
                edits[d].append(
                    Edit(
                        start=s.start + change.start,
                        end=s.start + change.end,
                        original=original,
                        replacement=change.replacement,
                        kind=EditKind.FLUENCY,
                        stage=self.name,
                        confidence=confidence,
                        message=(
                            "the rewrite model prefers this phrasing "
                            f"(+{cand.gain:.2f} log-prob/token)"
                        ),
                        rule="rewrite-model",
                    )
                )
        return [Proposal(e, dict(o)) for e, o in zip(edits, outcomes, strict=True)]
