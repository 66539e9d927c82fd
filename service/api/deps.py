"""Reusable dependencies: the pipeline built at start-up, the settings, the API key check."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request, status
from sqlalchemy.orm import Session

from copydesk.models import Pipeline
from copydesk.service.settings import Settings


def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


def get_pipeline(request: Request) -> Pipeline:
    return request.app.state.pipeline


def get_session(request: Request) -> Iterator[Session]:
    with request.app.state.sessions() as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
PipelineDep = Annotated[Pipeline, Depends(get_pipeline)]
SessionDep = Annotated[Session, Depends(get_session)]


def require_api_key(
    request: Request, settings: SettingsDep, x_api_key: Annotated[str | None, Header()] = None
) -> Iterator[None]:
    """401 unless no keys are configured or the request carries one of them; then the
    key's rate and concurrency limits (`copydesk.service.api.ratelimit`)."""
    if not settings.api_keys:
        yield
        return
    if x_api_key not in settings.api_keys:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing or unknown X-API-Key")
    slot = request.app.state.key_limits.enter(x_api_key)
    try:
        yield
    finally:
        slot.release()
