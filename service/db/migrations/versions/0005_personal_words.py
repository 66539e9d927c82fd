"""Personal dictionaries: the words an API key adds through LanguageTool's /v2/words.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "personal_words",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("newsroom", sa.String(64), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("dict", sa.String(100), nullable=False),
        sa.Column("word", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("newsroom", "key_hash", "dict", "word", name="uq_personal_words"),
    )


def downgrade() -> None:
    op.drop_table("personal_words")
