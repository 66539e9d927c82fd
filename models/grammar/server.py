"""Running LanguageTool's HTTP server (Java) from the jars `make languagetool` fetches.

The manager starts ``java -cp '<lib>/*' org.languagetool.server.HTTPServer`` on
127.0.0.1 on a free port, waits until ``/v2/languages`` answers, restarts it when it
has died, and stops it when the process exits. One server serves a whole process.
"""

from __future__ import annotations

import atexit
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from functools import lru_cache
from pathlib import Path

from copydesk.models.errors import StageUnavailable

MAIN_CLASS = "org.languagetool.server.HTTPServer"
# `make languagetool` fills this folder of the checkout; found from this file, so the
# jars are found whatever the working directory (a setting may name another folder).
CHECKOUT_LIB = Path(__file__).resolve().parents[2] / ".languagetool" / "lib"


def default_lib_dir() -> Path:
    """Where the LanguageTool jars are when no setting says: the checkout's folder."""
    return CHECKOUT_LIB


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(url: str, timeout: float = 2.0) -> bool:
    """Whether a LanguageTool server answers at ``url``."""
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/v2/languages", timeout=timeout) as r:
            return r.status == 200
    except OSError:
        return False


class LanguageToolServer:
    """One local LanguageTool server process."""

    def __init__(self, lib_dir: str | Path, *, java: str = "java", start_timeout: float = 120):
        self.lib_dir = Path(lib_dir)
        self.java = java
        self.start_timeout = start_timeout
        self._process: subprocess.Popen | None = None
        self._url = ""
        self._lock = threading.Lock()

    def url(self) -> str:
        """The server's address, starting or restarting it when needed."""
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self._start()
            return self._url

    def _start(self) -> None:
        if not any(self.lib_dir.glob("languagetool-server-*.jar")):
            raise StageUnavailable("grammar", f"no LanguageTool jars in {self.lib_dir} "
                                              "(run `make languagetool`)")  # fmt: skip
        if shutil.which(self.java) is None:
            raise StageUnavailable("grammar", f"no {self.java!r} to run LanguageTool")
        port = free_port()
        command = [self.java, "-Xmx1g", "-cp", f"{self.lib_dir}/*", MAIN_CLASS, "--port", str(port)]
        self._process = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL)  # fmt: skip
        self._url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + self.start_timeout
        while not answers(self._url, timeout=1):
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise StageUnavailable("grammar", "LanguageTool server did not start")
            time.sleep(0.25)

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
        self._process = None


@lru_cache(maxsize=4)
def shared_server(lib_dir: str) -> LanguageToolServer:
    """The process's one server for ``lib_dir``, stopped when the process exits."""
    server = LanguageToolServer(lib_dir)
    atexit.register(server.stop)
    return server
