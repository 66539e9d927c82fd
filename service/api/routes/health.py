"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from copydesk.service.api.deps import PipelineDep

router = APIRouter(tags=["health"])


@router.get("/health")
def health() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/ready")
def ready(pipeline: PipelineDep, response: Response) -> dict:
    """Models are loaded; stages that cannot run are listed as skipped."""
    probe = pipeline.repair("ready.")
    stages = {s.name: s.status.value for s in probe.stages}
    degraded = any(v == "failed" for v in stages.values())
    if degraded:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return {"status": "degraded" if degraded else "ready", "stages": stages}
