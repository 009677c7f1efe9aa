"""Progress reported on indicators, its review, and requests for explanation."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UtcDateTime, utcnow


class ProgressUpdate(Base):
    """One progress report on one indicator, with the plan and knowledge-base version it refers
    to."""

    __tablename__ = "progress_updates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    author_id: Mapped[int] = mapped_column(BigInteger, nullable=False, index=True)
    author_name: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    agency_id: Mapped[str] = mapped_column(String(120), nullable=False, index=True)
    agency_name: Mapped[str] = mapped_column(String(300), nullable=False)
    plan_id: Mapped[str] = mapped_column(String(120), nullable=False)
    indicator_code: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    kb_version_id: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[str] = mapped_column(
        String(16), nullable=False
    )  # not_started | in_progress | done | blocked
    percent: Mapped[int | None] = mapped_column(Integer, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    file_id: Mapped[str | None] = mapped_column(String(300), nullable=True)
    file_name: Mapped[str | None] = mapped_column(String(300), nullable=True)
    file_kind: Mapped[str | None] = mapped_column(String(16), nullable=True)  # document | photo
    file_path: Mapped[str | None] = mapped_column(
        String(200), nullable=True
    )  # the kept copy, under the data directory
    file_size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)
    undone_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # the focal department's review: awaiting | confirmed | returned (history in progress_reviews)
    review_state: Mapped[str] = mapped_column(
        String(16), default="awaiting", server_default="awaiting", nullable=False, index=True
    )
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    reviewed_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    review_reason: Mapped[str | None] = mapped_column(Text, nullable=True)


class ProgressReview(Base):
    """Every review state a progress update went through: who set it, when, and why (for a
    return)."""

    __tablename__ = "progress_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    update_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("progress_updates.id"), nullable=False, index=True
    )
    state: Mapped[str] = mapped_column(
        String(16), nullable=False
    )  # awaiting | confirmed | returned
    by: Mapped[int | None] = mapped_column(
        BigInteger, nullable=True
    )  # internal user id; None for the author's report
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)


class ExplanationRequest(Base):
    """A request for explanation (yêu cầu giải trình) from the focal department to an agency
    about an indicator."""

    __tablename__ = "explanation_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    agency_id: Mapped[str] = mapped_column(String(120), nullable=False, index=True)
    agency_name: Mapped[str] = mapped_column(String(300), nullable=False)
    plan_id: Mapped[str] = mapped_column(String(120), nullable=False)
    indicator_code: Mapped[str] = mapped_column(String(16), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    due_date: Mapped[date] = mapped_column(Date, nullable=False)
    requested_by: Mapped[int] = mapped_column(BigInteger, nullable=False)
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)
    answer: Mapped[str | None] = mapped_column(Text, nullable=True)
    answered_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
