"""Batch jobs through the real command: formats, rejects, workers, and resume after kill -9."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.helpers import copydesk_command, small_disk

ROOT = Path(__file__).resolve().parents[3]
RULES = str(ROOT / "tests" / "service" / "fixtures" / "sentence-case-only.toml")


def batch(*args: str, timeout: int = 300, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        copydesk_command("batch", *args),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_jsonl_fields_passthrough_edits_and_rejects(tmp_path):
    src = tmp_path / "in.jsonl"
    rows = [
        {"doc": "a1", "body": "the talks ended. it rained.", "desk": "world"},
        "{not json",
        {"doc": "a3", "title": "no body here"},
        {"doc": "a4", "body": "x" * 200},
        {"doc": "a5", "body": "“we agree,” he said. they left.", "ru": "Мы согласны"},
    ]
    src.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows)
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    env_limit = {"COPYDESK_MAX_TEXT_CHARS": "100"}
    proc = subprocess.run(
        copydesk_command(
            "batch",
            str(src),
            "--out",
            str(out),
            "--text-field",
            "body",
            "--source-field",
            "ru",
            "--id-field",
            "doc",
            "--with-edits",
            "--pipeline",
            RULES,
        ),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **env_limit},
    )
    assert proc.returncode == 5, proc.stderr
    assert "5 records (3 rejected)" in proc.stderr and "casing 4" in proc.stderr
    got = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [g["doc"] for g in got] == ["a1", "a5"]
    assert got[0]["body"] == "The talks ended. It rained." and got[0]["desk"] == "world"
    assert got[0]["copydesk"]["original"] == "the talks ended. it rained."
    assert [e["replacement"] for e in got[0]["copydesk"]["edits"]] == ["The", "It"]
    assert got[1]["body"] == "“We agree,” he said. They left." and got[1]["ru"] == "Мы согласны"
    rejects = [
        json.loads(x) for x in (tmp_path / "out.jsonl.rejects.jsonl").read_text().splitlines()
    ]
    assert [(r["key"], r["reason"][:20]) for r in rejects] == [
        ("in.jsonl:2", "invalid JSON: Expect"),
        ("a3", "missing or non-strin"),
        ("a4", "text has 200 charact"),
    ]
    assert rejects[0]["record"] == "{not json"


def test_text_documents_and_lines(tmp_path):
    one, two = tmp_path / "one.txt", tmp_path / "two.txt"
    one.write_text("the end.\r\n\r\nit rained.", encoding="utf-8")
    two.write_bytes(b"fine text.\nbad \xff line\nthe last one.\n")
    docs = batch(str(one), "--out", str(tmp_path / "docs"), "--pipeline", RULES)
    assert docs.returncode == 0, docs.stderr
    assert (tmp_path / "docs" / "one.txt").read_bytes() == b"The end.\r\n\r\nIt rained."
    lines = batch(str(two), "--lines", "--out", str(tmp_path / "two.out"), "--pipeline", RULES)
    assert lines.returncode == 5
    # The rejected line keeps its own bytes, so the output stays line for line.
    assert (tmp_path / "two.out").read_bytes() == b"Fine text.\nbad \xff line\nThe last one.\n"
    [reject] = (tmp_path / "two.out.rejects.jsonl").read_text().splitlines()
    assert json.loads(reject)["reason"] == "not UTF-8 (byte 4)"


def seed_records(path: Path, n: int) -> None:
    paragraphs = [p for p in (ROOT / "seeds" / "idlib-mt.txt").read_text().split("\n\n") if p]
    with open(path, "w", encoding="utf-8") as handle:
        for i in range(n):
            handle.write(
                json.dumps({"id": f"r{i}", "text": paragraphs[i % len(paragraphs)]}) + "\n"
            )


def test_resume_after_kill_gives_exactly_the_uninterrupted_output(tmp_path, languagetool_url):
    src = tmp_path / "in.jsonl"
    seed_records(src, 120)
    whole = batch(str(src), "--out", str(tmp_path / "whole.jsonl"), "--chunk-size", "2")
    assert whole.returncode == 0, whole.stderr
    out = tmp_path / "killed.jsonl"
    work = tmp_path / "killed.jsonl.copydesk-work"
    command = copydesk_command("batch", str(src), "--out", str(out), "--chunk-size", "2")
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(list(work.glob("chunk-*.json"))) < 10 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done = len(list(work.glob("chunk-*.json")))
    assert 10 <= done < 60 and not out.exists()
    resumed = batch(str(src), "--out", str(out), "--chunk-size", "2")
    assert resumed.returncode == 0, resumed.stderr
    assert f"chunks resumed: {done}" in resumed.stderr
    assert out.read_bytes() == (tmp_path / "whole.jsonl").read_bytes()
    ids = [json.loads(x)["id"] for x in out.read_text().splitlines()]
    assert ids == [f"r{i}" for i in range(120)]
    assert not work.exists()


def test_two_workers_give_the_same_output(tmp_path, languagetool_url):
    src = tmp_path / "in.jsonl"
    seed_records(src, 24)
    one = batch(str(src), "--out", str(tmp_path / "one.jsonl"), "--chunk-size", "4")
    two = batch(
        str(src), "--out", str(tmp_path / "two.jsonl"), "--chunk-size", "4", "--workers", "2"
    )
    assert one.returncode == two.returncode == 0, two.stderr
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()


def test_resuming_with_other_options_is_refused_unless_restarted(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("".join(f"the line {i}.\n" for i in range(12)))
    out, work = tmp_path / "out.txt", tmp_path / "out.txt.copydesk-work"
    args = [str(src), "--lines", "--out", str(out), "--pipeline", RULES, "--chunk-size", "2"]
    # A run stopped after its first chunks: its checkpoint folder stays.
    first = batch(*args, "--threshold", "0.99")
    assert first.returncode == 0
    work.mkdir()
    (work / "job.json").write_text(json.dumps({"threshold": 0.99}))
    (work / "chunk-000000.json").write_text("[]")
    changed = batch(*args, "--threshold", "0.5")
    assert changed.returncode == 4
    line = changed.stderr.strip().splitlines()[-1]
    assert line.startswith("copydesk: error:") and "threshold" in line and "--restart" in line
    restarted = batch(*args, "--threshold", "0.5", "--restart")
    assert restarted.returncode == 0, restarted.stderr
    assert out.read_text().splitlines() == [f"The line {i}." for i in range(12)]


def test_an_output_that_cannot_be_written_is_one_line_and_exit_4(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("one.\n")
    folder = tmp_path / "taken"
    folder.mkdir()
    proc = batch(str(src), "--lines", "--out", str(folder), "--pipeline", RULES)
    assert proc.returncode == 4 and "is a folder" in proc.stderr
    assert proc.stderr.strip().count("\n") == 0 and "Traceback" not in proc.stderr


def test_a_full_disk_is_one_line_and_exit_4(tmp_path):
    """On a tiny tmpfs where the machine allows mounting one, else ENOSPC made by hand."""
    src = tmp_path / "a.txt"
    src.write_text("".join(f"the line {i} is here.\n" for i in range(2000)))
    with small_disk(tmp_path / "disk") as disk:
        proc = batch(str(src), "--lines", "--out", str(disk / "out.txt"), "--pipeline", RULES)
    assert proc.returncode == 4, proc.stderr
    [line] = proc.stderr.strip().splitlines()[-1:]
    assert line.startswith("copydesk: error:") and "disk is full" in line
    assert "Traceback" not in proc.stderr


def test_a_rejected_document_writes_no_file(tmp_path):
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text("the end.")
    bad.write_bytes(b"caf\xe9")
    proc = batch(str(good), str(bad), "--out", str(tmp_path / "docs"), "--pipeline", RULES)
    assert proc.returncode == 5
    assert sorted(p.name for p in (tmp_path / "docs").iterdir()) == [
        "good.txt",
        "rejects.rejects.jsonl",
    ]


@pytest.mark.integration
def test_ray_engine_gives_the_same_output_as_one_machine(tmp_path, languagetool_url):
    src = tmp_path / "in.jsonl"
    seed_records(src, 16)
    local = batch(str(src), "--out", str(tmp_path / "local.jsonl"), "--chunk-size", "4")
    ray = batch(
        str(src),
        "--out",
        str(tmp_path / "ray.jsonl"),
        "--chunk-size",
        "4",
        "--engine",
        "ray",
        "--workers",
        "2",
    )
    assert local.returncode == 0, local.stderr
    assert ray.returncode == 0, ray.stderr[-3000:]
    assert (tmp_path / "ray.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()


def test_html_texts_in_jsonl_keep_their_markup(tmp_path):
    src = tmp_path / "in.jsonl"
    rows = [{"id": "a", "text": "<p>talks ended. <b>the</b> vote came.</p>"}]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = batch(str(src), "--out", str(out), "--text-format", "html", "--pipeline", RULES)
    assert proc.returncode == 0, proc.stderr
    [row] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert row["text"] == "<p>Talks ended. <b>The</b> vote came.</p>"
