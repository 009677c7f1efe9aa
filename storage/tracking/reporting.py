"""What the consolidated report reads besides progress: reminders sent and acknowledged, per
deadline."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models.deadlines import Acknowledgement
from storage.models.delivery import Delivery


def reminders_sent(s: Session) -> dict[str, int]:
    """Deadline key -> reminder messages sent to group chats."""
    rows = s.execute(
        select(Delivery.deadline_key, func.count())
        .where(
            Delivery.kind == "reminder",
            Delivery.status == "sent",
            Delivery.deadline_key.is_not(None),
        )
        .group_by(Delivery.deadline_key)
    )
    return {
        key: n for key, n in rows if key is not None
    }  # none is None (the query's filter), for the type


def acknowledged(s: Session) -> dict[str, set[str]]:
    """Deadline key -> agencies with at least one member who pressed "Acknowledged"."""
    out: dict[str, set[str]] = {}
    for key, agency_id in s.execute(
        select(Acknowledgement.deadline_key, Acknowledgement.agency_id).distinct()
    ):
        out.setdefault(key, set()).add(agency_id)
    return out
