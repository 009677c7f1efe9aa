"""Custom deadlines, acknowledgements, broadcasts and the delivery ledger.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

from storage.models.base import UtcDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _deadlines() -> None:
    """Deadlines the focal department adds."""
    op.create_table(
        "deadlines",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("audience", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("cancelled_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadlines")),
    )


def _acknowledgements() -> None:
    """Acknowledgements of reminders."""
    op.create_table(
        "acknowledgements",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("deadline_key", sa.String(length=120), nullable=False),
        sa.Column("agency_id", sa.String(length=120), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acknowledgements")),
        sa.UniqueConstraint(
            "deadline_key", "agency_id", "user_id", name=op.f("uq_acknowledgements_deadline_key")
        ),
    )
    op.create_index(op.f("ix_acknowledgements_deadline_key"), "acknowledgements", ["deadline_key"])


def _broadcasts() -> None:
    """Broadcasts to group chats."""
    op.create_table(
        "broadcasts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("audience", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("report_chat_id", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("finished_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_broadcasts")),
    )


def _deliveries() -> None:
    """The delivery ledger."""
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("agency_id", sa.String(length=120), nullable=True),
        sa.Column("deadline_key", sa.String(length=120), nullable=True),
        sa.Column("broadcast_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("buttons", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("not_before", UtcDateTime(), nullable=True),
        sa.Column("claimed_by", sa.String(length=80), nullable=True),
        sa.Column("claimed_at", UtcDateTime(), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("sent_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
        sa.UniqueConstraint("key", name=op.f("uq_deliveries_key")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_deliveries_chat_id"), "deliveries", ["chat_id"])
    op.create_index(op.f("ix_deliveries_deadline_key"), "deliveries", ["deadline_key"])
    op.create_index(op.f("ix_deliveries_broadcast_id"), "deliveries", ["broadcast_id"])
    op.create_index(op.f("ix_deliveries_status"), "deliveries", ["status"])


def upgrade() -> None:
    _deadlines()
    _acknowledgements()
    _broadcasts()
    _deliveries()


def downgrade() -> None:
    for ix in ("status", "broadcast_id", "deadline_key", "chat_id"):
        op.drop_index(op.f(f"ix_deliveries_{ix}"), table_name="deliveries")
    op.drop_table("deliveries")
    op.drop_table("broadcasts")
    op.drop_index(op.f("ix_acknowledgements_deadline_key"), table_name="acknowledgements")
    op.drop_table("acknowledgements")
    op.drop_table("deadlines")
