"""E-mail as a channel: agencies' official addresses set in the web console (a person's address is
an identity on the channel "email", so it needs no table of its own).

Revision ID: 0011 Revises: 0010 Create Date: 2026-12-02

Only a new table: when this is chained after other revisions, only ``down_revision`` changes.
"""

import sqlalchemy as sa
from alembic import op

from storage.models.base import UtcDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agency_contacts",
        sa.Column("agency_id", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=64), nullable=False, server_default=""),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("agency_id", name=op.f("pk_agency_contacts")),
    )


def downgrade() -> None:
    op.drop_table("agency_contacts")
