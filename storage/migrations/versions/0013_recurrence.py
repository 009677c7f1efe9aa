"""Recurring deadlines (a rule on the deadlines added by the focal department) and extension
requests.

Revision ID: 0013 Revises: 0012 Create Date: 2026-12-02

Only additions: nullable columns on ``deadlines`` (existing rows stay one-off deadlines, unchanged)
and a new table. When this is chained after other revisions, only ``down_revision`` changes.
"""

import sqlalchemy as sa
from alembic import op

from storage.models.base import UtcDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deadlines") as batch:
        batch.add_column(sa.Column("repeat", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("repeat_day", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("repeat_month", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("repeat_until", sa.Date(), nullable=True))
    op.create_table(
        "deadline_extensions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("deadline_key", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("agency_id", sa.String(length=120), nullable=False),
        sa.Column("agency_name", sa.String(length=300), nullable=False),
        sa.Column("old_date", sa.Date(), nullable=False),
        sa.Column("new_date", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.BigInteger(), nullable=False),
        sa.Column("requested_at", UtcDateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_by", sa.BigInteger(), nullable=True),
        sa.Column("decided_at", UtcDateTime(), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadline_extensions")),
    )
    op.create_index(
        op.f("ix_deadline_extensions_deadline_key"),
        "deadline_extensions",
        ["deadline_key"],
        unique=False,
    )
    op.create_index(
        op.f("ix_deadline_extensions_agency_id"),
        "deadline_extensions",
        ["agency_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_deadline_extensions_status"), "deadline_extensions", ["status"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_deadline_extensions_status"), table_name="deadline_extensions")
    op.drop_index(op.f("ix_deadline_extensions_agency_id"), table_name="deadline_extensions")
    op.drop_index(op.f("ix_deadline_extensions_deadline_key"), table_name="deadline_extensions")
    op.drop_table("deadline_extensions")
    with op.batch_alter_table("deadlines") as batch:
        batch.drop_column("repeat_until")
        batch.drop_column("repeat_month")
        batch.drop_column("repeat_day")
        batch.drop_column("repeat")
