"""``copydesk serve``: the HTTP API and the editor's page.

The LanguageTool server the service starts is shared with other copydesk commands while it
runs (`copydesk.models.grammar.server.share_started_servers`): a ``copydesk repair`` in
another shell uses it instead of starting a JVM of its own.
"""

from __future__ import annotations

import sys
import threading
import time

import click

from copydesk import models
from copydesk.models import RepairContext, markup
from copydesk.models.grammar.server import START_TIMEOUT, share_started_servers
from copydesk.service.cli.common import load_pipeline, read_input
from copydesk.service.render import as_diff, stage_warnings, summary
from copydesk.service.settings import get_settings


@click.command()
@click.option("--host", help="Default: COPYDESK_HOST or 127.0.0.1.")
@click.option("--port", type=int, help="Default: COPYDESK_PORT or 8000.")
@click.option(
    "--diff",
    "diff_file",
    type=click.Path(dir_okay=False, exists=True),
    help="Once the stages are ready, print this file's repairs as an inline diff (with the "
    "service's own stages and LanguageTool: `make run` shows the seed article so).",
)
def serve(host: str | None, port: int | None, diff_file: str | None) -> None:
    """Start the HTTP service (models load once, at start-up)."""
    # The HTTP stack (FastAPI, uvicorn, SQLAlchemy, Alembic) loads only for this command.
    from copydesk.service.api.server import run_server

    settings = get_settings()
    share_started_servers("copydesk serve")
    pipeline = load_pipeline(None)
    host, port = host or settings.host, port or settings.port
    if diff_file is not None:
        text = read_input(diff_file)
        address = f"http://{host}:{port}/"
        threading.Thread(
            target=_show_diff,
            args=(pipeline, text, diff_file, address),
            name="copydesk-diff",
            daemon=True,
        ).start()
    run_server(settings, host=host, port=port, pipeline=pipeline)


def _show_diff(pipeline: models.Pipeline, text: str, name: str, address: str) -> None:
    """Wait for the stages' warm-up (the service's, in the background), then print the
    repairs of ``text`` and where the editor's page is."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline and any(
        state == "starting" for state, _ in pipeline.status().values()
    ):
        time.sleep(0.2)
    layout = markup.parse(text, markup.guess_format(name))
    [result] = markup.repair_layouts(pipeline, [layout], [RepairContext()])
    color = sys.stdout.isatty()
    click.echo(as_diff(result, color=color), nl=False, color=color)
    click.echo(summary(result), err=True)
    for line in stage_warnings(result.stages):
        click.echo(line, err=True)
    click.echo(f"copydesk: ready: the editor's page is at {address}", err=True)
