"""What ties people to agencies: memberships, group chats bound to an agency, responsible
officials, leaders, agencies' contact addresses, and the settings the focal department keeps."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    String,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UserId, UtcDateTime, utcnow


class Membership(Base):
    """A user's request to act for an agency, and the admin's decision."""

    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(
        UserId, ForeignKey("users.id"), nullable=False, index=True
    )
    agency_id: Mapped[str] = mapped_column(String(120), nullable=False, index=True)
    agency_name: Mapped[str] = mapped_column(String(300), nullable=False)
    status: Mapped[str] = mapped_column(
        String(16), nullable=False
    )  # pending | approved | rejected | revoked
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    decided_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class GroupBinding(Base):
    """A group chat bound to an agency: where that agency's reminders go."""

    __tablename__ = "group_bindings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(16), nullable=False)
    chat_id: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    title: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    agency_id: Mapped[str] = mapped_column(String(120), nullable=False, index=True)
    agency_name: Mapped[str] = mapped_column(String(300), nullable=False)
    status: Mapped[str] = mapped_column(
        String(16), nullable=False
    )  # pending | active | rejected | inactive
    requested_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    decided_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    inactive_reason: Mapped[str | None] = mapped_column(String(300), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UtcDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )


class ResponsibleOfficial(Base):
    """The official responsible (cán bộ phụ trách) for one indicator of one agency: a member of
    the agency named by the focal department or by the agency's own people. Ended rows are kept
    (history); one row per (agency, plan, indicator) has ``ended_at`` None."""

    __tablename__ = "responsible_officials"
    # one current official per agency and indicator, even when two people name one at the same
    # moment
    __table_args__ = (
        Index(
            "uq_responsible_officials_current",
            "agency_id",
            "plan_id",
            "indicator_code",
            unique=True,
            postgresql_where=sql_text("ended_at IS NULL"),
            sqlite_where=sql_text("ended_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    agency_id: Mapped[str] = mapped_column(String(120), nullable=False, index=True)
    agency_name: Mapped[str] = mapped_column(String(300), nullable=False)
    plan_id: Mapped[str] = mapped_column(String(120), nullable=False)
    indicator_code: Mapped[str] = mapped_column(String(16), nullable=False)
    user_id: Mapped[int] = mapped_column(BigInteger, nullable=False, index=True)
    named_by: Mapped[int | None] = mapped_column(
        BigInteger, nullable=True
    )  # None: the console's server admin
    named_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    ended_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    end_reason: Mapped[str | None] = mapped_column(
        String(16), nullable=True
    )  # removed | replaced | left


class AgencyLeader(Base):
    """A leader (lãnh đạo đơn vị) of an agency, granted by an admin: told in a short digest when
    the agency falls behind. Revoked rows are kept."""

    __tablename__ = "agency_leaders"
    __table_args__ = (
        Index(
            "uq_agency_leaders_current",
            "agency_id",
            "user_id",
            unique=True,
            postgresql_where=sql_text("revoked_at IS NULL"),
            sqlite_where=sql_text("revoked_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    agency_id: Mapped[str] = mapped_column(String(120), nullable=False, index=True)
    agency_name: Mapped[str] = mapped_column(String(300), nullable=False)
    user_id: Mapped[int] = mapped_column(BigInteger, nullable=False, index=True)
    granted_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    granted_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    revoked_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class AgencyContact(Base):
    """An agency's official e-mail address as the web console set it, in place of
    ``agencies.yaml``'s (an empty address: the agency has none, whatever the file says)."""

    __tablename__ = "agency_contacts"

    agency_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    email: Mapped[str] = mapped_column(String(64), default="", nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)
    updated_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class BotSetting(Base):
    """A setting the focal department changes in chat or in the console (not a deployment
    setting)."""

    __tablename__ = "bot_settings"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), nullable=False)
    updated_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)
