"""The HTTP API (FastAPI): thin routes over the engine and eval."""

from copydesk.service.api.main import create_app

__all__ = ["create_app"]
