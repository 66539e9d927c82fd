"""The server processes copydesk starts for itself (LanguageTool, llama.cpp): one place that
launches them, waits for them, watches them, and stops them.

No server outlives the process that started it. Every server registered here is stopped
at exit (one atexit hook; the command line turns SIGTERM into an exit), and on Linux the
kernel sends the child SIGKILL when its parent dies however it dies (``kill -9``
included). That signal follows the *thread* that started the child, not the process, so
every child is launched from one long-lived supervisor thread, never from a short-lived
one. The same thread is the watchdog: every second it asks each watched server to start
again if it has died.
"""

from __future__ import annotations

import atexit
import ctypes
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol, TypeVar

_PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 1.0  # how often the watchdog looks for a server that died
STOP_SECONDS = 10.0  # how long a server has to exit on SIGTERM before SIGKILL


class Stoppable(Protocol):
    def stop(self) -> None: ...


class Revivable(Protocol):
    def revive(self) -> None: ...


class ProcessExited(Exception):
    """The child exited before it answered; ``returncode`` says how."""

    def __init__(self, returncode: int) -> None:
        super().__init__(f"exited with status {returncode}")
        self.returncode = returncode


class NotReady(Exception):
    """The child did not answer before its deadline."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def die_with_parent() -> None:
    """In the child, before exec: SIGKILL when the thread that started it ends."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


class _Supervisor:
    """The one thread that launches children, alive for as long as the process; between
    launches it is the watchdog of the servers it was asked to watch."""

    def __init__(self) -> None:
        self._jobs: queue.Queue[Callable[[], None]] = queue.Queue()
        self._watched: list[Revivable] = []
        self._thread = threading.Thread(target=self._run, name="copydesk-processes", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            try:
                job = self._jobs.get(timeout=WATCH_SECONDS)
            except queue.Empty:
                for server in list(self._watched):
                    server.revive()
                continue
            job()

    def call(self, job: Callable[[], subprocess.Popen]) -> subprocess.Popen:
        """Run ``job`` on the supervisor thread and return what it returns (or raise what
        it raises)."""
        if threading.current_thread() is self._thread:
            return job()
        done = threading.Event()
        outcome: dict = {}

        def run() -> None:
            try:
                outcome["value"] = job()
            except BaseException as exc:  # handed back to the caller, raised there
                outcome["error"] = exc
            done.set()

        self._jobs.put(run)
        done.wait()
        if "error" in outcome:
            raise outcome["error"]
        return outcome["value"]

    def watch(self, server: Revivable) -> None:
        if server not in self._watched:
            self._watched.append(server)


@lru_cache(maxsize=1)
def _supervisor() -> _Supervisor:
    return _Supervisor()


def spawn(command: Sequence[str]) -> subprocess.Popen:
    """Start ``command`` from the supervisor thread, quiet, and bound to die with this
    process."""

    def launch() -> subprocess.Popen:
        return subprocess.Popen(
            list(command),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=die_with_parent,
        )

    return _supervisor().call(launch)


def spawn_detached(command: Sequence[str], log: str | os.PathLike) -> subprocess.Popen:
    """Start ``command`` in a session of its own, to outlive this process (a server that
    other copydesk commands reuse); its output goes to the file ``log``."""
    with open(log, "ab") as out:
        return subprocess.Popen(
            list(command),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def command_line(pid: int) -> list[str]:
    """The arguments process ``pid`` runs with; empty if there is no such process."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def watch(server: Revivable) -> None:
    """Have the watchdog call ``server.revive()`` every `WATCH_SECONDS` from now on."""
    _supervisor().watch(server)


def wait_ready(
    process: subprocess.Popen, answers: Callable[[], bool], deadline: float, interval: float
) -> None:
    """Poll ``answers`` every ``interval`` seconds until it is true.

    `ProcessExited` if the process exits first, `NotReady` once ``time.monotonic()`` passes
    ``deadline``.
    """
    while not answers():
        if process.poll() is not None:
            raise ProcessExited(process.returncode)
        if time.monotonic() > deadline:
            raise NotReady
        time.sleep(interval)


def terminate(process: subprocess.Popen | None) -> None:
    """Stop ``process`` if it runs: SIGTERM, then SIGKILL after `STOP_SECONDS`."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


_SERVERS: list[Stoppable] = []
S = TypeVar("S", bound=Stoppable)


def register(server: S) -> S:
    """Stop ``server`` when this process exits (or when `stop_all` runs before that)."""
    _SERVERS.append(server)
    return server


def stop_all() -> None:
    """Stop every registered server (at exit, on SIGTERM through the exit, on shutdown)."""
    for server in _SERVERS:
        server.stop()


atexit.register(stop_all)
