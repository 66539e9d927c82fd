"""The FastAPI application: settings and the pipeline are set up once, routers mounted."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from copydesk import models
from copydesk.service.api.bodylimit import BodyLimit
from copydesk.service.api.deps import require_api_key
from copydesk.service.api.docs import install_docs
from copydesk.service.api.errors import install_error_handlers
from copydesk.service.api.jobs import JobRunner
from copydesk.service.api.lifecycle import lifespan
from copydesk.service.api.metrics import ServiceMetrics
from copydesk.service.api.ratelimit import KeyLimits
from copydesk.service.api.routes import (
    check,
    feedback,
    glossaries,
    health,
    jobs,
    languagetool,
    learn,
    repair,
    reviews,
    score,
)
from copydesk.service.db.session import make_engine, session_factory
from copydesk.service.learning import Relearner
from copydesk.service.logs import log_to_stderr
from copydesk.service.settings import Settings, get_settings

__all__ = ["create_app"]


def create_app(
    settings: Settings | None = None, pipeline: models.Pipeline | None = None
) -> FastAPI:
    """Build the app; the pipeline loads here, once per process."""
    settings = settings or get_settings()
    log_to_stderr()
    app = FastAPI(
        title="copydesk",
        version="0.1.0",
        description="Repairs machine-translated English news; scores repairs.",
        lifespan=lifespan,
        docs_url=None,  # served from the package's own assets (copydesk.service.api.docs)
        redoc_url=None,
    )
    install_docs(app)
    app.state.settings = settings
    app.state.pipeline = pipeline or models.load(
        settings.pipeline, overrides=settings.stage_overrides(), checks=settings.checks
    )
    engine = make_engine(settings.database_url)
    app.state.engine = engine
    app.state.sessions = session_factory(engine)
    app.state.metrics = metrics = ServiceMetrics()
    app.state.key_limits = KeyLimits(settings.key_rate, settings.key_concurrency)
    app.state.jobs = JobRunner(
        app.state.sessions,
        app.state.pipeline,
        settings.jobs_dir,
        settings.max_text_chars,
        settings.job_workers,
    )
    app.state.relearner = Relearner(
        app.state.sessions,
        settings.learn_seconds,
        precision=settings.learn_precision,
        shipped=app.state.pipeline.thresholds(settings.threshold),
    )
    install_error_handlers(app)

    @app.middleware("http")
    async def measure(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        metrics.observe_request(
            request.method,
            _route_label(request),
            response.status_code,
            time.perf_counter() - started,
        )
        return response

    app.add_middleware(BodyLimit, limit=settings.max_request_bytes)
    origins = settings.cors_origin_list
    if origins:  # outermost, so that a preflight is answered before keys or limits
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=["*"],
            max_age=600,
        )

    static = Path(__file__).parent / "static"
    app.mount("/static", StaticFiles(directory=static), name="static")

    @app.get("/", include_in_schema=False)
    def editor() -> FileResponse:
        return FileResponse(static / "index.html")

    app.include_router(health.router)
    # copydesk's own API: one prefix, every route behind the API key.
    v1 = APIRouter(prefix="/v1", dependencies=[Depends(require_api_key)])
    for resource in (repair, check, score, glossaries, feedback, learn, jobs, reviews):
        v1.include_router(resource.router)
    app.include_router(v1)
    app.include_router(languagetool.router, prefix="/v2")  # checks keys itself (apiKey)
    return app


def _route_label(request: Request) -> str:
    """The route's template (``/v1/jobs/{job_id}``), never the raw path, so that the
    labels stay bounded; an unmatched path is ``unmatched``."""
    if request.scope.get("route") is None:
        return "unmatched"
    segments = request.url.path.split("/")
    names = {str(v): k for k, v in request.scope.get("path_params", {}).items()}
    return "/".join(f"{{{names[s]}}}" if s in names else s for s in segments)
