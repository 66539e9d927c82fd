"""Reusable dependencies: the pipeline built at start-up, the settings, the API key check."""

from __future__ import annotations

import threading
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
    slot = enter_key(request, settings, x_api_key)
    try:
        yield
    finally:
        if slot is not None:
            slot.release()


def enter_key(
    request: Request, settings: Settings, key: str | None, *, name: str = "X-API-Key"
) -> threading.BoundedSemaphore | None:
    """Check ``key`` and take one of its request slots (None when keys are off); the
    caller releases the slot when the request is done."""
    if not settings.api_keys:
        return None
    if key not in settings.api_keys:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, f"missing or unknown {name}")
    return request.app.state.key_limits.enter(key)
