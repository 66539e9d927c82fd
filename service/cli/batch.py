"""``copydesk batch``: files repaired in checkpointed chunks, resumable after a kill."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from copydesk.models.markup import Format
from copydesk.service.batch.formats import FORMATS, input_format
from copydesk.service.batch.job import progress_printer, run_job
from copydesk.service.batch.qa import DEFAULT_LIMIT, SORTS
from copydesk.service.batch.spec import DEFAULT_CHUNK_SIZE, Fields, JobSpec, QAOptions
from copydesk.service.cli.common import (
    EXIT_REJECTS,
    EXIT_STAGE,
    NEWSROOM_HELP,
    learned_house,
    lexicon_option,
    newsroom_option,
    pipeline_option,
    pipeline_path,
    stage_overrides,
    threshold_option,
)
from copydesk.service.settings import get_settings

DEFAULT_FIELDS = Fields()


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
    help="Default: by extension (.jsonl, .xlf/.xliff/.sdlxliff/.mqxliff, .tmx, .csv, "
    ".tsv, else txt).",
)
@click.option("--lines", is_flag=True, help="Plain text: one segment per line, not per file.")
@click.option(
    "--text-format",
    type=click.Choice([f.value for f in Format]),
    default="text",
    show_default=True,
    help="What each text is written in; of HTML and Markdown only the text is repaired.",
)
@click.option(
    "--source",
    "source_file",
    type=click.Path(exists=True, dir_okay=False),
    help="With --lines: the source-language file, line-aligned with the input.",
)
@click.option(
    "--doc-ids",
    type=click.Path(exists=True, dir_okay=False),
    help="With --lines: a document id per line; consecutive lines with one id are "
    "repaired together as one document.",
)
@click.option("--doc-id-column", help="--doc-ids is a TSV with a header; the id column.")
@click.option(
    "--include-final",
    is_flag=True,
    help="XLIFF: repair locked, approved and final units too.",
)
@click.option("--text-field", default=DEFAULT_FIELDS.text, show_default=True)
@click.option("--source-field", default=DEFAULT_FIELDS.source, show_default=True)
@click.option("--id-field", default=DEFAULT_FIELDS.id, show_default=True)
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
@lexicon_option
@threshold_option
@newsroom_option(None, NEWSROOM_HELP)
@click.option("--strict", is_flag=True, help=f"Exit {EXIT_STAGE} if a stage skipped or failed.")
@click.option(
    "--restart",
    is_flag=True,
    help="Discard the checkpoints of a run with other options or changed inputs.",
)
@click.option(
    "--qa-report",
    type=click.Path(dir_okay=False),
    help="The QA report's path, written as PATH.json and PATH.md (default: beside --out, "
    "OUT.qa.json and OUT.qa.md).",
)
@click.option(
    "--qa-sort",
    type=click.Choice(SORTS),
    default="hter",
    show_default=True,
    help="The report's units: worst estimate first (hter, da), or input order (position).",
)
@click.option("--qa-min-hter", type=float, help="List only units whose HTER is at least this.")
@click.option("--qa-max-da", type=float, help="List only units whose DA is at most this.")
@click.option("--qa-flagged", is_flag=True, help="List only units with flags.")
@click.option(
    "--qa-limit",
    default=DEFAULT_LIMIT,
    show_default=True,
    type=click.IntRange(0, 1_000_000),
    help="List at most this many units (counts cover every unit).",
)
def batch(
    inputs: tuple[str, ...],
    out: str,
    fmt: str | None,
    lines: bool,
    text_format: str,
    source_file: str | None,
    doc_ids: str | None,
    doc_id_column: str | None,
    include_final: bool,
    text_field: str,
    source_field: str,
    id_field: str,
    with_edits: bool,
    workers: int,
    chunk_size: int,
    engine: str,
    ray_address: str | None,
    pipeline: str | None,
    lexicon: str | None,
    threshold: float | None,
    newsroom: str | None,
    strict: bool,
    restart: bool,
    qa_report: str | None,
    qa_sort: str,
    qa_min_hter: float | None,
    qa_max_da: float | None,
    qa_flagged: bool,
    qa_limit: int,
) -> None:
    """Repair INPUT files in checkpointed chunks; run it again after a kill to resume."""
    settings = get_settings()
    paths = [Path(p) for p in inputs]
    spec = JobSpec(
        inputs=paths,
        out=Path(out),
        fmt=input_format(paths, fmt),
        lines=lines,
        text_format=text_format,
        source_file=Path(source_file) if source_file else None,
        doc_ids=Path(doc_ids) if doc_ids else None,
        doc_id_column=doc_id_column,
        include_final=include_final,
        fields=Fields(text=text_field, source=source_field, id=id_field),
        with_edits=with_edits,
        chunk_size=chunk_size,
        workers=workers,
        pipeline=pipeline_path(pipeline),
        threshold=settings.threshold_for(threshold),
        max_chars=settings.max_text_chars,
        overrides=stage_overrides(lexicon),
        engine=engine,
        ray_address=ray_address,
        restart=restart,
        qa_report=Path(qa_report) if qa_report else None,
        qa=QAOptions(
            sort=qa_sort,
            min_hter=qa_min_hter,
            max_da=qa_max_da,
            flagged_only=qa_flagged,
            limit=qa_limit,
        ),
        house=learned_house(newsroom),
    )
    summary = run_job(spec, progress_printer())
    click.echo(summary.line(), err=True)
    click.echo(f"copydesk: QA report: {spec.qa_base}.json, {spec.qa_base}.md", err=True)
    for line in summary.warnings():
        click.echo(line, err=True)
    if summary.rejects:
        click.echo(
            f"copydesk: {summary.rejects} records rejected: see {spec.rejects_path}", err=True
        )
        sys.exit(EXIT_REJECTS)
    if strict and summary.stage_problems:
        sys.exit(EXIT_STAGE)
