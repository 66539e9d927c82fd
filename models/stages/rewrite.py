"""The ``rewrite`` stage: a fine-tuned language model repairs garbled phrasing, guarded.

Each sentence is rewritten by the model (`copydesk.models.rewrite.local`); the rewrite
is kept only when it passes every guard (numbers, dates, names, negations survive; close
enough to the MT) and the model itself prefers it to the MT by a margin. A kept rewrite
becomes word-level ``fluency`` edits that share the sentence's confidence; below the
stage's threshold they are suggestions.
Where the caller gives the source text and it splits into as many sentences as the
document (one, for a sentence-level corpus), each sentence is rewritten with its
source sentence in the prompt. The stage is off in the default pipeline (see the README
for the figures that decide it).

``backend = "openai"`` sends the text instead to any OpenAI-compatible model server
(``base_url``, ``model``), and ``backend = "llama-cpp"`` to a local llama.cpp server the
stage starts for a GGUF model (``gguf``, default the packaged SmolLM2); see
`copydesk.models.rewrite.chat_rewrite`. Their edits are suggestions unless the pipeline
gives the stage a threshold. They rewrite only the units that the checks flag or the
quality estimate rates low (``gate = "estimate"``: predicted HTER above ``gate_hter`` or
DA below ``gate_da``; ``gate = "all"`` sends every unit), with the flags as hints.
"""

from __future__ import annotations

from collections.abc import Sequence

from copydesk.models.document import Document
from copydesk.models.errors import StageUnavailable
from copydesk.models.flags import Flag
from copydesk.models.rewrite.chat import ChatUnavailable
from copydesk.models.rewrite.chat_rewrite import ChatBackend
from copydesk.models.rewrite.gate import DEFAULT_DA, DEFAULT_HTER, Gate
from copydesk.models.rewrite.local import DEFAULT_MODEL, LocalRewrite, confidence_of, load_rewriter
from copydesk.models.rewrite.prompt import MAX_WORDS, MIN_WORDS
from copydesk.models.source import SourcePairing
from copydesk.models.stage import Proposal, RepairContext, Stage

__all__ = ["DEFAULT_MODEL", "RewriteStage", "confidence_of", "load_rewriter"]


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
        gate: str = "estimate",
        gate_hter: float = DEFAULT_HTER,
        gate_da: float = DEFAULT_DA,
    ) -> None:
        self.backend = backend
        if backend != "local":
            self.chat = ChatBackend(
                backend,
                model=model,
                base_url=base_url,
                api_key_env=api_key_env,
                temperature=temperature,
                max_concurrency=max_concurrency,
                timeout=timeout,
                retries=retries,
                unit=unit,
                max_share=max_share,
                cache=cache,
                gguf=gguf,
                prompt=prompt,
                min_words=min_words,
                max_words=max_words,
                name=self.name,
                gate=Gate(gate, float(gate_hter), float(gate_da), _estimates),
                flags_of=_flags,
            )
            # Suggestions by default: the editor decides (a pipeline may set a threshold).
            self.threshold = 1.0 if threshold is None else float(threshold)
            return
        self.local = LocalRewrite(
            self.name,
            model=model,
            threshold=threshold,
            min_similarity=min_similarity,
            min_words=min_words,
            max_words=max_words,
            batch_size=batch_size,
            device=device,
            use_source=use_source,
        )
        self.threshold = self.local.threshold
        # What tuning reads off a local stage: the model and how it is run.
        self.rewriter, self.use_source = self.local.rewriter, self.local.use_source
        self.min_similarity = self.local.min_similarity

    def warm_up(self) -> None:
        if self.backend != "local":
            self.chat.rewriter()  # a llama.cpp server starts and answers
            from copydesk.models.assessment import warm_up

            warm_up()  # the checks and the estimate the gate reads

    def close(self) -> None:
        if self.backend != "local":
            self.chat.stop()

    def propose_many(
        self, docs: Sequence[Document], contexts: Sequence[RepairContext]
    ) -> list[Proposal]:
        """Every eligible sentence of every document through the model in one batch.

        Each document's report counts its sentences by outcome: ``passed``, or the guard
        (or, for a chat backend, the reason) that refused the rewrite.
        """
        if self.backend == "local":
            return self.local.propose_many(docs, contexts)
        try:
            return self.chat.rewriter().propose_many(docs, contexts)
        except ChatUnavailable as exc:
            raise StageUnavailable(self.name, str(exc)) from exc


def _flags(doc: Document, pairing: SourcePairing) -> list[Flag]:
    from copydesk.models.checks import check_document

    return check_document(doc, pairing)


def _estimates(texts: list[str], sources: list[str | None]) -> list[tuple[float, float]]:
    from copydesk.models.quality import estimate_many

    return [(e.hter, e.da) for e in estimate_many(texts, sources)]
