"""Batch input shaped like MT data and tables: line-aligned sources, documents of lines,
CSV and TSV (TMX: test_tmx.py)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import pytest

from tests.helpers import copydesk_command

ROOT = Path(__file__).resolve().parents[3]
FAST = str(ROOT / "tests" / "service" / "fixtures" / "starts-and-names.toml")
MLQE = ROOT / "tests" / "fixtures" / "mlqe-pe-dev-excerpt"  # the dev split's first lines


def batch(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        copydesk_command("batch", *args, "--pipeline", FAST),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_lines_with_a_source_file_equal_the_jsonl_job(tmp_path):
    """MLQE-PE dev: the MT lines with --source give what the same pairs as JSONL give."""
    mt, ru = MLQE / "dev.orig.mt.en", MLQE / "dev.orig.ru"
    pairs = zip(
        mt.read_text(encoding="utf-8").splitlines(),
        ru.read_text(encoding="utf-8").splitlines(),
        strict=True,
    )
    jsonl = tmp_path / "dev.jsonl"
    jsonl.write_text(
        "".join(json.dumps({"text": t, "source": s}, ensure_ascii=False) + "\n" for t, s in pairs),
        encoding="utf-8",
    )
    lines = batch(str(mt), "--lines", "--source", str(ru), "--out", str(tmp_path / "out.en"))
    assert lines.returncode == 0, lines.stderr
    rows = batch(str(jsonl), "--out", str(tmp_path / "out.jsonl"))
    assert rows.returncode == 0, rows.stderr
    expected = [json.loads(r)["text"] for r in (tmp_path / "out.jsonl").read_text().splitlines()]
    got = (tmp_path / "out.en").read_text(encoding="utf-8").splitlines()
    assert got == expected and len(got) == 120
    plain = batch(str(mt), "--lines", "--out", str(tmp_path / "plain.en"))
    assert (tmp_path / "plain.en").read_text(encoding="utf-8").splitlines() != got, plain.stderr


def test_doc_ids_repair_the_lines_of_a_document_together(tmp_path):
    lines = [
        "Sergey Lavrov arrived in Ankara.",
        "the talks began.",
        "Sergei Lavrov left.",
        "an unrelated line about Sergei Lavrov.",
    ]
    mt = tmp_path / "mt.en"
    mt.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ids = tmp_path / "ids"
    ids.write_text("a\na\na\nb\n", encoding="utf-8")
    proc = batch(str(mt), "--lines", "--doc-ids", str(ids), "--out", str(tmp_path / "out.en"))
    assert proc.returncode == 0, proc.stderr
    got = (tmp_path / "out.en").read_text(encoding="utf-8").splitlines()
    assert got == [
        "Sergey Lavrov arrived in Ankara.",
        "The talks began.",
        "Sergey Lavrov left.",
        "An unrelated line about Sergei Lavrov.",
    ]
    # The same text repaired as its documents gives the same lines.
    command = copydesk_command("repair", "-", "--pipeline", FAST)
    document = "\n\n".join(lines[:3])
    whole = subprocess.run(command, cwd=ROOT, input=document, capture_output=True, text=True)
    assert whole.stdout.split("\n\n") == got[:3]
    # A TSV with a docid column, as WMT's and sacrebleu's metadata.
    meta = tmp_path / "meta.tsv"
    meta.write_text("docid\tgenre\na\tnews\na\tnews\na\tnews\nb\tnews\n", encoding="utf-8")
    proc = batch(
        str(mt),
        "--lines",
        "--doc-ids",
        str(meta),
        "--doc-id-column",
        "docid",
        "--out",
        str(tmp_path / "tsv.en"),
    )
    assert (tmp_path / "tsv.en").read_text(encoding="utf-8").splitlines() == got, proc.stderr


def test_mlqe_documents_keep_every_line_in_order(tmp_path):
    mt = MLQE / "dev.orig.mt.en"
    proc = batch(
        str(mt),
        "--lines",
        "--doc-ids",
        str(MLQE / "dev.doc_ids"),
        "--source",
        str(MLQE / "dev.orig.ru"),
        "--out",
        str(tmp_path / "o"),
    )
    assert proc.returncode == 0, proc.stderr
    got = (tmp_path / "o").read_text(encoding="utf-8").splitlines()
    original = mt.read_text(encoding="utf-8").splitlines()
    assert len(got) == len(original)
    assert sum(a.lower() == b.lower() for a, b in zip(got, original, strict=True)) > 100


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--source", "short"], "has 1 lines and the input 3"),
        (["--doc-ids", "short"], "has 1 ids and the input 3 lines"),
        (["--doc-ids", "ids.tsv", "--doc-id-column", "doc"], "has no column 'doc'"),
    ],
)
def test_misaligned_side_files_are_one_error_before_any_work(tmp_path, extra, message):
    (tmp_path / "mt").write_text("a\nb\nc\n", encoding="utf-8")
    (tmp_path / "short").write_text("x\n", encoding="utf-8")
    (tmp_path / "ids.tsv").write_text("docid\n1\n1\n2\n", encoding="utf-8")
    args = [str(tmp_path / a) if a in ("short", "ids.tsv") else a for a in extra]
    proc = batch(str(tmp_path / "mt"), "--lines", *args, "--out", str(tmp_path / "out"))
    assert proc.returncode == 1 and message in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_csv_and_tsv_round_trips(tmp_path):
    rows = [
        ["id", "text", "ru", "desk"],
        ["a1", 'the talks, "at last", ended.\nthe vote came.', "Переговоры.", "world"],
        ["a2", "the end.", "", "sport"],
        ["a3", "too", "many", "fields", "here"],
    ]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    (tmp_path / "in.csv").write_text(buffer.getvalue(), encoding="utf-8")
    proc = batch(
        str(tmp_path / "in.csv"), "--out", str(tmp_path / "out.csv"), "--source-field", "ru"
    )
    assert proc.returncode == 5, proc.stderr
    got = list(csv.reader(io.StringIO((tmp_path / "out.csv").read_text(encoding="utf-8"))))
    qa_columns = ["copydesk_flags", "copydesk_hter", "copydesk_da"]
    assert got[0] == rows[0] + qa_columns
    assert got[3] == rows[3] + ["", "", ""]  # a rejected row kept as it was
    assert got[1][:4] == [
        "a1",
        'The talks, "at last", ended.\nThe vote came.',
        "Переговоры.",
        "world",
    ]
    assert got[2][:4] == ["a2", "The end.", "", "sport"]
    assert json.loads(got[1][4]) == [] and 0 <= float(got[1][5]) <= 1 and float(got[1][6])
    [reject] = (tmp_path / "out.csv.rejects.jsonl").read_text().splitlines()
    assert json.loads(reject)["key"] == "in.csv:row 3"
    tsv = tmp_path / "in.tsv"
    tsv.write_text("seg\tnote\nthe end.\tx\n", encoding="utf-8")
    proc = batch(str(tsv), "--out", str(tmp_path / "out.tsv"), "--text-field", "seg")
    header, row = (tmp_path / "out.tsv").read_text(encoding="utf-8").splitlines()
    assert header == "seg\tnote\t" + "\t".join(qa_columns)
    assert row.split("\t")[:3] == ["The end.", "x", "[]"]
    missing = batch(str(tsv), "--out", str(tmp_path / "x.tsv"))
    assert missing.returncode == 1 and "no column 'text'" in missing.stderr
