"""``copydesk check``: its JSON Lines contract, its other formats and its input errors."""

from __future__ import annotations

import json

from tests.helpers import run_copydesk

MT = "The army lost 25 soldiers near Idlib.\nSergei Lavrov did not comment on Monday.\n"
SOURCE = (
    "Армия потеряла 35 солдат под Идлибом.\nСергей Лавров не стал комментировать в понедельник.\n"
)


def _write(tmp_path, mt: str = MT, source: str | None = SOURCE) -> tuple[str, str]:
    (tmp_path / "mt.txt").write_text(mt, encoding="utf-8")
    (tmp_path / "src.txt").write_text(source or "", encoding="utf-8")
    return str(tmp_path / "mt.txt"), str(tmp_path / "src.txt")


def _jsonl(proc) -> list[dict]:
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]


def test_check_lines_jsonl_flags_the_planted_number(tmp_path):
    mt, src = _write(tmp_path)
    rows = _jsonl(run_copydesk("check", mt, "--source", src, "--lines", "--format", "jsonl"))
    assert [r["line"] for r in rows] == [0, 1]
    assert all(set(r) == {"line", "hter", "da", "flags"} for r in rows)
    assert all(0.0 <= r["hter"] <= 1.0 and isinstance(r["da"], float) for r in rows)
    [flag] = rows[0]["flags"]
    line = MT.splitlines()[0]
    assert flag["kind"] == "number"
    assert line[flag["start"] : flag["end"]] == "25" == flag["original"]
    assert {"start", "end", "kind", "message", "check", "severity", "confidence"} <= set(flag)
    assert rows[1]["flags"] == []  # the correct line is left alone


def test_check_estimate_is_deterministic(tmp_path):
    mt, src = _write(tmp_path)
    args = ("check", mt, "--source", src, "--lines", "--format", "jsonl")
    first, second = _jsonl(run_copydesk(*args)), _jsonl(run_copydesk(*args))
    assert first == second


def test_check_without_source_has_no_source_flags(tmp_path):
    mt, _ = _write(tmp_path)
    rows = _jsonl(run_copydesk("check", mt, "--lines", "--format", "jsonl"))
    assert len(rows) == 2
    assert all(r["flags"] == [] for r in rows)
    with_source = _jsonl(
        run_copydesk("check", mt, "--source", str(tmp_path / "src.txt"), "--lines", "--format",
                     "jsonl")
    )  # fmt: skip
    # The English-only estimate answers without a source.
    assert [r["hter"] for r in rows] != [r["hter"] for r in with_source]


def test_check_document_json_has_flags_and_a_segment_per_sentence(tmp_path):
    mt, src = _write(tmp_path)
    proc = run_copydesk("check", mt, "--source", src, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert [MT[s["start"] : s["end"]] for s in data["segments"]] == MT.splitlines()
    [flag] = data["flags"]
    assert (flag["kind"], MT[flag["start"] : flag["end"]]) == ("number", "25")
    assert SOURCE[flag["source_start"] : flag["source_end"]] == "35"


def test_check_text_format_is_one_line_per_flag(tmp_path):
    mt, src = _write(tmp_path, mt="Fine.\n" + MT, source="Хорошо.\n" + SOURCE)
    for extra in ((), ("--lines",)):
        proc = run_copydesk("check", mt, "--source", src, *extra)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.decode("utf-8").splitlines() == [
            "1:14-16 number (numbers): 25 is not in the source, which has 35 ['25']"
        ]


def test_check_mismatched_line_counts_is_an_input_error(tmp_path):
    mt, src = _write(tmp_path, source="Одна строка.\n")
    proc = run_copydesk("check", mt, "--source", src, "--lines", "--format", "jsonl")
    assert proc.returncode == 1
    assert proc.stdout == b""
    err = proc.stderr.decode("utf-8").strip()
    assert err.startswith("copydesk: error:") and "\n" not in err
