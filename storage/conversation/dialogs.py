"""Per-chat conversation state: flows in progress, the choices last offered, and updates already
processed. Functions take a session and never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.db import affected
from storage.models.base import utcnow
from storage.models.conversation import DialogState, OpenChoices, ProcessedUpdate

STATE_TTL = timedelta(hours=2)  # a flow left half-way is forgotten after this
CHOICES_TTL = timedelta(hours=2)  # so are choices nobody picked


def get_state(s: Session, channel: str, chat_id: str, user_id: int) -> tuple[str, dict] | None:
    row = s.get(DialogState, (channel, chat_id, user_id))
    if row is None:
        return None
    if row.updated_at < utcnow() - STATE_TTL:
        s.delete(row)
        s.flush()
        return None
    return row.flow, dict(row.data)


def set_state(s: Session, channel: str, chat_id: str, user_id: int, flow: str, data: dict) -> None:
    row = s.get(DialogState, (channel, chat_id, user_id))
    if row is None:
        s.add(DialogState(channel=channel, chat_id=chat_id, user_id=user_id, flow=flow, data=data))
    else:
        row.flow = flow
        row.data = data
        row.updated_at = utcnow()
    s.flush()


def clear_state(s: Session, channel: str, chat_id: str, user_id: int) -> None:
    s.execute(
        delete(DialogState).where(
            DialogState.channel == channel,
            DialogState.chat_id == chat_id,
            DialogState.user_id == user_id,
        )
    )


def migrate_chat(s: Session, channel: str, old_chat_id: str, new_chat_id: str) -> None:
    for model in (DialogState, OpenChoices):
        s.execute(
            update(model)
            .where(model.channel == channel, model.chat_id == old_chat_id)
            .values(chat_id=new_chat_id)
        )
    s.flush()


def lock_chat(s: Session, channel: str, chat_id: str) -> None:
    """On PostgreSQL, one chat's updates are handled one after the other, even by several processes
    (a transaction-scoped advisory lock; SQLite already lets one writer in at a time)."""
    if s.get_bind().dialect.name == "postgresql":
        s.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"{channel}:{chat_id}"}
        )


# --- numbered choices ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenChoiceList:
    items: list[dict]  # [{"label": ..., "data": ...}]
    extra: dict
    created_at: datetime


def set_choices(
    s: Session,
    channel: str,
    chat_id: str,
    user_id: int,
    items: list[dict],
    extra: dict | None = None,
) -> None:
    row = s.get(OpenChoices, (channel, chat_id, user_id))
    if row is None:
        s.add(
            OpenChoices(
                channel=channel, chat_id=chat_id, user_id=user_id, items=items, extra=extra or {}
            )
        )
    else:
        row.items, row.extra, row.created_at = items, extra or {}, utcnow()
    s.flush()


def get_choices(s: Session, channel: str, chat_id: str, user_id: int) -> OpenChoiceList | None:
    row = s.get(OpenChoices, (channel, chat_id, user_id))
    if row is None:
        return None
    if row.created_at < utcnow() - CHOICES_TTL:
        s.delete(row)
        s.flush()
        return None
    return OpenChoiceList(list(row.items), dict(row.extra), row.created_at)


def clear_choices(s: Session, channel: str, chat_id: str, user_id: int) -> None:
    s.execute(
        delete(OpenChoices).where(
            OpenChoices.channel == channel,
            OpenChoices.chat_id == chat_id,
            OpenChoices.user_id == user_id,
        )
    )


# --- processed updates
# ----------------------------------------------------------------------------


def first_time(s: Session, channel: str, bot_id: str, update_id: str) -> bool:
    """Record an update in the caller's transaction; False when it was already processed (a
    redelivery).

    On PostgreSQL a second process handling the same update at the same moment waits for the first
    one's transaction, then finds the row: the update is handled once.
    """
    if s.get(ProcessedUpdate, (channel, bot_id, update_id)) is not None:
        return False
    try:
        with s.begin_nested():
            s.add(ProcessedUpdate(channel=channel, bot_id=bot_id, update_id=update_id))
            s.flush()
    except IntegrityError:
        return False
    return True


def prune_processed(s: Session, before: datetime) -> int:
    result = s.execute(delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < before))
    return affected(result)
