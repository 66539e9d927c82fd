"""What newsrooms' decisions taught (learned cutoffs, protected words, glossary
candidates), and each relearning's record.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "learned",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("newsroom", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("key", sa.String(500), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("value", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("newsroom", "kind", "key", name="uq_learned_key"),
    )
    op.create_index("ix_learned_newsroom", "learned", ["newsroom"])
    op.create_table(
        "learning_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("newsroom", sa.String(64), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("decisions", sa.Integer, nullable=False),
        sa.Column("changes", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_learning_runs_newsroom", "learning_runs", ["newsroom"])


def downgrade() -> None:
    op.drop_table("learning_runs")
    op.drop_table("learned")
