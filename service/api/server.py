"""Running the app under uvicorn, as ``copydesk serve`` does."""

from __future__ import annotations

import sys

import uvicorn

from copydesk import models
from copydesk.service.api.main import create_app
from copydesk.service.settings import Settings

# After a stop signal, requests in flight get this long to finish; then they are
# cancelled and the app's shutdown closes the pipeline, which cancels the calls that
# any of them still waits on, so the service stops in bounded time whatever its
# backends do.
GRACE_SECONDS = 3.0


def run_server(
    settings: Settings, *, host: str, port: int, pipeline: models.Pipeline | None = None
) -> None:
    """Build the app (the pipeline loads here, unless given) and serve it until stopped."""
    app = create_app(settings, pipeline)
    print(
        f"copydesk: serving the editor's page at http://{host}:{port}/ "
        f"(the API at /v1, its docs at /docs)",
        file=sys.stderr,
    )
    uvicorn.run(
        app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=GRACE_SECONDS
    )
