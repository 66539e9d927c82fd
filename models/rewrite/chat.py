"""Chat completions from an OpenAI-compatible server (vLLM, llama.cpp, Ollama, TGI or a
hosted API), through the openai client library.

The protocol is fixed so that any server's logs read plainly and the prompt can be
replaced: instructions, the source and the neighbouring text go in the system message;
the last (only) user message is exactly the text to repair; the model answers with the
repaired text. The prompt lives in ``prompts/post-edit.toml``, versioned.

Around the client: bounded concurrency, the client's own retries with backoff on 429 and
5xx, a circuit breaker (after a few failures in a row every call fails at once for a
while, so a down server costs one timeout, not one per sentence), and a cache of answers
by (model, prompt version, messages, temperature) on disk, so a resumed batch or a
repeated request asks nothing twice.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
import tomllib
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict

PROMPT_FILE = "post-edit.toml"
DEFAULT_API_KEY_ENV = "COPYDESK_LLM_API_KEY"
BREAKER_FAILURES = 3  # failures in a row that open the breaker
BREAKER_SECONDS = 30.0  # how long it stays open


class ChatUnavailable(Exception):
    """The server cannot be used now (down, too slow, refusing, or not speaking the
    protocol); the stage is skipped with this reason."""


@dataclass(frozen=True)
class Prompt:
    version: str
    system: str
    source: str
    context: str

    @classmethod
    def load(cls, path: str | Path | None = None) -> Prompt:
        if path is None:
            text = (resources.files("copydesk.models.rewrite") / "prompts" / PROMPT_FILE).read_text(
                encoding="utf-8"
            )
        else:
            text = Path(path).read_text(encoding="utf-8")
        data = tomllib.loads(text)
        return cls(data["version"], data["system"], data["source"], data["context"])

    def messages(self, text: str, *, source: str | None = None, context: str | None = None,
                 language: str = "Russian") -> list[dict[str, str]]:  # fmt: skip
        """The request: everything but the text in the system message; the text alone,
        whole, in the last user message."""
        system = [self.system]
        if source:
            system.append(self.source.format(language=language, source=source))
        if context:
            system.append(self.context.format(context=context))
        return [{"role": "system", "content": "\n\n".join(system)},
                {"role": "user", "content": text}]  # fmt: skip


@dataclass(frozen=True)
class Answer:
    text: str
    mean_logprob: float | None = None  # per token, when the server gives log-probabilities


class ChatSettings(BaseModel):
    """How to reach an OpenAI-compatible model server and ask it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    base_url: str
    model: str
    api_key_env: str = DEFAULT_API_KEY_ENV
    temperature: float = 0.0
    max_concurrency: int = 4
    timeout: float = 60.0
    retries: int = 2
    logprobs: bool = True
    max_tokens: int = 512


class ResponseCache:
    """Answers by request, in a SQLite file shared by processes (None: memory only)."""

    def __init__(self, path: str | Path | None) -> None:
        self._memory: dict[str, Answer] = {}
        self._lock = threading.Lock()
        self._path = Path(path).expanduser() if path else None
        if self._path is not None:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as db:
                db.execute("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, "
                           "text TEXT NOT NULL, logprob REAL)")  # fmt: skip

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self._path, timeout=30)

    def get(self, key: str) -> Answer | None:
        with self._lock:
            if key in self._memory:
                return self._memory[key]
        if self._path is None:
            return None
        with self._connect() as db:
            row = db.execute("SELECT text, logprob FROM answers WHERE key = ?", (key,)).fetchone()
        return Answer(row[0], row[1]) if row else None

    def put(self, key: str, answer: Answer) -> None:
        with self._lock:
            self._memory[key] = answer
        if self._path is not None:
            with self._connect() as db:
                db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?)",
                           (key, answer.text, answer.mean_logprob))  # fmt: skip


def default_cache_path() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(root) / "copydesk" / "llm-answers.sqlite"


class ChatClient:
    """Completions for many requests at once, cached, bounded and guarded by a breaker."""

    def __init__(self, settings: ChatSettings, prompt: Prompt, cache: ResponseCache) -> None:
        try:
            from openai import OpenAI
        except ImportError as exc:
            from copydesk.models.errors import StageUnavailable

            raise StageUnavailable(
                "rewrite", "the chat backend needs the openai package: pip install 'copydesk[llm]'"
            ) from exc

        self.settings, self.prompt, self.cache = settings, prompt, cache
        api_key = os.environ.get(settings.api_key_env) or "none"  # local servers want none
        self._client = OpenAI(base_url=settings.base_url, api_key=api_key,
                              timeout=settings.timeout, max_retries=settings.retries)  # fmt: skip
        self._failures = 0
        self._open_until = 0.0
        self._why = ""
        self._lock = threading.Lock()
        self.requests = 0  # sent to the server (not answered from the cache)

    def key(self, messages: list[dict[str, str]]) -> str:
        s = self.settings
        blob = json.dumps([s.model, self.prompt.version, s.temperature, messages],
                          ensure_ascii=False, sort_keys=True)  # fmt: skip
        return hashlib.sha256(blob.encode()).hexdigest()

    def complete_many(self, requests: Sequence[list[dict[str, str]]]) -> list[Answer]:
        """One answer per request; `ChatUnavailable` if the server cannot serve them."""
        self._check_breaker()
        workers = max(1, min(self.settings.max_concurrency, len(requests)))
        with ThreadPoolExecutor(workers, thread_name_prefix="copydesk-llm") as pool:
            return list(pool.map(self.complete, requests))

    def complete(self, messages: list[dict[str, str]]) -> Answer:
        key = self.key(messages)
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        self._check_breaker()
        answer = self._ask(messages)
        self.cache.put(key, answer)
        return answer

    def _ask(self, messages: list[dict[str, str]]) -> Answer:
        import openai

        s = self.settings
        try:
            self.requests += 1
            response = self._client.chat.completions.create(
                model=s.model, messages=messages, temperature=s.temperature,
                max_tokens=s.max_tokens, logprobs=s.logprobs or None,
            )  # fmt: skip
        except openai.APITimeoutError as exc:
            raise self._failed(f"the LLM server took over {s.timeout:g} s") from exc
        except openai.APIConnectionError as exc:
            raise self._failed(f"the LLM server does not answer at {s.base_url}") from exc
        except openai.APIStatusError as exc:
            raise self._failed(f"the LLM server answered {exc.status_code}") from exc
        except (ValueError, TypeError) as exc:  # a body that is not a chat completion
            raise self._failed("the LLM server's answer is not a chat completion") from exc
        try:
            choice = response.choices[0]
            text = choice.message.content
        except (AttributeError, IndexError, TypeError) as exc:
            raise self._failed("the LLM server's answer is not a chat completion") from exc
        if not isinstance(text, str):
            raise self._failed("the LLM server's answer has no text")
        with self._lock:
            self._failures = 0
        return Answer(text.strip(), _mean_logprob(choice))

    def _failed(self, why: str) -> ChatUnavailable:
        with self._lock:
            self._failures += 1
            self._why = why
            if self._failures >= BREAKER_FAILURES:
                self._open_until = time.monotonic() + BREAKER_SECONDS
        return ChatUnavailable(why)

    def _check_breaker(self) -> None:
        with self._lock:
            if time.monotonic() < self._open_until:
                left = self._open_until - time.monotonic()
                raise ChatUnavailable(f"{self._why} (not asked again for {left:.0f} s)")


def _mean_logprob(choice: object) -> float | None:
    content = getattr(getattr(choice, "logprobs", None), "content", None)
    if not content:
        return None
    values = [t.logprob for t in content if getattr(t, "logprob", None) is not None]
    return sum(values) / len(values) if values else None
