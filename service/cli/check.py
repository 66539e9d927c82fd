"""``copydesk check``: the checks against the source and the quality estimate, without
repairing, as JSON Lines, JSON or readable text."""

from __future__ import annotations

import bisect
import json
from typing import Any

import click

from copydesk.service.checking import check_lines, check_text, split_lines
from copydesk.service.cli.common import read_input, read_option_file


@click.command()
@click.argument("file", default="-", metavar="[FILE|-]")
@click.option("--source", type=click.Path(dir_okay=False), help="The source-language original.")
@click.option(
    "--lines",
    is_flag=True,
    help="One segment per line (with --source, line-aligned with FILE); else FILE is one "
    "document, estimated per sentence.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "json", "text"]),
    default="text",
    show_default=True,
    help="jsonl: one object per line (or one for the document); json: one object; "
    "text: one line per flag.",
)
def check(file: str, source: str | None, lines: bool, fmt: str) -> None:
    """Flag what is probably wrong in FILE (or standard input) and estimate its quality."""
    text = read_input(file)
    source_text = read_option_file(source)
    if lines:
        sources = split_lines(source_text) if source_text is not None else None
        reports = [r.to_dict() for r in check_lines(split_lines(text), sources)]
        if fmt == "jsonl":
            for report in reports:
                click.echo(json.dumps(report, ensure_ascii=False))
        elif fmt == "json":
            click.echo(json.dumps({"lines": reports}, ensure_ascii=False, indent=2))
        else:
            for report in reports:
                for flag in report["flags"]:
                    click.echo(_flag_line(report["line"], flag))
        return
    report = check_text(text, source_text).to_dict()
    if fmt == "jsonl":
        click.echo(json.dumps(report, ensure_ascii=False))
    elif fmt == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        starts = _line_starts(text)
        for flag in report["flags"]:
            line = bisect.bisect_right(starts, flag["start"]) - 1
            shift = starts[line]
            within = {**flag, "start": flag["start"] - shift, "end": flag["end"] - shift}
            click.echo(_flag_line(line, within))


def _flag_line(line: int, flag: dict[str, Any]) -> str:
    """``line:start-end kind (check): message`` with offsets into the line."""
    return (
        f"{line}:{flag['start']}-{flag['end']} {flag['kind']} ({flag['check']}): "
        f"{flag['message']} [{flag['original']!r}]"
    )


def _line_starts(text: str) -> list[int]:
    """The offset each line starts at (lines end at ``\\n``)."""
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    return starts


__all__ = ["check"]
