"""How engine and storage failures become HTTP answers: never a bare 500."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError

from copydesk import models


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(SQLAlchemyError)
    async def storage_down(request: Request, exc: SQLAlchemyError) -> JSONResponse:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        return JSONResponse(
            {"detail": f"the state database is not available: {reason}"}, status_code=503
        )

    @app.exception_handler(models.InputError)
    async def bad_input(request: Request, exc: models.InputError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=422)

    @app.exception_handler(models.ConfigError)
    async def bad_setting(request: Request, exc: models.ConfigError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=422)
