"""Outgoing messages: broadcasts, the delivery ledger, the sender lease, and channels'
refusals."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UtcDateTime, utcnow


class Broadcast(Base):
    """A message the focal department sends to an audience of group chats."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    audience: Mapped[dict] = mapped_column(JSON, nullable=False)
    created_by: Mapped[int] = mapped_column(BigInteger, nullable=False)
    report_channel: Mapped[str] = mapped_column(String(16), nullable=False)
    report_chat_id: Mapped[str] = mapped_column(String(64), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # sending | done
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class Delivery(Base):
    """The delivery ledger: one row per message to one chat for one purpose, unique by ``key``.

    status: pending -> claimed (a process owns it) -> in_flight (the HTTP request is leaving) ->
    sent | failed | gone (the chat removed the bot) | uncertain (a process died mid-request) |
    skipped.
    """

    __tablename__ = "deliveries"
    __table_args__ = {
        "sqlite_autoincrement": True
    }  # ids are never reused, even after unsent rows are dropped

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    kind: Mapped[str] = mapped_column(
        String(16), nullable=False
    )  # reminder | overdue | digest | broadcast | notice
    channel: Mapped[str] = mapped_column(String(16), nullable=False)
    chat_id: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    user_id: Mapped[int | None] = mapped_column(
        BigInteger, nullable=True
    )  # the person, for a private chat
    agency_id: Mapped[str | None] = mapped_column(String(120), nullable=True)
    deadline_key: Mapped[str | None] = mapped_column(String(120), nullable=True, index=True)
    broadcast_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    buttons: Mapped[list] = mapped_column(JSON, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    not_before: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    claimed_by: Mapped[str | None] = mapped_column(String(80), nullable=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    message_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    error: Mapped[str | None] = mapped_column(String(500), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class SenderLease(Base):
    """Which bot process sends the ledger now: one sender at a time keeps one rate limiter in
    charge."""

    __tablename__ = "sender_leases"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    owner: Mapped[str] = mapped_column(String(80), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)


class DeliveryRefusal(Base):
    """One answer of a channel that named the recipient as unreachable (e.g. Zalo: "the user
    blocked the bot"). A chat is judged unreachable only after several, spread over a day; a
    message from the chat clears them."""

    __tablename__ = "delivery_refusals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(16), nullable=False)
    chat_id: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    reason: Mapped[str] = mapped_column(String(300), nullable=False)
