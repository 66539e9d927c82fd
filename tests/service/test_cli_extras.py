"""A pipeline whose stage needs an extra that is not installed: one line naming the
extra, and exit 3, before anything loads (each test hides the extra's module, as an
install without that extra has it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PIPELINES = ROOT / "models" / "pipelines"

# Runs the command line with ``module`` impossible to import.
WITHOUT = (
    "import sys; sys.modules[sys.argv[1]] = None; "
    "from copydesk.service.cli import main; sys.argv = ['copydesk', *sys.argv[2:]]; main()"
)


def copydesk_without(module: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT, module, *args],
        input=b"the end.\n",
        capture_output=True,
        cwd=ROOT,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("pipeline", "module", "extra"),
    [
        ("rewrite.toml", "torch", "rewrite"),
        ("rewrite.toml", "transformers", "rewrite"),
        ("llm.toml", "openai", "llm"),
        ("llama-cpp.toml", "llama_cpp", "llama-cpp"),
        ("llama-cpp.toml", "openai", "llama-cpp"),
    ],
)
def test_repair_with_a_missing_extra_says_which_in_one_line_and_exits_3(pipeline, module, extra):
    done = copydesk_without(module, "repair", "--pipeline", str(PIPELINES / pipeline), "-")
    assert done.returncode == 3
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1, lines
    assert f"[{extra}] extra" in lines[0] and f"pip install 'copydesk[{extra}]'" in lines[0]
    assert f"{module} is missing" in lines[0]
    assert done.stdout == b""


def test_batch_and_the_pipeline_setting_are_checked_the_same_way(tmp_path):
    lines = tmp_path / "in.txt"
    lines.write_text("the end.\n")
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            WITHOUT,
            "torch",
            "batch",
            str(lines),
            "--lines",
            "--out",
            str(tmp_path / "out.txt"),
        ],
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        env={
            **os.environ,
            "COPYDESK_PIPELINE": str(PIPELINES / "rewrite.toml"),
        },
    )
    assert done.returncode == 3
    assert len(done.stderr.decode().splitlines()) == 1
    assert "[rewrite] extra" in done.stderr.decode()
    assert not (tmp_path / "out.txt").exists()
