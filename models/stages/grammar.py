"""The ``grammar`` stage: LanguageTool's matches, filtered by a rule policy tuned for MT."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

from models.document import Document
from models.edits import Edit, EditKind
from models.errors import StageUnavailable
from models.grammar.policy import Action, RulePolicy
from models.stage import RepairContext

DEFAULT_LIB = Path(".languagetool") / "lib"
CHUNK_CHARS = 10_000
KINDS = {
    "TYPOS": EditKind.SPELLING,
    "PUNCTUATION": EditKind.PUNCTUATION,
    "TYPOGRAPHY": EditKind.PUNCTUATION,
}


class GrammarStage:
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
    ) -> None:
        from models.grammar.server import answers, shared_server

        self.language = language
        self.policy = RulePolicy.load(policy)
        self.timeout = timeout
        self.confidence = {Action.APPLY: apply_confidence, Action.SUGGEST: suggest_confidence}
        if url:
            if not answers(url):
                raise StageUnavailable(self.name, f"LanguageTool does not answer at {url}")
            self._server, self._url = None, url
        else:
            self._server = shared_server(str(Path(lib_dir) if lib_dir else DEFAULT_LIB.resolve()))
            self._url = self._server.url()
        self._clients: dict[str, object] = {}
        self._pool = ThreadPoolExecutor(max_workers=2)

    def _client(self):  # noqa: ANN202 - language_tool_python.LanguageTool
        import language_tool_python

        url = self._server.url() if self._server else self._url
        if url not in self._clients:
            self._clients = {
                url: language_tool_python.LanguageTool(self.language, remote_server=url)
            }
        return self._clients[url]

    def propose(self, doc: Document, context: RepairContext) -> list[Edit]:
        edits = []
        for start, end in _chunks(doc):
            text = doc.text[start:end]
            for match in self._check(text):
                edit = self._edit(doc.text, start, match)
                if edit is not None:
                    edits.append(edit)
        return edits

    def _check(self, text: str) -> list:
        from language_tool_python.exceptions import LanguageToolError

        try:
            future = self._pool.submit(lambda: self._client().check(text))
            return future.result(timeout=self.timeout)
        except FutureTimeout:
            raise StageUnavailable(
                self.name, f"LanguageTool took over {self.timeout:g} s"
            ) from None
        except (LanguageToolError, OSError) as exc:
            raise StageUnavailable(self.name, f"LanguageTool failed: {exc}") from exc

    def _edit(self, text: str, base: int, match: object) -> Edit | None:
        category = getattr(match, "category", "") or ""
        action = self.policy.action(match.rule_id, category)
        if action is Action.OFF or not match.replacements:
            return None
        start = base + match.offset
        end = start + match.error_length
        original, replacement = text[start:end], match.replacements[0]
        if original == replacement:
            return None
        return Edit(
            start=start,
            end=end,
            original=original,
            replacement=replacement,
            kind=KINDS.get(category, EditKind.GRAMMAR),
            stage=self.name,
            confidence=self.confidence[action],
            message=match.message,
            rule=match.rule_id,
        )


def _chunks(doc: Document) -> list[tuple[int, int]]:
    """Runs of whole paragraphs of at most `CHUNK_CHARS` (a longer paragraph alone)."""
    out: list[tuple[int, int]] = []
    for p in doc.paragraphs:
        if out and p.end - out[-1][0] <= CHUNK_CHARS:
            out[-1] = (out[-1][0], p.end)
        else:
            out.append((p.start, p.end))
    return out
