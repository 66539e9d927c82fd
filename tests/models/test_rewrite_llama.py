"""The llama-cpp rewrite backend end to end: a real llama.cpp server started for the
packaged GGUF (SmolLM2-135M), the same protocol and guards as any server. The model is
tiny and rewrites badly: this checks the plumbing and the guards, not quality."""

from __future__ import annotations

import pytest

from copydesk import models
from copydesk.models.rewrite.guards import NUMBER
from copydesk.models.stages import RewriteStage

pytestmark = pytest.mark.integration

TEXTS = [
    "Otherwise Turkey until the end of February they will move.",
    "The meeting is planned for Monday in Ankara, said Sergey Lavrov.",
    "In 2019 the two sides signed 3 agreements, but not the main one.",
]


def test_a_local_llama_cpp_server_through_the_openai_protocol():
    stage = RewriteStage(backend="llama-cpp", cache="", timeout=120, threshold=0.0)
    try:
        stage.warm_up()  # starts the server and waits for it
        results = models.Pipeline([stage]).repair_many(TEXTS)
        for text, result in zip(TEXTS, results, strict=True):
            report = result.stages[0]
            assert report.status == "ok", report.reason
            assert sum(report.diagnostics["units"].values()) == 1
            assert result.apply(result.edits) == result.repaired
            assert sorted(NUMBER.findall(result.repaired)) == sorted(NUMBER.findall(text))
            for name in ("Turkey", "Ankara", "Lavrov", "Monday", "February"):
                assert (name in text) == (name in result.repaired)
            assert (" not " in text) == (" not " in result.repaired)
        process = stage.chat._llama._process
        assert process is not None and process.poll() is None
    finally:
        stage.close()
    assert process.poll() is not None  # stopped with the stage
