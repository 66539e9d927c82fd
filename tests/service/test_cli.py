"""The command line as a user runs it: a subprocess, its output, stderr and exit code."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from copydesk.models import apply_edits
from copydesk.models.edits import Edit
from tests.helpers import run_copydesk

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "idlib-mt.txt"
FIXTURES = Path(__file__).parent / "fixtures"
RULES_ONLY = str(FIXTURES / "sentence-case-only.toml")
DOWN = str(FIXTURES / "grammar-down.toml")
copydesk = run_copydesk


def test_repair_text_output_changes_only_sentence_starts(seed_mt):
    proc = copydesk("repair", str(SEED), "--pipeline", RULES_ONLY)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode("utf-8")
    assert len(out) == len(seed_mt)
    diffs = [(a, b) for a, b in zip(seed_mt, out, strict=True) if a != b]
    assert diffs == [("f", "F"), ("t", "T"), ("t", "T"), ("t", "T")]
    assert proc.stderr == b""  # every stage ran: nothing to warn about


def test_repair_json_edits_reproduce_the_repaired_text(seed_mt, languagetool_url):
    proc = copydesk("repair", str(SEED), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["original"] == seed_mt
    edits = [Edit.from_dict({k: v for k, v in e.items() if k != "id"}) for e in data["edits"]]
    assert apply_edits(seed_mt, [e for e in edits if e.applied]) == data["repaired"]
    assert [s["name"] for s in data["stages"]] == ["sentence_case", "casing", "entities", "grammar"]
    assert all(s["status"] == "ok" for s in data["stages"]), [
        (s["name"], s["status"], s["reason"]) for s in data["stages"]
    ]
    assert {e.kind for e in edits if e.applied} == {"casing", "entity", "grammar"}


def test_repair_diff_and_stdin():
    proc = copydesk(
        "repair",
        "-",
        "--format",
        "diff",
        "--no-color",
        "--pipeline",
        RULES_ONLY,
        stdin=b"the end. it rained.",
    )
    assert proc.returncode == 0
    assert proc.stdout.decode() == "[-the-]{+The+} end. [-it-]{+It+} rained.\n"
    assert "2 edits applied (casing 2)" in proc.stderr.decode()
    colored = copydesk(
        "repair", "-", "--format", "diff", "--color", "--pipeline", RULES_ONLY, stdin=b"the end."
    )
    assert b"\x1b[" in colored.stdout


def test_crlf_and_emoji_survive_exactly():
    text = "😀 the end.\r\n\r\nit rained 👩\u200d👩\u200d👧.\r\n"
    stages = FIXTURES / "mechanical.toml"
    proc = copydesk("repair", "-", "--pipeline", str(stages), stdin=text.encode())
    assert proc.stdout.decode() == "😀 The end.\r\n\r\nIt rained 👩\u200d👩\u200d👧.\r\n"
    rules = copydesk("repair", "-", "--pipeline", RULES_ONLY, stdin=text.encode())
    assert rules.stdout == proc.stdout


def test_source_file_is_accepted(tmp_path):
    src = tmp_path / "ru.txt"
    src.write_text("Идлиб стал камнем преткновения", encoding="utf-8")
    proc = copydesk("repair", str(SEED), "--source", str(src), "--pipeline", RULES_ONLY)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("fmt", ["text", "json", "diff"])
def test_a_stage_that_cannot_run_is_one_warning_line_in_every_format(fmt):
    env = {k: v for k, v in os.environ.items() if k != "LANGUAGETOOL_URL"}
    proc = copydesk("repair", "-", "--format", fmt, "--pipeline", DOWN, stdin=b"the end.", env=env)
    assert proc.returncode == 0
    warnings = [x for x in proc.stderr.decode().splitlines() if x.startswith("copydesk: warning")]
    assert warnings == [
        "copydesk: warning: grammar skipped: LanguageTool does not answer at http://127.0.0.1:9"
    ]
    strict = copydesk(
        "repair", "-", "--format", fmt, "--pipeline", DOWN, "--strict", stdin=b"x.", env=env
    )
    assert strict.returncode == 6
    assert strict.stdout  # the text still comes out, repaired by the other stages


TRAIN_REWRITE = ["train", "rewrite", "--out", "x"]


@pytest.mark.parametrize(
    ("args", "stdin", "code", "message"),
    [
        (["repair", "missing.txt"], None, 1, "missing.txt: no such file"),
        (["repair", "-"], b"caf\xe9", 1, "standard input:1: not UTF-8 (byte 0xe9 at offset 3)"),
        (["repair", "seeds"], None, 1, "seeds: is a directory"),
        (["repair", "-", "--pipeline", "nope.toml"], b"x", 3, "cannot read pipeline file"),
        (["repair", "-", "--format", "xml"], b"x", 2, "Invalid value for '--format'"),
        ([*TRAIN_REWRITE, "--source-rate", "2"], None, 2, "Invalid value for '--source-rate'"),
        ([*TRAIN_REWRITE, "--suite", "nope"], None, 1, "unknown suite 'nope'"),
        ([*TRAIN_REWRITE, "--synthetic", "-1"], None, 2, "Invalid value for '--synthetic'"),
        (["eval", "suite"], None, 2, "name a suite"),
    ],
)
def test_bad_input_gives_one_line_and_an_exit_code(args, stdin, code, message):
    proc = copydesk(*args, stdin=stdin)
    assert proc.returncode == code
    err = proc.stderr.decode()
    assert err.count("\n") == 1 and err.startswith("copydesk: error: "), err
    assert message in err
    assert proc.stdout == b""


def test_training_data_problems_are_one_line(tmp_path):
    suite = tmp_path / "pairs.toml"
    suite.write_text(
        f'mt = "{SEED}"\nreferences = ["{ROOT / "seeds" / "README.md"}"]\nunit = "lines"\n',
        encoding="utf-8",
    )
    proc = copydesk(*TRAIN_REWRITE, "--suite", str(suite))
    assert proc.returncode == 1
    assert "lines but" in proc.stderr.decode() and proc.stderr.decode().count("\n") == 1
    same = tmp_path / "same.toml"
    same.write_text(f'mt = "{SEED}"\nreferences = ["{SEED}"]\nunit = "lines"\n', "utf-8")
    for extra, message in (
        (["--source-rate", "0.5"], "has no source"),
        (["--synthetic", "1000", "--news", str(SEED)], "asked for 1000 synthetic pairs but only"),
    ):
        proc = copydesk(*TRAIN_REWRITE, "--suite", str(same), *extra)
        assert message in proc.stderr.decode() and proc.returncode in (1, 2)


def test_bad_pipeline_setting(tmp_path):
    conf = tmp_path / "p.toml"
    conf.write_text('[[stages]]\nname = "casing2"\n', encoding="utf-8")
    proc = copydesk("repair", "-", "--pipeline", str(conf), stdin=b"x")
    assert proc.returncode == 3
    assert "unknown stage 'casing2'" in proc.stderr.decode()


def test_eval_list_needs_no_suite_name():
    proc = copydesk("eval", "--list")
    assert proc.returncode == 0
    assert {"seeds", "mlqe-dev", "casing-test", "names-news"} <= set(proc.stdout.decode().split())


def test_html_and_markdown_files_keep_their_markup(tmp_path):
    page = tmp_path / "story.html"
    page.write_text('<p>talks ended. <a href="/the">the</a> vote came.</p>\n', encoding="utf-8")
    proc = copydesk("repair", str(page), "--pipeline", RULES_ONLY)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode() == '<p>Talks ended. <a href="/the">The</a> vote came.</p>\n'
    note = tmp_path / "note.txt"
    note.write_text("talks ended. **Really.** the vote came.\n", encoding="utf-8")
    proc = copydesk("repair", str(note), "--input-format", "markdown", "--pipeline", RULES_ONLY)
    assert proc.stdout.decode() == "Talks ended. **Really.** The vote came.\n"


def test_glossary_export_converts_csv_to_tbx_and_back(tmp_path):
    (tmp_path / "g.csv").write_text("term,variants\nSergey Lavrov,Sergei Lavrov\n", "utf-8")
    proc = copydesk("glossary", "export", str(tmp_path / "g.csv"), "--out", str(tmp_path / "g.tbx"))
    assert proc.returncode == 0, proc.stderr
    back = copydesk("glossary", "export", str(tmp_path / "g.tbx"), "--format", "csv")
    assert back.stdout.decode().splitlines()[1] == "Sergey Lavrov,Sergei Lavrov,,"
    missing = copydesk(
        "glossary",
        "export",
        "999999",
        env={**os.environ, "COPYDESK_DATABASE_URL": f"sqlite:///{tmp_path}/state.db"},
    )
    assert missing.returncode == 1 and b"no stored glossary 999999" in missing.stderr
