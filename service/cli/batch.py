"""``copydesk batch``: files repaired in checkpointed chunks, resumable after a kill."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from copydesk.models.markup import Format
from copydesk.service.batch.formats import FORMATS, Fields
from copydesk.service.batch.job import progress_printer, run_job
from copydesk.service.batch.spec import DEFAULT_CHUNK_SIZE, JobSpec
from copydesk.service.cli.common import (
    EXIT_REJECTS,
    EXIT_STAGE,
    pipeline_option,
    threshold_option,
)
from copydesk.service.settings import get_settings


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--out",
    required=True,
    type=click.Path(),
    help="Output file (JSONL, XLIFF, or lines from one file) or folder (documents).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="Default: by extension (.jsonl, .xlf/.xliff, else txt).",
)
@click.option("--lines", is_flag=True, help="Plain text: one segment per line, not per file.")
@click.option(
    "--text-format",
    type=click.Choice([f.value for f in Format]),
    default="text",
    show_default=True,
    help="What each text is written in; of HTML and Markdown only the text is repaired.",
)
@click.option("--text-field", default=Fields.text, show_default=True)
@click.option("--source-field", default=Fields.source, show_default=True)
@click.option("--id-field", default=Fields.id, show_default=True)
@click.option("--with-edits", is_flag=True, help="JSONL: add edits; XLIFF: add notes.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--chunk-size", default=DEFAULT_CHUNK_SIZE, show_default=True, type=click.IntRange(1, 100_000)
)
@click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="ray: Ray Data with --workers actors.",
)
@click.option("--ray-address", help="'auto' or 'ray://host:10001'; default: a local Ray.")
@pipeline_option
@threshold_option
@click.option("--strict", is_flag=True, help=f"Exit {EXIT_STAGE} if a stage skipped or failed.")
@click.option(
    "--restart", is_flag=True, help="Discard the checkpoints of a run with other options."
)
def batch(
    inputs: tuple[str, ...],
    out: str,
    fmt: str | None,
    lines: bool,
    text_format: str,
    text_field: str,
    source_field: str,
    id_field: str,
    with_edits: bool,
    workers: int,
    chunk_size: int,
    engine: str,
    ray_address: str | None,
    pipeline: str | None,
    threshold: float | None,
    strict: bool,
    restart: bool,
) -> None:
    """Repair INPUT files in checkpointed chunks; run it again after a kill to resume."""
    from copydesk.service.batch.formats import input_format

    settings = get_settings()
    paths = [Path(p) for p in inputs]
    spec = JobSpec(
        inputs=paths,
        out=Path(out),
        fmt=input_format(paths, fmt),
        lines=lines,
        text_format=text_format,
        fields=Fields(text_field, source_field, id_field),
        with_edits=with_edits,
        chunk_size=chunk_size,
        workers=workers,
        pipeline=pipeline or (str(settings.pipeline) if settings.pipeline else None),
        threshold=settings.threshold_for(threshold),
        max_chars=settings.max_text_chars,
        overrides=settings.stage_overrides(),
        engine=engine,
        ray_address=ray_address,
        restart=restart,
    )
    summary = run_job(spec, progress_printer())
    click.echo(summary.line(), err=True)
    for line in summary.warnings():
        click.echo(line, err=True)
    if summary.rejects:
        click.echo(
            f"copydesk: {summary.rejects} records rejected: see {spec.rejects_path}", err=True
        )
        sys.exit(EXIT_REJECTS)
    if strict and summary.stage_problems:
        sys.exit(EXIT_STAGE)
