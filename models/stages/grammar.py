"""The ``grammar`` stage: LanguageTool's matches, filtered by a rule policy tuned for MT.

The documents of a batch are checked together: their paragraphs go to LanguageTool in
bulk requests (`copydesk.models.grammar.client`), and the rules the policy turns off
are not even checked. The server is an existing one (``url``), a shared one that
``copydesk serve`` or ``copydesk languagetool start`` runs for the same jars (found in
the user's state folder, so a command does not pay for a JVM of its own), or one the stage starts
(`copydesk.models.grammar.server`): the stage waits for it on its first use (a cold
start), and afterwards never waits on a restart: while the server is down the stage
is skipped, with the reason. No check runs past the request's deadline, and a text too
costly for LanguageTool goes in pieces or not at all (`copydesk.models.grammar.cost`);
the document's report says what was left unchecked and why.
"""

from __future__ import annotations

from collections.abc import Sequence

from copydesk.models.document import Document
from copydesk.models.edits import Edit
from copydesk.models.errors import StageUnavailable
from copydesk.models.grammar.backend import LanguageToolBackend, past
from copydesk.models.grammar.client import BULK_CHARS
from copydesk.models.grammar.matches import (
    GrammarMatch,
    document_matches,
    offer_interacting,
)
from copydesk.models.grammar.policy import Action, RulePolicy
from copydesk.models.grammar.server import START_TIMEOUT, default_lib_dir, discover
from copydesk.models.stage import OUT_OF_TIME, Proposal, RepairContext, Stage

__all__ = ["GrammarMatch", "GrammarStage"]


class GrammarStage(Stage):
    """Sends the text to LanguageTool (``url``, or a local server it starts once)."""

    name = "grammar"
    waits_outside = True  # on LanguageTool, from when its requests are sent

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
        reuse: bool = True,
    ) -> None:
        self.language = language
        if not url and reuse:
            # A shared server already warm (`copydesk languagetool start`, a running
            # `copydesk serve`): used as one given by URL, never stopped by this stage.
            url = discover(lib_dir or default_lib_dir())
        self.policy = RulePolicy.load(policy)
        self.timeout = timeout
        self.confidence = {Action.APPLY: apply_confidence, Action.SUGGEST: suggest_confidence}
        self.backend = LanguageToolBackend(
            self.name,
            url=url,
            lib_dir=lib_dir,
            language=language,
            policy=self.policy,
            server_side_filter=server_side_filter,
            parallel=max(1, parallel),
            bulk_chars=bulk_chars,
            start_timeout=start_timeout,
        )
        self._server = self.backend.server  # None when the server is someone else's

    def warm_up(self) -> None:
        """Wait (up to ``start_timeout``) until the server is ready; `StageUnavailable` if
        it cannot be. The service calls this at start-up."""
        self.backend.client()

    def status(self) -> tuple[str, str]:
        """``ok``, ``starting`` or ``down``, and why, without waiting."""
        return self.backend.status()

    def close(self) -> None:
        """Close the connections, and stop the server if this stage started it."""
        self.backend.close()

    def propose(self, doc: Document, context: RepairContext) -> list[Edit]:
        return self.propose_many([doc], [context])[0].edits

    def propose_many(
        self, docs: Sequence[Document], contexts: Sequence[RepairContext]
    ) -> list[Proposal]:
        """Every document's paragraphs checked in bulk requests; matches by the policy."""
        timeout = min(c.seconds_left(self.timeout) for c in contexts) if contexts else None
        deadline = min((c.deadline for c in contexts if c.deadline is not None), default=None)
        try:
            checked, unchecked = self._check_many(docs, timeout, deadline)
        except StageUnavailable as exc:
            short = (timeout is not None and timeout < self.timeout) or past(deadline)
            if short and "took over" in exc.reason:
                raise StageUnavailable(self.name, OUT_OF_TIME) from exc
            raise
        out = []
        for doc, found, (why, nothing) in zip(docs, checked, unchecked, strict=True):
            edits, rules = [], {}
            for match in found:
                action = self.policy.action(match.rule, match.category)
                if action is not Action.OFF:
                    edits.append(match.to_edit(self.name, self.confidence[action]))
                    rules[match.rule] = match.rule_info()
            made_from = self.confidence[Action.APPLY]
            edits = offer_interacting(doc, edits, made_from)
            diagnostics = {"rules": rules} if rules else {}
            out.append(Proposal(edits, diagnostics, reason=why, skipped=nothing and not edits))
        return out

    def check(self, doc: Document) -> list[GrammarMatch]:
        return self.check_many([doc])[0]

    def check_many(
        self, docs: Sequence[Document], *, timeout: float | None = None
    ) -> list[list[GrammarMatch]]:
        """Each document's matches with a replacement, in its offsets, before the policy:
        LanguageTool's and copydesk's own MT rules (`copydesk.models.grammar.mt_rules`)."""
        return self._check_many(docs, timeout, None)[0]

    def _check_many(
        self, docs: Sequence[Document], timeout: float | None, deadline: float | None
    ) -> tuple[list[list[GrammarMatch]], list[tuple[str, bool]]]:
        """The matches, and for each document why part of it went unchecked (a text too
        costly for LanguageTool) and whether that was all of it."""
        wait = self.timeout if timeout is None else timeout
        return document_matches(self.backend.check_texts, docs, wait, deadline)
