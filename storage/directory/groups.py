"""Group chats bound to agencies. Functions take a session and never commit."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.db import affected
from storage.models.agencies import GroupBinding
from storage.models.base import utcnow


@dataclass(frozen=True)
class BindingInfo:
    id: int
    channel: str
    chat_id: str
    title: str
    agency_id: str
    agency_name: str
    status: str
    requested_by: int | None
    decided_by: int | None
    inactive_reason: str | None
    updated_at: datetime


def _info(b: GroupBinding) -> BindingInfo:
    return BindingInfo(
        b.id,
        b.channel,
        b.chat_id,
        b.title,
        b.agency_id,
        b.agency_name,
        b.status,
        b.requested_by,
        b.decided_by,
        b.inactive_reason,
        b.updated_at,
    )


def request_binding(
    s: Session,
    channel: str,
    chat_id: str,
    title: str,
    agency_id: str,
    agency_name: str,
    by: int | None,
) -> BindingInfo:
    s.execute(
        update(GroupBinding)
        .where(
            GroupBinding.channel == channel,
            GroupBinding.chat_id == chat_id,
            GroupBinding.status == "pending",
        )
        .values(status="rejected", updated_at=utcnow())
    )
    b = GroupBinding(
        channel=channel,
        chat_id=chat_id,
        title=title[:300],
        agency_id=agency_id,
        agency_name=agency_name[:300],
        status="pending",
        requested_by=by,
    )
    s.add(b)
    s.flush()
    return _info(b)


def decide_binding(s: Session, binding_id: int, approve: bool, by: int) -> BindingInfo | None:
    """Approve (replacing the chat's previous binding) or reject; None when no longer pending."""
    b = s.get(GroupBinding, binding_id, with_for_update=True)
    if b is None or b.status != "pending":
        return None
    if approve:
        s.execute(
            update(GroupBinding)
            .where(
                GroupBinding.channel == b.channel,
                GroupBinding.chat_id == b.chat_id,
                GroupBinding.status == "active",
            )
            .values(status="inactive", inactive_reason="replaced", updated_at=utcnow())
        )
    b.status = "active" if approve else "rejected"
    b.decided_by = by
    s.flush()
    return _info(b)


def get_binding(s: Session, binding_id: int) -> BindingInfo | None:
    b = s.get(GroupBinding, binding_id)
    return _info(b) if b else None


def active_binding(s: Session, channel: str, chat_id: str) -> BindingInfo | None:
    b = s.scalars(
        select(GroupBinding)
        .where(
            GroupBinding.channel == channel,
            GroupBinding.chat_id == chat_id,
            GroupBinding.status == "active",
        )
        .order_by(GroupBinding.id.desc())
    ).first()
    return _info(b) if b else None


def deactivate(s: Session, channel: str, chat_id: str, reason: str) -> list[BindingInfo]:
    """The bot left or was removed from a chat: its bindings stop receiving messages."""
    rows = list(
        s.scalars(
            select(GroupBinding).where(
                GroupBinding.channel == channel,
                GroupBinding.chat_id == chat_id,
                GroupBinding.status.in_(("active", "pending")),
            )
        )
    )
    for b in rows:
        b.status = "inactive"
        b.inactive_reason = reason[:300]
    s.flush()
    return [_info(b) for b in rows]


def migrate_chat(s: Session, channel: str, old_chat_id: str, new_chat_id: str) -> int:
    """A group became a supergroup: follow it to its new id. Returns the number of bindings
    moved."""
    result = s.execute(
        update(GroupBinding)
        .where(GroupBinding.channel == channel, GroupBinding.chat_id == old_chat_id)
        .values(chat_id=new_chat_id, updated_at=utcnow())
    )
    return affected(result)


def active_for_agencies(s: Session, agency_ids: Iterable[str]) -> list[BindingInfo]:
    ids = list(agency_ids)
    if not ids:
        return []
    rows = s.scalars(
        select(GroupBinding)
        .where(GroupBinding.agency_id.in_(ids), GroupBinding.status == "active")
        .order_by(GroupBinding.agency_id, GroupBinding.chat_id)
    )
    return [_info(b) for b in rows]


def all_active(s: Session) -> list[BindingInfo]:
    return [
        _info(b)
        for b in s.scalars(
            select(GroupBinding).where(GroupBinding.status == "active").order_by(GroupBinding.id)
        )
    ]


def pending_bindings(s: Session) -> list[BindingInfo]:
    return [
        _info(b)
        for b in s.scalars(
            select(GroupBinding).where(GroupBinding.status == "pending").order_by(GroupBinding.id)
        )
    ]
