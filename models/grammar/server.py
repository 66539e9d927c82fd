"""Running LanguageTool's HTTP server (Java) from the jars `make languagetool` fetches.

The manager starts ``java -cp '<lib>/*' org.languagetool.server.HTTPServer`` on
127.0.0.1 on a free port and counts it ready only once it has answered one real check
(a cold JVM takes many seconds over its first; later checks take milliseconds). A
server that dies is noticed at once and started again in the background; meanwhile
callers are told it is restarting instead of waiting on it.

The process itself is managed by `copydesk.models.processes`: launched from its
supervisor thread (so the kernel kills the JVM when copydesk dies, ``kill -9``
included), watched by its watchdog, and stopped by its one exit hook (the service also
stops it on shutdown, the command line on SIGTERM).

A JVM takes seconds to start, so one that runs for long is shared: ``copydesk serve``
and ``copydesk languagetool start`` (which leaves a server running in the background)
write its address, per set of jars, to a small file in the user's state folder
(`state_dir`), and a grammar stage that would start a JVM uses a server written there
instead (`discover`). A file whose process is gone is removed when it is read.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from copydesk.models import processes
from copydesk.models.errors import StageUnavailable
from copydesk.models.processes import NotReady, ProcessExited, free_port

MAIN_CLASS = "org.languagetool.server.HTTPServer"
# `make languagetool` fills this folder of the checkout; found from this file, so the
# jars are found whatever the working directory (a setting may name another folder).
CHECKOUT_LIB = Path(__file__).resolve().parents[2] / ".languagetool" / "lib"
START_TIMEOUT = 120.0  # seconds for a cold JVM to answer its first check
WARM_TEXT = "This are a warm-up check. If it will rain, we stay."
# Its check-time limit, bounded queue and longest text (LanguageTool's `--config`).
CONFIG = Path(__file__).resolve().parent / "server.properties"
log = logging.getLogger("copydesk")


def default_lib_dir() -> Path:
    """Where the LanguageTool jars are when no setting says: the checkout's folder."""
    return CHECKOUT_LIB


def answers(url: str, timeout: float = 2.0) -> bool:
    """Whether a LanguageTool server answers at ``url``."""
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/v2/languages", timeout=timeout) as r:
            return r.status == 200
    except OSError:
        return False


def warm(url: str, timeout: float = START_TIMEOUT) -> None:
    """One real check, so that the JVM has loaded what every check needs. A cold JVM on a
    busy machine can pass the server's check-time limit (an error 500): tried again."""
    body = urllib.parse.urlencode({"text": WARM_TEXT, "language": "en-US"}).encode()
    request = urllib.request.Request(f"{url.rstrip('/')}/v2/check", data=body)
    deadline = time.monotonic() + timeout
    while True:
        try:
            left = max(1.0, deadline - time.monotonic())
            with urllib.request.urlopen(request, timeout=left) as response:
                json.loads(response.read())
            return
        except urllib.error.HTTPError as exc:
            if exc.code != 500 or time.monotonic() >= deadline:
                raise


