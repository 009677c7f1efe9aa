"""Review of progress updates by the focal department, and requests for explanation.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from storage.models.base import UtcDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("progress_updates") as batch:
        batch.add_column(
            sa.Column(
                "review_state", sa.String(length=16), server_default="awaiting", nullable=False
            )
        )
        batch.add_column(sa.Column("reviewed_at", UtcDateTime(), nullable=True))
        batch.add_column(sa.Column("reviewed_by", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("review_reason", sa.Text(), nullable=True))
        batch.create_index(
            batch.f("ix_progress_updates_review_state"), ["review_state"], unique=False
        )
    op.create_table(
        "progress_reviews",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("update_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("by", sa.BigInteger(), nullable=True),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["update_id"],
            ["progress_updates.id"],
            name=op.f("fk_progress_reviews_update_id_progress_updates"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progress_reviews")),
    )
    op.create_index(
        op.f("ix_progress_reviews_update_id"), "progress_reviews", ["update_id"], unique=False
    )
    op.create_table(
        "explanation_requests",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("agency_id", sa.String(length=120), nullable=False),
        sa.Column("agency_name", sa.String(length=300), nullable=False),
        sa.Column("plan_id", sa.String(length=120), nullable=False),
        sa.Column("indicator_code", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("requested_by", sa.BigInteger(), nullable=False),
        sa.Column("requested_at", UtcDateTime(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_by", sa.BigInteger(), nullable=True),
        sa.Column("answered_at", UtcDateTime(), nullable=True),
        sa.Column("cancelled_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_explanation_requests")),
    )
    op.create_index(
        op.f("ix_explanation_requests_agency_id"),
        "explanation_requests",
        ["agency_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_explanation_requests_agency_id"), table_name="explanation_requests")
    op.drop_table("explanation_requests")
    op.drop_index(op.f("ix_progress_reviews_update_id"), table_name="progress_reviews")
    op.drop_table("progress_reviews")
    with op.batch_alter_table("progress_updates") as batch:
        batch.drop_index(batch.f("ix_progress_updates_review_state"))
        batch.drop_column("review_reason")
        batch.drop_column("reviewed_by")
        batch.drop_column("reviewed_at")
        batch.drop_column("review_state")
