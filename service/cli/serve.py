"""``copydesk serve``: the HTTP API and the editor's page."""

from __future__ import annotations

import click

from copydesk.service.settings import get_settings


@click.command()
@click.option("--host", help="Default: COPYDESK_HOST or 127.0.0.1.")
@click.option("--port", type=int, help="Default: COPYDESK_PORT or 8000.")
def serve(host: str | None, port: int | None) -> None:
    """Start the HTTP service (models load once, at start-up)."""
    # The HTTP stack (FastAPI, uvicorn, SQLAlchemy, Alembic) loads only for this command.
    from copydesk.service.api.server import run_server

    settings = get_settings()
    run_server(settings, host=host or settings.host, port=port or settings.port)
