"""The FastAPI application: settings and the pipeline are set up once, routers mounted."""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import Depends, FastAPI, Request, Response
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from copydesk import models
from copydesk.service.api.deps import require_api_key
from copydesk.service.api.jobs import JobRunner
from copydesk.service.api.metrics import ServiceMetrics
from copydesk.service.api.routes import feedback, glossaries, health, jobs, repair, score
from copydesk.service.db.session import make_engine, migrate, session_factory
from copydesk.service.settings import Settings, get_settings

_ID_SEGMENT = re.compile(r"/\d+(?=/|$)")


def create_app(
    settings: Settings | None = None, pipeline: models.Pipeline | None = None
) -> FastAPI:
    """Build the app; the pipeline loads here, once per process."""
    settings = settings or get_settings()
    app = FastAPI(
        title="copydesk",
        version="0.1.0",
        description="Repairs machine-translated English news; scores repairs.",
    )
    app.state.settings = settings
    app.state.pipeline = pipeline or models.load(
        settings.pipeline, overrides=settings.stage_overrides()
    )
    engine = make_engine(settings.database_url)
    migrate(engine)
    app.state.sessions = session_factory(engine)
    app.state.metrics = metrics = ServiceMetrics()
    app.state.jobs = JobRunner(app.state.sessions, app.state.pipeline, settings.jobs_dir,
                               settings.max_text_chars, settings.job_workers)  # fmt: skip
    app.state.jobs.resume_unfinished()

    @app.middleware("http")
    async def limit_body(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        """413 past the byte limit and 400 for bodies that are not UTF-8, before parsing."""
        if request.method in ("POST", "PUT", "PATCH"):
            body = await request.body()
            if len(body) > settings.max_request_bytes:
                return JSONResponse(
                    {"detail": f"request body is {len(body)} bytes; the limit is "
                               f"{settings.max_request_bytes}"},
                    status_code=413,
                )  # fmt: skip
            try:
                body.decode("utf-8")
            except UnicodeDecodeError as exc:
                return JSONResponse(
                    {"detail": f"request body is not UTF-8 (byte {exc.start})"}, status_code=400
                )
        started = time.perf_counter()
        response = await call_next(request)
        metrics.observe_request(
            request.method,
            _route_label(request),
            response.status_code,
            time.perf_counter() - started,
        )
        return response

    @app.get("/metrics", include_in_schema=False)
    def prometheus() -> Response:
        return Response(metrics.render(), media_type="text/plain; version=0.0.4")

    static = Path(__file__).parent / "static"
    app.mount("/static", StaticFiles(directory=static), name="static")

    @app.get("/", include_in_schema=False)
    def editor() -> FileResponse:
        return FileResponse(static / "index.html")

    app.include_router(health.router)
    guarded = [Depends(require_api_key)]
    app.include_router(repair.router, prefix="/v1", dependencies=guarded)
    app.include_router(score.router, prefix="/v1", dependencies=guarded)
    app.include_router(glossaries.router, prefix="/v1", dependencies=guarded)
    app.include_router(feedback.router, prefix="/v1", dependencies=guarded)
    app.include_router(jobs.router, prefix="/v1", dependencies=guarded)
    return app


def _route_label(request: Request) -> str:
    """A bounded label for the route: the path with ids as ``{id}``; unmatched paths pooled."""
    if request.scope.get("route") is None:
        return "unmatched"
    return _ID_SEGMENT.sub("/{id}", request.url.path)
