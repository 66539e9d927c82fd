"""One writer per output: a lock file beside the output, held for the whole job.

The lock is an ``flock`` on ``<out>.copydesk-lock``, which holds the owner's pid for the
message a second job gets. The kernel drops an ``flock`` when its process dies, so a lock
file left by a killed job is taken over, not obeyed. Two jobs in one process (the HTTP
service's threads) open the file separately and exclude each other too.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from copydesk.service.batch.checkpoint import BatchError


@contextmanager
def output_lock(path: Path, out: Path) -> Iterator[None]:
    """Hold the lock at ``path`` for writing ``out``, or raise `BatchError` at once."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BatchError(f"cannot write {path.parent}: {exc.strerror or exc}") from exc
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise BatchError(f"cannot create the lock {path}: {exc.strerror or exc}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            owner = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise BatchError(
                f"another job (pid {owner}) is writing {out}; wait for it to finish, or "
                "give another --out"
            ) from None
        try:  # the file may have been removed and made again since it was opened
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        try:
            path.unlink(missing_ok=True)
        finally:
            os.close(fd)
