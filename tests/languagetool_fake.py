"""A LanguageTool stand-in on a real socket, for the client's deadlines and refusals.

``POST /v2/check`` answers at once with a match on each "go", unless the text says
otherwise: ``slow`` holds the request for ``slow_seconds`` (watching for the client to
close it), ``limit`` answers LanguageTool's check-time-limit error, ``busy`` its 503.
"""

from __future__ import annotations

import contextlib
import json
import re
import select
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeLanguageTool(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, slow_seconds: float = 10.0) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.slow_seconds = slow_seconds
        self.lock = threading.Lock()
        self.checks = 0  # requests to /v2/check
        self.running = 0  # slow checks being held now
        self.closed = 0  # slow checks whose client closed the connection
        self.texts: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: FakeLanguageTool

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        self._answer(200, b"[]")

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        text = urllib.parse.parse_qs(body).get("text", [""])[0]
        with self.server.lock:
            self.server.checks += 1
            self.server.texts.append(text)
        if "limit" in text:
            said = "Error: Checking took longer than 10.0 seconds, which is this server's limit."
            return self._answer(500, said.encode())
        if "busy" in text:
            return self._answer(503, b"Error: There are currently too many parallel requests.")
        if "slow" in text and not self._hold():
            return
        matches = [
            {
                "offset": len(text[: m.start()].encode("utf-16-le")) // 2,
                "length": 2,
                "message": "agreement",
                "replacements": [{"value": "goes"}],
                "rule": {"id": "HE_VERB_AGR", "category": {"id": "GRAMMAR"}},
            }
            for m in re.finditer(r"\bgo\b", text)
        ]
        self._answer(200, json.dumps({"matches": matches}).encode())

    def _hold(self) -> bool:
        """Wait ``slow_seconds``; False if the client closed the connection meanwhile."""
        with self.server.lock:
            self.server.running += 1
        try:
            ends = time.monotonic() + self.server.slow_seconds
            while time.monotonic() < ends:
                readable, _, _ = select.select([self.connection], [], [], 0.02)
                if readable and not self.connection.recv(1, socket.MSG_PEEK):
                    with self.server.lock:
                        self.server.closed += 1
                    return False
            return True
        finally:
            with self.server.lock:
                self.server.running -= 1

    def _answer(self, code: int, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):
            self.wfile.write(body)


@contextlib.contextmanager
def fake_languagetool(slow_seconds: float = 10.0) -> Iterator[FakeLanguageTool]:
    server = FakeLanguageTool(slow_seconds)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def wait_for(condition, seconds: float = 3.0) -> bool:
    """Whether ``condition()`` comes true within ``seconds``."""
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        if condition():
            return True
        time.sleep(0.02)
    return condition()
