"""Work kept back until a request's stages wait on something outside Python.

A request's checks (`copydesk.models.pipeline`) read only the original text, so they
may run at any time; run beside the stages' own Python, they take the interpreter's lock
from it (a thread that wants the lock waits up to `sys.getswitchinterval`, 5 ms, each
time). A stage that spends its time waiting on a server calls the hook set here once its
requests have gone out: from then on nothing of the request needs Python until the
answers come, and the work held back for that moment runs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar

_HOOK: ContextVar[Callable[[], None] | None] = ContextVar("copydesk_waiting", default=None)


def waiting_hook() -> Callable[[], None] | None:
    """What to call (from any thread, at once, never blocking) when the requests are out;
    None where nobody listens."""
    return _HOOK.get()


@contextlib.contextmanager
def on_waiting(hook: Callable[[], None]) -> Iterator[None]:
    """Within the block, `waiting_hook` in this context is ``hook``."""
    token = _HOOK.set(hook)
    try:
        yield
    finally:
        _HOOK.reset(token)
