"""Chat completions from an OpenAI-compatible server (vLLM, llama.cpp, Ollama, TGI or a
hosted API), through the openai client library.

The protocol is fixed so that any server's logs read plainly and the prompt can be
replaced: instructions, the source and the neighbouring text go in the system message;
the last (only) user message is exactly the text to repair; the model answers with the
repaired text. The prompt lives in ``prompts/post-edit.toml``, versioned.

Around the client: a total deadline per answer (``timeout``, or the request's deadline if
sooner; retries and every streamed byte count against it, and `ChatClient.close` cancels
what is in flight), bounded concurrency, the client's own retries with backoff on 429 and
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
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import httpx
from pydantic import BaseModel, ConfigDict

from copydesk.models.errors import ConfigError, StageUnavailable
from copydesk.models.rewrite.chat_http import (
    Call,
    CallOver,
    DeadlineTransport,
    environment_proxy,
    running,
)
from copydesk.models.stage import OUT_OF_TIME

PROMPT_FILE = "post-edit.toml"
DEFAULT_API_KEY_ENV = "COPYDESK_LLM_API_KEY"
BREAKER_FAILURES = 3  # failures in a row that open the breaker
BREAKER_SECONDS = 30.0  # how long it stays open


# Why a call in flight ends when the stage is closed (the service is shutting down).
CLOSED = "the LLM call was cancelled: copydesk is shutting down"


class ChatUnavailable(Exception):
    """The server cannot be used now (down, too slow, refusing, or not speaking the
    protocol); the stage is skipped with this reason."""


@dataclass(frozen=True)
class Prompt:
    version: str
    system: str
    source: str
    context: str
    hints: str = ""

    @classmethod
    def load(cls, path: str | Path | None = None) -> Prompt:
        if path is None:
            text = (resources.files("copydesk.models.rewrite") / "prompts" / PROMPT_FILE).read_text(
                encoding="utf-8"
            )
        else:
            text = Path(path).read_text(encoding="utf-8")
        data = tomllib.loads(text)
        return cls(
            data["version"], data["system"], data["source"], data["context"], data.get("hints", "")
        )

    def messages(
        self,
        text: str,
        *,
        source: str | None = None,
        context: str | None = None,
        hints: Sequence[str] = (),
        language: str = "Russian",
    ) -> list[dict[str, str]]:
        """The request: everything but the text in the system message (the hints, one a
        line, where the prompt has a place for them); the text alone, whole, in the last
        user message."""
        system = [self.system]
        if source:
            system.append(self.source.format(language=language, source=source))
        if hints and self.hints:
            system.append(self.hints.format(hints="\n".join(hints)))
        if context:
            system.append(self.context.format(context=context))
        return [
            {"role": "system", "content": "\n\n".join(system)},
            {"role": "user", "content": text},
        ]


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
    timeout: float = 60.0  # seconds one answer may take in all, retries included
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
                db.execute(
                    "CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, "
                    "text TEXT NOT NULL, logprob REAL)"
                )

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
                db.execute(
                    "INSERT OR REPLACE INTO answers VALUES (?, ?, ?)",
                    (key, answer.text, answer.mean_logprob),
                )


def default_cache_path() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(root) / "copydesk" / "llm-answers.sqlite"


class ChatClient:
    """Completions for many requests at once, cached, bounded and guarded by a breaker.

    Each answer has a total deadline: ``settings.timeout`` from when it is asked, or the
    request's deadline if that comes first, retries and every streamed byte included
    (`copydesk.models.rewrite.chat_http`). The caller is answered at the deadline
    whatever the server does, and `close` cancels every call in flight at once.
    """

    def __init__(self, settings: ChatSettings, prompt: Prompt, cache: ResponseCache) -> None:
        try:  # openai is the llm extra: imported when a chat backend is built
            from openai import OpenAI
        except ImportError as exc:
            raise StageUnavailable(
                "rewrite", "the chat backend needs the openai package: pip install 'copydesk[llm]'"
            ) from exc
        self.settings, self.prompt, self.cache = settings, prompt, cache
        api_key = os.environ.get(settings.api_key_env) or "none"  # local servers want none
        try:
            transport = DeadlineTransport(proxy=environment_proxy(settings.base_url))
        except ValueError as exc:
            raise ConfigError(f"the LLM server's proxy: {exc}") from exc
        # The transport takes the environment's proxy itself: httpx's own would bypass it.
        self._http = httpx.Client(transport=transport, timeout=settings.timeout, trust_env=False)
        self._client = OpenAI(
            base_url=settings.base_url,
            api_key=api_key,
            http_client=self._http,
            timeout=settings.timeout,
            max_retries=settings.retries,
        )
        self._failures = 0
        self._open_until = 0.0
        self._why = ""
        self._lock = threading.Lock()
        self._runs: set[_Run] = set()
        self._closed = False
        self.requests = 0  # sent to the server (not answered from the cache)

    def key(self, messages: list[dict[str, str]]) -> str:
        s = self.settings
        blob = json.dumps(
            [s.model, self.prompt.version, s.temperature, messages],
            ensure_ascii=False,
            sort_keys=True,
        )
        return hashlib.sha256(blob.encode()).hexdigest()

    def complete_many(
        self, requests: Sequence[list[dict[str, str]]], *, deadline: float | None = None
    ) -> list[Answer]:
        """One answer per request; `ChatUnavailable` if the server cannot serve them all,
        or not by ``deadline`` (a `time.monotonic()` instant; the reason is then the
        pipeline's `OUT_OF_TIME`)."""
        keys = [self.key(m) for m in requests]
        answers = [self.cache.get(k) for k in keys]
        todo = [i for i, a in enumerate(answers) if a is None]
        if not todo:
            return answers
        if deadline is not None and deadline <= time.monotonic():
            raise ChatUnavailable(OUT_OF_TIME)
        self._check_breaker()
        run = _Run(
            [requests[i] for i in todo], [keys[i] for i in todo], deadline, self.settings.timeout
        )
        with self._lock:
            if self._closed:
                raise ChatUnavailable(CLOSED)
            self._runs.add(run)
        try:
            workers = max(1, min(self.settings.max_concurrency, len(todo)))
            for _ in range(workers):
                threading.Thread(
                    target=self._work, args=(run,), name="copydesk-llm", daemon=True
                ).start()
            asked = self._wait(run)
        finally:
            with self._lock:
                self._runs.discard(run)
        for i, answer in zip(todo, asked, strict=True):
            answers[i] = answer
        return answers

    def complete(self, messages: list[dict[str, str]], *, deadline: float | None = None) -> Answer:
        return self.complete_many([messages], deadline=deadline)[0]

    def close(self) -> None:
        """Cancel every call in flight (their callers are answered at once) and refuse
        new ones: the service is shutting down."""
        with self._lock:
            self._closed = True
            runs = list(self._runs)
        for run in runs:
            run.stop(ChatUnavailable(CLOSED))
        self._http.close()

    def _wait(self, run: _Run) -> list[Answer]:
        """The run's answers, once all came; or stop it, at its deadline or an answer's."""
        while True:
            state = run.wait()
            if isinstance(state, list):
                return state
            if isinstance(state, ChatUnavailable):
                raise state
            if state == "budget":
                error = ChatUnavailable(OUT_OF_TIME)
            else:  # one answer took longer than the client allows: the server's failing
                error = self._failed(f"the LLM server took over {self.settings.timeout:g} s")
            run.stop(error)

    def _work(self, run: _Run) -> None:
        while (job := run.take()) is not None:
            i, call = job
            try:
                self._check_breaker()
                with running(call):
                    answer = self._ask(run.requests[i], call)
            except _OutOfTime:
                run.finish(i, call, expired=True)
            except ChatUnavailable as exc:
                run.finish(i, call, error=exc)
            except Exception as exc:  # the thread must report, whatever happened
                if call.stopped:  # e.g. the client closed under a stopped call
                    run.finish(i, call, error=ChatUnavailable(call.stopped))
                else:
                    why = f"the LLM call failed: {type(exc).__name__}: {exc}"
                    run.finish(i, call, error=self._failed(why))
            else:
                self.cache.put(run.keys[i], answer)
                run.finish(i, call, answer=answer)

    def _ask(self, messages: list[dict[str, str]], call: Call) -> Answer:
        import openai  # the llm extra, present once a client exists

        s = self.settings
        try:
            self.requests += 1
            response = self._client.chat.completions.create(
                model=s.model,
                messages=messages,
                temperature=s.temperature,
                max_tokens=s.max_tokens,
                logprobs=s.logprobs or None,
            )
        except (openai.OpenAIError, CallOver) as exc:
            if call.stopped:  # given up on by its caller: not the server's failure
                raise ChatUnavailable(call.stopped) from exc
            if time.monotonic() >= call.deadline:  # the waiter says whose deadline it was
                raise _OutOfTime from exc
            if isinstance(exc, openai.APITimeoutError):
                raise self._failed(f"the LLM server took over {s.timeout:g} s") from exc
            if isinstance(exc, openai.APIConnectionError):
                raise self._failed(f"the LLM server does not answer at {s.base_url}") from exc
            if isinstance(exc, openai.APIStatusError):
                raise self._failed(f"the LLM server answered {exc.status_code}") from exc
            raise self._failed("the LLM server's answer is not a chat completion") from exc
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


class _OutOfTime(Exception):
    """A call ran out its deadline (the run's or its own)."""


class _Run:
    """The calls of one `ChatClient.complete_many`: handed to its workers one at a time,
    each with its own deadline, all within the run's; it fails when any call fails."""

    def __init__(
        self,
        requests: list[list[dict[str, str]]],
        keys: list[str],
        deadline: float | None,
        per_answer: float,
    ) -> None:
        self.requests, self.keys = requests, keys
        self.deadline, self.per_answer = deadline, per_answer
        self.answers: list[Answer | None] = [None] * len(requests)
        self.error: ChatUnavailable | None = None
        self._next = self._done = 0
        self._calls: set[Call] = set()
        self._stopped = False
        self._cond = threading.Condition()

    def take(self) -> tuple[int, Call] | None:
        """The next request to ask and its call, or None when the run is over."""
        from copydesk.models.rewrite.chat_http import Call

        with self._cond:
            if self._stopped or self._next == len(self.requests):
                return None
            i, self._next = self._next, self._next + 1
            own = time.monotonic() + self.per_answer
            call = Call(own if self.deadline is None else min(own, self.deadline))
            self._calls.add(call)
            return i, call

    def finish(
        self,
        i: int,
        call: Call,
        *,
        answer: Answer | None = None,
        error: ChatUnavailable | None = None,
        expired: bool = False,
    ) -> None:
        """Record a call's outcome; an expired call stays among those in flight, for
        `wait` to tell whose deadline passed."""
        with self._cond:
            if not expired:
                self._calls.discard(call)
            if error is not None:
                self.error = self.error or error
            elif answer is not None:
                self.answers[i] = answer
                self._done += 1
            self._cond.notify_all()

    def stop(self, error: ChatUnavailable) -> None:
        """End the run with ``error``: its callers answered, its calls stopped."""
        with self._cond:
            self.error, self._stopped = self.error or error, True
            calls = list(self._calls)
            self._cond.notify_all()
        for call in calls:
            call.stop(str(error))

    def wait(self) -> list[Answer] | ChatUnavailable | str:
        """The answers; or the error that ended the run, once no call is in flight; or
        ``"budget"`` when the run's deadline passed, ``"answer"`` when a call's did."""
        with self._cond:
            while True:
                # A failure ends the run once every request was tried (each counts for
                # the breaker, which fails the rest at once); a stopped run ends at once.
                tried = self._next == len(self.requests) and not self._calls
                if self.error is not None and (self._stopped or tried):
                    return self.error
                if self._done == len(self.requests):
                    return list(self.answers)  # type: ignore[arg-type]
                now = time.monotonic()
                if self.deadline is not None and now >= self.deadline:
                    return "budget"
                due = [c.deadline for c in self._calls]
                if due and now >= min(due):
                    return "answer"
                wake = [t for t in (self.deadline, *due) if t is not None]
                self._cond.wait(min(wake) - now if wake else None)


def _mean_logprob(choice: object) -> float | None:
    content = getattr(getattr(choice, "logprobs", None), "content", None)
    if not content:
        return None
    values = [t.logprob for t in content if getattr(t, "logprob", None) is not None]
    return sum(values) / len(values) if values else None
