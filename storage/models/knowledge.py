"""The knowledge base's loaded versions, and questions the bot did not fully answer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UtcDateTime, utcnow


class KbVersion(Base):
    """One loaded knowledge base: the validated source files, who loaded them, when and from
    where."""

    __tablename__ = "kb_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)
    created_by: Mapped[str] = mapped_column(String(200), nullable=False)
    created_by_user_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    source: Mapped[str] = mapped_column(String(500), nullable=False)
    checksum: Mapped[str] = mapped_column(String(64), nullable=False)
    files: Mapped[dict] = mapped_column(JSON, nullable=False)
    counts: Mapped[dict] = mapped_column(JSON, nullable=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False, index=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)


class UnansweredQuestion(Base):
    """A question the bot declined, asked back about or understood only in part (issue 14's loop).

    Only the text and what was understood are kept — never who asked, in which chat — and only for
    RETENTION_DAYS (storage/knowledge/unanswered.py purges older rows)."""

    __tablename__ = "unanswered_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    asked_at: Mapped[datetime] = mapped_column(
        UtcDateTime, default=utcnow, nullable=False, index=True
    )
    text: Mapped[str] = mapped_column(String(500), nullable=False)
    key: Mapped[str] = mapped_column(
        String(500), nullable=False, index=True
    )  # folded text, to count repeats
    outcome: Mapped[str] = mapped_column(
        String(16), nullable=False
    )  # declined | clarified | partial
    understood: Mapped[str] = mapped_column(String(500), default="", nullable=False)
    kb_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
