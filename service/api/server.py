"""Running the app under uvicorn, as ``copydesk serve`` does."""

from __future__ import annotations

import sys

import uvicorn

from copydesk.service.api.main import create_app
from copydesk.service.settings import Settings


def run_server(settings: Settings, *, host: str, port: int) -> None:
    """Build the app (the pipeline loads here) and serve it until stopped."""
    app = create_app(settings)
    print(f"copydesk is serving on http://{host}:{port} (API docs at /docs)", file=sys.stderr)
    uvicorn.run(app, host=host, port=port, log_level="warning")
