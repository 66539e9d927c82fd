"""``copydesk languagetool start|status|stop``: one server in the background that later
commands use instead of starting a JVM each."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from tests.helpers import run_copydesk
from tests.service.test_languagetool_lifecycle import gone, languagetool_servers

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "idlib-mt.txt"


def test_start_status_repair_and_stop(tmp_path):
    env = {k: v for k, v in os.environ.items() if "LANGUAGETOOL" not in k}
    env["XDG_RUNTIME_DIR"] = str(tmp_path / "run")  # this test's own shared server
    started = run_copydesk("languagetool", "start", env=env, timeout=300)
    assert started.returncode == 0, started.stderr
    running = re.search(
        rb"LanguageTool is running at http://127.0.0.1:\d+ \(pid (\d+),", started.stdout
    )
    assert running, started.stdout
    jvm = int(running[1])
    try:
        assert jvm in languagetool_servers()
        assert run_copydesk("languagetool", "start", env=env).stdout.startswith(
            b"LanguageTool is already running at"
        )
        status = run_copydesk("languagetool", "status", env=env)
        assert status.returncode == 0 and f"(pid {jvm}), answering".encode() in status.stdout

        repaired = run_copydesk("repair", str(SEED), "--format", "json", env=env, timeout=300)
        assert repaired.returncode == 0, repaired.stderr
        grammar = json.loads(repaired.stdout)["stages"][-1]
        assert grammar["name"] == "grammar" and grammar["status"] == "ok"
        assert b"starting LanguageTool" not in repaired.stderr  # no JVM of its own
        assert jvm in languagetool_servers()  # and the shared one runs on

        stopped = run_copydesk("languagetool", "stop", env=env)
        assert stopped.returncode == 0 and f"(pid {jvm})".encode() in stopped.stdout
        assert gone(jvm)
        assert run_copydesk("languagetool", "status", env=env).returncode == 1
        assert not list((tmp_path / "run" / "copydesk").glob("*.json"))
    finally:
        if jvm in languagetool_servers():
            os.kill(jvm, 9)
