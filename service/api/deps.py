"""Reusable dependencies: the pipeline built at start-up, the settings, the API key check
and the caller it makes (the newsroom whose things a request may reach)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request, status
from sqlalchemy.orm import Session

from copydesk.models import Pipeline
from copydesk.service.settings import Caller, Settings


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


def get_caller(settings: SettingsDep, x_api_key: Annotated[str | None, Header()] = None) -> Caller:
    """The caller the request's key makes; 401 when keys are configured and it has none
    of them. With no keys configured every request is the default newsroom's."""
    caller = settings.caller(x_api_key)
    if caller is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing or unknown X-API-Key")
    return caller


CallerDep = Annotated[Caller, Depends(get_caller)]


def require_api_key(request: Request, caller: CallerDep) -> Iterator[None]:
    """401 unless no keys are configured or the request carries one of them; then the
    key's rate and concurrency limits (`copydesk.service.api.ratelimit`)."""
    slot = request.app.state.key_limits.enter(caller.key) if caller.key is not None else None
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
    if not settings.keys_required:
        return None
    caller = settings.caller(key)
    if caller is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, f"missing or unknown {name}")
    return request.app.state.key_limits.enter(key)


def visible(caller: Caller, newsroom: str | None) -> str | None:
    """The newsroom a listing shows: a member's own (another's name answers 404, as if it
    did not exist); for an admin, the one named, or every newsroom (None)."""
    if caller.admin:
        return newsroom
    if newsroom is not None and newsroom != caller.newsroom:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no newsroom {newsroom!r}")
    return caller.newsroom
