"""The chat backend keeps to its time budget whatever the model server does: slow, dripping
bytes, dripping its headers, never answering; and its calls in flight end when the
pipeline closes, so ``copydesk serve`` stops soon after a signal."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import threading
import time

import httpx
import pytest

from copydesk import models
from copydesk.models import RepairContext
from copydesk.models.assessment import warm_up
from copydesk.models.rewrite.chat import CLOSED
from copydesk.models.stage import OUT_OF_TIME
from copydesk.models.stages import RewriteStage
from tests.helpers import copydesk_command

GARBLED = "Otherwise Turkey until the end of February they will move."


@pytest.fixture(scope="module", autouse=True)
def warm_checks():
    """The checks' models loaded once, as the service's warm-up does: the budgets below
    are shorter than their first load."""
    warm_up()


def pipeline(url: str, **settings) -> models.Pipeline:
    settings.setdefault("gate", "all")  # every unit: these tests are about what comes back
    stage = RewriteStage(backend="openai", base_url=url, model="scripted", cache="", **settings)
    return models.Pipeline([stage])


def timed_repair(p: models.Pipeline, text: str, context: RepairContext | None = None):
    started = time.monotonic()
    result = p.repair(text, context or RepairContext())
    return result, time.monotonic() - started


def llm_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "copydesk-llm"]


def wait_for_no_llm_threads(seconds: float) -> bool:
    """The calls given up on end soon: their threads are gone within ``seconds``."""
    until = time.monotonic() + seconds
    while llm_threads() and time.monotonic() < until:
        time.sleep(0.05)
    return not llm_threads()


@pytest.mark.parametrize("mode", ["slow", "drip"])
def test_the_request_deadline_holds_whatever_the_server_does(server, script, mode):
    """A server taking 20 s, or dripping a byte every 0.5 s, against a 1.5 s budget:
    the stage is skipped as out of time at the deadline, and its call ends with it."""
    script.mode, script.delay = mode, 20.0 if mode == "slow" else 0.5
    p = pipeline(server[1])
    result, seconds = timed_repair(p, GARBLED, RepairContext(deadline=time.monotonic() + 1.5))
    report = result.stages[0]
    assert report.status == "skipped" and report.reason == OUT_OF_TIME
    assert result.repaired == GARBLED
    assert 1.4 < seconds < 2.0, seconds
    assert wait_for_no_llm_threads(2.0)


def test_a_dripping_server_is_cut_at_the_answers_own_timeout(server, script):
    """No request deadline (a batch, say): ``timeout`` bounds the whole answer, every
    streamed byte included, not each read."""
    script.mode, script.delay = "drip", 0.3
    result, seconds = timed_repair(pipeline(server[1], timeout=1.0), GARBLED)
    assert result.stages[0].status == "skipped"
    assert "took over 1 s" in result.stages[0].reason
    assert seconds < 1.6, seconds
    assert wait_for_no_llm_threads(2.0)


def test_retries_stay_inside_the_budget(server, script):
    """The client's own retries (here of a 500) all count against the one deadline."""
    script.mode = "500"
    p = pipeline(server[1], retries=10)
    result, seconds = timed_repair(p, GARBLED, RepairContext(deadline=time.monotonic() + 1.0))
    assert result.stages[0].status == "skipped"
    assert seconds < 1.5, seconds


