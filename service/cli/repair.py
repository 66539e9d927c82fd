"""``copydesk repair``: one article, repaired, as text, JSON or an inline diff."""

from __future__ import annotations

import sys

import click

from copydesk.models import RepairContext, markup
from copydesk.models.markup import Format
from copydesk.service.batch.spec import context_fields
from copydesk.service.cli.common import (
    EXIT_STAGE,
    NEWSROOM_HELP,
    learned_house,
    lexicon_option,
    load_pipeline,
    newsroom_option,
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
@click.option(
    "--input-format",
    type=click.Choice([f.value for f in Format]),
    default=None,
    help="What FILE is written in (default: from its name: .html/.htm, .md/.markdown, else "
    "text). Only the text of HTML and Markdown is repaired; markup comes out unchanged.",
)
@pipeline_option
@lexicon_option
@click.option("--source", type=click.Path(dir_okay=False), help="The source-language original.")
@threshold_option
@newsroom_option(None, NEWSROOM_HELP)
@click.option("--color/--no-color", default=None, help="Colour the diff (default: on a terminal).")
@click.option("--strict", is_flag=True, help=f"Exit {EXIT_STAGE} if a stage skipped or failed.")
def repair(
    file: str,
    fmt: str,
    input_format: str | None,
    pipeline: str | None,
    lexicon: str | None,
    source: str | None,
    threshold: float | None,
    newsroom: str | None,
    color: bool | None,
    strict: bool,
) -> None:
    """Repair FILE (or standard input) and print the result."""
    text = read_input(file)
    learned = context_fields(learned_house(newsroom))
    context = RepairContext(source=read_option_file(source), **learned)
    requested = get_settings().threshold_for(threshold)
    layout = markup.parse(text, input_format or markup.guess_format(file))
    [result] = markup.repair_layouts(
        load_pipeline(pipeline, lexicon), [layout], [context], threshold=requested
    )
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
