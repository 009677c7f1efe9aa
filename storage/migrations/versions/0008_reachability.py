"""Refusals that name the recipient, kept so "unreachable" is decided from several spread over a
day.

Revision ID: 0008 Revises: 0007 Create Date: 2026-12-02

Only a new table: when this is chained after other revisions, only ``down_revision`` changes.
"""

import sqlalchemy as sa
from alembic import op

from storage.models.base import UtcDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "delivery_refusals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("chat_id", sa.String(length=64), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_refusals")),
    )
    op.create_index(
        op.f("ix_delivery_refusals_chat_id"), "delivery_refusals", ["chat_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_delivery_refusals_chat_id"), table_name="delivery_refusals")
    op.drop_table("delivery_refusals")
