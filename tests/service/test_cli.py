from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from copydesk.models import apply_edits
from copydesk.models.edits import Edit

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "idlib-mt.txt"
RULES_ONLY = str(Path(__file__).parent / "fixtures" / "sentence-case-only.toml")


def copydesk(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "copydesk.service.cli", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        timeout=60,
    )


def test_repair_text_output_changes_only_sentence_starts(seed_mt):
    proc = copydesk("repair", str(SEED), "--pipeline", RULES_ONLY)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode("utf-8")
    assert len(out) == len(seed_mt)
    diffs = [(a, b) for a, b in zip(seed_mt, out, strict=True) if a != b]
    assert diffs == [("f", "F"), ("t", "T"), ("t", "T"), ("t", "T")]


def test_repair_json_edits_reproduce_the_repaired_text(seed_mt):
    proc = copydesk("repair", str(SEED), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["original"] == seed_mt
    edits = [Edit.from_dict({k: v for k, v in e.items() if k != "id"}) for e in data["edits"]]
    assert apply_edits(seed_mt, [e for e in edits if e.applied]) == data["repaired"]
    assert [s["name"] for s in data["stages"]] == ["sentence_case", "casing", "entities", "grammar"]
    assert all(s["status"] == "ok" for s in data["stages"])
    assert {e.kind for e in edits if e.applied} == {"casing", "entity", "grammar"}


def test_repair_diff_and_stdin():
    proc = copydesk(
        "repair", "-", "--format", "diff", "--no-color", "--pipeline", RULES_ONLY,
        stdin=b"the end. it rained.",
    )  # fmt: skip
    assert proc.returncode == 0
    assert proc.stdout.decode() == "[-the-]{+The+} end. [-it-]{+It+} rained.\n"
    assert "2 edits applied (casing 2)" in proc.stderr.decode()
    colored = copydesk(
        "repair", "-", "--format", "diff", "--color", "--pipeline", RULES_ONLY, stdin=b"the end."
    )  # fmt: skip
    assert b"\x1b[" in colored.stdout


def test_crlf_and_emoji_survive_exactly():
    text = "😀 the end.\r\n\r\nit rained 👩\u200d👩\u200d👧.\r\n"
    proc = copydesk("repair", "-", stdin=text.encode())
    assert proc.stdout.decode() == "😀 The end.\r\n\r\nIt rained 👩\u200d👩\u200d👧.\r\n"
    rules = copydesk("repair", "-", "--pipeline", RULES_ONLY, stdin=text.encode())
    assert rules.stdout == proc.stdout


def test_source_file_is_accepted(tmp_path):
    src = tmp_path / "ru.txt"
    src.write_text("Идлиб стал камнем преткновения", encoding="utf-8")
    proc = copydesk("repair", str(SEED), "--source", str(src))
    assert proc.returncode == 0, proc.stderr


SEED_MT = "seeds/idlib-mt.txt"
SEED_PAIRS = ["--mt", SEED_MT, "--pe", SEED_MT]
TRAIN_REWRITE = ["train", "rewrite", "--out", "x"]


@pytest.mark.parametrize(
    ("args", "stdin", "code", "message"),
    [
        (["repair", "missing.txt"], None, 1, "cannot read 'missing.txt': no such file"),
        (["repair", "-"], b"caf\xe9", 1, "not UTF-8 (byte 0xe9 at offset 3)"),
        (["repair", "seeds"], None, 1, "it is a directory"),
        (["repair", "-", "--pipeline", "nope.toml"], b"x", 3, "cannot read pipeline file"),
        (["repair", "-", "--format", "xml"], b"x", 2, "Invalid value for '--format'"),
        ([*TRAIN_REWRITE, "--source-rate", "2"], None, 2, "must be between 0 and 1"),
        (
            [*TRAIN_REWRITE, *SEED_PAIRS, "--source-rate", "0.5"],
            None,
            2,
            "a source rate needs --src",
        ),
        ([*TRAIN_REWRITE, "--mt", "nope.txt"], None, 2, "does not exist"),
        ([*TRAIN_REWRITE, "--synthetic", "-1"], None, 2, "Invalid value for '--synthetic'"),
        (
            [*TRAIN_REWRITE, *SEED_PAIRS, "--synthetic", "1000", "--news", SEED_MT],
            None,
            1,
            "asked for 1000 synthetic pairs but only",
        ),
        (
            [*TRAIN_REWRITE, "--mt", SEED_MT, "--pe", "seeds/README.md"],
            None,
            1,
            "lines but seeds/README.md has",
        ),
    ],
)
def test_bad_input_gives_one_line_and_an_exit_code(args, stdin, code, message):
    proc = copydesk(*args, stdin=stdin)
    assert proc.returncode == code
    err = proc.stderr.decode()
    assert err.count("\n") == 1 and err.startswith("copydesk: error: ")
    assert message in err
    assert proc.stdout == b""


def test_bad_pipeline_setting(tmp_path):
    conf = tmp_path / "p.toml"
    conf.write_text('[[stages]]\nname = "casing2"\n', encoding="utf-8")
    proc = copydesk("repair", "-", "--pipeline", str(conf), stdin=b"x")
    assert proc.returncode == 3
    assert "unknown stage 'casing2'" in proc.stderr.decode()
