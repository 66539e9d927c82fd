"""Renderings of a repair result for a terminal: plain text, JSON and an inline diff."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable

import click

from copydesk.models import RepairResult, StageReport


def as_json(result: RepairResult) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"


def as_diff(result: RepairResult, *, color: bool) -> str:
    """The original with each applied edit inline: ``[-old-]{+new+}``, or coloured."""
    parts: list[str] = []
    cursor = 0
    for edit in result.applied_edits:
        parts.append(result.original[cursor : edit.start])
        if color:
            if edit.original:
                parts.append(click.style(edit.original, fg="red", strikethrough=True))
            if edit.replacement:
                parts.append(click.style(edit.replacement, fg="green", underline=True))
        else:
            if edit.original:
                parts.append(f"[-{edit.original}-]")
            if edit.replacement:
                parts.append(f"{{+{edit.replacement}+}}")
        cursor = edit.end
    parts.append(result.original[cursor:])
    text = "".join(parts)
    return text if text.endswith("\n") else text + "\n"


def summary(result: RepairResult) -> str:
    """One line: edits applied per kind, suggestions, and each stage's status."""
    kinds = Counter(e.kind.value for e in result.applied_edits)
    suggested = len(result.edits) - len(result.applied_edits)
    per_kind = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())) or "none"
    stages = ", ".join(
        f"{s.name} {s.status.value}" + (f" ({s.reason})" if s.reason else "") for s in result.stages
    )
    return (
        f"{len(result.applied_edits)} edits applied ({per_kind}); "
        f"{suggested} suggestions; stages: {stages or 'none'}"
    )


def stage_warnings(reports: Iterable[StageReport]) -> list[str]:
    """One line per stage that did not run, for standard error, each stage named once."""
    seen: dict[str, str] = {}
    for report in reports:
        if report.status.value != "ok" and report.name not in seen:
            why = report.reason or "no reason given"
            seen[report.name] = f"copydesk: warning: {report.name} {report.status.value}: {why}"
    return list(seen.values())
