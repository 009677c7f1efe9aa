"""People and how each is known on every channel: users, their identities, and the
one-time codes that link a second channel to a user.

A person is one :class:`User` (an internal id) with one :class:`Identity` per channel; ids that
come from a channel (a Telegram or Zalo user or chat) are text, always stored with their channel.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UserId, UtcDateTime, utcnow


class User(Base):
    """A person who wrote to the bot on any channel. ``role`` is granted in chat; config admins are
    added at start.

    Users migrated from the Telegram-only schema keep their Telegram id as their internal id; new
    users get the next free id.
    """

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(UserId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    language: Mapped[str | None] = mapped_column(String(8), nullable=True)  # chosen with /ngonngu
    app_language: Mapped[str | None] = mapped_column(
        String(16), nullable=True
    )  # what the channel's app reports
    role: Mapped[str] = mapped_column(
        String(16), default="user", nullable=False
    )  # user | focal | admin
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UtcDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )


class Identity(Base):
    """How a user is known on one channel: (channel, external id). On Telegram and Zalo the id of a
    user is also the id of their private chat with the bot."""

    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(16), nullable=False)
    external_id: Mapped[str] = mapped_column(String(64), nullable=False)
    user_id: Mapped[int] = mapped_column(
        UserId, ForeignKey("users.id"), nullable=False, index=True
    )
    username: Mapped[str | None] = mapped_column(String(100), nullable=True)
    display_name: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    reachable: Mapped[bool] = mapped_column(
        Boolean, default=True, nullable=False
    )  # False once it blocked the bot
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)


class LinkCode(Base):
    """A one-time code (/lienket) that links a second channel's identity to the user who asked
    for it."""

    __tablename__ = "link_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(UserId, ForeignKey("users.id"), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
