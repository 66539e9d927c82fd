"""Handing freed heap memory back to the operating system.

Loading a table builds many short-lived objects (a word list before it is packed into
arrays, a JSON document before it becomes sets); once they are freed, glibc keeps most
of that memory in the process for reuse, so the resident size stays at the load's peak.
`release` asks for it back: after loading a model, and between a batch job's chunks.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import sys
from functools import cache


@cache
def _malloc_trim():  # noqa: ANN202 - a ctypes function, or None
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None


def release(*, collect: bool = True) -> None:
    """Return the C heap's free pages to the system (glibc's ``malloc_trim``; nothing
    elsewhere), after collecting cycles unless ``collect`` is false (a full collection
    walks every object: milliseconds after a load, too slow to run often)."""
    if collect:
        gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
