"""The LanguageTool a grammar stage talks to: an existing one at a URL, or a local server.

A local server (`copydesk.models.grammar.server`) is started in the background when the
backend is made; the first check waits for it (a cold start) and later checks never
wait on a restart: while it is down, a check raises `StageUnavailable` with the reason.

Texts are estimated before they are sent (`copydesk.models.grammar.cost`): a costly one
goes in pieces under the bound, and what is not worth LanguageTool's time (not prose, a
run without spaces) is not sent at all, so no request can hold the server for the others.
While checks time out or the server refuses them as overloaded, the backend's status is
``degraded`` with the reason, until ``degraded_seconds`` pass without another.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from copydesk.models.errors import StageUnavailable
from copydesk.models.grammar import cost
from copydesk.models.grammar.client import BULK_CHARS, LanguageToolClient, LanguageToolMatch
from copydesk.models.grammar.policy import RulePolicy
from copydesk.models.grammar.server import answers, default_lib_dir, shared_server

DEGRADED_SECONDS = 30.0  # status stays degraded this long after a check timed out
COST_BOUND = BULK_CHARS  # the most one piece of a text may cost (`cost.estimate`)


@dataclass(frozen=True)
class TextCheck:
    """One text's matches, in its offsets, and what of it was not checked (and why)."""

    matches: list[LanguageToolMatch]
    unchecked: str = ""
    checked_nothing: bool = False


class LanguageToolBackend:
    """Clients to one LanguageTool, made again when its server's address changes."""

    def __init__(
        self,
        stage: str,
        *,
        url: str | None,
        lib_dir: str | None,
        language: str,
        policy: RulePolicy,
        server_side_filter: bool,
        parallel: int,
        bulk_chars: int,
        start_timeout: float,
    ) -> None:
        self.stage = stage
        off = server_side_filter
        self._client_settings = {
            "language": language,
            "disabled_rules": policy.off_rules() if off else (),
            "disabled_categories": policy.off_categories() if off else (),
            "enabled_rules": policy.on_rules() if off else (),
            "parallel": parallel,
            "bulk_chars": bulk_chars,
        }
        self.start_timeout = start_timeout
        self.cost_bound = max(bulk_chars, COST_BOUND)
        self.degraded_seconds = DEGRADED_SECONDS
        self._trouble: tuple[float, str] | None = None  # when checks last failed, and why
        self._client: LanguageToolClient | None = None
        self._seen_ready = False
        if url:
            if not answers(url):
                raise StageUnavailable(stage, f"LanguageTool does not answer at {url}")
            self.server, self._url = None, url
        else:
            self.server = shared_server(str(Path(lib_dir) if lib_dir else default_lib_dir()))
            self.server.start()  # in the background: building a pipeline does not wait

    def status(self) -> tuple[str, str]:
        """``ok``, ``starting``, ``down`` or ``degraded`` (checks timed out or were refused
        as overloaded within ``degraded_seconds``), and why, without waiting."""
        if self.server is None:
            state, why = ("ok", "") if answers(self._url, timeout=1) else ("down", "not answering")
        else:
            state = self.server.state.value
            state, why = ("ok", "") if state == "ready" else (state, self.server.reason)
        trouble = self._trouble
        if state == "ok" and trouble is not None:
            ago = time.monotonic() - trouble[0]
            if ago < self.degraded_seconds:
                return "degraded", f"grammar skipped {ago:.0f} s ago: {trouble[1]}"
        return state, why

    def close(self) -> None:
        """Close the connections, and stop the server if the backend started it (one at
        ``url`` belongs to someone else)."""
        client, self._client = self._client, None
        if client is not None:
            client.close()
        if self.server is not None:
            self.server.stop()

    def client(self) -> LanguageToolClient:
        """A client of the server as it is now (waiting for it only on the first use)."""
        if self.server is not None:
            wait = 0.0 if self._seen_ready else self.start_timeout
            url = self.server.url(wait=wait)
            self._seen_ready = True
        else:
            url = self._url
        client = self._client
        if client is None or client.url != url.rstrip("/"):
            client = LanguageToolClient(url, **self._client_settings)
            old, self._client = self._client, client
            if old is not None:
                old.close()
        return client

    def check_texts(
        self, texts: list[str], timeout: float, *, deadline: float | None = None
    ) -> list[TextCheck]:
        """Each text's matches, its costly parts checked in pieces and what is not worth
        checking left out; nothing runs past ``deadline``. A server that stopped is
        restarted in the background."""
        plans = [cost.pieces(text, self.cost_bound) for text in texts]
        sent = [(t, p) for t, plan in enumerate(plans) for p in plan if not p.skipped]
        found: list[list[LanguageToolMatch]] = []
        if sent:
            pieces = [texts[t][p.start : p.end] for t, p in sent]
            found = self._check(pieces, timeout, deadline, [p.cost for _, p in sent])
        out = [TextCheck([]) for _ in texts]
        for (t, piece), matches in zip(sent, found, strict=True):
            out[t].matches.extend(replace_offset(m, piece.start) for m in matches)
        for t, plan in enumerate(plans):
            why = cost.unchecked_reason(texts[t], plan)
            if why:
                nothing = all(p.skipped for p in plan if texts[t][p.start : p.end].strip())
                out[t] = TextCheck(out[t].matches, why, nothing)
        return out

    def _check(
        self, texts: list[str], timeout: float, deadline: float | None, costs: list[int]
    ) -> list[list[LanguageToolMatch]]:
        client = self.client()
        try:
            return client.check_many(texts, timeout, deadline=deadline, costs=costs)
        except StageUnavailable as exc:
            if self.server is not None and isinstance(exc.__cause__, httpx.TransportError):
                self.server.lost(str(exc.__cause__))  # restarted in the background
                raise StageUnavailable(
                    self.stage, f"LanguageTool stopped ({exc.__cause__}); restarting it"
                ) from exc
            if not past(deadline):  # the request's own budget is no trouble of the server's
                self._trouble = (time.monotonic(), exc.reason)
            raise


def past(deadline: float | None) -> bool:
    """Whether ``deadline`` (a `time.monotonic` instant) has come, give or take a tick."""
    return deadline is not None and time.monotonic() >= deadline - 0.05


def replace_offset(match: LanguageToolMatch, by: int) -> LanguageToolMatch:
    """``match`` moved ``by`` code points on (from a piece's offsets to its text's)."""
    return dataclasses.replace(match, offset=match.offset + by) if by else match
