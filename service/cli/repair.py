"""``copydesk repair``: one article, repaired, as text, JSON or an inline diff."""

from __future__ import annotations

import sys

import click

from copydesk.models import RepairContext
from copydesk.service.cli.common import (
    EXIT_STAGE,
    load_pipeline,
    pipeline_option,
    read_input,
    read_option_file,
    threshold_option,
)
from copydesk.service.render import as_diff, as_json, stage_warnings, summary
from copydesk.service.settings import get_settings


@click.command()
@click.argument("file", default="-", metavar="[FILE|-]")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "diff"]),
    default="text",
    show_default=True,
    help="text: the repaired text; json: the full result; diff: inline changes.",
)
@pipeline_option
@click.option("--source", type=click.Path(dir_okay=False), help="The source-language original.")
@threshold_option
@click.option("--color/--no-color", default=None, help="Colour the diff (default: on a terminal).")
@click.option("--strict", is_flag=True, help=f"Exit {EXIT_STAGE} if a stage skipped or failed.")
def repair(
    file: str,
    fmt: str,
    pipeline: str | None,
    source: str | None,
    threshold: float | None,
    color: bool | None,
    strict: bool,
) -> None:
    """Repair FILE (or standard input) and print the result."""
    text = read_input(file)
    context = RepairContext(source=read_option_file(source))
    requested = get_settings().threshold_for(threshold)
    result = load_pipeline(pipeline).repair(text, context, threshold=requested)
    if fmt == "json":
        click.echo(as_json(result), nl=False)
    elif fmt == "diff":
        use_color = sys.stdout.isatty() if color is None else color
        click.echo(as_diff(result, color=use_color), nl=False, color=use_color)
        click.echo(summary(result), err=True)
    else:
        sys.stdout.buffer.write(result.repaired.encode("utf-8"))
        sys.stdout.flush()
    warnings = stage_warnings(result.stages)
    for line in warnings:
        click.echo(line, err=True)
    if strict and warnings:
        sys.exit(EXIT_STAGE)
