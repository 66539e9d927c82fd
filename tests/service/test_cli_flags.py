"""Flags in ``copydesk repair``: the JSON result, the diff marks and the summary line."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.helpers import run_copydesk

FIXTURES = Path(__file__).parent / "fixtures"
RULES_ONLY = str(FIXTURES / "sentence-case-only.toml")
TEXT = "the army lost 25 soldiers. sergei Lavrov did not comment."
SOURCE = "Армия потеряла 35 солдат. Сергей Лавров не стал комментировать."


def _source(tmp_path) -> str:
    path = tmp_path / "src.txt"
    path.write_text(SOURCE, encoding="utf-8")
    return str(path)


def test_repair_json_carries_flags_and_segments(tmp_path):
    proc = run_copydesk(
        "repair", "-", "--format", "json", "--pipeline", RULES_ONLY, "--source",
        _source(tmp_path), stdin=TEXT.encode(),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert list(data) == ["original", "repaired", "edits", "stages", "flags", "segments"]
    [flag] = data["flags"]
    assert (flag["kind"], TEXT[flag["start"] : flag["end"]]) == ("number", "25")
    assert SOURCE[flag["source_start"] : flag["source_end"]] == "35"
    assert [TEXT[s["start"] : s["end"]] for s in data["segments"]] == [
        "the army lost 25 soldiers.",
        "sergei Lavrov did not comment.",
    ]
    assert data["repaired"] == "The army lost 25 soldiers. Sergei Lavrov did not comment."


def test_repair_diff_marks_flags_and_the_summary_counts_them(tmp_path):
    proc = run_copydesk(
        "repair", "-", "--format", "diff", "--no-color", "--pipeline", RULES_ONLY,
        "--source", _source(tmp_path), stdin=TEXT.encode(),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode("utf-8") == (
        "[-the-]{+The+} army lost ⟦flag:number 25 is not in the source, which has 35⟧25 "
        "soldiers. [-sergei-]{+Sergei+} Lavrov did not comment.\n"
    )
    assert "2 edits applied (casing 2); 0 suggestions; 1 flag (number 1); " in (
        proc.stderr.decode("utf-8")
    )


def test_checks_off_in_the_pipeline_file_or_the_environment(tmp_path):
    off = tmp_path / "off.toml"
    off.write_text("checks = false\n" + Path(RULES_ONLY).read_text(encoding="utf-8"))
    args = ("repair", "-", "--format", "json", "--source", _source(tmp_path))
    for extra, env in (("--pipeline", str(off)), ("--pipeline", RULES_ONLY)):
        proc = run_copydesk(
            *args, extra, env, stdin=TEXT.encode(),
            env={**os.environ, "COPYDESK_CHECKS": "false"} if env == RULES_ONLY else None,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        data = json.loads(proc.stdout)
        assert (data["flags"], data["segments"]) == ([], [])
        assert data["repaired"] == "The army lost 25 soldiers. Sergei Lavrov did not comment."
