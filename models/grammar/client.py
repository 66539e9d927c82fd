"""A client of LanguageTool's HTTP API (``POST /v2/check``) that checks texts in bulk.

Many texts go into one request, joined as paragraphs, and the matches are mapped back
to each text in code points (LanguageTool counts UTF-16 units, as Java does); a call
that fits one request per worker (an article's paragraphs) goes as that many runs of
neighbouring texts of about equal weight, which end together. Several requests run side
by side, up to the client's workers, which every caller shares: each
call keeps at most that many requests going at once, so concurrent calls take turns,
and each request ends by the call's deadline. Rules and categories the caller never acts
on are disabled in the request, so the server does not check them; rules it acts on by
name are enabled by name.

Written here rather than used from language_tool_python: that client maps offsets
through state shared by every check (a class attribute), so concurrent checks can
corrupt each other's offsets, and it sends one text per request.
"""

from __future__ import annotations

import bisect
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

import httpx

from copydesk.models.errors import StageUnavailable
from copydesk.models.utf16 import utf16_offsets
from copydesk.models.waiting import waiting_hook

SEPARATOR = "\n\n"  # texts are joined as paragraphs of one request
# Characters per request, from the curve `benchmarks/languagetool.py` measures on news
# lines: one line per request checks about 360 words/s, 2,000 characters 1,500 and
# 4,000 about 2,000 (4,400 with two requests side by side); larger requests gain little
# and leave a batch fewer requests to run side by side.
BULK_CHARS = 4000
MIN_CHARS = 500  # a batch is split for the parallel slots, but not below this


@dataclass(frozen=True)
class LanguageToolMatch:
    """One match, offsets in code points of the text it was found in."""

    offset: int
    length: int
    message: str
    replacements: tuple[str, ...]
    rule_id: str
    category_id: str
    short_message: str = ""
    rule_description: str = ""
    issue_type: str = ""
    category_name: str = ""
    extra: dict = field(default_factory=dict, compare=False)


def pack(
    texts: Sequence[str], limit: int = BULK_CHARS, costs: Sequence[int] | None = None
) -> list[list[int]]:
    """Indices of ``texts`` grouped into requests of about ``limit`` each, by length or by
    ``costs`` (`copydesk.models.grammar.cost`). A text over the limit goes alone; empty
    texts go nowhere."""
    groups: list[list[int]] = []
    size = 0
    for i, text in enumerate(texts):
        if not text.strip():
            continue
        weight = len(text) if costs is None else costs[i]
        if groups and size + len(SEPARATOR) + weight <= limit:
            groups[-1].append(i)
            size += len(SEPARATOR) + weight
        else:
            groups.append([i])
            size = weight
    return groups


