"""The harm audit on a small fixture: every applied edit on clean text is counted, by
stage and rule, line by line and as documents."""

from __future__ import annotations

import json
import re
from pathlib import Path

from copydesk import models
from copydesk.eval.components.harm import audit, markdown_table
from copydesk.models import Document, Edit, EditKind, RepairContext, Stage
from copydesk.models.stages import EntitiesStage, SentenceCaseStage
from tests.helpers import run_copydesk

ROOT = Path(__file__).resolve().parents[2]


class Shouty(Stage):
    """A false edit on every line that mentions talks (to count)."""

    name = "shouty"

    def propose(self, doc: Document, context: RepairContext) -> list[Edit]:
        return [
            Edit(m.start(), m.end(), "talks", "TALKS", EditKind.CASING, self.name, 0.95, "", "loud")
            for m in re.finditer("talks", doc.text)
        ]


CLEAN = [
    "The talks ended on Monday.",
    "Olga Petrova met Ivan Petrov in Moscow.",
    "Petrov said the talks went well.",
    "Petrova agreed with him.",
    "Maria Dostoevskaya and Fyodor Dostoevsky were discussed.",
    "Dostoevsky wrote novels.",
]


def test_the_audit_counts_every_applied_edit_in_both_modes():
    pipeline = models.Pipeline([SentenceCaseStage(), EntitiesStage(), Shouty()])
    reports = audit(pipeline, CLEAN, document_lines=3, examples=1)
    for report in reports.values():
        assert report.lines == 6 and report.lines_changed == 2  # the two lines with "talks"
        assert report.by_rule == {("shouty", "loud", "casing"): 2}
        assert report.by_band == {"0.9-1.0": 2}
        assert report.by_stage_lines == {"shouty": 2}
        assert report.examples["shouty/loud"] == ["…The [talks -> TALKS] ended on Monday.…"]
    table = markdown_table("fixture", reports)
    assert "| lines | 6 | 33.33% | shouty 33.33% |" in table
    # Gendered surnames and their documents: the names stage leaves them alone.
    assert all(stage == "shouty" for stage, _, _ in reports["documents"].by_rule)


def test_eval_harm_command(tmp_path):
    clean = tmp_path / "clean.txt"
    clean.write_text("\n".join(CLEAN) + "\n", encoding="utf-8")
    suite = tmp_path / "clean.toml"
    suite.write_text(f'name = "clean"\nmt = "{clean}"\nreferences = ["{clean}"]\n', "utf-8")
    rules = ROOT / "tests" / "service" / "fixtures" / "starts-and-names.toml"
    out = tmp_path / "harm.json"
    proc = run_copydesk(
        "eval",
        "harm",
        "--suite",
        str(suite),
        "--pipeline",
        str(rules),
        "--document-lines",
        "3",
        "--out",
        str(out),
    )
    assert proc.returncode == 0, proc.stderr
    found = json.loads(out.read_text())["clean"]
    assert found["lines"]["lines"] == 6 and found["lines"]["changed_percent"] == 0.0
    assert found["documents"]["changed_percent"] == 0.0
    assert "### clean" in proc.stdout.decode()


def test_each_line_is_given_its_source_when_the_suite_has_one():
    lines = ["and then the talks ended.", "The vote came."]
    sources = ["и тогда переговоры закончились.", "Голосование прошло."]
    pipeline = models.Pipeline([SentenceCaseStage()])
    without = audit(pipeline, lines, document_lines=2)
    with_sources = audit(pipeline, lines, sources=sources, document_lines=2)
    assert without["lines"].lines_changed == 1  # "and" -> "And"
    assert with_sources["lines"].lines_changed == 0  # the source starts lowercase too
    assert with_sources["documents"].lines_changed == 0
