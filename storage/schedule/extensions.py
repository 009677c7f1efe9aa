"""Extension requests (gia hạn): an agency asks to move one deadline (or one occurrence) for
itself, and the focal department approves or refuses with a reason. Every request is kept with both
dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models.base import utcnow
from storage.models.deadlines import DeadlineExtension

PENDING, APPROVED, REFUSED = "pending", "approved", "refused"


@dataclass(frozen=True)
class ExtensionInfo:
    id: int
    deadline_key: str
    title: str
    agency_id: str
    agency_name: str
    old_date: date
    new_date: date
    reason: str
    requested_by: int
    requested_at: datetime
    status: str
    decided_by: int | None
    decided_at: datetime | None
    decision_reason: str | None


def _info(x: DeadlineExtension) -> ExtensionInfo:
    return ExtensionInfo(
        x.id,
        x.deadline_key,
        x.title,
        x.agency_id,
        x.agency_name,
        x.old_date,
        x.new_date,
        x.reason,
        x.requested_by,
        x.requested_at,
        x.status,
        x.decided_by,
        x.decided_at,
        x.decision_reason,
    )


def request(
    s: Session,
    *,
    deadline_key: str,
    title: str,
    agency_id: str,
    agency_name: str,
    old_date: date,
    new_date: date,
    reason: str,
    requested_by: int,
    at: datetime | None = None,
) -> ExtensionInfo:
    x = DeadlineExtension(
        deadline_key=deadline_key,
        title=title[:500],
        agency_id=agency_id,
        agency_name=agency_name[:300],
        old_date=old_date,
        new_date=new_date,
        reason=reason,
        requested_by=requested_by,
        status=PENDING,
        requested_at=at or utcnow(),
    )
    s.add(x)
    s.flush()
    return _info(x)


def get(s: Session, extension_id: int) -> ExtensionInfo | None:
    x = s.get(DeadlineExtension, extension_id)
    return _info(x) if x else None


def pending_for(s: Session, deadline_key: str, agency_id: str) -> ExtensionInfo | None:
    x = s.scalars(
        select(DeadlineExtension).where(
            DeadlineExtension.deadline_key == deadline_key,
            DeadlineExtension.agency_id == agency_id,
            DeadlineExtension.status == PENDING,
        )
    ).first()
    return _info(x) if x else None


def pending(s: Session) -> list[ExtensionInfo]:
    rows = s.scalars(
        select(DeadlineExtension)
        .where(DeadlineExtension.status == PENDING)
        .order_by(DeadlineExtension.id)
    )
    return [_info(x) for x in rows]


def decide(
    s: Session,
    extension_id: int,
    approve: bool,
    by: int | None,
    reason: str | None,
    at: datetime | None = None,
) -> ExtensionInfo | None:
    """Approve or refuse a pending request (``at``: the caller's clock); None when there is no
    pending request with that id."""
    x = s.get(DeadlineExtension, extension_id, with_for_update=True)
    if x is None or x.status != PENDING:
        return None
    x.status = APPROVED if approve else REFUSED
    x.decided_by, x.decided_at, x.decision_reason = by, at or utcnow(), reason
    s.flush()
    return _info(x)


def approved(s: Session) -> dict[tuple[str, str], ExtensionInfo]:
    """The date in force per (deadline key, agency): the latest approved extension (each one starts
    from the date the one before it gave, so the latest is the furthest)."""
    out: dict[tuple[str, str], ExtensionInfo] = {}
    for x in s.scalars(
        select(DeadlineExtension)
        .where(DeadlineExtension.status == APPROVED)
        .order_by(DeadlineExtension.decided_at, DeadlineExtension.id)
    ):
        out[(x.deadline_key, x.agency_id)] = _info(x)
    return out


def history(s: Session, deadline_key: str | None = None) -> list[ExtensionInfo]:
    """Every request (for one deadline key, or its occurrences "<key>@…", or all), oldest first."""
    q = select(DeadlineExtension).order_by(DeadlineExtension.id)
    if deadline_key is not None:
        q = q.where(
            (DeadlineExtension.deadline_key == deadline_key)
            | DeadlineExtension.deadline_key.startswith(f"{deadline_key}@", autoescape=True)
        )
    return [_info(x) for x in s.scalars(q)]
