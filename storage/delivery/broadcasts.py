"""Broadcasts of the focal department: what was sent to whom, and whether its delivery report is
done. Functions take a session and never commit."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.db import affected
from storage.models.base import utcnow
from storage.models.delivery import Broadcast


@dataclass(frozen=True)
class BroadcastInfo:
    id: int
    text: str
    audience: dict
    created_by: int
    report_channel: str
    report_chat_id: str
    status: str


def _binfo(b: Broadcast) -> BroadcastInfo:
    return BroadcastInfo(
        b.id, b.text, dict(b.audience), b.created_by, b.report_channel, b.report_chat_id, b.status
    )


def add(
    s: Session,
    text: str,
    audience: dict,
    created_by: int,
    report_channel: str,
    report_chat_id: str,
) -> BroadcastInfo:
    b = Broadcast(
        text=text,
        audience=audience,
        created_by=created_by,
        report_channel=report_channel,
        report_chat_id=report_chat_id,
        status="sending",
    )
    s.add(b)
    s.flush()
    return _binfo(b)


def get(s: Session, broadcast_id: int) -> BroadcastInfo | None:
    b = s.get(Broadcast, broadcast_id)
    return _binfo(b) if b else None


def unfinished(s: Session) -> list[BroadcastInfo]:
    return [
        _binfo(b)
        for b in s.scalars(
            select(Broadcast).where(Broadcast.status == "sending").order_by(Broadcast.id)
        )
    ]


def finish(s: Session, broadcast_id: int) -> bool:
    """Mark done; False when another process already did (so only one report is sent)."""
    result = s.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.status == "sending")
        .values(status="done", finished_at=utcnow())
    )
    return affected(result) == 1
