"""``copydesk glossary``: glossaries as files, stored ones or converted."""

from __future__ import annotations

import os
import sys

import click

from copydesk.models import InputError
from copydesk.models.names.glossary import Glossary
from copydesk.service.settings import get_settings


@click.group()
def glossary() -> None:
    """Export a stored glossary, or convert a glossary file, as CSV or TBX."""


@glossary.command("export")
@click.argument("glossary_ref", metavar="ID|FILE")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "tbx"]), default="tbx", show_default=True
)
@click.option("--out", type=click.Path(dir_okay=False), help="Write here (default: stdout).")
def export(glossary_ref: str, fmt: str, out: str | None) -> None:
    """A stored glossary (its id, from the service's state database) or a glossary file
    (.csv or .tbx) written as CSV or TBX."""
    stored = not os.path.exists(glossary_ref) and not glossary_ref.lower().endswith(
        (".csv", ".tbx")
    )
    found = _stored(glossary_ref) if stored else Glossary.load(glossary_ref)
    data = found.to_csv().encode("utf-8") if fmt == "csv" else found.to_tbx()
    if out:
        with open(out, "wb") as handle:
            handle.write(data)
    else:
        sys.stdout.buffer.write(data)


def _stored(glossary_id: str) -> Glossary:
    # The state database (SQLAlchemy, Alembic) and the HTTP stack load only here: every
    # other command starts without them (seconds of import on a busy machine).
    from copydesk.service.api.routes.glossaries import glossary_of
    from copydesk.service.db.session import make_engine, session_factory
    from copydesk.service.db.tables import GlossaryRow

    sessions = session_factory(make_engine(get_settings().database_url))
    with sessions() as session:
        row = session.get(GlossaryRow, glossary_id)
        if row is None:
            raise InputError(f"no stored glossary {glossary_id} in the state database")
        return glossary_of(row)
