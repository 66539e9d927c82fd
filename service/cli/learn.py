"""``copydesk learn``: relearn a newsroom from its decisions (stored, exported by the
page, or implied by MT next to the versions it published)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from copydesk.models import InputError
from copydesk.service.cli.common import (
    load_pipeline,
    newsroom_option,
    pipeline_option,
    state_sessions,
)
from copydesk.service.settings import get_settings


@click.command("learn")
@newsroom_option("default", "The newsroom to relearn (as COPYDESK_NEWSROOMS names it).")
@click.option(
    "--decisions",
    type=click.Path(exists=True),
    help="Add the decisions of an exported decisions file (or a folder of them) first.",
)
@click.option(
    "--mt",
    type=click.Path(exists=True),
    help="MT output (a file, or a folder of files) to read against --published.",
)
@click.option(
    "--published",
    type=click.Path(exists=True),
    help="The published versions of --mt (the same file names), whose edits are decisions.",
)
@pipeline_option
@click.option(
    "--precision",
    type=click.FloatRange(0.5, 1.0),
    help="Share of applied edits editors should accept (default: COPYDESK_LEARN_PRECISION).",
)
@click.option("--export", type=click.Path(dir_okay=False), help="Write everything learned here.")
def learn(
    newsroom: str,
    decisions: str | None,
    mt: str | None,
    published: str | None,
    pipeline: str | None,
    precision: float | None,
    export: str | None,
) -> None:
    """Relearn NEWSROOM's cutoffs, protected words and glossary candidates from its stored
    decisions, after adding those of --decisions, or of --mt read against --published."""
    # The state database loads only here, as for `copydesk glossary export`.
    from copydesk.service.learning import (
        decisions_file,
        entries,
        implied_from_pairs,
        paired_texts,
        relearn,
        store_decisions,
    )

    if (mt is None) != (published is None):
        raise click.UsageError("--mt and --published go together")
    settings = get_settings()
    engine = load_pipeline(pipeline)
    try:
        found = []
        source = "feedback"
        if decisions is not None:
            found += decisions_file(Path(decisions))
            source = "export"
        if mt is not None and published is not None:
            pairs = paired_texts(Path(mt), Path(published))
            if not pairs:
                raise InputError(f"no text to learn from in {mt}")
            found += implied_from_pairs(engine, pairs)
            source = "published"
        with state_sessions()() as session:
            if found:
                store_decisions(session, newsroom, found)
                click.echo(f"{newsroom}: {len(found)} decisions added", err=True)
            run = relearn(
                session,
                newsroom,
                source=source,
                precision=precision if precision is not None else settings.learn_precision,
                shipped=engine.thresholds(settings.threshold),
            )
            click.echo(f"{newsroom}: learned from {run.decisions} decisions", err=True)
            for change in run.changes or ["(nothing changed)"]:
                click.echo(change)
            if export:
                rows = [
                    {"id": r.id, "kind": r.kind, "key": r.key, "status": r.status, "value": r.value}
                    for r in entries(session, newsroom)
                ]
                Path(export).write_text(
                    json.dumps({"newsroom": newsroom, "entries": rows}, indent=2) + "\n",
                    encoding="utf-8",
                )
    finally:
        engine.close()
