"""``copydesk languagetool start|status|stop``: one server in the background that later
commands use instead of starting a JVM each."""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from pathlib import Path

import pytest

from copydesk.models.grammar.server import free_port
from tests.helpers import copydesk_command, run_copydesk
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


def test_serve_diff_uses_one_languagetool_and_lends_it_to_other_commands(tmp_path):
    """What `make run` runs: the seed's diff from the service's own pipeline, one JVM for
    both, the page's address; a repair meanwhile uses that JVM; it is gone after."""
    env = {k: v for k, v in os.environ.items() if "LANGUAGETOOL" not in k}
    env.update(
        XDG_RUNTIME_DIR=str(tmp_path / "run"),
        COPYDESK_PORT=str(port := free_port()),
        COPYDESK_DATABASE_URL=f"sqlite:///{tmp_path}/s.db",
    )
    log = (tmp_path / "serve.err").open("wb")
    out = (tmp_path / "serve.out").open("wb")
    proc = subprocess.Popen(
        copydesk_command("serve", "--diff", str(SEED)), env=env, stdout=out, stderr=log
    )
    try:
        deadline = time.monotonic() + 300
        while b"ready: the editor's page is at" not in (tmp_path / "serve.err").read_bytes():
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.5)
        stderr = (tmp_path / "serve.err").read_text()
        assert stderr.count("starting LanguageTool") == 1
        assert f"http://127.0.0.1:{port}/" in stderr and "stage grammar ready" in stderr
        assert "[-will not stop-]{+does not stop+}" in (tmp_path / "serve.out").read_text()
        [shared] = (tmp_path / "run" / "copydesk").glob("*.json")
        jvm = json.loads(shared.read_text())
        assert jvm["owner"] == "copydesk serve" and jvm["owner_pid"] == proc.pid

        repaired = run_copydesk("repair", str(SEED), env=env, timeout=300)
        assert repaired.returncode == 0 and b"starting LanguageTool" not in repaired.stderr
        assert b"If military action does not stop" in repaired.stdout
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        log.close()
        out.close()
    assert gone(jvm["pid"])
    assert not shared.exists()
