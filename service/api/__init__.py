"""The HTTP API (FastAPI): thin routes over the engine and eval.

``create_app`` is imported on first use: importing a submodule (``schemas``, say) does
not import every route, the database layer and the engine with it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from copydesk.service.api.main import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        return importlib.import_module("copydesk.service.api.main").create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
