"""The ``grammar`` stage: LanguageTool's matches, filtered by a rule policy tuned for MT.

The documents of a batch are checked together: their paragraphs go to LanguageTool in
bulk requests (`copydesk.models.grammar.client`), and the rules the policy turns off
are not even checked. The server is an existing one (``url``) or one the stage starts
(`copydesk.models.grammar.server`): the stage waits for it on its first use (a cold
start), and afterwards never waits on a restart: while the server is down the stage
is skipped, with the reason.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import httpx

from copydesk.models.document import Document
from copydesk.models.edits import Edit, EditKind
from copydesk.models.errors import StageUnavailable
from copydesk.models.grammar import mt_rules
from copydesk.models.grammar.client import BULK_CHARS, LanguageToolClient, LanguageToolMatch
from copydesk.models.grammar.policy import Action, RulePolicy
from copydesk.models.grammar.server import START_TIMEOUT, answers, default_lib_dir, shared_server
from copydesk.models.stage import OUT_OF_TIME, Proposal, RepairContext, Stage

INTERACTING_WORDS = 1  # edits with at most this many words between them interact
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
        start_timeout: float = START_TIMEOUT,
        apply_confidence: float = 0.9,
        suggest_confidence: float = 0.4,
        server_side_filter: bool = True,
        parallel: int = 2,
        bulk_chars: int = BULK_CHARS,
    ) -> None:
        self.language = language
        self.policy = RulePolicy.load(policy)
        self.timeout = timeout
        self.start_timeout = start_timeout
        self.server_side_filter = server_side_filter
        self.parallel = max(1, parallel)
        self.bulk_chars = bulk_chars
        self.confidence = {Action.APPLY: apply_confidence, Action.SUGGEST: suggest_confidence}
        self._client: LanguageToolClient | None = None
        self._seen_ready = False
        if url:
            if not answers(url):
                raise StageUnavailable(self.name, f"LanguageTool does not answer at {url}")
            self._server, self._url = None, url
        else:
            self._server = shared_server(str(Path(lib_dir) if lib_dir else default_lib_dir()))
            self._server.start()  # in the background: building a pipeline does not wait

    def warm_up(self) -> None:
        """Wait (up to ``start_timeout``) until the server is ready; `StageUnavailable` if
        it cannot be. The service calls this at start-up."""
        self._current_client()

    def status(self) -> tuple[str, str]:
        """``ok``, ``starting`` or ``down``, and why, without waiting."""
        if self._server is None:
            return ("ok", "") if answers(self._url, timeout=1) else ("down", "not answering")
        state = self._server.state.value
        return ("ok", "") if state == "ready" else (state, self._server.reason)

    def close(self) -> None:
        """Close the connections, and stop the server if this stage started it (one at
        ``url`` belongs to someone else)."""
        client, self._client = self._client, None
        if client is not None:
            client.close()
        if self._server is not None:
            self._server.stop()

    def _current_client(self) -> LanguageToolClient:
        if self._server is not None:
            wait = 0.0 if self._seen_ready else self.start_timeout
            url = self._server.url(wait=wait)
            self._seen_ready = True
        else:
            url = self._url
        client = self._client
        if client is None or client.url != url.rstrip("/"):
            off = self.server_side_filter
            client = LanguageToolClient(
                url,
                language=self.language,
                disabled_rules=self.policy.off_rules() if off else (),
                disabled_categories=self.policy.off_categories() if off else (),
                parallel=self.parallel,
                bulk_chars=self.bulk_chars,
            )
            old, self._client = self._client, client
            if old is not None:
                old.close()
        return client

    def propose(self, doc: Document, context: RepairContext) -> list[Edit]:
        return self.propose_many([doc], [context])[0].edits

    def propose_many(
        self, docs: Sequence[Document], contexts: Sequence[RepairContext]
    ) -> list[Proposal]:
        """Every document's paragraphs checked in bulk requests; matches by the policy."""
        timeout = min(c.seconds_left(self.timeout) for c in contexts) if contexts else None
        try:
            checked = self.check_many(docs, timeout=timeout)
        except StageUnavailable as exc:
            if timeout is not None and timeout < self.timeout and "took over" in exc.reason:
                raise StageUnavailable(self.name, OUT_OF_TIME) from exc
            raise
        out = []
        for doc, found in zip(docs, checked, strict=True):
            edits, rules = [], {}
            for match in found:
                action = self.policy.action(match.rule, match.category)
                if action is not Action.OFF:
                    edits.append(match.to_edit(self.name, self.confidence[action]))
                    rules[match.rule] = match.rule_info()
            made_from = self.confidence[Action.APPLY]
            edits = offer_interacting(doc, edits, made_from)
            out.append(Proposal(edits, {"rules": rules} if rules else {}))
        return out

    def check(self, doc: Document) -> list[GrammarMatch]:
        return self.check_many([doc])[0]

    def check_many(
        self, docs: Sequence[Document], *, timeout: float | None = None
    ) -> list[list[GrammarMatch]]:
        """Each document's matches with a replacement, in its offsets, before the policy:
        LanguageTool's and copydesk's own MT rules (`copydesk.models.grammar.mt_rules`)."""
        spans = [(d, p.start, p.end) for d, doc in enumerate(docs) for p in doc.paragraphs]
        texts = [docs[d].text[a:b] for d, a, b in spans]
        found = self._check_texts(texts, timeout) if texts else []
        out: list[list[GrammarMatch]] = [
            [
                GrammarMatch(
                    a,
                    b,
                    original,
                    new,
                    mt_rules.RULE,
                    mt_rules.CATEGORY,
                    mt_rules.MESSAGE,
                    mt_rules.CATEGORY_NAME,
                    "grammar",
                    mt_rules.DESCRIPTION,
                )  # fmt: skip
                for a, b, original, new in mt_rules.conditional_future(doc)
            ]
            for doc in docs
        ]
        for (d, start, _), matches in zip(spans, found, strict=True):
            text = docs[d].text
            for m in matches:
                match = _grammar_match(text, start, m)
                if match is not None:
                    out[d].append(match)
        return out

    def _check_texts(
        self, texts: list[str], timeout: float | None = None
    ) -> list[list[LanguageToolMatch]]:
        client = self._current_client()
        try:
            return client.check_many(texts, self.timeout if timeout is None else timeout)
        except StageUnavailable as exc:
            if self._server is not None and isinstance(exc.__cause__, httpx.TransportError):
                self._server.lost(str(exc.__cause__))  # restarted in the background
                raise StageUnavailable(
                    self.name, f"LanguageTool stopped ({exc.__cause__}); restarting it"
                ) from exc
            raise


