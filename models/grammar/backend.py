"""The LanguageTool a grammar stage talks to: an existing one at a URL, or a local server.

A local server (`copydesk.models.grammar.server`) is started in the background when the
backend is made; the first check waits for it (a cold start) and later checks never
wait on a restart: while it is down, a check raises `StageUnavailable` with the reason.
"""

from __future__ import annotations

from pathlib import Path

import httpx

from copydesk.models.errors import StageUnavailable
from copydesk.models.grammar.client import LanguageToolClient, LanguageToolMatch
from copydesk.models.grammar.policy import RulePolicy
from copydesk.models.grammar.server import answers, default_lib_dir, shared_server


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
            "parallel": parallel,
            "bulk_chars": bulk_chars,
        }
        self.start_timeout = start_timeout
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
        """``ok``, ``starting`` or ``down``, and why, without waiting."""
        if self.server is None:
            return ("ok", "") if answers(self._url, timeout=1) else ("down", "not answering")
        state = self.server.state.value
        return ("ok", "") if state == "ready" else (state, self.server.reason)

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

    def check_texts(self, texts: list[str], timeout: float) -> list[list[LanguageToolMatch]]:
        """Each text's matches; a server that stopped is restarted in the background."""
        client = self.client()
        try:
            return client.check_many(texts, timeout)
        except StageUnavailable as exc:
            if self.server is not None and isinstance(exc.__cause__, httpx.TransportError):
                self.server.lost(str(exc.__cause__))  # restarted in the background
                raise StageUnavailable(
                    self.stage, f"LanguageTool stopped ({exc.__cause__}); restarting it"
                ) from exc
            raise
