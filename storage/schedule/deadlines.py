"""Deadlines added by the focal department, and acknowledgements of their reminders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models.base import utcnow
from storage.models.deadlines import Acknowledgement, CustomDeadline


@dataclass(frozen=True)
class DeadlineInfo:
    id: int
    title: str
    due_date: date
    audience: dict
    created_by: int | None
    created_at: datetime
    updated_at: datetime
    cancelled_at: datetime | None
    # a recurring deadline's rule (bot/core/recurrence.py reads it); None: a one-off deadline on
    # due_date
    repeat: str | None = None
    repeat_day: int | None = None
    repeat_month: int | None = None
    repeat_until: date | None = None

    @property
    def key(self) -> str:
        """The key of a one-off deadline; a recurring one's occurrences add "@<date>" to it."""
        return f"db:{self.id}"


def _info(d: CustomDeadline) -> DeadlineInfo:
    return DeadlineInfo(
        d.id,
        d.title,
        d.due_date,
        dict(d.audience),
        d.created_by,
        d.created_at,
        d.updated_at,
        d.cancelled_at,
        d.repeat,
        d.repeat_day,
        d.repeat_month,
        d.repeat_until,
    )


def add(
    s: Session,
    title: str,
    due_date: date,
    audience: dict,
    created_by: int | None,
    *,
    repeat: str | None = None,
    repeat_day: int | None = None,
    repeat_month: int | None = None,
    repeat_until: date | None = None,
) -> DeadlineInfo:
    """A one-off deadline on ``due_date``, or with ``repeat`` a recurring one starting then."""
    d = CustomDeadline(
        title=title[:500],
        due_date=due_date,
        audience=audience,
        created_by=created_by,
        repeat=repeat,
        repeat_day=repeat_day,
        repeat_month=repeat_month,
        repeat_until=repeat_until,
    )
    s.add(d)
    s.flush()
    return _info(d)


def get(s: Session, deadline_id: int) -> DeadlineInfo | None:
    d = s.get(CustomDeadline, deadline_id)
    return _info(d) if d else None


def edit(
    s: Session,
    deadline_id: int,
    *,
    title: str | None = None,
    due_date: date | None = None,
    audience: dict | None = None,
) -> DeadlineInfo | None:
    d = s.get(CustomDeadline, deadline_id)
    if d is None or d.cancelled_at is not None:
        return None
    if title is not None:
        d.title = title[:500]
    if due_date is not None:
        d.due_date = due_date
    if audience is not None:
        d.audience = audience
    d.updated_at = utcnow()
    s.flush()
    return _info(d)


def cancel(s: Session, deadline_id: int, at: datetime | None = None) -> DeadlineInfo | None:
    """``at``: the caller's clock (a recurring deadline's occurrences before it stay as
    history)."""
    d = s.get(CustomDeadline, deadline_id)
    if d is None or d.cancelled_at is not None:
        return None
    d.cancelled_at = at or utcnow()
    s.flush()
    return _info(d)


def active(s: Session) -> list[DeadlineInfo]:
    rows = s.scalars(
        select(CustomDeadline)
        .where(CustomDeadline.cancelled_at.is_(None))
        .order_by(CustomDeadline.due_date)
    )
    return [_info(d) for d in rows]


def cancelled_series(s: Session) -> list[DeadlineInfo]:
    """Recurring deadlines that were cancelled: their occurrences before the cancellation are
    history."""
    rows = s.scalars(
        select(CustomDeadline)
        .where(CustomDeadline.cancelled_at.is_not(None), CustomDeadline.repeat.is_not(None))
        .order_by(CustomDeadline.due_date)
    )
    return [_info(d) for d in rows]


def acknowledge(
    s: Session, deadline_key: str, agency_id: str, user_id: int, channel: str, chat_id: str
) -> bool:
    """True when this member had not acknowledged yet."""
    try:
        with s.begin_nested():
            s.add(
                Acknowledgement(
                    deadline_key=deadline_key,
                    agency_id=agency_id,
                    user_id=user_id,
                    channel=channel,
                    chat_id=chat_id,
                )
            )
            s.flush()
    except IntegrityError:
        return False
    return True


def acknowledged_agencies(s: Session, deadline_key: str) -> set[str]:
    return set(
        s.scalars(
            select(Acknowledgement.agency_id).where(Acknowledgement.deadline_key == deadline_key)
        )
    )
