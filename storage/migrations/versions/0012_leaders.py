"""Responsible officials per agency and indicator, agency leaders, and settings the focal
department keeps.

Revision ID: 0012 Revises: 0011 Create Date: 2026-12-02

Only new tables: when this is chained after other revisions, only ``down_revision`` changes.
"""

import sqlalchemy as sa
from alembic import op

from storage.models.base import UtcDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def _responsible_officials() -> None:
    """Responsible officials per agency and indicator (one current per pair)."""
    op.create_table(
        "responsible_officials",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("agency_id", sa.String(length=120), nullable=False),
        sa.Column("agency_name", sa.String(length=300), nullable=False),
        sa.Column("plan_id", sa.String(length=120), nullable=False),
        sa.Column("indicator_code", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("named_by", sa.BigInteger(), nullable=True),
        sa.Column("named_at", UtcDateTime(), nullable=False),
        sa.Column("ended_at", UtcDateTime(), nullable=True),
        sa.Column("ended_by", sa.BigInteger(), nullable=True),
        sa.Column("end_reason", sa.String(length=16), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_responsible_officials")),
    )
    op.create_index(
        op.f("ix_responsible_officials_agency_id"),
        "responsible_officials",
        ["agency_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_responsible_officials_user_id"),
        "responsible_officials",
        ["user_id"],
        unique=False,
    )
    op.create_index(
        "uq_responsible_officials_current",
        "responsible_officials",
        ["agency_id", "plan_id", "indicator_code"],
        unique=True,
        postgresql_where=sa.text("ended_at IS NULL"),
        sqlite_where=sa.text("ended_at IS NULL"),
    )


def _agency_leaders() -> None:
    """Agency leaders (one current grant per agency and person)."""
    op.create_table(
        "agency_leaders",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("agency_id", sa.String(length=120), nullable=False),
        sa.Column("agency_name", sa.String(length=300), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("granted_by", sa.BigInteger(), nullable=True),
        sa.Column("granted_at", UtcDateTime(), nullable=False),
        sa.Column("revoked_at", UtcDateTime(), nullable=True),
        sa.Column("revoked_by", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency_leaders")),
    )
    op.create_index(
        op.f("ix_agency_leaders_agency_id"), "agency_leaders", ["agency_id"], unique=False
    )
    op.create_index(op.f("ix_agency_leaders_user_id"), "agency_leaders", ["user_id"], unique=False)
    op.create_index(
        "uq_agency_leaders_current",
        "agency_leaders",
        ["agency_id", "user_id"],
        unique=True,
        postgresql_where=sa.text("revoked_at IS NULL"),
        sqlite_where=sa.text("revoked_at IS NULL"),
    )


def _bot_settings() -> None:
    """Settings the focal department keeps."""
    op.create_table(
        "bot_settings",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("updated_by", sa.BigInteger(), nullable=True),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_bot_settings")),
    )


def upgrade() -> None:
    _responsible_officials()
    _agency_leaders()
    _bot_settings()


def downgrade() -> None:
    op.drop_table("bot_settings")
    op.drop_index("uq_agency_leaders_current", table_name="agency_leaders")
    op.drop_index(op.f("ix_agency_leaders_user_id"), table_name="agency_leaders")
    op.drop_index(op.f("ix_agency_leaders_agency_id"), table_name="agency_leaders")
    op.drop_table("agency_leaders")
    op.drop_index("uq_responsible_officials_current", table_name="responsible_officials")
    op.drop_index(op.f("ix_responsible_officials_user_id"), table_name="responsible_officials")
    op.drop_index(op.f("ix_responsible_officials_agency_id"), table_name="responsible_officials")
    op.drop_table("responsible_officials")
