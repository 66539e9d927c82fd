"""Request bodies checked before any work, as ASGI middleware: their size from
``Content-Length`` and while reading, UTF-8, and for JSON what Python's parser lets
through but nothing downstream can keep.

A body is read only up to the limit: a ``Content-Length`` over it (or a stream that
grows past it) gets its 413 at once, so a 200 MB upload never sits in memory. A JSON
body may not hold ``NaN`` or ``Infinity``, a lone UTF-16 surrogate (``"\ud800"``, which
no UTF-8 text, database or response can hold), an integer beyond 64 bits, or arrays and
objects nested deeper than ``MAX_DEPTH`` (which would exhaust the parsers' recursion): 422.
"""

from __future__ import annotations

import json
import math
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

WITH_BODY = frozenset({"POST", "PUT", "PATCH"})


async def send_json(send: Send, status: int, detail: str, headers: dict | None = None) -> None:
    body = json.dumps({"detail": detail}).encode("utf-8")
    extra = [(k.lower().encode(), str(v).encode()) for k, v in (headers or {}).items()]
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
                *extra,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """413 past ``limit`` bytes, 400 for a body that is not UTF-8; else the app runs."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in WITH_BODY:
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                await send_json(send, 400, "Content-Length is not a number")
                return
            if int(declared) > self.limit:
                await send_json(send, 413, self._too_large(int(declared)))
                return
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await send_json(send, 413, self._too_large(size, reading=True))
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            await send_json(send, 400, f"request body is not UTF-8 (byte {exc.start})")
            return
        problem = json_problem(text) if _is_json(scope) else None
        if problem is not None:
            await send_json(send, 422, problem)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    def _too_large(self, size: int, reading: bool = False) -> str:
        what = "more than" if reading else ""
        return f"request body is {what} {size} bytes; the limit is {self.limit}".replace("  ", " ")


INT64 = 2**63 - 1
MAX_DEPTH = 64  # the API's own bodies nest 4 deep


def _is_json(scope: Scope) -> bool:
    """Whether FastAPI would parse the body as JSON: no content type, ``application/json``
    or ``application/<anything>+json``."""
    kind = dict(scope["headers"]).get(b"content-type", b"").split(b";")[0].strip().lower()
    return kind in (b"application/json", b"") or (
        kind.startswith(b"application/") and kind.endswith(b"+json")
    )


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON allows")


def json_problem(text: str) -> str | None:
    """Why a JSON body cannot be taken (None when it can, or when it is not JSON at all:
    the route's own parsing then answers)."""
    if not text.strip():
        return None
    too_deep = f"invalid JSON: arrays and objects nested over {MAX_DEPTH} deep"
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        return too_deep
    except ValueError as exc:
        if "JSON allows" in str(exc):
            return f"invalid JSON: {exc}"
        return None
    stack = [(data, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return too_deep
        if isinstance(item, str):
            if any(0xD800 <= ord(ch) <= 0xDFFF for ch in item):
                return "a string holds a lone UTF-16 surrogate, which is no character"
        elif isinstance(item, bool):
            continue
        elif isinstance(item, float):
            if not math.isfinite(item):
                return "a number is too large for a 64-bit float"
        elif isinstance(item, int):
            if not -INT64 - 1 <= item <= INT64:
                return f"the integer {item} is beyond 64 bits"
        elif isinstance(item, dict):
            stack.extend((key, depth) for key in item)
            stack.extend((value, depth + 1) for value in item.values())
        elif isinstance(item, list):
            stack.extend((value, depth + 1) for value in item)
    return None
