"""The inbox of a polling or webhook channel: updates stored as they arrive, before they are
processed, so none is lost when the process stops. Functions take a session and never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.db import affected
from storage.models.base import utcnow
from storage.models.conversation import InboxUpdate


@dataclass(frozen=True)
class InboxInfo:
    id: int
    channel: str
    bot_id: str
    update_key: str
    chat_id: str
    payload: dict
    status: str
    reply: dict | None
    attempts: int


def _inbox(r: InboxUpdate) -> InboxInfo:
    return InboxInfo(
        r.id,
        r.channel,
        r.bot_id,
        r.update_key,
        r.chat_id,
        dict(r.payload),
        r.status,
        dict(r.reply) if r.reply is not None else None,
        r.attempts,
    )


def store_update(
    s: Session, channel: str, bot_id: str, update_key: str, chat_id: str, payload: dict
) -> InboxInfo | None:
    """Keep an update before anything else happens to it; None when it was stored already (a
    redelivery)."""
    try:
        with s.begin_nested():
            row = InboxUpdate(
                channel=channel,
                bot_id=bot_id,
                update_key=update_key,
                chat_id=chat_id,
                payload=payload,
                status="received",
                attempts=0,
            )
            s.add(row)
            s.flush()
    except IntegrityError:
        return None
    return _inbox(row)


def inbox_processed(s: Session, inbox_id: int, reply: dict) -> None:
    """In the update's own transaction: processed, with the reply still to send."""
    s.execute(
        update(InboxUpdate)
        .where(InboxUpdate.id == inbox_id)
        .values(status="processed", reply=reply, processed_at=utcnow())
    )


def inbox_replied(s: Session, inbox_id: int) -> None:
    s.execute(update(InboxUpdate).where(InboxUpdate.id == inbox_id).values(status="replied"))


def inbox_attempt(s: Session, inbox_id: int, give_up_after: int) -> int:
    """Count a failed processing attempt; after ``give_up_after`` the update is marked failed."""
    row = s.get(InboxUpdate, inbox_id)
    if row is None:
        return 0
    row.attempts += 1
    if row.attempts >= give_up_after:
        row.status = "failed"
    s.flush()
    return row.attempts


def inbox_pending(s: Session, channel: str, bot_id: str, limit: int = 100) -> list[InboxInfo]:
    """Updates received but not processed, or processed but not replied to, oldest first."""
    rows = s.scalars(
        select(InboxUpdate)
        .where(
            InboxUpdate.channel == channel,
            InboxUpdate.bot_id == bot_id,
            InboxUpdate.status.in_(("received", "processed")),
        )
        .order_by(InboxUpdate.id)
        .limit(limit)
    )
    return [_inbox(r) for r in rows]


def inbox_get(s: Session, inbox_id: int) -> InboxInfo | None:
    r = s.get(InboxUpdate, inbox_id)
    return _inbox(r) if r else None


def prune(s: Session, before: datetime) -> int:
    """Forget updates answered (or given up on) before ``before``."""
    done = s.execute(
        delete(InboxUpdate).where(
            InboxUpdate.status.in_(("replied", "failed")), InboxUpdate.received_at < before
        )
    )
    return affected(done)


def write_check(s: Session, channel: str, bot_id: str, owner: str) -> None:
    """Prove, in the caller's transaction, that the inbox can be written now: a row is stored and
    removed again (the caller's commit is the proof; nothing is left behind)."""
    with s.begin_nested():
        row = InboxUpdate(
            channel=channel,
            bot_id=bot_id,
            update_key=f"write-check:{owner}"[:128],
            chat_id="",
            payload={},
            status="check",
            attempts=0,
        )
        s.add(row)
        s.flush()
        s.delete(row)
        s.flush()
