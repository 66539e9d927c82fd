"""Liveness, readiness and metrics, answered at once: nothing here waits on a stage's
backend."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Request, Response, status
from sqlalchemy import text

from copydesk.service.api.deps import PipelineDep, SettingsDep

router = APIRouter(tags=["health"])


@router.get("/health")
def health() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/ready")
def ready(pipeline: PipelineDep, request: Request, response: Response) -> dict:
    """``ready`` (200) when every stage and the state database are up; ``degraded`` (200)
    while a stage is down, starting or restarting, or its backend's checks are timing out
    or refused (the grammar stage's, in the last 30 s); the others still repair.
    ``unavailable`` (503) when the state database is not there. Each stage's state and
    reason are listed."""
    stages = pipeline.status()
    storage, why = "ok", ""
    try:
        with request.app.state.engine.connect() as connection:
            connection.execute(text("SELECT version_num FROM alembic_version"))
    except Exception as exc:  # any driver's failure means the same here: no storage
        storage, why = "failed", str(getattr(exc, "orig", None) or exc).splitlines()[0]
    if storage != "ok":
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        state = "unavailable"
    else:
        state = "ready" if all(s == "ok" for s, _ in stages.values()) else "degraded"
    return {
        "status": state,
        "stages": {name: s for name, (s, _) in stages.items()},
        "reasons": {name: why for name, (s, why) in stages.items() if why},
        "storage": storage,
        **({"storage_reason": why} if why else {}),
    }


@router.get("/metrics", include_in_schema=False)
def metrics(
    request: Request,
    settings: SettingsDep,
    authorization: Annotated[str | None, Header()] = None,
) -> Response:
    """Prometheus' text format; with ``COPYDESK_METRICS_KEY`` set, only for
    ``Authorization: Bearer <key>`` (Prometheus' ``authorization`` scrape setting)."""
    if settings.metrics_key is not None:
        scheme, _, given = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            given.strip().encode(), settings.metrics_key.encode()
        ):
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                "/metrics needs Authorization: Bearer <COPYDESK_METRICS_KEY>",
                headers={"WWW-Authenticate": "Bearer"},
            )
    return Response(request.app.state.metrics.render(), media_type="text/plain; version=0.0.4")
