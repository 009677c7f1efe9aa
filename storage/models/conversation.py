"""Incoming updates and per-chat conversation state: updates already processed, the inbox,
open choices and flows in progress."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UserId, UtcDateTime, utcnow


class ProcessedUpdate(Base):
    """Updates already handled, by channel and bot (a new token or an update-id reset skips
    nothing)."""

    __tablename__ = "processed_updates"

    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    bot_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    update_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    processed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)


class InboxUpdate(Base):
    """An update stored before it is processed (Zalo removes an update from its queue when it is
    read), with the reply kept until it is sent, so a crash anywhere loses nothing."""

    __tablename__ = "inbox"
    __table_args__ = (UniqueConstraint("channel", "bot_id", "update_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(16), nullable=False)
    bot_id: Mapped[str] = mapped_column(String(64), nullable=False)
    update_key: Mapped[str] = mapped_column(String(128), nullable=False)
    chat_id: Mapped[str] = mapped_column(String(64), nullable=False)
    payload: Mapped[dict] = mapped_column(JSON, nullable=False)
    status: Mapped[str] = mapped_column(
        String(16), nullable=False, index=True
    )  # received | processed | replied | failed
    reply: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)
    processed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class OpenChoices(Base):
    """The numbered choices last offered in a chat to a user: a number or the choice's words
    pick one."""

    __tablename__ = "open_choices"

    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    chat_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(UserId, primary_key=True, autoincrement=False)
    items: Mapped[list] = mapped_column(JSON, nullable=False)  # [{"label", "data"}]
    extra: Mapped[dict] = mapped_column(JSON, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)


class DialogState(Base):
    """Where a user is in a multi-step flow (sign-up, progress update), per chat."""

    __tablename__ = "dialog_states"

    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    chat_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        UserId, primary_key=True, autoincrement=False
    )  # 0: an anonymous group admin
    flow: Mapped[str] = mapped_column(String(40), nullable=False)
    data: Mapped[dict] = mapped_column(JSON, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UtcDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )
