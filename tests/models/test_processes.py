"""The managed-process registry: what it starts is stopped at exit and dies with its parent.

Each test runs a small Python program that starts a child through
`copydesk.models.processes` and registers it, then ends that program one way or another
and looks for the child. The child writes ``stopped`` to a file when it is asked to stop
(SIGTERM), which SIGKILL never lets it do: so the file tells the exit hook's stop from
the kernel's kill.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

if not sys.platform.startswith("linux"):
    pytest.skip("the parent-death signal is Linux's", allow_module_level=True)

CHILD = textwrap.dedent(
    """
    import pathlib, signal, sys, time

    def stop(*_):
        pathlib.Path(sys.argv[1]).write_text("stopped")
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    pathlib.Path(sys.argv[2]).write_text("ready")
    time.sleep(600)
    """
)

PARENT = textwrap.dedent(
    """
    import pathlib, sys, threading, time
    from copydesk.models import processes

    marker, ready, child, how = sys.argv[1:5]

    class Child:
        def __init__(self):
            self.process = processes.spawn([sys.executable, child, marker, ready])

        def stop(self):
            processes.terminate(self.process)

    started = []
    # From a thread that ends at once: the child must outlive it (the supervisor starts it).
    thread = threading.Thread(target=lambda: started.append(processes.register(Child())))
    thread.start()
    thread.join()
    while not pathlib.Path(ready).exists():
        time.sleep(0.05)
    time.sleep(0.3)
    assert started[0].process.poll() is None, "the child died with its starting thread"
    print(started[0].process.pid, flush=True)
    if how == "wait":
        time.sleep(600)
    """
)


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting to be reaped does not count)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def gone(pid: int, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.05)
    return False


def start_parent(tmp_path: Path, how: str) -> tuple[subprocess.Popen, int, Path]:
    (tmp_path / "child.py").write_text(CHILD)
    marker, ready = tmp_path / "stopped", tmp_path / "ready"
    argv = [sys.executable, "-c", PARENT, str(marker), str(ready), str(tmp_path / "child.py")]
    parent = subprocess.Popen([*argv, how], stdout=subprocess.PIPE, text=True)
    pid = int(parent.stdout.readline())
    return parent, pid, marker


def test_a_registered_process_is_stopped_by_the_exit_hook(tmp_path):
    parent, child, marker = start_parent(tmp_path, "exit")
    assert parent.wait(timeout=30) == 0
    assert gone(child), "the child outlived its parent's exit"
    assert marker.read_text() == "stopped"  # asked to stop (SIGTERM), not killed


def test_a_started_process_dies_with_its_parent_killed_outright(tmp_path):
    parent, child, marker = start_parent(tmp_path, "wait")
    try:
        assert alive(child)
        parent.kill()  # SIGKILL: no exit hook runs
        parent.wait(timeout=30)
        assert gone(child), "the child outlived kill -9 of its parent"
        assert not marker.exists()  # the kernel's SIGKILL, not a stop
    finally:
        parent.kill()
