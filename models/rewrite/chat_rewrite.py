"""The rewrite stage through a chat backend: texts out, guarded word-level edits back.

Each unit (a sentence, or a paragraph) goes to the model with its source and neighbours
(`copydesk.models.rewrite.chat`); its answer becomes word-level ``fluency`` edits
(`copydesk.models.rewrite.words`), which the answer guards filter
(`copydesk.models.rewrite.answer_guards`). Only the units that need it are sent: those
the checks flag or the quality estimate rates low (`copydesk.models.rewrite.gate`), with
their flags as hints in the prompt. The stage's report counts the units by outcome and
the refusals by reason.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from copydesk.models.document import Document
from copydesk.models.edits import Edit, EditKind
from copydesk.models.errors import ConfigError
from copydesk.models.flags import Flag
from copydesk.models.rewrite.answer_guards import refuse_answer, refuse_edit, supported_names
from copydesk.models.rewrite.chat import Answer, ChatClient, ChatSettings, Prompt, ResponseCache
from copydesk.models.rewrite.chat import default_cache_path as cache_path
from copydesk.models.rewrite.gate import Gate, unit_hints
from copydesk.models.rewrite.guards import same_but_quotes
from copydesk.models.rewrite.llama_server import MODEL_ALIAS, packaged_gguf, shared_llama_server
from copydesk.models.rewrite.words import word_changes
from copydesk.models.source import SourcePairing
from copydesk.models.stage import Proposal, RepairContext

# A document's flags under its source pairing (the stage passes the checks in).
FlagsOf = Callable[[Document, SourcePairing], list[Flag]]

MAX_CONFIDENCE = 0.99


@dataclass(frozen=True)
class Unit:
    doc: int
    start: int
    text: str
    source: str | None
    context: str | None
    hints: tuple[str, ...] = ()


class ChatRewriter:
    """Rewrites units of documents through ``client``, behind the answer guards."""

    def __init__(
        self,
        client: ChatClient,
        *,
        unit: str = "sentence",
        max_share: float = 0.7,
        min_words: int = 4,
        max_words: int = 120,
        name: str = "rewrite",
        gate: Gate | None = None,
        flags_of: FlagsOf | None = None,
    ) -> None:
        if unit not in ("sentence", "paragraph"):
            raise ConfigError(f"rewrite unit must be 'sentence' or 'paragraph', not {unit!r}")
        self.client, self.unit, self.max_share = client, unit, max_share
        self.min_words, self.max_words, self.name = min_words, max_words, name
        self.gate = gate or Gate()
        self.flags_of = flags_of

    def units(self, docs: Sequence[Document], contexts: Sequence[RepairContext]) -> list[Unit]:
        """Every unit of a length the model is given, with the hints of its flags."""
        out = []
        for d, (doc, context) in enumerate(zip(docs, contexts, strict=True)):
            pairing = context.pairing(doc)
            flags = self.flags_of(doc, pairing) if self.flags_of is not None else []
            if self.unit == "paragraph":
                pieces = [
                    (p.start, p.end, src)
                    for p, src in zip(doc.paragraphs, pairing.paragraphs, strict=True)
                ]
            else:
                pieces = [
                    (s.start, s.end, src)
                    for s, src in zip(doc.sentences, pairing.sentences, strict=True)
                    if not s.is_headline
                ]
            for i, (start, end, src) in enumerate(pieces):
                text = doc.text[start:end]
                if not self.min_words <= len(text.split()) <= self.max_words:
                    continue
                neighbours = [
                    doc.text[a:b]
                    for a, b, _ in pieces[max(0, i - 1) : i + 2]
                    if (a, b) != (start, end)
                ]
                context_text = " … ".join(neighbours) if self.unit == "sentence" else None
                hints = unit_hints(flags, start, end, pairing.source)
                out.append(Unit(d, start, text, src, context_text or None, hints))
        return out

    def propose_many(
        self, docs: Sequence[Document], contexts: Sequence[RepairContext]
    ) -> list[Proposal]:
        """`ChatUnavailable` if the server cannot answer (in time: by the earliest of the
        contexts' deadlines); else every document's edits."""
        edits: list[list[Edit]] = [[] for _ in docs]
        outcomes: list[Counter[str]] = [Counter() for _ in docs]
        gates: list[Counter[str]] = [Counter() for _ in docs]
        units = []
        candidates = self.units(docs, contexts)
        verdicts = self.gate.verdicts(
            [u.text for u in candidates],
            [u.source for u in candidates],
            [u.hints for u in candidates],
        )
        for unit, verdict in zip(candidates, verdicts, strict=True):
            gates[unit.doc][verdict.reason] += 1
            if verdict.send:
                units.append(unit)
            else:
                outcomes[unit.doc]["not needed"] += 1
        prompt = self.client.prompt
        deadlines = [c.deadline for c in contexts if c.deadline is not None]
        answers = (
            self.client.complete_many(
                [
                    prompt.messages(u.text, source=u.source, context=u.context, hints=u.hints)
                    for u in units
                ],
                deadline=min(deadlines) if deadlines else None,
            )
            if units
            else []
        )
        for unit, answer in zip(units, answers, strict=True):
            glossary = contexts[unit.doc].glossary
            terms = [t.term for t in glossary.terms] if glossary is not None else []
            made, why = self._edits(unit, answer, supported_names(unit.source, terms))
            edits[unit.doc] += made
            outcomes[unit.doc].update(why)
        return [
            Proposal(e, {"units": dict(o), "gate": dict(g)})
            for e, o, g in zip(edits, outcomes, gates, strict=True)
        ]

    def _edits(
        self, unit: Unit, answer: Answer, supported: frozenset[str]
    ) -> tuple[list[Edit], Counter[str]]:
        why: Counter[str] = Counter()
        text = unit.text
        if same_but_quotes(answer.text, text):
            why["unchanged"] += 1
            return [], why
        changes = word_changes(text, answer.text)
        changed = sum(len(text[c.start : c.end].split()) or 1 for c in changes)
        share = changed / max(1, len(text.split()))
        refused = refuse_answer(
            text,
            answer.text,
            self.client.prompt.system,
            changed_share=share,
            max_share=self.max_share,
        )
        if refused:
            why[f"refused: {refused}"] += 1
            return [], why
        confidence = _confidence(answer, share)
        out = []
        for change in changes:
            original = text[change.start : change.end]
            if same_but_quotes(original, change.replacement):
                continue
            refusal = refuse_edit(
                original, change.replacement, at_start=change.start == 0, supported=supported
            )
            if refusal:
                why[f"edit refused: {refusal}"] += 1
                continue
            out.append(
                Edit(
                    unit.start + change.start,
                    unit.start + change.end,
                    original,
                    change.replacement,
                    EditKind.FLUENCY,
                    self.name,
                    confidence,
                    f"{self.client.settings.model} rewrote this " f"({self.client.prompt.version})",
                    "llm-rewrite",
                )
            )
        why["rewritten" if out else "all edits refused"] += 1
        return out, why


def _confidence(answer: Answer, changed_share: float) -> float:
    """The model's own certainty where the server reports it (the mean token probability),
    else less the more of the text it changed."""
    if answer.mean_logprob is not None:
        value = math.exp(answer.mean_logprob)
    else:
        value = 0.9 * (1.0 - changed_share)
    return round(min(MAX_CONFIDENCE, max(0.01, value)), 4)


class ChatBackend:
    """The rewrite stage's chat backend: ``openai`` (any compatible server at
    ``base_url``) or ``llama-cpp`` (a local llama.cpp server started for a GGUF model)."""

    def __init__(
        self,
        backend: str,
        *,
        model: str | None,
        base_url: str | None,
        api_key_env: str,
        temperature: float,
        max_concurrency: int,
        timeout: float,
        retries: int,
        unit: str,
        max_share: float,
        cache: str | None,
        gguf: str | None,
        prompt: str | None,
        min_words: int,
        max_words: int,
        name: str,
        gate: Gate | None = None,
        flags_of: FlagsOf | None = None,
    ) -> None:
        self._llama = None
        if backend == "llama-cpp":
            self._llama = shared_llama_server(str(gguf or packaged_gguf()))
            model, base_url = model or MODEL_ALIAS, "http://127.0.0.1/v1"  # set once it runs
        elif backend != "openai":
            raise ConfigError(
                f"rewrite backend must be 'local', 'openai' or 'llama-cpp', not {backend!r}"
            )
        elif not base_url or not model:
            raise ConfigError("the openai rewrite backend needs 'base_url' and 'model'")
        self._settings = ChatSettings(
            base_url=base_url,
            model=model,
            api_key_env=api_key_env,
            temperature=temperature,
            max_concurrency=max_concurrency,
            timeout=timeout,
            retries=retries,
        )
        self._prompt = Prompt.load(prompt)
        self._cache = ResponseCache(cache_path() if cache is None else (cache or None))
        self._options = dict(
            unit=unit,
            max_share=max_share,
            min_words=min_words,
            max_words=max_words,
            name=name,
            gate=gate,
            flags_of=flags_of,
        )
        self._rewriter = None if self._llama else self._make(self._settings)

    def _make(self, settings: object) -> ChatRewriter:
        return ChatRewriter(ChatClient(settings, self._prompt, self._cache), **self._options)

    def rewriter(self) -> ChatRewriter:
        """The rewriter; for llama-cpp, once its local server answers."""
        if self._rewriter is None:
            self._rewriter = self._make(
                self._settings.model_copy(update={"base_url": self._llama.url()})
            )
        return self._rewriter

    def stop(self) -> None:
        """Cancel the calls in flight (their requests are answered at once), then stop
        the llama.cpp server this backend started, if any."""
        if self._rewriter is not None:
            self._rewriter.client.close()
        if self._llama is not None:
            self._llama.stop()
