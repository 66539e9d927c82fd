"""Relearning in the background: every newsroom with decisions, every few seconds
(``COPYDESK_LEARN_SECONDS``; 0 turns it off). A relearning on demand (``POST /v1/learn``)
runs in the request instead."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping

from sqlalchemy.orm import Session

from copydesk.service.learning.store import newsrooms_with_feedback, relearn

log = logging.getLogger("copydesk")


class Relearner:
    """A daemon thread that relearns every newsroom on a schedule until stopped."""

    def __init__(
        self,
        sessions: Callable[[], Session],
        seconds: float,
        *,
        precision: float,
        shipped: Mapping[str, float],
    ) -> None:
        self.sessions, self.seconds = sessions, seconds
        self.precision, self.shipped = precision, dict(shipped)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self.seconds <= 0 or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._loop, name="copydesk-learn", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def run_once(self) -> int:
        """Relearn every newsroom that has decisions; how many were relearnt."""
        with self.sessions() as session:
            newsrooms = newsrooms_with_feedback(session)
        for newsroom in newsrooms:
            with self.sessions() as session:
                run = relearn(
                    session,
                    newsroom,
                    source="schedule",
                    precision=self.precision,
                    shipped=self.shipped,
                )
            if run.changes:
                log.info("learning: %s: %s", newsroom, "; ".join(run.changes))
        return len(newsrooms)

    def _loop(self) -> None:
        while not self._stop.wait(self.seconds):
            try:
                self.run_once()
            except Exception:
                log.exception("learning: a scheduled relearning failed")
