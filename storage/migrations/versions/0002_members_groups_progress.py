"""Users, memberships, group bindings, progress updates, processed updates, dialog states.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

from storage.models.base import UtcDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _users() -> None:
    """Users (keyed by their Telegram id)."""
    op.create_table(
        "users",
        sa.Column("telegram_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("first_name", sa.String(length=200), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("telegram_language", sa.String(length=16), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("telegram_id", name=op.f("pk_users")),
    )


def _memberships() -> None:
    """Memberships: a user's request to act for an agency, and the decision."""
    op.create_table(
        "memberships",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("agency_id", sa.String(length=120), nullable=False),
        sa.Column("agency_name", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("requested_at", UtcDateTime(), nullable=False),
        sa.Column("decided_at", UtcDateTime(), nullable=True),
        sa.Column("decided_by", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.telegram_id"], name=op.f("fk_memberships_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memberships")),
    )
    op.create_index(op.f("ix_memberships_user_id"), "memberships", ["user_id"])
    op.create_index(op.f("ix_memberships_agency_id"), "memberships", ["agency_id"])


def _group_bindings() -> None:
    """Group chats bound to agencies."""
    op.create_table(
        "group_bindings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("agency_id", sa.String(length=120), nullable=False),
        sa.Column("agency_name", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("requested_by", sa.BigInteger(), nullable=True),
        sa.Column("decided_by", sa.BigInteger(), nullable=True),
        sa.Column("inactive_reason", sa.String(length=300), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_bindings")),
    )
    op.create_index(op.f("ix_group_bindings_chat_id"), "group_bindings", ["chat_id"])
    op.create_index(op.f("ix_group_bindings_agency_id"), "group_bindings", ["agency_id"])


def _progress_updates() -> None:
    """Progress updates on indicators."""
    op.create_table(
        "progress_updates",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("author_id", sa.BigInteger(), nullable=False),
        sa.Column("author_name", sa.String(length=200), nullable=False),
        sa.Column("agency_id", sa.String(length=120), nullable=False),
        sa.Column("agency_name", sa.String(length=300), nullable=False),
        sa.Column("plan_id", sa.String(length=120), nullable=False),
        sa.Column("indicator_code", sa.String(length=16), nullable=False),
        sa.Column("kb_version_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("file_id", sa.String(length=300), nullable=True),
        sa.Column("file_name", sa.String(length=300), nullable=True),
        sa.Column("file_kind", sa.String(length=16), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("undone_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progress_updates")),
    )
    op.create_index(op.f("ix_progress_updates_author_id"), "progress_updates", ["author_id"])
    op.create_index(op.f("ix_progress_updates_agency_id"), "progress_updates", ["agency_id"])
    op.create_index(
        op.f("ix_progress_updates_indicator_code"), "progress_updates", ["indicator_code"]
    )


def _processed_updates() -> None:
    """Updates already handled."""
    op.create_table(
        "processed_updates",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("processed_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_processed_updates")),
    )


def _dialog_states() -> None:
    """Where a user is in a multi-step flow."""
    op.create_table(
        "dialog_states",
        sa.Column("chat_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("flow", sa.String(length=40), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("chat_id", "user_id", name=op.f("pk_dialog_states")),
    )


def upgrade() -> None:
    _users()
    _memberships()
    _group_bindings()
    _progress_updates()
    _processed_updates()
    _dialog_states()


def downgrade() -> None:
    op.drop_table("dialog_states")
    op.drop_table("processed_updates")
    op.drop_index(op.f("ix_progress_updates_indicator_code"), table_name="progress_updates")
    op.drop_index(op.f("ix_progress_updates_agency_id"), table_name="progress_updates")
    op.drop_index(op.f("ix_progress_updates_author_id"), table_name="progress_updates")
    op.drop_table("progress_updates")
    op.drop_index(op.f("ix_group_bindings_agency_id"), table_name="group_bindings")
    op.drop_index(op.f("ix_group_bindings_chat_id"), table_name="group_bindings")
    op.drop_table("group_bindings")
    op.drop_index(op.f("ix_memberships_agency_id"), table_name="memberships")
    op.drop_index(op.f("ix_memberships_user_id"), table_name="memberships")
    op.drop_table("memberships")
    op.drop_table("users")