class LanguageToolClient:
    """Checks texts against one LanguageTool server.

    Its ``parallel`` workers are shared by every caller. One call keeps at most
    ``parallel`` requests queued or running at a time, so the calls made at once take
    turns on the server whatever their size; and every request has a deadline (the
    call's, at the latest), past which its connection is closed and its worker freed.
    """

    def __init__(
        self,
        url: str,
        *,
        language: str = "en-US",
        disabled_rules: Iterable[str] = (),
        disabled_categories: Iterable[str] = (),
        enabled_rules: Iterable[str] = (),
        parallel: int = 2,
        bulk_chars: int = BULK_CHARS,
    ) -> None:
        self.url = url.rstrip("/")
        self.language = language
        self.disabled_rules = sorted(disabled_rules)
        self.disabled_categories = sorted(disabled_categories)
        self.enabled_rules = sorted(enabled_rules)
        self.bulk_chars = bulk_chars
        self.parallel = max(1, parallel)
        self._http = httpx.Client(timeout=None, limits=httpx.Limits(max_connections=parallel))
        self._pool = ThreadPoolExecutor(max_workers=self.parallel)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._http.close()

    def check(self, text: str, timeout: float) -> list[LanguageToolMatch]:
        return self.check_many([text], timeout)[0]

    def check_many(
        self,
        texts: Sequence[str],
        timeout: float,
        *,
        deadline: float | None = None,
        costs: Sequence[int] | None = None,
    ) -> list[list[LanguageToolMatch]]:
        """Each text's matches.

        ``timeout`` is seconds per request: the whole batch may take as long as its
        requests would one after another on each of the parallel slots, and never past
        ``deadline`` (a `time.monotonic` instant, the caller's request budget). ``costs``
        (each text's estimate) pack the requests by cost rather than length. Past the
        deadline `StageUnavailable` is raised and the requests still running are closed.
        """
        weights = costs if costs is not None else [len(t) for t in texts]
        # The heaviest request goes first: the last to end ends the call, and each request
        # sent holds Python's lock a moment before the next can be (the seed article's
        # heavier request went out 1.4 ms after the lighter). What each returns is the same.
        groups = deque(
            sorted(self._groups(texts, weights), key=lambda g: -sum(weights[i] for i in g))
        )
        rounds = -(-len(groups) // self.parallel) if groups else 0
        allowed = timeout * max(1, rounds)
        ends = time.monotonic() + allowed
        if deadline is not None and deadline < ends:
            ends, allowed = deadline, max(0.0, deadline - time.monotonic())
        out: list[list[LanguageToolMatch]] = [[] for _ in texts]
        running: dict[Future, list[int]] = {}
        # Whoever waits for the first requests to go out (`copydesk.models.waiting`).
        sent = _Countdown(min(len(groups), self.parallel), waiting_hook())
        try:
            while groups or running:
                while groups and len(running) < self.parallel:
                    group = groups.popleft()
                    job = self._pool.submit(
                        self._check_group, [texts[i] for i in group], timeout, ends, sent
                    )
                    running[job] = group
                done, _ = wait(
                    running, timeout=max(0.0, ends - time.monotonic()), return_when=FIRST_COMPLETED
                )
                if not done:
                    raise httpx.TimeoutException("past the deadline")
                for job in done:
                    for i, matches in zip(running.pop(job), job.result(), strict=True):
                        out[i] = matches
        except httpx.TimeoutException:
            raise StageUnavailable("grammar", f"LanguageTool took over {allowed:.3g} s") from None
        except httpx.HTTPStatusError as exc:
            raise StageUnavailable("grammar", _refusal(exc.response)) from exc
        except httpx.HTTPError as exc:
            raise StageUnavailable("grammar", f"LanguageTool failed: {exc}") from exc
        finally:
            for job in running:
                job.cancel()  # one not started yet never starts; one running ends by `ends`
        return out

    def _groups(self, texts: Sequence[str], weights: Sequence[int]) -> list[list[int]]:
        """The requests of a call, each a run of neighbouring texts. A call that fits one
        request per parallel slot is cut into that many runs of about equal weight (the
        heaviest as light as can be), so that they end together; a larger one is packed in
        order into requests of up to ``bulk_chars``."""
        total = sum(w + len(SEPARATOR) for w in weights)
        slots = min(self.parallel, -(-total // MIN_CHARS))
        if slots > 1 and total <= slots * self.bulk_chars:
            low, high = MIN_CHARS, self.bulk_chars  # the lightest limit that needs ``slots``
            while low < high:
                mid = (low + high) // 2
                low, high = (
                    (low, mid) if len(pack(texts, mid, weights)) <= slots else (mid + 1, high)
                )
            return pack(texts, low, weights)
        limit = min(self.bulk_chars, max(MIN_CHARS, -(-total // self.parallel)))
        return pack(texts, limit, weights)

    def _check_group(
        self, texts: list[str], timeout: float, ends: float, sent: _Countdown | None = None
    ) -> list[list[LanguageToolMatch]]:
        """One request for ``texts``, joined as paragraphs; matches split back per text.
        It takes at most ``timeout`` seconds from its start, and ends by ``ends``."""
        left = min(timeout, ends - time.monotonic())
        if left <= 0:
            raise httpx.TimeoutException("past the deadline before it started")
        joined = SEPARATOR.join(texts)
        starts, cursor = [], 0
        for text in texts:
            starts.append(cursor)
            cursor += len(text) + len(SEPARATOR)
        out: list[list[LanguageToolMatch]] = [[] for _ in texts]
        found = self._post(joined, left, sent)
        units = utf16_offsets(joined)  # once the request is answered, not before it goes
        for raw in found:
            start = bisect.bisect_left(units, raw["offset"])
            end = bisect.bisect_left(units, raw["offset"] + raw["length"])
            k = bisect.bisect_right(starts, start) - 1
            if k < 0 or end > starts[k] + len(texts[k]):
                continue  # across the separator: no text's match
            out[k].append(_match(raw, start - starts[k], end - start))
        return out

    def _post(self, text: str, timeout: float, sent: _Countdown | None = None) -> list[dict]:
        """LanguageTool's matches for ``text``; the connection is given up (closed) after
        ``timeout`` seconds. LanguageTool answers all at once, so a read timeout bounds the
        whole request. ``sent`` counts the request down once it has gone out."""
        data = {"text": text, "language": self.language}
        if self.disabled_rules:
            data["disabledRules"] = ",".join(self.disabled_rules)
        if self.disabled_categories:
            data["disabledCategories"] = ",".join(self.disabled_categories)
        if self.enabled_rules:
            data["enabledRules"] = ",".join(self.enabled_rules)
        response = self._http.post(
            f"{self.url}/v2/check",
            data=data,
            timeout=httpx.Timeout(timeout),
            extensions={"trace": sent.trace} if sent is not None and sent.hook else None,
        )
        response.raise_for_status()
        return response.json().get("matches", [])


class _Countdown:
    """Calls ``hook`` once ``count`` requests have gone out (httpcore's ``trace``
    extension says when a request starts waiting for its answer)."""

    def __init__(self, count: int, hook: Callable[[], None] | None) -> None:
        self.hook = hook
        self._left = count
        self._lock = threading.Lock()

    def trace(self, event: str, info: dict) -> None:
        if not event.endswith("receive_response_headers.started"):
            return
        with self._lock:
            self._left -= 1
            due = self._left == 0
        if due and self.hook is not None:
            self.hook()


def _refusal(response: httpx.Response) -> str:
    """Why LanguageTool answered with an error, in a line: over its own check-time limit
    (it stops such a check itself), its queue full, or another error."""
    said = response.text.strip().splitlines()[0][:200] if response.text.strip() else ""
    if "took longer than" in said:
        return f"LanguageTool stopped a check at its check-time limit ({said})"
    if response.status_code == 503:
        return f"LanguageTool is overloaded ({said or 'status 503'})"
    return f"LanguageTool failed: status {response.status_code} {said}".rstrip()


def _match(raw: dict, offset: int, length: int) -> LanguageToolMatch:
    rule = raw.get("rule", {})
    category = rule.get("category", {})
    return LanguageToolMatch(
        offset=offset,
        length=length,
        message=raw.get("message", ""),
        replacements=tuple(r.get("value", "") for r in raw.get("replacements", [])),
        rule_id=rule.get("id", ""),
        category_id=category.get("id", ""),
        short_message=raw.get("shortMessage", ""),
        rule_description=rule.get("description", ""),
        issue_type=rule.get("issueType", ""),
        category_name=category.get("name", ""),
    )
