"""Every row belongs to a newsroom; glossary ids become random tokens.

Rows made before newsrooms belong to the newsroom ``default`` (name a newsroom
``default`` in COPYDESK_NEWSROOMS to keep them, or reach them with an admin key).
Glossaries keep their old numbers as text ids ("3" stays readable at
/v1/glossaries/3); new ones get random ids. A glossary name is unique per newsroom.
Blank variants, which the API refuses from now on, are dropped from stored terms.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

DEFAULT = "default"


def upgrade() -> None:
    for table in ("feedback", "jobs"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("newsroom", sa.String(64), nullable=False, server_default=DEFAULT)
            )
        with op.batch_alter_table(table) as batch:  # rows always name their newsroom
            batch.alter_column("newsroom", existing_type=sa.String(64), server_default=None)
            batch.create_index(f"ix_{table}_newsroom", ["newsroom"])
    new = op.create_table(
        "glossaries_0004",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("newsroom", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("terms", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_glossaries"),
        sa.UniqueConstraint("newsroom", "name", name="uq_glossaries_newsroom_name"),
    )
    old = sa.table(
        "glossaries",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("terms", sa.JSON),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    rows = op.get_bind().execute(sa.select(old).order_by(old.c.id)).all()
    if rows:
        op.bulk_insert(
            new,
            [
                {
                    "id": str(r.id),
                    "newsroom": DEFAULT,
                    "name": r.name,
                    "terms": _clean(r.terms),
                    "created_at": r.created_at,
                    "updated_at": r.updated_at,
                }
                for r in rows
            ],
        )
    op.drop_table("glossaries")
    op.rename_table("glossaries_0004", "glossaries")


def _clean(terms: list) -> list:
    """The terms without blank variants (they matched everywhere) or blank terms."""
    kept = []
    for term in terms:
        if not str(term.get("term", "")).strip():
            continue
        variants = [v for v in term.get("variants", []) if str(v).strip()]
        kept.append({**term, "variants": variants})
    return kept


def downgrade() -> None:
    raise RuntimeError(
        "revision 0004 cannot be undone: glossary ids are random tokens and rows of several "
        "newsrooms may share a glossary name; restore a backup taken before the upgrade"
    )
