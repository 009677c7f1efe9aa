"""Deadlines the focal department adds, agencies' extension requests, and acknowledgements of
reminders."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UtcDateTime, utcnow


class CustomDeadline(Base):
    """A deadline the focal department added in chat (knowledge-base deadlines live in the KB)."""

    __tablename__ = "deadlines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(500), nullable=False)
    due_date: Mapped[date] = mapped_column(Date, nullable=False)
    audience: Mapped[dict] = mapped_column(JSON, nullable=False)
    created_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UtcDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # a recurring deadline (revision 0013): monthly | quarterly | yearly, None for a one-off one
    # whose date is due_date; for a recurring one due_date is the start and the rule gives the
    # occurrences
    repeat: Mapped[str | None] = mapped_column(String(16), nullable=True)
    repeat_day: Mapped[int | None] = mapped_column(
        Integer, nullable=True
    )  # 1..31, -1: the last day of the month
    repeat_month: Mapped[int | None] = mapped_column(
        Integer, nullable=True
    )  # yearly: 1..12; quarterly: 1..3
    repeat_until: Mapped[date | None] = mapped_column(Date, nullable=True)


class DeadlineExtension(Base):
    """An agency's request for more time (gia hạn) on one deadline (or one occurrence), and the
    focal department's decision. An approved one moves the deadline for that agency only; both
    dates are kept.
    """

    __tablename__ = "deadline_extensions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    deadline_key: Mapped[str] = mapped_column(String(120), nullable=False, index=True)
    title: Mapped[str] = mapped_column(String(500), nullable=False)
    agency_id: Mapped[str] = mapped_column(String(120), nullable=False, index=True)
    agency_name: Mapped[str] = mapped_column(String(300), nullable=False)
    old_date: Mapped[date] = mapped_column(Date, nullable=False)
    new_date: Mapped[date] = mapped_column(Date, nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    requested_by: Mapped[int] = mapped_column(BigInteger, nullable=False)
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)
    status: Mapped[str] = mapped_column(
        String(16), nullable=False, index=True
    )  # pending | approved | refused
    decided_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    decision_reason: Mapped[str | None] = mapped_column(Text, nullable=True)


class Acknowledgement(Base):
    """A member pressed "Đã nhận" on a reminder: recorded per member, counted per agency."""

    __tablename__ = "acknowledgements"
    __table_args__ = (UniqueConstraint("deadline_key", "agency_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    deadline_key: Mapped[str] = mapped_column(String(120), nullable=False, index=True)
    agency_id: Mapped[str] = mapped_column(String(120), nullable=False)
    user_id: Mapped[int] = mapped_column(BigInteger, nullable=False)
    channel: Mapped[str] = mapped_column(String(16), nullable=False)
    chat_id: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)
