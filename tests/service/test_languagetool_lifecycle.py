"""No LanguageTool server outlives what started it, and grammar comes back after a crash.

Each test starts copydesk without ``LANGUAGETOOL_URL``, so it starts its own server (a
JVM), and then looks for that JVM among the machine's processes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from copydesk import models
from copydesk.models.grammar.server import MAIN_CLASS, answers, default_lib_dir, free_port
from copydesk.models.stages import GrammarStage, SentenceCaseStage
from copydesk.service.api import create_app
from copydesk.service.settings import Settings
from tests.helpers import copydesk_command, run_copydesk

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "idlib-mt.txt"


def own_env(**extra: str) -> dict:
    """No LanguageTool given, and none shared (a state folder of its own): its own JVM."""
    env = {k: v for k, v in os.environ.items() if "LANGUAGETOOL" not in k}
    return {**env, "XDG_RUNTIME_DIR": tempfile.mkdtemp(), **extra}


def languagetool_servers() -> dict[int, int]:
    """Every LanguageTool server process on the machine: pid -> parent pid."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if MAIN_CLASS.encode() in cmdline:
            found[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return found


def server_of(parent: int, timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for pid, ppid in languagetool_servers().items():
            if ppid == parent:
                return pid
        time.sleep(0.2)
    raise AssertionError(f"process {parent} started no LanguageTool server")


def gone(pid: int, timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pid not in languagetool_servers():
            return True
        time.sleep(0.2)
    return False


def test_a_cold_first_repair_from_another_folder_has_its_grammar(tmp_path):
    before = set(languagetool_servers())
    proc = run_copydesk("repair", str(SEED), cwd=tmp_path, env=own_env(), timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "If military action does not stop" in proc.stdout.decode()
    assert b"warning" not in proc.stderr
    assert set(languagetool_servers()) <= before  # its server stopped with it


def test_no_server_is_left_after_a_batch_even_one_whose_first_check_was_slow(tmp_path):
    lines = tmp_path / "lines.txt"
    lines.write_text("".join(f"He go home on day {i}.\n" for i in range(12)))
    before = set(languagetool_servers())
    done = run_copydesk(
        "batch",
        str(lines),
        "--lines",
        "--out",
        str(tmp_path / "out.txt"),
        "--chunk-size",
        "3",
        env=own_env(),
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out.txt").read_text().splitlines()[0] == "He goes home on day 0."
    impatient = tmp_path / "impatient.toml"
    impatient.write_text('[[stages]]\nname = "grammar"\n[stages.settings]\nstart_timeout = 0.5\n')
    slow = run_copydesk(
        "batch",
        str(lines),
        "--lines",
        "--out",
        str(tmp_path / "slow.txt"),
        "--pipeline",
        str(impatient),
        env=own_env(),
        timeout=300,
    )
    assert slow.returncode == 0
    assert b"grammar skipped: LanguageTool is starting" in slow.stderr
    time.sleep(1)
    assert set(languagetool_servers()) <= before


@pytest.mark.parametrize("command", ["serve", "batch"])
def test_sigterm_stops_the_server_it_started(tmp_path, command):
    if command == "serve":
        env = own_env(
            COPYDESK_PORT=str(free_port()), COPYDESK_DATABASE_URL=f"sqlite:///{tmp_path}/s.db"
        )
        argv = copydesk_command("serve")
    else:
        lines = tmp_path / "lines.txt"
        lines.write_text("".join(f"He go home on day {i}.\n" for i in range(5000)))
        env = own_env()
        argv = copydesk_command("batch", str(lines), "--lines", "--out", str(tmp_path / "o.txt"))
    proc = subprocess.Popen(
        argv, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        jvm = server_of(proc.pid)
        time.sleep(2)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        assert gone(jvm), "the LanguageTool server outlived SIGTERM"
    finally:
        proc.kill()


def test_kill_9_of_the_parent_takes_its_server_down(tmp_path):
    env = own_env(
        COPYDESK_PORT=str(free_port()), COPYDESK_DATABASE_URL=f"sqlite:///{tmp_path}/s.db"
    )
    proc = subprocess.Popen(
        copydesk_command("serve"),
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    jvm = server_of(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert gone(jvm), "the LanguageTool server outlived kill -9 of its parent"


def test_grammar_comes_back_soon_after_its_server_dies(tmp_path):
    """Killed mid-load: requests keep their usual time (grammar skipped, with the reason),
    and grammar is back within seconds of the new server's warm-up."""
    # Its own server: another path to the jars is another shared server. (Not the
    # session's: killing that one would take LanguageTool from the tests after this.)
    (tmp_path / "lib").symlink_to(default_lib_dir(), target_is_directory=True)
    stage = GrammarStage(lib_dir=str(tmp_path / "lib"))
    pipeline = models.Pipeline([SentenceCaseStage(), stage])
    assert pipeline.repair("he go home.").repaired == "He goes home."
    server = stage._server
    os.kill(server.pid, signal.SIGKILL)
    slowest, back = 0.0, None
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        started = time.monotonic()
        result = pipeline.repair("he go home.")
        slowest = max(slowest, time.monotonic() - started)
        if result.stages[1].status.value == "ok":
            back = time.monotonic()
            break
        assert result.repaired == "He go home."  # the other stages still repair
        assert "restarting" in result.stages[1].reason or "starting" in result.stages[1].reason
        time.sleep(0.5)
    try:
        assert back is not None, "grammar did not come back"
        assert result.repaired == "He goes home."
        assert slowest < 5, f"a request waited {slowest:.1f} s on the dead server"
        assert server.starts >= 2  # restarted (a start may need a second try on a busy machine)
    finally:
        server.stop()


def test_ready_answers_at_once_and_says_degraded_while_grammar_restarts(tmp_path):
    env = own_env(
        COPYDESK_PORT=(port := str(free_port())), COPYDESK_DATABASE_URL=f"sqlite:///{tmp_path}/s.db"
    )
    proc = subprocess.Popen(
        copydesk_command("serve"),
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        jvm = server_of(proc.pid)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if httpx.get(url + "/ready", timeout=1).json()["status"] == "ready":
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        os.kill(jvm, signal.SIGKILL)
        time.sleep(0.5)
        started = time.monotonic()
        ready = httpx.get(url + "/ready", timeout=5)
        assert time.monotonic() - started < 1
        assert ready.status_code == 200 and ready.json()["status"] == "degraded"
        assert ready.json()["stages"]["grammar"] != "ok"
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def test_an_app_shutdown_leaves_a_languagetool_it_was_given_running(languagetool_url, tmp_path):
    """The service stops what its pipeline started; a server given by URL is someone
    else's (here: the one the whole test session shares)."""
    pipeline = models.load(overrides={"grammar": {"url": languagetool_url}})
    settings = Settings(database_url=f"sqlite:///{tmp_path}/s.db", job_workers=0)
    with TestClient(create_app(settings, pipeline)) as client:
        assert client.post("/v1/repair", json={"text": "the end."}).status_code == 200
    assert answers(languagetool_url)
