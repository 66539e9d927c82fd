"""Suites, the score and eval commands, and their errors on bad input."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from copydesk import models
from copydesk.eval.harness import repair_segments
from copydesk.eval.suites import load_suite, suite_names
from copydesk.models import ConfigError, Edit, EditKind, InputError, Stage
from tests.helpers import copydesk_command

ROOT = Path(__file__).resolve().parents[2]
RULES_ONLY = str(ROOT / "tests" / "service" / "fixtures" / "sentence-case-only.toml")
SEEDS = ROOT / "seeds"


def copydesk(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        copydesk_command(*args),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )


def test_shipped_suites_load_from_the_data_dir(tmp_path):
    assert {"seeds", "seeds-light", "seeds-full", "mlqe-dev", "jfleg-dev", "casing-test"} <= set(
        suite_names()
    )
    suite = load_suite("seeds", tmp_path)
    assert suite.unit == "paragraphs" and len(suite.mt) == 8 and len(suite.references) == 2
    # A ${data} path resolves under the data dir given, with a hint when it is missing.
    with pytest.raises(InputError, match="COPYDESK_DATA_DIR"):
        load_suite("mlqe-dev", tmp_path / "nowhere")
    data = tmp_path / "data" / "mlqe-pe-ru-en"
    data.mkdir(parents=True)
    for name, lines in (
        ("dev.orig.ru", ["Привет.", "Да."]),
        ("dev.orig.mt.en", ["hello.", "Yes."]),
        ("dev.detok.pe.en", ["Hello.", "Yes."]),
    ):
        (data / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    suite = load_suite("mlqe-dev", tmp_path / "data")
    assert suite.mt == ["hello.", "Yes."] and suite.source == ["Привет.", "Да."]


def test_suite_with_wrong_reference_length_names_the_files(tmp_path):
    (tmp_path / "mt.txt").write_text("a\nb\nc\n", encoding="utf-8")
    (tmp_path / "ref.txt").write_text("a\nb\n", encoding="utf-8")
    (tmp_path / "s.toml").write_text('mt = "mt.txt"\nreferences = ["ref.txt"]\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"ref.txt has 2 lines but .*mt.txt has 3"):
        load_suite(str(tmp_path / "s.toml"), tmp_path)


def test_eval_suite_writes_a_report(tmp_path):
    out = tmp_path / "report"
    done = copydesk(
        "eval", "seeds-light", "--pipeline", RULES_ONLY, "--out", str(out), "--resamples", "200"
    )
    assert done.returncode == 0, done.stderr
    assert "| copydesk |" in done.stdout and "| do-nothing |" in done.stdout
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    copy = report["systems"]["copydesk"]
    assert report["bootstrap"]["resamples"] == 200
    assert copy["scores"]["ter"] < report["systems"]["do-nothing"]["scores"]["ter"]
    # sentence_case only fixes sentence starts: every hit it makes is a casing edit.
    assert set(copy["edits"]["by_kind"]) <= {"casing", "unattributed"}
    assert copy["edits"]["by_kind"]["casing"]["tp"] >= 2
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.count("<svg") >= 2 and "<script" not in page
    assert (out / "reference.m2").read_text(encoding="utf-8").startswith("S Idlib")
    assert len((out / "copydesk.txt").read_text(encoding="utf-8").splitlines()) == 8


def test_score_command_prints_table_and_json(tmp_path):
    args = [
        "score",
        "--hyp",
        str(SEEDS / "idlib-reference-light.txt"),
        "--ref",
        str(SEEDS / "idlib-reference-full.txt"),
        "--src",
        str(SEEDS / "idlib-mt.txt"),
        "--unit",
        "paragraphs",
        "--resamples",
        "100",
    ]
    table = copydesk(*args)
    assert table.returncode == 0, table.stderr
    assert "nrefs:1|case:mixed" in table.stdout and "| do-nothing |" in table.stdout
    as_json = copydesk(*args, "--json", "--metric", "ter", "--m2", str(tmp_path / "m2"))
    data = json.loads(as_json.stdout)
    assert data["metrics"] == ["ter"] and data["systems"]["system"]["versus_baseline"]["ter"]
    assert not (tmp_path / "m2" / "reference.m2").exists()  # no ERRANT, no M2


@pytest.mark.parametrize(
    ("hyp", "ref", "message"),
    [
        (b"a\nb\n", b"a\n", r"has 1 lines but .* has 2"),
        (b"a\n\xff\n", b"a\nb\n", r"hyp.txt:2: not UTF-8"),
        (b"", b"a\n", r"hyp.txt: empty file"),
    ],
)
def test_score_command_bad_input_is_one_line(tmp_path, hyp, ref, message):
    (tmp_path / "hyp.txt").write_bytes(hyp)
    (tmp_path / "ref.txt").write_bytes(ref)
    done = copydesk("score", "--hyp", str(tmp_path / "hyp.txt"), "--ref", str(tmp_path / "ref.txt"))
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert re.search(message, done.stderr), done.stderr


def test_unknown_suite_is_an_input_error():
    done = copydesk("eval", "no-such-suite")
    assert done.returncode == 1 and "unknown suite 'no-such-suite'" in done.stderr


class _RecordsDocuments(Stage):
    """A stage that records the documents it is given and capitalises `hello`."""

    name = "records"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def propose(self, doc, context):
        self.seen.append(doc.text)
        at = doc.text.find("hello")
        return (
            []
            if at < 0
            else [Edit(at, at + 5, "hello", "Hello", EditKind.CASING, "records", 1.0, "m", "r")]
        )


def test_document_lines_repairs_consecutive_lines_as_one_document(tmp_path):
    (tmp_path / "mt.txt").write_text("hello a.\nb.\nc.\nhello d.\ne.\n", encoding="utf-8")
    (tmp_path / "s.toml").write_text(
        'mt = "mt.txt"\nreferences = ["mt.txt"]\ndocument_lines = 2\n', encoding="utf-8"
    )
    suite = load_suite(str(tmp_path / "s.toml"), tmp_path)
    stage = _RecordsDocuments()
    outputs, kinds = repair_segments(
        models.Pipeline([stage]), suite.mt, document_size=suite.document_lines
    )
    assert stage.seen == ["hello a.\n\nb.", "c.\n\nhello d.", "e."]
    assert outputs == ["Hello a.", "b.", "c.", "Hello d.", "e."]
    assert [len(k) for k in kinds] == [1, 0, 0, 1, 0] and kinds[3][0].start == 0
    (tmp_path / "bad.toml").write_text(
        'mt = "mt.txt"\nreferences = ["mt.txt"]\ndocument_lines = 0\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="bad.toml: 'document_lines': input should be greater"):
        load_suite(str(tmp_path / "bad.toml"), tmp_path)


def test_a_casing_suite_reads_the_tuning_or_the_test_part_of_its_held_out_year(tmp_path):
    lines = [f"Line {i} of news." for i in range(10)]
    (tmp_path / "news.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    years = ["2012"] * 4 + ["2013"] * 6
    (tmp_path / "prov.tsv").write_text("year\n" + "\n".join(years) + "\n", encoding="utf-8")

    def suite(part: str) -> list[str]:
        (tmp_path / f"{part}.toml").write_text(
            '[generate]\nkind = "casing-noise"\nclean = "news.txt"\nprovenance = "prov.tsv"\n'
            f'holdout_year = "2013"\ntune_lines = 2\npart = "{part}"\n',
            encoding="utf-8",
        )
        return load_suite(str(tmp_path / f"{part}.toml"), tmp_path).references[0]

    assert suite("tune") == lines[4:6] and suite("test") == lines[6:]
    with pytest.raises(ConfigError, match="train.toml: 'generate.part': input should be 'test' or"):
        suite("train")
    assert {"casing-tune", "names-dev"} <= set(suite_names())
