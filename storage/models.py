"""SQLAlchemy 2 models. Every timestamp is timezone-aware UTC.

A person is one :class:`User` (an internal id) with one :class:`Identity` per channel; ids that
come from a channel (a Telegram or Zalo user or chat) are text, always stored with their channel.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes on every backend (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware datetimes")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# internal user ids: 64-bit (legacy ids were Telegram's), but SQLite's autoincrement needs INTEGER
UserId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


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


class WebToken(Base):
    """A one-time sign-in link of the web console: only its SHA-256 is stored, used once,
    expiring."""

    __tablename__ = "web_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    purpose: Mapped[str] = mapped_column(String(16), nullable=False)  # login | download
    user_id: Mapped[int | None] = mapped_column(
        BigInteger, nullable=True
    )  # None: the server admin
    server_admin: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    payload: Mapped[str | None] = mapped_column(
        String(300), nullable=True
    )  # a download's file, under the data directory


class WebAudit(Base):
    """Who changed what through the web console, and when."""

    __tablename__ = "web_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False, index=True)
    user_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    actor: Mapped[str] = mapped_column(String(200), nullable=False)
    action: Mapped[str] = mapped_column(String(40), nullable=False)
    target: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    detail: Mapped[str] = mapped_column(Text, default="", nullable=False)


class WebSession(Base):
    """A signed-in session of the web console: the cookie names it by a random id (only its SHA-256
    is stored); signing out, or signing out everywhere, revokes it at once."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sid_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    user_id: Mapped[int | None] = mapped_column(
        BigInteger, nullable=True, index=True
    )  # None: the server admin
    server_admin: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class WebSecret(Base):
    """Formerly the key that signed the console's session cookies; since revision 0009 the key
    lives in PGI_SESSION_KEY or a file under the data directory, and a row left here only seeds
    that file.
    """

    __tablename__ = "web_secrets"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)


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


class UnansweredQuestion(Base):
    """A question the bot declined, asked back about or understood only in part (issue 14's loop).

    Only the text and what was understood are kept — never who asked, in which chat — and only for
    RETENTION_DAYS (storage/unanswered.py purges older rows)."""

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


class BotSetting(Base):
    """A setting the focal department changes in chat or in the console (not a deployment
    setting)."""

    __tablename__ = "bot_settings"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), nullable=False)
    updated_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)


class AgencyContact(Base):
    """An agency's official e-mail address as the web console set it, in place of
    ``agencies.yaml``'s (an empty address: the agency has none, whatever the file says)."""

    __tablename__ = "agency_contacts"

    agency_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    email: Mapped[str] = mapped_column(String(64), default="", nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)
    updated_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
