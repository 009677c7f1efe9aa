"""The delivery ledger: every outgoing reminder or broadcast message, once per key.

A row is inserted once (the unique key makes a second insert a no-op), claimed by one process
with a conditional UPDATE, marked in flight right before its HTTP request leaves, and marked sent
after. A row claimed by a process that died goes back to pending (it never left); a row that died
in flight becomes "uncertain" and is reported, never sent again. Functions take a session and
never commit; each step is meant to be its own short transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.dialects.postgresql import Insert as PgInsert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import Insert as SqliteInsert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.db import affected
from storage.models.delivery import Delivery, SenderLease

PENDING, CLAIMED, IN_FLIGHT = "pending", "claimed", "in_flight"
SENT, FAILED, GONE, UNCERTAIN, SKIPPED = "sent", "failed", "gone", "uncertain", "skipped"
FINAL = (SENT, FAILED, GONE, UNCERTAIN, SKIPPED)


@dataclass(frozen=True)
class DeliveryInfo:
    id: int
    key: str
    kind: str
    channel: str
    chat_id: str
    user_id: int | None
    agency_id: str | None
    deadline_key: str | None
    broadcast_id: int | None
    text: str
    buttons: list
    status: str
    attempts: int
    message_id: str | None
    error: str | None
    sent_at: datetime | None


def _info(d: Delivery) -> DeliveryInfo:
    return DeliveryInfo(
        d.id,
        d.key,
        d.kind,
        d.channel,
        d.chat_id,
        d.user_id,
        d.agency_id,
        d.deadline_key,
        d.broadcast_id,
        d.text,
        list(d.buttons),
        d.status,
        d.attempts,
        d.message_id,
        d.error,
        d.sent_at,
    )


def enqueue(
    s: Session,
    *,
    key: str,
    kind: str,
    channel: str,
    chat_id: str,
    text: str,
    buttons: list | None = None,
    agency_id: str | None = None,
    deadline_key: str | None = None,
    broadcast_id: int | None = None,
    status: str = PENDING,
    error: str | None = None,
    user_id: int | None = None,
) -> bool:
    """Insert a delivery unless one with this key exists; True when inserted.

    ``buttons`` are neutral choices ``[{"label", "data"}]``; each channel draws them its own way.
    """
    values = dict(
        key=key,
        kind=kind,
        channel=channel,
        chat_id=chat_id,
        user_id=user_id,
        text=text,
        buttons=buttons or [],
        agency_id=agency_id,
        deadline_key=deadline_key,
        broadcast_id=broadcast_id,
        status=status,
        attempts=0,
        error=error,
        created_at=datetime.now().astimezone(),
    )
    dialect = s.get_bind().dialect.name
    stmt: PgInsert | SqliteInsert
    if dialect == "postgresql":
        stmt = pg_insert(Delivery).values(**values).on_conflict_do_nothing(index_elements=["key"])
    elif dialect == "sqlite":
        stmt = (
            sqlite_insert(Delivery).values(**values).on_conflict_do_nothing(index_elements=["key"])
        )
    else:  # pragma: no cover - other databases: check first (still protected by the unique key)
        if s.scalar(select(Delivery.id).where(Delivery.key == key)) is not None:
            return False
        s.add(Delivery(**values))
        s.flush()
        return True
    return bool(affected(s.execute(stmt)))


def exists(s: Session, key: str) -> bool:
    return s.scalar(select(Delivery.id).where(Delivery.key == key)) is not None


def recover(s: Session, now: datetime, lease: timedelta) -> tuple[int, int]:
    """Rows whose process stopped answering: claimed -> pending, in flight -> uncertain."""
    stale = now - lease
    back = affected(
        s.execute(
            update(Delivery)
            .where(Delivery.status == CLAIMED, Delivery.claimed_at < stale)
            .values(status=PENDING, claimed_by=None)
        )
    )
    lost = affected(
        s.execute(
            update(Delivery)
            .where(Delivery.status == IN_FLIGHT, Delivery.claimed_at < stale)
            .values(
                status=UNCERTAIN,
                error="the sending process stopped during the request; delivery unknown",
            )
        )
    )
    return back, lost


def claim(s: Session, owner: str, now: datetime, limit: int = 50) -> list[DeliveryInfo]:
    """Take up to ``limit`` pending rows for this process; another process never gets the same row.

    One UPDATE picks and marks the rows; on PostgreSQL rows locked by another claimer are skipped.
    """
    pick = (
        select(Delivery.id)
        .where(
            Delivery.status == PENDING,
            or_(Delivery.not_before.is_(None), Delivery.not_before <= now),
        )
        .order_by(Delivery.id)
        .limit(limit)
    )
    if s.get_bind().dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    ids = list(
        s.scalars(
            update(Delivery)
            .where(Delivery.id.in_(pick.scalar_subquery()), Delivery.status == PENDING)
            .values(status=CLAIMED, claimed_by=owner, claimed_at=now)
            .returning(Delivery.id)
        )
    )
    if not ids:
        return []
    return [
        _info(d)
        for d in s.scalars(select(Delivery).where(Delivery.id.in_(ids)).order_by(Delivery.id))
    ]


def mark_in_flight(s: Session, delivery_id: int, owner: str, now: datetime) -> bool:
    result = s.execute(
        update(Delivery)
        .where(
            Delivery.id == delivery_id, Delivery.status == CLAIMED, Delivery.claimed_by == owner
        )
        .values(status=IN_FLIGHT, claimed_at=now, attempts=Delivery.attempts + 1)
    )
    return affected(result) == 1


def mark_sent(s: Session, delivery_id: int, message_id: str | None, now: datetime) -> None:
    s.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id)
        .values(status=SENT, message_id=message_id, sent_at=now, error=None)
    )


def mark_final(s: Session, delivery_id: int, status: str, error: str) -> None:
    s.execute(
        update(Delivery).where(Delivery.id == delivery_id).values(status=status, error=error[:500])
    )


def release(
    s: Session,
    delivery_id: int,
    not_before: datetime | None,
    error: str | None = None,
    chat_id: str | None = None,
) -> None:
    """Back to pending (a retry after a network error or 429), optionally to a migrated chat id."""
    values: dict = dict(
        status=PENDING, claimed_by=None, not_before=not_before, error=(error or "")[:500] or None
    )
    if chat_id is not None:
        values["chat_id"] = chat_id
    s.execute(update(Delivery).where(Delivery.id == delivery_id).values(**values))


def _of_deadline(deadline_key: str, occurrences: bool):
    """Rows of one deadline key, and with ``occurrences`` those of every occurrence of a
    recurring one ("<key>@…")."""
    if not occurrences:
        return Delivery.deadline_key == deadline_key
    return or_(
        Delivery.deadline_key == deadline_key,
        Delivery.deadline_key.startswith(f"{deadline_key}@", autoescape=True),
    )


def skip_pending(
    s: Session,
    deadline_key: str,
    reason: str,
    agency_id: str | None = None,
    occurrences: bool = False,
) -> int:
    """Pending reminders of a changed or cancelled deadline are not sent."""
    cond = [_of_deadline(deadline_key, occurrences), Delivery.status == PENDING]
    if agency_id is not None:
        cond.append(Delivery.agency_id == agency_id)
    return affected(
        s.execute(update(Delivery).where(and_(*cond)).values(status=SKIPPED, error=reason[:500]))
    )


def drop_pending(s: Session, deadline_key: str, occurrences: bool = False) -> int:
    """Forget reminders of an edited deadline that were written but never claimed; the planner
    writes them again from the new date and title."""
    result = s.execute(
        delete(Delivery).where(_of_deadline(deadline_key, occurrences), Delivery.status == PENDING)
    )
    return affected(result)


def by_broadcast(s: Session, broadcast_id: int) -> list[DeliveryInfo]:
    return [
        _info(d)
        for d in s.scalars(
            select(Delivery).where(Delivery.broadcast_id == broadcast_id).order_by(Delivery.id)
        )
    ]


def by_key(s: Session, key: str) -> DeliveryInfo | None:
    d = s.scalars(select(Delivery).where(Delivery.key == key)).first()
    return _info(d) if d else None


def by_message_id(s: Session, channel: str, chat_id: str, message_id: str) -> DeliveryInfo | None:
    """The sent row whose message the channel numbered ``message_id`` (what a quote-reply points
    to)."""
    d = s.scalars(
        select(Delivery).where(
            Delivery.channel == channel,
            Delivery.chat_id == chat_id,
            Delivery.message_id == message_id,
        )
    ).first()
    return _info(d) if d else None


def get(s: Session, delivery_id: int) -> DeliveryInfo | None:
    d = s.get(Delivery, delivery_id)
    return _info(d) if d else None


def all_rows(s: Session, kind: str | None = None) -> list[DeliveryInfo]:
    q = select(Delivery).order_by(Delivery.id)
    if kind:
        q = q.where(Delivery.kind == kind)
    return [_info(d) for d in s.scalars(q)]


SENDER = "ledger"


def acquire_lease(s: Session, name: str, owner: str, now: datetime, ttl: timedelta) -> bool:
    """Become (or stay) the one holder of lease ``name`` for ``ttl``; False while another
    process holds it."""
    if s.get(SenderLease, name) is None:
        values = dict(name=name, owner=owner, expires_at=now + ttl)
        dialect = s.get_bind().dialect.name
        if dialect == "postgresql":
            s.execute(
                pg_insert(SenderLease)
                .values(**values)
                .on_conflict_do_nothing(index_elements=["name"])
            )
        elif dialect == "sqlite":
            s.execute(
                sqlite_insert(SenderLease)
                .values(**values)
                .on_conflict_do_nothing(index_elements=["name"])
            )
        else:  # pragma: no cover
            s.add(SenderLease(**values))
            s.flush()
    result = s.execute(
        update(SenderLease)
        .where(
            SenderLease.name == name,
            or_(SenderLease.owner == owner, SenderLease.expires_at <= now),
        )
        .values(owner=owner, expires_at=now + ttl)
    )
    return affected(result) == 1


def release_lease(s: Session, name: str, owner: str, now: datetime) -> None:
    s.execute(
        update(SenderLease)
        .where(SenderLease.name == name, SenderLease.owner == owner)
        .values(expires_at=now)
    )


def acquire_sender(s: Session, owner: str, now: datetime, ttl: timedelta) -> bool:
    """One process sends the ledger at a time, so one rate limiter per channel paces everything."""
    return acquire_lease(s, SENDER, owner, now, ttl)


def release_sender(s: Session, owner: str, now: datetime) -> None:
    release_lease(s, SENDER, owner, now)


def last_reminder(s: Session, channel: str, chat_id: str) -> DeliveryInfo | None:
    """The latest reminder sent to a chat (what "/danhan" acknowledges)."""
    d = s.scalars(
        select(Delivery)
        .where(
            Delivery.channel == channel,
            Delivery.chat_id == chat_id,
            Delivery.kind == "reminder",
            Delivery.status == SENT,
        )
        .order_by(Delivery.id.desc())
    ).first()
    return _info(d) if d else None


def pending_for_channel(s: Session, channel: str, now: datetime) -> list[DeliveryInfo]:
    """Pending rows of one channel that may go now (the terminal chat shows its own this way)."""
    rows = s.scalars(
        select(Delivery)
        .where(
            Delivery.channel == channel,
            Delivery.status == PENDING,
            or_(Delivery.not_before.is_(None), Delivery.not_before <= now),
        )
        .order_by(Delivery.id)
    )
    return [_info(d) for d in rows]
