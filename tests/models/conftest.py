"""Fixtures of the engine's tests: a scripted OpenAI-compatible server for the LLM stage."""

from __future__ import annotations

import pytest

from tests.helpers import serving
from tests.openai_server import Script, scripted_app


@pytest.fixture(scope="module")
def server():
    """A scripted chat server, one per test module: ``(script, base_url)``."""
    script = Script()
    with serving(scripted_app(script)) as url:
        yield script, f"{url}/v1"


@pytest.fixture
def script(server):
    """The module's script, reset for each test."""
    script, _ = server
    script.reset()
    return script