def state_dir() -> Path:
    """The user's folder for the servers copydesk shares between its commands:
    ``$XDG_RUNTIME_DIR/copydesk``, else ``~/.cache/copydesk/run``."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime:
        return Path(runtime) / "copydesk"
    return Path.home() / ".cache" / "copydesk" / "run"


def _state_file(lib_dir: str | Path, suffix: str = "json") -> Path:
    """One file per set of jars: servers of other checkouts or versions are not shared."""
    key = hashlib.sha1(str(Path(lib_dir).absolute()).encode()).hexdigest()[:12]
    return state_dir() / f"languagetool-{key}.{suffix}"


@dataclass(frozen=True)
class SharedServer:
    """A LanguageTool server that other copydesk commands may use: where, and whose."""

    url: str
    pid: int  # the JVM's
    lib_dir: str
    owner: str  # the command that runs it: ``copydesk serve`` or ``copydesk languagetool start``
    owner_pid: int


def publish(server: SharedServer) -> None:
    """Write ``server`` down for other commands (atomically: a reader sees all or none)."""
    path = _state_file(server.lib_dir)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(json.dumps(asdict(server)), encoding="utf-8")
    partial.replace(path)


def unpublish(lib_dir: str | Path, pid: int) -> None:
    """Remove the file of the server with JVM ``pid`` (another's is left alone)."""
    found = published(lib_dir)
    if found is not None and found.pid == pid:
        _state_file(lib_dir).unlink(missing_ok=True)


def published(lib_dir: str | Path) -> SharedServer | None:
    """The shared server for ``lib_dir`` whose JVM still runs; a stale file is removed."""
    path = _state_file(lib_dir)
    try:
        server = SharedServer(**json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError):
        path.unlink(missing_ok=True)  # unreadable: written by something else
        return None
    if MAIN_CLASS not in processes.command_line(server.pid):
        path.unlink(missing_ok=True)  # its JVM is gone (the pid may even be another's now)
        return None
    return server


def discover(lib_dir: str | Path) -> str | None:
    """The address of a shared server for ``lib_dir`` that answers now, if there is one."""
    server = published(lib_dir)
    if server is not None and answers(server.url, timeout=2):
        return server.url
    return None


_share_started = ""  # set by `share_started_servers`: the owner written in the file


def share_started_servers(owner: str) -> None:
    """From now on, publish every server this process starts once it is ready (and
    remove it when it stops): ``copydesk serve`` lends its server to other commands."""
    global _share_started
    _share_started = owner


class ServerState(StrEnum):
    STOPPED = "stopped"
    STARTING = "starting"
    READY = "ready"
    FAILED = "failed"


class LanguageToolServer:
    """One local LanguageTool server process, started and restarted in the background."""

    def __init__(
        self,
        lib_dir: str | Path,
        *,
        java: str = "java",
        start_timeout: float = START_TIMEOUT,
        memory: str = "1g",
        detached: bool = False,
    ) -> None:
        self.lib_dir = Path(lib_dir)
        # Detached: the JVM outlives this process (`copydesk languagetool start`).
        self.detached = detached
        self.java = java
        self.start_timeout = start_timeout
        self.memory = memory
        self._process: subprocess.Popen | None = None
        self._url = ""
        self._state = ServerState.STOPPED
        self._reason = ""
        self._ready = threading.Event()
        self._lock = threading.Lock()
        self.starts = 0  # how many times a JVM was started (restarts included)
        self.warm_seconds = 0.0  # how long the last start took, to the end of its warm-up
        self._stopped = False  # stopped on purpose: the watchdog leaves it be

    @property
    def state(self) -> ServerState:
        with self._lock:
            self._notice_death()
            return self._state

    @property
    def reason(self) -> str:
        return self._reason

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def start(self) -> None:
        """Start the server in the background unless it is ready or starting."""
        with self._lock:
            self._stopped = False
            self._notice_death()
            if self._state in (ServerState.READY, ServerState.STARTING):
                return
            self._check_installed()
            again = "LanguageTool stopped; restarting it" if self.starts else ""
            self._state = ServerState.STARTING
            self._reason = again or "LanguageTool is starting"
            self._ready.clear()
        threading.Thread(target=self._start, name="copydesk-languagetool", daemon=True).start()

    def url(self, wait: float = 0.0) -> str:
        """The ready server's address; starts it, and waits up to ``wait`` seconds.

        `StageUnavailable` says why there is none yet: starting, restarting or failed.
        """
        self.start()
        if not self._ready.wait(timeout=wait) or self.state is not ServerState.READY:
            raise StageUnavailable("grammar", self._reason or "LanguageTool is starting")
        return self._url

    def revive(self) -> None:
        """Start again a server that was ready and has died (the watchdog calls this)."""
        with self._lock:
            self._notice_death()
            dead = self._state is ServerState.STOPPED and self.starts and not self._stopped
        if dead:
            self.start()

    def lost(self, why: str) -> None:
        """A caller found the server gone (refused connection): restart it."""
        with self._lock:
            if self._state is ServerState.READY:
                self._kill()
                self._state, self._reason = ServerState.STOPPED, f"LanguageTool stopped ({why})"
        self.start()

    def _check_installed(self) -> None:
        if not any(self.lib_dir.glob("languagetool-server-*.jar")):
            self._state = ServerState.FAILED
            self._reason = f"no LanguageTool jars in {self.lib_dir} (run `make languagetool`)"
            raise StageUnavailable("grammar", self._reason)
        if shutil.which(self.java) is None:
            self._state = ServerState.FAILED
            self._reason = f"no {self.java!r} to run LanguageTool (Java 17 is needed)"
            raise StageUnavailable("grammar", self._reason)

    def _notice_death(self) -> None:
        """(Under the lock.) A ready server whose process has exited is restarting."""
        if self._state is ServerState.READY and (
            self._process is None or self._process.poll() is not None
        ):
            self._state = ServerState.STOPPED
            self._reason = "LanguageTool stopped; restarting it"
            self._ready.clear()

    def _start(self) -> None:
        """On a thread of its own: launch, wait until it answers, warm it up."""
        log.info("starting LanguageTool (a JVM: seconds to a minute the first time)")
        port = free_port()
        command = [self.java, f"-Xmx{self.memory}", "-cp", f"{self.lib_dir}/*", MAIN_CLASS]
        process = self._spawn([*command, "--port", str(port), "--config", str(CONFIG)])
        with self._lock:
            self._process, self._url = process, f"http://127.0.0.1:{port}"
            self.starts += 1
        processes.watch(self)
        started = time.monotonic()
        deadline = started + self.start_timeout
        try:
            processes.wait_ready(process, lambda: answers(self._url, timeout=1), deadline, 0.2)
            warm(self._url, timeout=max(1.0, deadline - time.monotonic()))
        except (ProcessExited, NotReady, OSError, ValueError) as exc:
            with self._lock:
                self._kill()
                self._state = ServerState.FAILED
                self._reason = f"LanguageTool failed: {self._why_not(exc)}"
            log.warning("%s", self._reason)
            self._ready.set()
            return
        with self._lock:
            self._state, self._reason = ServerState.READY, ""
            self.warm_seconds = round(time.monotonic() - started, 2)
        log.info("LanguageTool ready (%.1f s)", self.warm_seconds)
        if _share_started and not self.detached:
            owner = SharedServer(
                self._url, process.pid, str(self.lib_dir), _share_started, os.getpid()
            )
            publish(owner)
        self._ready.set()

    def _spawn(self, argv: list[str]) -> subprocess.Popen:
        if not self.detached:
            return processes.spawn(argv)
        state_dir().mkdir(parents=True, exist_ok=True, mode=0o700)
        return processes.spawn_detached(argv, _state_file(self.lib_dir, "log"))

    def _why_not(self, exc: Exception) -> str:
        if isinstance(exc, ProcessExited):
            return f"LanguageTool exited at start (status {exc.returncode})"
        if isinstance(exc, NotReady):
            return f"LanguageTool did not answer in {self.start_timeout:g} s"
        return str(exc)

    def _kill(self) -> None:
        """(Under the lock.) Stop the process, if any."""
        process, self._process = self._process, None
        if process is not None and _share_started:
            unpublish(self.lib_dir, process.pid)
        processes.terminate(process)

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            self._kill()
            self._state, self._reason = ServerState.STOPPED, "LanguageTool was stopped"
            self._ready.clear()


@lru_cache(maxsize=4)
def shared_server(lib_dir: str) -> LanguageToolServer:
    """The process's one server for ``lib_dir``, stopped when the process exits."""
    return processes.register(LanguageToolServer(lib_dir))
