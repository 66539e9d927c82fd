"""``copydesk languagetool start|stop|status``: one LanguageTool server that every command
shares, so that repeated commands do not each pay for a JVM.

``start`` leaves the server running in the background and writes its address in the
user's state folder (`copydesk.models.grammar.server.state_dir`); the grammar stage of
every later command, and of ``copydesk serve``, uses it instead of starting its own.
"""

from __future__ import annotations

import os
import signal
import sys
import time

import click

from copydesk.models.grammar.server import (
    START_TIMEOUT,
    LanguageToolServer,
    SharedServer,
    default_lib_dir,
    discover,
    publish,
    published,
    state_dir,
)
from copydesk.service.cli.common import EXIT_ENGINE, echo_err
from copydesk.service.settings import get_settings

START_OWNER = "copydesk languagetool start"
STOP_SECONDS = 10.0


def _lib_dir() -> str:
    """The jars the grammar stage would use: the setting's folder, else the checkout's."""
    return str(get_settings().languagetool_lib or default_lib_dir())


@click.group("languagetool")
def languagetool() -> None:
    """A LanguageTool server in the background, shared by every copydesk command."""


@languagetool.command()
@click.option("--memory", default="1g", show_default=True, help="The JVM's heap (-Xmx).")
def start(memory: str) -> None:
    """Start the shared server (if none runs) and wait until it is warm."""
    lib = _lib_dir()
    url = discover(lib)
    if url is not None:
        click.echo(f"LanguageTool is already running at {url}")
        return
    server = LanguageToolServer(lib, memory=memory, detached=True)
    started = time.monotonic()
    url = server.url(wait=START_TIMEOUT)  # StageUnavailable: one line and exit 4
    publish(SharedServer(url, server.pid or 0, lib, START_OWNER, os.getpid()))
    click.echo(
        f"LanguageTool is running at {url} (pid {server.pid}, ready in "
        f"{time.monotonic() - started:.1f} s); copydesk commands use it until "
        "`copydesk languagetool stop`"
    )


@languagetool.command()
def stop() -> None:
    """Stop the server that `copydesk languagetool start` left running."""
    lib = _lib_dir()
    server = published(lib)
    if server is None:
        click.echo("no shared LanguageTool server is running")
        return
    if server.owner != START_OWNER:
        echo_err(
            f"copydesk: error: the LanguageTool at {server.url} belongs to {server.owner} "
            f"(pid {server.owner_pid}); stop that instead"
        )
        sys.exit(EXIT_ENGINE)
    os.kill(server.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    while published(lib) is not None and time.monotonic() < deadline:
        time.sleep(0.1)
    if published(lib) is not None:
        os.kill(server.pid, signal.SIGKILL)
        time.sleep(0.2)
    published(lib)  # removes the file of the JVM that is now gone
    click.echo(f"stopped LanguageTool at {server.url} (pid {server.pid})")


@languagetool.command()
def status() -> None:
    """Say whether a shared server runs, where, and whose it is (exit 1 if none)."""
    server = published(_lib_dir())
    if server is None:
        click.echo(
            "no shared LanguageTool server is running: each command starts its own "
            f"(state folder: {state_dir()})"
        )
        sys.exit(1)
    answering = "answering" if discover(server.lib_dir) else "not answering"
    click.echo(
        f"LanguageTool at {server.url} (pid {server.pid}), {answering}, "
        f"run by {server.owner} (pid {server.owner_pid})"
    )