@pytest.fixture
def header_dripper():
    """A server that answers a byte of its status line every 0.2 s, for ever: no read
    ever waits long, so only a total deadline ends the call."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve(conn: socket.socket) -> None:
        with conn:
            conn.recv(65536)
            for byte in b"HTTP/1.1 200 OK\r\n" * 1000:
                if stop.is_set():
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return
                time.sleep(0.2)

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/v1"
    stop.set()
    listener.close()


def test_dripped_headers_are_cut_at_the_deadline(header_dripper):
    p = pipeline(header_dripper, retries=0)
    result, seconds = timed_repair(p, GARBLED, RepairContext(deadline=time.monotonic() + 1.0))
    assert result.stages[0].reason == OUT_OF_TIME
    assert seconds < 1.5, seconds
    assert wait_for_no_llm_threads(2.0)


def test_no_time_left_asks_nothing(server, script):
    result, seconds = timed_repair(
        pipeline(server[1]), GARBLED, RepairContext(deadline=time.monotonic() - 1)
    )
    assert result.stages[0].reason == OUT_OF_TIME
    assert script.requests == [] and seconds < 0.5


def test_closing_the_pipeline_cancels_the_calls_in_flight(server, script):
    script.mode, script.delay = "slow", 30.0
    p = pipeline(server[1])
    done: dict = {}

    def repair() -> None:
        done["result"], done["seconds"] = timed_repair(p, GARBLED)

    worker = threading.Thread(target=repair)
    worker.start()
    while not script.requests:
        time.sleep(0.02)
    closing = time.monotonic()
    p.close()
    worker.join(timeout=5)
    assert not worker.is_alive() and time.monotonic() - closing < 1.0
    assert done["result"].stages[0].reason == CLOSED
    assert wait_for_no_llm_threads(2.0)
    again, _ = timed_repair(p, GARBLED)  # a closed stage asks nothing more
    assert again.stages[0].reason == CLOSED and len(script.requests) == 1


@contextlib.contextmanager
def serve(url: str, folder, request_seconds: float):
    """``copydesk serve`` with only the chat backend, on ``url``; yields the process and
    its base URL."""
    from copydesk.models.grammar.server import free_port

    pipeline_file = folder / "llm.toml"
    pipeline_file.write_text(
        f'[[stages]]\nname = "rewrite"\n[stages.settings]\nbackend = "openai"\n'
        f'base_url = "{url}"\nmodel = "scripted"\ncache = ""\ngate = "all"\n',
        encoding="utf-8",
    )
    port = free_port()
    env = {
        **os.environ,
        "COPYDESK_PORT": str(port),
        "COPYDESK_PIPELINE": str(pipeline_file),
        "COPYDESK_REQUEST_SECONDS": str(request_seconds),
        "COPYDESK_DATABASE_URL": f"sqlite:///{folder}/s.db",
    }
    proc = subprocess.Popen(
        copydesk_command("serve"),
        env=env,
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        until = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < until:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        yield proc, base
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.slow
def test_serve_answers_within_the_request_budget(server, script, tmp_path):
    """A model server that takes 60 s and a 3 s budget: the answer is a 503 naming the
    stage, in about 3 s."""
    script.mode, script.delay = "slow", 60.0
    with serve(server[1], tmp_path, 3) as (_, base):
        started = time.monotonic()
        answer = httpx.post(f"{base}/v1/repair", json={"text": GARBLED}, timeout=30)
        seconds = time.monotonic() - started
    assert answer.status_code == 503 and "not run: rewrite" in answer.text
    assert 2.9 < seconds < 4.0, seconds


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_serve_stops_soon_after_a_signal_whatever_the_llm_does(server, script, tmp_path, sig):
    """A request waits on a server that takes 60 s, within a 60 s budget; the signal
    comes: the service exits within 10 s all the same."""
    script.mode, script.delay = "slow", 60.0
    with serve(server[1], tmp_path, 60) as (proc, base):
        in_flight = threading.Thread(
            target=lambda: httpx.post(f"{base}/v1/repair", json={"text": GARBLED}, timeout=90),
            daemon=True,
        )
        in_flight.start()
        until = time.monotonic() + 30
        while not script.requests and time.monotonic() < until:
            time.sleep(0.02)
        assert script.requests, "the request never reached the model server"
        signalled = time.monotonic()
        proc.send_signal(sig)
        proc.wait(timeout=10)
        assert time.monotonic() - signalled < 10


def test_a_proxy_from_the_environment_carries_the_calls(monkeypatch):
    """``HTTPS_PROXY``/``HTTP_PROXY`` still route the calls (through the deadline-keeping
    transport): the proxy is asked for the server's absolute URL."""
    listener = socket.create_server(("127.0.0.1", 0))
    seen: list[bytes] = []

    def proxy() -> None:
        conn, _ = listener.accept()
        with conn:
            seen.append(conn.recv(65536).split(b"\r\n", 1)[0])
            conn.sendall(b"HTTP/1.1 500 Boom\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")

    threading.Thread(target=proxy, daemon=True).start()
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{listener.getsockname()[1]}")
    result = pipeline("http://llm.example:8080/v1", retries=0).repair(GARBLED)
    listener.close()
    assert seen == [b"POST http://llm.example:8080/v1/chat/completions HTTP/1.1"]
    assert "answered 500" in result.stages[0].reason
