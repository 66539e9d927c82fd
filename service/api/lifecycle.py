"""The service's start and stop: stages warmed (one log line each), jobs resumed, and
on shutdown the pipeline closed, which stops the LanguageTool server its grammar stage
started (one it was given by URL is left alone)."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

log = logging.getLogger("copydesk")


def _report(name: str, state: str, seconds: float) -> None:
    log.info("stage %s %s (%.1f s)", name, "ready" if state == "ok" else state, seconds)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Warm the stages in the background (requests are served meanwhile, the warming
    stages skipped and ``/ready`` degraded), resume jobs; on shutdown stop them all."""
    warming = threading.Thread(
        target=app.state.pipeline.warm_up, args=(_report,), name="copydesk-warm-up", daemon=True
    )
    warming.start()
    app.state.jobs.resume_unfinished()
    app.state.relearner.start()  # relearning on a schedule (COPYDESK_LEARN_SECONDS)
    try:
        yield
    finally:
        app.state.relearner.stop()
        app.state.jobs.shutdown()
        app.state.pipeline.close()