def offer_interacting(doc: Document, edits: list[Edit], made_from: float) -> list[Edit]:
    """Of two edits to be made (confidence from ``made_from``) in one sentence at most
    `INTERACTING_WORDS` words apart, only the first is made; the other is offered. Each
    rule saw the text without the other's change, so both together can make a text
    neither meant (``this are`` -> ``These is``)."""
    words = [t.start for t in doc.tokens if t.is_word]
    out, last = [], None
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        made = edit.applied and edit.confidence >= made_from
        if made and last is not None:
            between = bisect.bisect_left(words, edit.start) - bisect.bisect_left(words, last.end)
            same_sentence = _sentence_of(doc, last.start) == _sentence_of(doc, edit.start)
            if same_sentence and between <= INTERACTING_WORDS:
                edit = replace(
                    edit,
                    applied=False,
                    message=f"{edit.message} (offered, not made: it meets {last.rule}'s edit)",
                )
        if made and edit.applied:
            last = edit
        out.append(edit)
    return out


def _sentence_of(doc: Document, offset: int) -> int:
    starts = [s.start for s in doc.sentences]
    return bisect.bisect_right(starts, offset)


def _grammar_match(text: str, start: int, m: LanguageToolMatch) -> GrammarMatch | None:
    """A LanguageTool match at ``start`` of ``text``, if copydesk acts on its kind."""
    if not m.replacements:
        return None
    a, b = start + m.offset, start + m.offset + m.length
    if text[a:b].isupper():
        return None  # LanguageTool misreads ALL-CAPS text (MT of interface strings)
    if text[a:b] == m.replacements[0]:
        return None
    return GrammarMatch(a, b, text[a:b], m.replacements[0], m.rule_id, m.category_id, m.message,
                        m.category_name, m.issue_type, m.rule_description)  # fmt: skip


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
    category_name: str = ""
    issue_type: str = ""
    description: str = ""

    def rule_info(self) -> dict[str, str]:
        """What LanguageTool says of the rule, for its compatible API's matches."""
        return {"category": self.category, "category_name": self.category_name,
                "issue_type": self.issue_type, "description": self.description}  # fmt: skip

    def to_edit(self, stage: str, confidence: float) -> Edit:
        return Edit(self.start, self.end, self.original, self.replacement,
                    KINDS.get(self.category, EditKind.GRAMMAR), stage, confidence,
                    self.message, self.rule)  # fmt: skip
