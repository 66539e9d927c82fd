"""Feedback keeps "not reviewed" apart from rejections, and one decision per edit of a
review (a later decision on the same edit replaces the earlier one).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("feedback") as batch:
        batch.add_column(
            sa.Column("decision", sa.String(16), nullable=False, server_default="decided")
        )
        batch.add_column(sa.Column("review", sa.String(64), nullable=True))
        batch.add_column(sa.Column("edit", sa.Integer, nullable=True))
        batch.create_index("feedback_review_edit", ["review", "edit"])


def downgrade() -> None:
    with op.batch_alter_table("feedback") as batch:
        batch.drop_index("feedback_review_edit")
        batch.drop_column("edit")
        batch.drop_column("review")
        batch.drop_column("decision")
