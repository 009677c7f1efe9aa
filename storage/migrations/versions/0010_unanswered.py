"""Questions the bot declined, asked back about or understood only in part (no asker kept).

Revision ID: 0010
Revises: 0007
Create Date: 2026-12-02

Only a new table: when this is chained after other revisions, only ``down_revision`` changes.
"""

import sqlalchemy as sa
from alembic import op

from storage.models.base import UtcDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unanswered_questions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("asked_at", UtcDateTime(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("key", sa.String(length=500), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("understood", sa.String(length=500), nullable=False),
        sa.Column("kb_version", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unanswered_questions")),
    )
    op.create_index(
        op.f("ix_unanswered_questions_asked_at"),
        "unanswered_questions",
        ["asked_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_unanswered_questions_key"), "unanswered_questions", ["key"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_unanswered_questions_key"), table_name="unanswered_questions")
    op.drop_index(op.f("ix_unanswered_questions_asked_at"), table_name="unanswered_questions")
    op.drop_table("unanswered_questions")
