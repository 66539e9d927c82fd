"""``copydesk learn-names``: a newsroom's own names and casings, from its archive."""

from __future__ import annotations

import time
from pathlib import Path

import click

from copydesk.models.casing.knowledge import Knowledge
from copydesk.models.casing.newsroom import archive_paragraphs, learn_names


@click.command("learn-names")
@click.argument("archive", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "--out",
    "--lexicon",
    "out",
    required=True,
    type=click.Path(dir_okay=False),
    help="The newsroom lexicon to write (added to, where it exists).",
)
@click.option("--replace", is_flag=True, help="Start the lexicon afresh rather than add to it.")
def learn_names_command(archive: tuple[str, ...], out: str, replace: bool) -> None:
    """Learn the names and casings of a newsroom's published articles (text files, one
    paragraph a line, plain, .gz or .xz; a folder gives its files) into a newsroom
    lexicon, which repair, batch and the service read (--lexicon, COPYDESK_LEXICON, or
    a newsroom's `lexicon` setting)."""
    start = time.perf_counter()
    path = Path(out)
    old = Knowledge.load(path) if path.is_file() and not replace else None
    learnt = learn_names(archive_paragraphs(archive), into=old)
    learnt.save(path)
    click.echo(
        f"{path}: {len(learnt.names):,} names, {len(learnt.proper):,} proper words, "
        f"{len(learnt.mixed):,} mixed forms ({time.perf_counter() - start:.1f} s)",
        err=True,
    )
