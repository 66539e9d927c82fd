"""The ``grammar`` stage: LanguageTool's matches, filtered by a rule policy tuned for MT."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path

from copydesk.models.document import Document
from copydesk.models.edits import Edit, EditKind
from copydesk.models.errors import StageUnavailable
from copydesk.models.grammar import mt_rules
from copydesk.models.grammar.policy import Action, RulePolicy
from copydesk.models.stage import RepairContext, Stage

CHUNK_CHARS = 10_000
KINDS = {
    "TYPOS": EditKind.SPELLING,
    "PUNCTUATION": EditKind.PUNCTUATION,
    "TYPOGRAPHY": EditKind.PUNCTUATION,
}


class GrammarStage(Stage):
    """Sends the text to LanguageTool (``url``, or a local server it starts once)."""

    name = "grammar"

    def __init__(
        self,
        *,
        url: str | None = None,
        lib_dir: str | None = None,
        language: str = "en-US",
        policy: str | None = None,
        timeout: float = 20.0,
        apply_confidence: float = 0.9,
        suggest_confidence: float = 0.4,
        server_side_filter: bool = True,
        parallel: int = 2,
    ) -> None:
        from copydesk.models.grammar.server import answers, default_lib_dir, shared_server

        self.language = language
        self.policy = RulePolicy.load(policy)
        self.timeout = timeout
        self.server_side_filter = server_side_filter
        self.parallel = max(1, parallel)
        self.confidence = {Action.APPLY: apply_confidence, Action.SUGGEST: suggest_confidence}
        if url:
            if not answers(url):
                raise StageUnavailable(self.name, f"LanguageTool does not answer at {url}")
            self._server, self._url = None, url
        else:
            self._server = shared_server(str(Path(lib_dir) if lib_dir else default_lib_dir()))
            self._url = self._server.url()
        self._clients: dict[str, object] = {}
        self._pool = ThreadPoolExecutor(max_workers=self.parallel)

    def _client(self):  # noqa: ANN202 - language_tool_python.LanguageTool
        import language_tool_python

        url = self._server.url() if self._server else self._url
        if url not in self._clients:
            client = language_tool_python.LanguageTool(self.language, remote_server=url)
            if self.server_side_filter:  # what the policy drops, the server need not check
                client.disabled_categories = self.policy.off_categories()
                client.disabled_rules = self.policy.off_rules()
            self._clients = {url: client}
        return self._clients[url]

    def propose(self, doc: Document, context: RepairContext) -> list[Edit]:
        edits = []
        for match in self.check(doc):
            action = self.policy.action(match.rule, match.category)
            if action is not Action.OFF:
                edits.append(match.to_edit(self.name, self.confidence[action]))
        return edits

    def check(self, doc: Document) -> list[GrammarMatch]:
        """Every match with a replacement, in document offsets, before policy: LanguageTool's
        and copydesk's own MT rules (`models/grammar/mt_rules.py`)."""
        out = [
            GrammarMatch(a, b, original, new, mt_rules.RULE, mt_rules.CATEGORY, mt_rules.MESSAGE)
            for a, b, original, new in mt_rules.conditional_future(doc)
        ]
        chunks = _chunks(doc, self.parallel)
        for (start, _), found in zip(chunks, self._check_all(doc, chunks), strict=True):
            for m in found:
                if not m.replacements:
                    continue
                a, b = start + m.offset, start + m.offset + m.error_length
                if doc.text[a:b].isupper():
                    continue  # LanguageTool misreads ALL-CAPS text (MT of interface strings)
                if doc.text[a:b] != m.replacements[0]:
                    out.append(GrammarMatch(a, b, doc.text[a:b], m.replacements[0], m.rule_id,
                                            m.category or "", m.message))  # fmt: skip
        return out

    def _check_all(self, doc: Document, chunks: list[tuple[int, int]]) -> list[list]:
        """The chunks checked side by side (the server has threads), within one timeout."""
        from language_tool_python.exceptions import LanguageToolError

        client = self._client()
        futures = [self._pool.submit(client.check, doc.text[a:b]) for a, b in chunks]
        try:
            deadline = time.monotonic() + self.timeout
            return [f.result(timeout=max(0.0, deadline - time.monotonic())) for f in futures]
        except FutureTimeout:
            raise StageUnavailable(
                self.name, f"LanguageTool took over {self.timeout:g} s"
            ) from None
        except (LanguageToolError, OSError) as exc:
            raise StageUnavailable(self.name, f"LanguageTool failed: {exc}") from exc
        finally:
            for f in futures:
                f.cancel()


@dataclass(frozen=True)
class GrammarMatch:
    """One LanguageTool match: the span in the document, its first replacement, its rule."""

    start: int
    end: int
    original: str
    replacement: str
    rule: str
    category: str
    message: str

    def to_edit(self, stage: str, confidence: float) -> Edit:
        return Edit(self.start, self.end, self.original, self.replacement,
                    KINDS.get(self.category, EditKind.GRAMMAR), stage, confidence,
                    self.message, self.rule)  # fmt: skip


def _chunks(doc: Document, parts: int) -> list[tuple[int, int]]:
    """About ``parts`` runs of whole paragraphs, each at most `CHUNK_CHARS` when it can be."""
    if not doc.paragraphs:
        return []
    target = min(CHUNK_CHARS, max(1, (doc.paragraphs[-1].end - doc.paragraphs[0].start) // parts))
    out: list[tuple[int, int]] = []
    for p in doc.paragraphs:
        if out and p.end - out[-1][0] <= target:
            out[-1] = (out[-1][0], p.end)
        else:
            out.append((p.start, p.end))
    return out
