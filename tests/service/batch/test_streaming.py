"""Batch jobs in one process, with a small pipeline: changed inputs, exact lines, CSV
headers and large fields, bounded reading, one writer per output, flags and QA reports."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from copydesk import models
from copydesk.models import InputError
from copydesk.models.stages import SentenceCaseStage
from copydesk.service.batch import job as job_module
from copydesk.service.batch.checkpoint import BatchError
from copydesk.service.batch.job import run_job
from copydesk.service.batch.lock import output_lock
from copydesk.service.batch.spec import JobSpec, QAOptions
from copydesk.service.batch.streams import fingerprint, iter_lines


@pytest.fixture(scope="module")
def pipeline() -> models.Pipeline:
    return models.Pipeline([SentenceCaseStage()])


def spec_for(inputs: list[Path], out: Path, fmt: str, **extra) -> JobSpec:
    return JobSpec(inputs=inputs, out=out, fmt=fmt, **extra)


class Interrupted(Exception):
    pass


def interrupt_after_first_chunk(done: int, total: int, words: int) -> None:
    if done > 0:
        raise Interrupted


def test_a_changed_input_is_refused_by_name_and_restart_starts_over(tmp_path, pipeline):
    src, out = tmp_path / "in.txt", tmp_path / "out.txt"
    src.write_text("the first line.\nthe second line.\n", encoding="utf-8")
    spec = spec_for([src], out, "txt", lines=True, chunk_size=1)
    with pytest.raises(Interrupted):  # killed after its first chunk was checkpointed
        run_job(spec, interrupt_after_first_chunk, pipeline=pipeline)
    assert list((tmp_path / "out.txt.copydesk-work").glob("chunk-*.json"))
    src.write_text("the changed line.\nthe second line.\n", encoding="utf-8")  # same count
    with pytest.raises(BatchError) as refused:
        run_job(spec, pipeline=pipeline)
    message = str(refused.value)
    assert "\n" not in message and str(src.resolve()) in message and "changed" in message
    assert "--restart" in message and not out.exists()
    run_job(spec.model_copy(update={"restart": True}), pipeline=pipeline)
    assert out.read_text(encoding="utf-8") == "The changed line.\nThe second line.\n"


def test_a_changed_source_file_is_named_too(tmp_path, pipeline):
    src, source = tmp_path / "mt.txt", tmp_path / "src.txt"
    src.write_text("one.\ntwo.\n", encoding="utf-8")
    source.write_text("один.\nдва.\n", encoding="utf-8")
    spec = spec_for([src], tmp_path / "o.txt", "txt", lines=True, chunk_size=1, source_file=source)
    with pytest.raises(Interrupted):
        run_job(spec, interrupt_after_first_chunk, pipeline=pipeline)
    source.write_text("три.\nдва.\n", encoding="utf-8")
    with pytest.raises(BatchError, match=r"\(--source\) changed"):
        run_job(spec, pipeline=pipeline)


def test_lines_keep_every_terminator_and_a_missing_final_newline(tmp_path, pipeline):
    # CRLF, a lone CR, and characters str.splitlines would break on (U+2028, \x0c, \x85).
    data = "the vote.\r\nthe rain.\rthe talks\u2028went on.\nthe war\x0cand\x85peace.\r\nthe end."
    src = tmp_path / "in.txt"
    src.write_bytes(data.encode("utf-8"))
    source = tmp_path / "src.txt"  # the same five lines, with other terminators
    source.write_bytes(
        "Голосование.\nДождь.\nПереговоры\u2028шли.\r\nВойна\x85мир.\rКонец.\n".encode()
    )
    ids = tmp_path / "ids"
    ids.write_bytes(b"1\r\n1\n2\r3\n3")
    out = tmp_path / "out.txt"
    run_job(spec_for([src], out, "txt", lines=True, source_file=source), pipeline=pipeline)
    expected = (
        "The vote.\r\nThe rain.\rThe talks\u2028went on.\nThe war\x0cand\x85peace.\r\nThe end."
    )
    assert out.read_bytes() == expected.encode("utf-8")
    grouped = tmp_path / "grouped.txt"
    run_job(
        spec_for([src], grouped, "txt", lines=True, source_file=source, doc_ids=ids),
        pipeline=pipeline,
    )
    assert grouped.read_bytes() == expected.encode("utf-8")
    src.write_bytes((data + "\n").encode("utf-8"))
    source.write_bytes("Голосование.\nДождь.\nПереговоры.\nВойна.\nКонец.\n".encode())
    run_job(
        spec_for([src], out, "txt", lines=True, source_file=source, restart=True),
        pipeline=pipeline,
    )
    assert out.read_bytes() == (expected + "\n").encode("utf-8")


def test_side_files_are_counted_by_the_same_rule(tmp_path, pipeline):
    src, source = tmp_path / "in.txt", tmp_path / "src.txt"
    src.write_text("one.\ntwo.\n", encoding="utf-8")
    source.write_bytes("раз\u2028два.\x85\nтри.\n".encode())  # two lines, not four
    assert fingerprint(source).lines == 2
    run_job(
        spec_for([src], tmp_path / "o", "txt", lines=True, source_file=source), pipeline=pipeline
    )
    source.write_bytes("раз.\rдва.\nтри.\n".encode())  # a lone CR ends a line: three
    with pytest.raises(InputError, match="has 3 lines and the input 2"):
        run_job(
            spec_for([src], tmp_path / "p", "txt", lines=True, source_file=source),
            pipeline=pipeline,
        )


def test_a_rejected_line_keeps_its_own_bytes_and_terminator(tmp_path, pipeline):
    src, out = tmp_path / "in.txt", tmp_path / "out.txt"
    src.write_bytes(b"the a.\r\ncaf\xe9\rthe c." + b"\r\n" + b"x" * 200 + b"\n")
    summary = run_job(spec_for([src], out, "txt", lines=True, max_chars=50), pipeline=pipeline)
    assert summary.rejects == 2
    assert out.read_bytes() == b"The a.\r\ncaf\xe9\rThe c.\r\n" + b"x" * 200 + b"\n"


def test_csv_with_a_duplicate_column_name_is_refused(tmp_path, pipeline):
    src = tmp_path / "in.csv"
    src.write_text("id,text,note,note\n1,the end.,a,b\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"duplicate column names: 'note' \(columns 3, 4\)"):
        run_job(spec_for([src], tmp_path / "out.csv", "csv"), pipeline=pipeline)
    assert not (tmp_path / "out.csv").exists()


def test_the_cli_refuses_a_duplicate_column_in_one_line_with_exit_1(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("id,text,note,note\n1,the end.,a,b\n", encoding="utf-8")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "copydesk.service.cli",
            "batch",
            str(src),
            "--out",
            str(tmp_path / "o.csv"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip().count("\n") == 0 and "duplicate column names" in proc.stderr


def test_csv_fields_over_the_csv_modules_default_are_read(tmp_path, pipeline):
    big = "y" * 300_000  # the csv module's default limit is 131,072 characters
    rows = [["id", "text", "note"], ["1", "the end.", big], ["2", "z" * 200_000, "n"]]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_text(buffer.getvalue(), encoding="utf-8")
    summary = run_job(spec_for([src], out, "csv", max_chars=100_000), pipeline=pipeline)
    got = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert summary.records == 2 and summary.rejects == 1
    assert got[1][:3] == ["1", "The end.", big]  # read whole and passed through
    assert got[2][:3] == ["2", "z" * 200_000, "n"]  # over the text limit: a reject, kept
    reject = json.loads((tmp_path / "out.csv.rejects.jsonl").read_text())
    assert reject["key"] == "2" and "limit is 100000" in reject["reason"]


def test_the_line_reader_holds_no_more_than_a_chunk_and_a_line(tmp_path):
    path = tmp_path / "big.txt"
    with open(path, "wb") as handle:
        handle.write(b"short\n")
        handle.write(b"x" * 5_000_000 + b"\r\n")  # one line far over the limit
        for _ in range(20_000):
            handle.write(b"a normal line of text\n")
    tracemalloc.start()
    try:
        with open(path, "rb") as handle:
            lines = iter_lines(handle, max_line=1_000, chunk_bytes=4_096)
            count, long_lines = 0, []
            for line in lines:
                count += 1
                if line.content is None:
                    long_lines.append((line.start, line.end, line.terminator))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 20_002 and long_lines == [(6, 5_000_008, b"\r\n")]
    assert peak < 64_000  # a chunk and a line of 1,000 bytes, not the 5 MB line


def test_a_job_reads_only_a_few_chunks_ahead_of_its_repairs(tmp_path, pipeline, monkeypatch):
    src = tmp_path / "in.txt"
    src.write_text("".join(f"line {n}.\n" for n in range(3_000)), encoding="utf-8")
    read = [0]
    real = job_module.read_records

    def counting(spec, *rest):
        for record in real(spec, *rest):
            read[0] += 1
            yield record

    monkeypatch.setattr(job_module, "read_records", counting)
    ahead = []

    def progress(done: int, total: int, words: int) -> None:
        ahead.append(read[0] - done)

    run_job(
        spec_for([src], tmp_path / "o.txt", "txt", lines=True, chunk_size=10), progress, pipeline
    )
    assert read[0] == 3_000 and max(ahead) <= 10 * 8  # a few chunks, not the whole input


def test_a_second_writer_of_one_output_is_refused_at_the_start(tmp_path, pipeline):
    src, out = tmp_path / "in.txt", tmp_path / "out.txt"
    src.write_text("the end.\n", encoding="utf-8")
    spec = spec_for([src], out, "txt", lines=True)
    with output_lock(spec.lock_path, out):
        with pytest.raises(BatchError, match=rf"another job \(pid {os.getpid()}\) is writing"):
            run_job(spec, pipeline=pipeline)
        assert not out.exists() and not spec.work_dir.exists()
    run_job(spec, pipeline=pipeline)
    assert out.read_text() == "The end.\n" and not spec.lock_path.exists()


def test_a_lock_left_by_a_dead_job_is_taken_over(tmp_path, pipeline):
    src, out = tmp_path / "in.txt", tmp_path / "out.txt"
    src.write_text("the end.\n", encoding="utf-8")
    spec = spec_for([src], out, "txt", lines=True)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    spec.lock_path.write_text(dead.stdout)  # what a job killed with -9 leaves
    run_job(spec, pipeline=pipeline)
    assert out.read_text() == "The end.\n" and not spec.lock_path.exists()


def test_two_cli_jobs_on_one_output_the_second_refused_with_exit_4(tmp_path):
    src, out = tmp_path / "in.txt", tmp_path / "out.txt"
    src.write_text("the end.\n", encoding="utf-8")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path;"
            "from copydesk.service.batch.lock import output_lock;"
            f"cm = output_lock(Path({str(tmp_path / 'out.txt.copydesk-lock')!r}), Path('x'));"
            "cm.__enter__(); print('held', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "copydesk.service.cli",
                "batch",
                str(src),
                "--lines",
                "--out",
                str(out),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        holder.kill()
        holder.wait()
    assert proc.returncode == 4 and f"another job (pid {holder.pid})" in proc.stderr
    assert proc.stderr.strip().count("\n") == 0 and not out.exists()


def test_jsonl_and_csv_outputs_carry_flags_and_the_estimate(tmp_path, pipeline):
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "a", "text": "it rained for three days.", "source": "Дождь шёл два дня."})
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    run_job(spec_for([src], out, "jsonl"), pipeline=pipeline)
    got = json.loads(out.read_text(encoding="utf-8"))
    assert got["text"] == "It rained for three days."
    assert [(f["kind"], f["original"]) for f in got["copydesk_flags"]] == [("number", "three")]
    assert got["copydesk_hter"] == max(s["hter"] for s in got["copydesk_segments"])
    table = tmp_path / "in.csv"
    table.write_text(
        "id,text,source\na,it rained for three days.,Дождь шёл два дня.\n", encoding="utf-8"
    )
    run_job(spec_for([table], tmp_path / "out.csv", "csv"), pipeline=pipeline)
    header, row = list(csv.reader(io.StringIO((tmp_path / "out.csv").read_text(encoding="utf-8"))))
    values = dict(zip(header, row, strict=True))
    assert [f["kind"] for f in json.loads(values["copydesk_flags"])] == ["number"]
    assert float(values["copydesk_hter"]) == pytest.approx(got["copydesk_hter"], abs=1e-4)
    assert float(values["copydesk_da"]) == pytest.approx(got["copydesk_da"], abs=1e-4)


def test_the_qa_report_counts_by_file_and_kind_and_ranks_by_estimate(tmp_path, pipeline):
    mt, source = tmp_path / "mt.txt", tmp_path / "src.txt"
    mt.write_text(
        "it rained for three days.\nthe talks ended.\nOtherwise Turkey until the end of "
        "February they will move.\n",
        encoding="utf-8",
    )
    source.write_text(
        "Дождь шёл два дня.\nПереговоры закончились.\nИначе Турция до конца февраля двинется.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.txt"
    run_job(spec_for([mt], out, "txt", lines=True, source_file=source), pipeline=pipeline)
    report = json.loads((tmp_path / "out.txt.qa.json").read_text(encoding="utf-8"))
    assert report["units"] == 3 and report["flagged_units"] >= 1
    assert report["flags_by_kind"]["number"] == 1
    assert report["files"]["mt.txt"]["flags"]["number"] == 1
    hters = [u["hter"] for u in report["list"]]
    assert hters == sorted(hters, reverse=True) and len(hters) == 3
    flagged = next(u for u in report["list"] if u["unit"] == "mt.txt:1")
    assert flagged["flags"][0]["original"] == "three"
    markdown = (tmp_path / "out.txt.qa.md").read_text(encoding="utf-8")
    assert "| mt.txt | 3 |" in markdown and "| number | 14–19 three |" in markdown
    # Filtered and in input order, at a path of its own.
    spec = spec_for(
        [mt],
        tmp_path / "again.txt",
        "txt",
        lines=True,
        source_file=source,
        qa_report=tmp_path / "qa" / "report.json",
        qa=QAOptions(sort="position", min_hter=min(hters) + 1e-9),
    )
    (tmp_path / "qa").mkdir()
    run_job(spec, pipeline=pipeline)
    filtered = json.loads((tmp_path / "qa" / "report.json").read_text())
    assert filtered["units"] == 3 and len(filtered["list"]) == 2
    positions = [u["position"] for u in filtered["list"]]
    assert positions == sorted(positions)
    assert (tmp_path / "qa" / "report.md").is_file()


def test_a_qa_report_lists_each_line_of_a_document_apart(tmp_path, pipeline):
    mt, ids = tmp_path / "mt.txt", tmp_path / "ids"
    mt.write_text("the talks ended.\nit rained for three days.\n", encoding="utf-8")
    (tmp_path / "src").write_text("Переговоры закончились.\nДождь шёл два дня.\n", encoding="utf-8")
    ids.write_text("d\nd\n", encoding="utf-8")
    spec = spec_for(
        [mt], tmp_path / "o.txt", "txt", lines=True, source_file=tmp_path / "src", doc_ids=ids
    )
    run_job(spec, pipeline=pipeline)
    report = json.loads((tmp_path / "o.txt.qa.json").read_text())
    units = {u["unit"]: u for u in report["list"]}
    assert set(units) == {"mt.txt:1", "mt.txt:2"}
    [flag] = units["mt.txt:2"]["flags"]
    assert (flag["start"], flag["end"], flag["original"]) == (14, 19, "three")


def test_the_line_reader_agrees_with_the_rule_at_every_read_boundary():
    import random
    import re

    rng = random.Random(7)
    for _ in range(300):
        data = bytes(rng.choice(b"ab\r\n") for _ in range(rng.randrange(0, 40)))
        expected = [
            (m.group(1), m.group(2))
            for m in re.finditer(rb"([^\r\n]*)(\r\n|\r|\n|$)", data)
            if m.group(0) or m.start() < len(data)
        ]
        for chunk in (1, 2, 3, 7, 64):
            got = list(iter_lines(io.BytesIO(data), max_line=100, chunk_bytes=chunk))
            assert [(x.content, x.terminator) for x in got] == expected, (data, chunk)
            assert b"".join(data[x.start : x.end] for x in got) == data
            assert len(got) == fingerprint_lines(data)


def fingerprint_lines(data: bytes) -> int:
    import tempfile

    with tempfile.NamedTemporaryFile() as handle:
        handle.write(data)
        handle.flush()
        return fingerprint(Path(handle.name)).lines


def test_a_document_over_the_limit_is_rejected_without_being_read(tmp_path, pipeline):
    big, small = tmp_path / "big.txt", tmp_path / "small.txt"
    big.write_bytes(b"x" * 500)
    small.write_text("the end.", encoding="utf-8")
    summary = run_job(
        spec_for([big, small], tmp_path / "docs", "txt", max_chars=100), pipeline=pipeline
    )
    assert summary.rejects == 1 and sorted(p.name for p in (tmp_path / "docs").iterdir()) == [
        "rejects.rejects.jsonl",
        "small.txt",
    ]


def test_an_xliff_job_gets_a_qa_report_of_its_units(tmp_path, pipeline):
    src = tmp_path / "job.xlf"
    src.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
        '<file original="a.txt" source-language="ru" target-language="en" datatype="plaintext">'
        '<body><trans-unit id="1"><source>Дождь шёл два дня.</source>'
        "<target>it rained for three days.</target></trans-unit>"
        '<trans-unit id="2"><source>Конец.</source><target>the end.</target></trans-unit>'
        "</body></file></xliff>",
        encoding="utf-8",
    )
    run_job(spec_for([src], tmp_path / "out.xlf", "xliff"), pipeline=pipeline)
    report = json.loads((tmp_path / "out.xlf.qa.json").read_text(encoding="utf-8"))
    assert report["units"] == 2 and report["files"]["job.xlf"]["flags"] == {"number": 1}
    assert {u["unit"] for u in report["list"]} == {"job.xlf#1", "job.xlf#2"}
