"""The shared LanguageTool's file in the user's state folder: written, found, and removed
once its JVM is gone. No Java here: the "JVM" is a small HTTP server with LanguageTool's
class name on its command line, which answers ``/v2/languages`` as LanguageTool does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from copydesk.models.errors import StageUnavailable
from copydesk.models.grammar import server
from copydesk.models.grammar.server import (
    MAIN_CLASS,
    SharedServer,
    discover,
    free_port,
    publish,
    published,
    state_dir,
    unpublish,
)
from copydesk.models.stages import GrammarStage

if not sys.platform.startswith("linux"):
    pytest.skip("processes are read from /proc", allow_module_level=True)


@pytest.fixture(autouse=True)
def own_state_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "run"))


SERVER = textwrap.dedent(
    """
    import http.server, sys

    class Languages(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200 if self.path == "/v2/languages" else 404)
            self.end_headers()
            self.wfile.write(b"[]")

        def log_message(self, *args):
            pass

    http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Languages).serve_forever()
    """
)


@pytest.fixture
def jvm():
    """A process that /proc shows as LanguageTool's server, answering on ``jvm.port``."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", SERVER, str(port), MAIN_CLASS])
    proc.port = port
    deadline = time.monotonic() + 30
    while not server.answers(f"http://127.0.0.1:{port}", timeout=0.5):
        assert time.monotonic() < deadline, "the stand-in server did not start"
        time.sleep(0.05)
    yield proc
    proc.kill()
    proc.wait()


def shared(pid: int, lib: Path, port: int | None = None) -> SharedServer:
    url = f"http://127.0.0.1:{port or free_port()}"
    return SharedServer(url, pid, str(lib), "copydesk languagetool start", os.getpid())


def test_the_state_folder_is_the_users_runtime_folder(tmp_path, monkeypatch):
    assert state_dir() == tmp_path / "run" / "copydesk"
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    assert state_dir() == Path.home() / ".cache" / "copydesk" / "run"


def test_a_published_server_whose_jvm_runs_is_found_per_set_of_jars(tmp_path, jvm):
    publish(shared(jvm.pid, tmp_path / "lib"))
    assert published(tmp_path / "lib") == shared(jvm.pid, tmp_path / "lib", 0).__class__(
        **json.loads(next(state_dir().glob("*.json")).read_text())
    )
    assert published(tmp_path / "lib").pid == jvm.pid
    assert published(tmp_path / "other-lib") is None


def test_a_file_whose_jvm_is_gone_is_removed_when_read(tmp_path, jvm):
    publish(shared(jvm.pid, tmp_path / "lib"))
    jvm.kill()
    jvm.wait()
    assert published(tmp_path / "lib") is None
    assert not list(state_dir().glob("*.json"))


def test_a_file_whose_pid_is_now_another_program_is_removed(tmp_path):
    publish(shared(os.getpid(), tmp_path / "lib"))  # pytest's pid: no LanguageTool
    assert published(tmp_path / "lib") is None
    assert not list(state_dir().glob("*.json"))


def test_an_unreadable_file_is_removed(tmp_path, jvm):
    publish(shared(jvm.pid, tmp_path / "lib"))
    [path] = state_dir().glob("*.json")
    path.write_text("{not json")
    assert published(tmp_path / "lib") is None
    assert not path.exists()


def test_a_server_that_does_not_answer_is_not_used_and_its_file_stays(tmp_path, jvm):
    publish(shared(jvm.pid, tmp_path / "lib"))  # another port: nothing answers there
    assert discover(tmp_path / "lib") is None
    assert published(tmp_path / "lib") is not None


def test_only_the_owner_of_a_file_removes_it(tmp_path, jvm):
    publish(shared(jvm.pid, tmp_path / "lib"))
    unpublish(tmp_path / "lib", jvm.pid + 1)
    assert published(tmp_path / "lib") is not None
    unpublish(tmp_path / "lib", jvm.pid)
    assert published(tmp_path / "lib") is None


def test_the_grammar_stage_uses_a_shared_server_instead_of_starting_one(tmp_path, jvm):
    """No jars in ``lib``: the stage could not start a server of its own."""
    publish(shared(jvm.pid, tmp_path / "lib", jvm.port))
    stage = GrammarStage(lib_dir=str(tmp_path / "lib"))
    assert stage._server is None  # someone else's: the stage never stops it
    assert stage.status() == ("ok", "")
    with pytest.raises(StageUnavailable, match="no LanguageTool jars"):
        GrammarStage(lib_dir=str(tmp_path / "lib"), reuse=False)
    jvm.kill()
    jvm.wait()
    with pytest.raises(StageUnavailable, match="no LanguageTool jars"):
        GrammarStage(lib_dir=str(tmp_path / "lib"))
