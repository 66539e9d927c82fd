"""Servers the benchmarks start as their users start them: ``copydesk serve`` and a
plain LanguageTool server, each on a free port and stopped on the way out."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator

import httpx

from copydesk.models.grammar.server import MAIN_CLASS, answers, default_lib_dir, free_port


def wait_for(ok: Callable[[], bool], what: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not ok():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not come up in {timeout:g} s")
        time.sleep(0.2)


def user_env(**extra: str) -> dict[str, str]:
    """The environment of a user's shell: no LanguageTool given, no shared one found."""
    env = {k: v for k, v in os.environ.items() if "LANGUAGETOOL" not in k}
    return {**env, "XDG_RUNTIME_DIR": tempfile.mkdtemp(), **extra}


@contextlib.contextmanager
def plain_languagetool() -> Iterator[str]:
    """LanguageTool's server as its documentation starts it, on a free port."""
    port = free_port()
    command = ["java", "-cp", f"{default_lib_dir()}/*", MAIN_CLASS, "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: answers(url, timeout=1), "LanguageTool")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


@contextlib.contextmanager
def copydesk_serve() -> Iterator[tuple[str, subprocess.Popen]]:
    """``copydesk serve`` as a user starts it (the default pipeline, its own LanguageTool,
    a fresh database), once ``/ready`` says every stage is: its address and process."""
    port = free_port()
    env = user_env(
        COPYDESK_PORT=str(port), COPYDESK_DATABASE_URL=f"sqlite:///{tempfile.mkdtemp()}/b.db"
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "copydesk.service.cli", "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        if server.poll() is not None:
            raise RuntimeError("copydesk serve exited before it was ready")
        try:
            return httpx.get(url + "/ready", timeout=1).json().get("status") == "ready"
        except (httpx.HTTPError, ValueError):
            return False

    try:
        wait_for(ready, "copydesk serve")
        yield url, server
    finally:
        server.terminate()
        server.wait(timeout=30)
