"""Decisions keep the text their edit was proposed on, and its offset there (what a
newsroom's judge of edits learns from).

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("feedback", sa.Column("context", sa.Text, nullable=True))
    op.add_column("feedback", sa.Column("start", sa.Integer, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("feedback") as batch:
        batch.drop_column("start")
        batch.drop_column("context")
