"""A scripted OpenAI-compatible chat server for the rewrite backend's tests: answers by
the text asked, and misbehaves on request (429, 500, slow, dripping, garbage)."""

from __future__ import annotations

import asyncio
import json

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, StreamingResponse


class Script:
    def __init__(self) -> None:
        self.answers: dict[str, str] = {}
        # or "429-once", "500", "slow" (answers after `delay` seconds), "drip" (sends
        # the headers, then a byte of its answer every `delay` seconds), "garbage",
        # "no-choices"
        self.mode = "normal"
        self.delay = 3.0
        self.requests: list[dict] = []
        self._limited = False

    def reset(self) -> None:
        self.answers.clear()
        self.requests.clear()
        self.mode, self.delay, self._limited = "normal", 3.0, False


def scripted_app(script: Script) -> FastAPI:
    app = FastAPI()

    @app.get("/v1/models")
    def models() -> dict:
        return {"object": "list", "data": [{"id": "scripted", "object": "model"}]}

    @app.post("/v1/chat/completions")
    async def complete(request: Request):
        body = await request.json()
        script.requests.append(body)
        if script.mode == "429-once" and not script._limited:
            script._limited = True
            return JSONResponse(
                {"error": {"message": "slow down"}}, 429, headers={"retry-after": "0"}
            )
        if script.mode == "500":
            return JSONResponse({"error": {"message": "boom"}}, 500)
        if script.mode == "slow":
            await asyncio.sleep(script.delay)
        if script.mode == "garbage":
            return PlainTextResponse("<html>not json</html>")
        if script.mode == "no-choices":
            return JSONResponse({"id": "x", "object": "chat.completion", "choices": []})
        text = body["messages"][-1]["content"]
        answer = script.answers.get(text, text)
        completion = {
            "id": "c1",
            "object": "chat.completion",
            "created": 0,
            "model": body["model"],
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "message": {"role": "assistant", "content": answer},
                    "logprobs": {
                        "content": [
                            {"token": "x", "logprob": -0.05, "bytes": None, "top_logprobs": []}
                        ]
                    },
                }
            ],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }
        if script.mode == "drip":
            return StreamingResponse(
                _drip(json.dumps(completion).encode(), script.delay), media_type="application/json"
            )
        return completion

    return app


async def _drip(body: bytes, every: float):
    for i in range(len(body)):
        yield body[i : i + 1]
        await asyncio.sleep(every)
