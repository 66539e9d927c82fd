"""A client of LanguageTool's HTTP API (``POST /v2/check``) that checks texts in bulk.

Many texts go into one request, joined as paragraphs, and the matches are mapped back
to each text in code points (LanguageTool counts UTF-16 units, as Java does); several
requests run side by side, up to the server's threads. Rules and categories the caller
never acts on are disabled in the request, so the server does not check them.

Written here rather than used from language_tool_python: that client maps offsets
through state shared by every check (a class attribute), so concurrent checks can
corrupt each other's offsets, and it sends one text per request.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field

import httpx

from copydesk.models.errors import StageUnavailable
from copydesk.models.utf16 import utf16_offsets

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


def pack(texts: Sequence[str], limit: int = BULK_CHARS) -> list[list[int]]:
    """Indices of ``texts`` grouped into requests of about ``limit`` characters each.

    A text longer than the limit goes alone; empty texts go nowhere.
    """
    groups: list[list[int]] = []
    size = 0
    for i, text in enumerate(texts):
        if not text.strip():
            continue
        if groups and size + len(SEPARATOR) + len(text) <= limit:
            groups[-1].append(i)
            size += len(SEPARATOR) + len(text)
        else:
            groups.append([i])
            size = len(text)
    return groups


class LanguageToolClient:
    """Checks texts against one LanguageTool server."""

    def __init__(
        self,
        url: str,
        *,
        language: str = "en-US",
        disabled_rules: Iterable[str] = (),
        disabled_categories: Iterable[str] = (),
        parallel: int = 2,
        bulk_chars: int = BULK_CHARS,
    ) -> None:
        self.url = url.rstrip("/")
        self.language = language
        self.disabled_rules = sorted(disabled_rules)
        self.disabled_categories = sorted(disabled_categories)
        self.bulk_chars = bulk_chars
        self.parallel = max(1, parallel)
        self._http = httpx.Client(timeout=None, limits=httpx.Limits(max_connections=parallel))
        self._pool = ThreadPoolExecutor(max_workers=max(1, parallel))

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._http.close()

    def check(self, text: str, timeout: float) -> list[LanguageToolMatch]:
        return self.check_many([text], timeout)[0]

    def check_many(self, texts: Sequence[str], timeout: float) -> list[list[LanguageToolMatch]]:
        """Each text's matches. ``timeout`` is seconds per request: the whole batch may take
        as long as its requests would one after another on each of the parallel slots."""
        total = sum(len(t) + len(SEPARATOR) for t in texts)
        limit = min(self.bulk_chars, max(MIN_CHARS, -(-total // self.parallel)))
        groups = pack(texts, limit)
        futures = [self._pool.submit(self._check_group, [texts[i] for i in g]) for g in groups]
        out: list[list[LanguageToolMatch]] = [[] for _ in texts]
        rounds = -(-len(groups) // self.parallel) if groups else 0
        deadline = time.monotonic() + timeout * max(1, rounds)
        try:
            for group, future in zip(groups, futures, strict=True):
                found = future.result(timeout=max(0.0, deadline - time.monotonic()))
                for i, matches in zip(group, found, strict=True):
                    out[i] = matches
        except FutureTimeout:
            took = timeout * max(1, rounds)
            raise StageUnavailable("grammar", f"LanguageTool took over {took:g} s") from None
        except httpx.HTTPError as exc:
            raise StageUnavailable("grammar", f"LanguageTool failed: {exc}") from exc
        finally:
            for future in futures:
                future.cancel()
        return out

    def _check_group(self, texts: list[str]) -> list[list[LanguageToolMatch]]:
        """One request for ``texts``, joined as paragraphs; matches split back per text."""
        joined = SEPARATOR.join(texts)
        starts, cursor = [], 0
        for text in texts:
            starts.append(cursor)
            cursor += len(text) + len(SEPARATOR)
        units = utf16_offsets(joined)
        out: list[list[LanguageToolMatch]] = [[] for _ in texts]
        for raw in self._post(joined):
            start = bisect.bisect_left(units, raw["offset"])
            end = bisect.bisect_left(units, raw["offset"] + raw["length"])
            k = bisect.bisect_right(starts, start) - 1
            if k < 0 or end > starts[k] + len(texts[k]):
                continue  # across the separator: no text's match
            out[k].append(_match(raw, start - starts[k], end - start))
        return out

    def _post(self, text: str) -> list[dict]:
        data = {"text": text, "language": self.language}
        if self.disabled_rules:
            data["disabledRules"] = ",".join(self.disabled_rules)
        if self.disabled_categories:
            data["disabledCategories"] = ",".join(self.disabled_categories)
        response = self._http.post(f"{self.url}/v2/check", data=data)
        response.raise_for_status()
        return response.json().get("matches", [])


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
