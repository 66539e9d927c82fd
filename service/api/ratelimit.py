"""Per-key request rates and concurrency, with the `limits` library's moving window.

Only when API keys are configured: each key may make ``COPYDESK_KEY_RATE`` requests
(``600/minute``, say) and have ``COPYDESK_KEY_CONCURRENCY`` in flight; past either it
gets 429 with ``Retry-After``.
"""

from __future__ import annotations

import math
import threading
import time

from fastapi import HTTPException, status
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter


class KeyLimits:
    """The rate and concurrency allowance of every API key."""

    def __init__(self, rate: str, concurrency: int) -> None:
        self.item = parse(rate)
        self.limiter = MovingWindowRateLimiter(MemoryStorage())
        self.concurrency = concurrency
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._lock = threading.Lock()

    def enter(self, key: str) -> threading.BoundedSemaphore:
        """Count one request of ``key``: 429 past its rate or its concurrency."""
        if not self.limiter.hit(self.item, key):
            reset, _ = self.limiter.get_window_stats(self.item, key)
            wait = max(1, math.ceil(reset - time.time()))
            raise HTTPException(
                status.HTTP_429_TOO_MANY_REQUESTS,
                f"this key may make {self.item} requests; try again in {wait} s",
                headers={"Retry-After": str(wait)},
            )
        with self._lock:
            slots = self._slots.setdefault(key, threading.BoundedSemaphore(self.concurrency))
        if not slots.acquire(blocking=False):
            raise HTTPException(
                status.HTTP_429_TOO_MANY_REQUESTS,
                f"this key may have {self.concurrency} requests in flight",
                headers={"Retry-After": "1"},
            )
        return slots
