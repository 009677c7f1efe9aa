"""Dialog state of multi-step flows, and the ids of Telegram updates already processed."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import DialogState, ProcessedUpdate, utcnow

STATE_TTL = timedelta(hours=2)  # a flow left half-way is forgotten after this


def get_state(s: Session, chat_id: int, user_id: int) -> tuple[str, dict] | None:
    row = s.get(DialogState, (chat_id, user_id))
    if row is None:
        return None
    if row.updated_at < utcnow() - STATE_TTL:
        s.delete(row)
        s.flush()
        return None
    return row.flow, dict(row.data)


def set_state(s: Session, chat_id: int, user_id: int, flow: str, data: dict) -> None:
    row = s.get(DialogState, (chat_id, user_id))
    if row is None:
        s.add(DialogState(chat_id=chat_id, user_id=user_id, flow=flow, data=data))
    else:
        row.flow = flow
        row.data = data
        row.updated_at = utcnow()
    s.flush()


def clear_state(s: Session, chat_id: int, user_id: int) -> None:
    s.execute(delete(DialogState).where(DialogState.chat_id == chat_id, DialogState.user_id == user_id))


def migrate_chat(s: Session, old_chat_id: int, new_chat_id: int) -> None:
    for row in s.scalars(select(DialogState).where(DialogState.chat_id == old_chat_id)):
        row.chat_id = new_chat_id
    s.flush()


def first_time(s: Session, update_id: int) -> bool:
    """Record an update id; False when it was already processed (a redelivery)."""
    if s.get(ProcessedUpdate, update_id) is not None:
        return False
    try:
        with s.begin_nested():
            s.add(ProcessedUpdate(update_id=update_id))
            s.flush()
    except IntegrityError:
        return False
    return True


def prune_processed(s: Session, before: datetime) -> int:
    result = s.execute(delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < before))
    return int(result.rowcount or 0)
