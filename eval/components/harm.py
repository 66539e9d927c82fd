"""The harm audit: the pipeline on clean text, where every applied edit is a false one.

Clean text is a suite's reference side: held-out news lines (the casing model's test
year) and MLQE-PE's post-edited English. Each applied edit is counted by stage, rule,
kind and confidence band, with examples in context, twice: line by line, and with the
lines read as documents (consecutive lines joined as paragraphs), because the names
stage and the casing model's document rule only act across lines. Where the suite has
sources (MLQE-PE), each line gets its own, as it would in use. The headline figure
is the share of clean lines an applied edit changes.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from copydesk.models import Edit, Pipeline, RepairContext

BANDS = ((0.9, "0.9-1.0"), (0.7, "0.7-0.9"), (0.5, "0.5-0.7"), (0.0, "below 0.5"))
CONTEXT = 40
BATCH = 256


@dataclass
class ModeReport:
    """One way of reading the lines: what the pipeline changed in them."""

    mode: str
    lines: int = 0
    lines_changed: int = 0
    edits: int = 0
    by_stage_lines: Counter = field(default_factory=Counter)  # lines each stage changed
    by_rule: Counter = field(default_factory=Counter)  # (stage, rule, kind) -> edits
    by_band: Counter = field(default_factory=Counter)
    examples: dict = field(default_factory=dict)  # "stage/rule" -> ["…context…", …]

    @property
    def changed_share(self) -> float:
        return self.lines_changed / self.lines if self.lines else 0.0

    def to_dict(self) -> dict:
        return {
            "mode": self.mode,
            "lines": self.lines,
            "lines_changed": self.lines_changed,
            "changed_percent": round(100 * self.changed_share, 2),
            "edits": self.edits,
            "stage_percent": {
                s: round(100 * n / self.lines, 2) if self.lines else 0.0
                for s, n in sorted(self.by_stage_lines.items())
            },
            "rules": [
                {"stage": s, "rule": r, "kind": k, "edits": n}
                for (s, r, k), n in self.by_rule.most_common()
            ],
            "bands": dict(self.by_band),
            "examples": self.examples,
        }


def band(confidence: float) -> str:
    return next(name for low, name in BANDS if confidence >= low)


def audit(
    pipeline: Pipeline,
    lines: Sequence[str],
    *,
    sources: Sequence[str] | None = None,
    document_lines: int = 20,
    examples: int = 3,
    log: Callable[[str], None] = lambda m: None,
) -> dict[str, ModeReport]:
    """Both modes over ``lines`` (clean text), each given its line-aligned source where
    the suite has one, as the pipeline is given it in use."""
    reports = {"lines": ModeReport("lines"), "documents": ModeReport("documents")}
    for start in range(0, len(lines), BATCH):
        chunk = list(lines[start : start + BATCH])
        contexts = _contexts(sources, start, len(chunk))
        for line, result in zip(chunk, pipeline.repair_many(chunk, contexts), strict=True):
            _count(reports["lines"], [line], [0], result.applied_edits, examples)
        log(f"harm, line by line: {min(start + BATCH, len(lines))}/{len(lines)}")
    starts = list(range(0, len(lines), document_lines))
    groups = [list(lines[i : i + document_lines]) for i in starts]
    for start in range(0, len(groups), 8):
        batch = groups[start : start + 8]
        texts = ["\n\n".join(g) for g in batch]
        contexts = None
        if sources is not None:
            contexts = [
                RepairContext(source="\n\n".join(sources[i : i + document_lines]))
                for i in starts[start : start + 8]
            ]
        for group, result in zip(batch, pipeline.repair_many(texts, contexts), strict=True):
            offsets = [0]
            for line in group[:-1]:
                offsets.append(offsets[-1] + len(line) + 2)
            _count(reports["documents"], group, offsets, result.applied_edits, examples)
        log(f"harm, as documents: {min(start + 8, len(groups))}/{len(groups)}")
    return reports


def _contexts(sources: Sequence[str] | None, start: int, n: int) -> list[RepairContext] | None:
    if sources is None:
        return None
    return [RepairContext(source=s) for s in sources[start : start + n]]


def _count(
    report: ModeReport, lines: list[str], offsets: list[int], edits: Sequence[Edit], examples: int
) -> None:
    """Count a text's applied edits against the lines it is made of."""
    report.lines += len(lines)
    changed: set[int] = set()
    stages: dict[str, set[int]] = {}
    for edit in edits:
        i = bisect.bisect_right(offsets, edit.start) - 1
        changed.add(i)
        stages.setdefault(edit.stage, set()).add(i)
        report.edits += 1
        report.by_rule[(edit.stage, edit.rule, edit.kind.value)] += 1
        report.by_band[band(edit.confidence)] += 1
        shown = report.examples.setdefault(f"{edit.stage}/{edit.rule}", [])
        if len(shown) < examples:
            line, at = lines[i], edit.start - offsets[i]
            left = line[max(0, at - CONTEXT) : at]
            right = line[at + len(edit.original) : at + len(edit.original) + CONTEXT]
            shown.append(f"…{left}[{edit.original} -> {edit.replacement}]{right}…")
    report.lines_changed += len(changed)
    for stage, hit in stages.items():
        report.by_stage_lines[stage] += len(hit)


def markdown_table(suite: str, reports: dict[str, ModeReport]) -> str:
    """The audit as the tables docs/evaluation.md shows."""
    out = [f"### {suite}", "", "| mode | lines | changed | per stage |", "|---|---|---|---|"]
    for report in reports.values():
        stages = ", ".join(
            f"{s} {100 * n / report.lines:.2f}%" for s, n in sorted(report.by_stage_lines.items())
        )
        out.append(
            f"| {report.mode} | {report.lines} | {100 * report.changed_share:.2f}% "
            f"| {stages or '—'} |"
        )
    out += ["", "| mode | stage | rule | kind | edits |", "|---|---|---|---|---|"]
    for report in reports.values():
        for (stage, rule, kind), n in report.by_rule.most_common(12):
            out.append(f"| {report.mode} | {stage} | {rule} | {kind} | {n} |")
    return "\n".join(out) + "\n"
