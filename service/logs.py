"""copydesk's own log lines on standard error: ``copydesk: LanguageTool ready (6.2 s)``."""

from __future__ import annotations

import logging
import sys


def log_to_stderr(level: int = logging.INFO) -> None:
    """Show the ``copydesk`` logger's lines on stderr, once per process."""
    log = logging.getLogger("copydesk")
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("copydesk: %(message)s"))
        log.addHandler(handler)
        log.setLevel(level)
        log.propagate = False
