"""Renderings of a repair result for a terminal: plain text, JSON and an inline diff."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence

import click

from copydesk.models import Edit, RepairResult, StageReport
from copydesk.models.flags import Flag


def as_json(result: RepairResult) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"


def as_diff(result: RepairResult, *, color: bool) -> str:
    """The original with each applied edit inline: ``[-old-]{+new+}``, or coloured.

    Each flag is marked where its span starts: ``⟦flag:number …⟧`` (yellow when
    coloured) stands before the flagged text; a flag that starts inside an applied edit
    is marked before the edit.
    """
    edits = result.applied_edits
    marks = sorted(
        ((_mark_position(flag.start, edits), i, _flag_mark(flag, color=color))
         for i, flag in enumerate(result.flags)),
    )  # fmt: skip
    parts: list[str] = []
    cursor = pending = 0

    def text_to(end: int) -> None:
        """The original from ``cursor`` to ``end``, with the marks that fall there."""
        nonlocal cursor, pending
        while pending < len(marks) and marks[pending][0] <= end:
            at = max(marks[pending][0], cursor)
            parts.append(result.original[cursor:at])
            parts.append(marks[pending][2])
            cursor, pending = at, pending + 1
        parts.append(result.original[cursor:end])
        cursor = end

    for edit in edits:
        text_to(edit.start)
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
    text_to(len(result.original))
    text = "".join(parts)
    return text if text.endswith("\n") else text + "\n"


def _mark_position(start: int, edits: Sequence[Edit]) -> int:
    """Where a flag starting at ``start`` is marked: there, or before the applied edit
    whose span it starts inside."""
    for edit in edits:
        if edit.start < start < edit.end:
            return edit.start
    return start


def _flag_mark(flag: Flag, *, color: bool) -> str:
    """``⟦flag:KIND message⟧``, the message cut short."""
    message = flag.message if len(flag.message) <= 60 else flag.message[:59] + "…"
    mark = f"⟦flag:{flag.kind.value} {message}⟧"
    return click.style(mark, fg="yellow") if color else mark


def summary(result: RepairResult) -> str:
    """One line: edits applied per kind, suggestions, flags per kind, each stage's status."""
    kinds = Counter(e.kind.value for e in result.applied_edits)
    suggested = len(result.edits) - len(result.applied_edits)
    per_kind = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())) or "none"
    stages = ", ".join(
        f"{s.name} {s.status.value}" + (f" ({s.reason})" if s.reason else "") for s in result.stages
    )
    flags = Counter(f.kind.value for f in result.flags)
    per_flag = f" ({', '.join(f'{k} {n}' for k, n in sorted(flags.items()))})" if flags else ""
    return (
        f"{len(result.applied_edits)} edits applied ({per_kind}); "
        f"{suggested} suggestions; {len(result.flags)} flag{'' if len(result.flags) == 1 else 's'}"
        f"{per_flag}; "
        f"stages: {stages or 'none'}"
    )


def stage_warnings(reports: Iterable[StageReport]) -> list[str]:
    """One line per stage that did not run, for standard error, each stage named once."""
    seen: dict[str, str] = {}
    for report in reports:
        if report.status.value != "ok" and report.name not in seen:
            why = report.reason or "no reason given"
            seen[report.name] = f"copydesk: warning: {report.name} {report.status.value}: {why}"
    return list(seen.values())
