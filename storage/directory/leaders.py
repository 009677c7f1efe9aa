"""Responsible officials (cán bộ phụ trách) per agency and indicator, agency leaders (lãnh đạo đơn
vị), the settings the focal department keeps, and what the leaders' digest reads about returned
updates.

Functions take a session and never commit; they return plain objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from storage.db import affected
from storage.models.agencies import AgencyLeader, BotSetting, ResponsibleOfficial
from storage.models.base import utcnow
from storage.models.progress import ProgressReview, ProgressUpdate

REMOVED, REPLACED, LEFT = "removed", "replaced", "left"
LEADER_AFTER_DAYS = "leader_after_days"  # working days overdue before the leaders are told
DEFAULT_LEADER_AFTER_DAYS = 3
MAX_LEADER_AFTER_DAYS = 60


@dataclass(frozen=True)
class ResponsibleInfo:
    id: int
    agency_id: str
    agency_name: str
    plan_id: str
    indicator_code: str
    user_id: int
    named_by: int | None
    named_at: datetime
    ended_at: datetime | None
    end_reason: str | None


@dataclass(frozen=True)
class LeaderInfo:
    id: int
    agency_id: str
    agency_name: str
    user_id: int
    granted_by: int | None
    granted_at: datetime
    revoked_at: datetime | None


def _responsible(r: ResponsibleOfficial) -> ResponsibleInfo:
    return ResponsibleInfo(
        r.id,
        r.agency_id,
        r.agency_name,
        r.plan_id,
        r.indicator_code,
        r.user_id,
        r.named_by,
        r.named_at,
        r.ended_at,
        r.end_reason,
    )


def _leader(r: AgencyLeader) -> LeaderInfo:
    return LeaderInfo(
        r.id, r.agency_id, r.agency_name, r.user_id, r.granted_by, r.granted_at, r.revoked_at
    )


# --- responsible officials
# ------------------------------------------------------------------------


def _current(
    s: Session, agency_id: str, plan_id: str, code: str, lock: bool = False
) -> ResponsibleOfficial | None:
    q = (
        select(ResponsibleOfficial)
        .where(
            ResponsibleOfficial.agency_id == agency_id,
            ResponsibleOfficial.plan_id == plan_id,
            ResponsibleOfficial.indicator_code == code,
            ResponsibleOfficial.ended_at.is_(None),
        )
        .order_by(ResponsibleOfficial.id.desc())
    )
    if lock:
        q = q.with_for_update()
    return s.scalars(q).first()


def name_responsible(
    s: Session,
    *,
    agency_id: str,
    agency_name: str,
    plan_id: str,
    code: str,
    user_id: int,
    by: int | None,
    now: datetime,
) -> tuple[ResponsibleInfo, ResponsibleInfo | None, bool]:
    """Name ``user_id`` responsible for the agency's indicator: (the responsibility, the one it
    replaced, whether anything changed). Naming the one already responsible changes nothing.
    """
    before = _current(s, agency_id, plan_id, code, lock=True)
    if before is not None and before.user_id == user_id:
        return _responsible(before), None, False
    replaced = None
    if before is not None:
        before.ended_at, before.ended_by, before.end_reason = now, by, REPLACED
        replaced = _responsible(before)
    row = ResponsibleOfficial(
        agency_id=agency_id,
        agency_name=agency_name[:300],
        plan_id=plan_id,
        indicator_code=code,
        user_id=user_id,
        named_by=by,
        named_at=now,
    )
    s.add(row)
    s.flush()
    return _responsible(row), replaced, True


def remove_responsible(
    s: Session, responsible_id: int, by: int | None, now: datetime, reason: str = REMOVED
) -> ResponsibleInfo | None:
    """End one responsibility; None when it does not exist or has already ended (an old button)."""
    won = (
        affected(
            s.execute(
                update(ResponsibleOfficial)
                .where(
                    ResponsibleOfficial.id == responsible_id,
                    ResponsibleOfficial.ended_at.is_(None),
                )
                .values(ended_at=now, ended_by=by, end_reason=reason)
                .execution_options(synchronize_session=False)
            )
        )
        == 1
    )
    row = s.get(ResponsibleOfficial, responsible_id, populate_existing=True) if won else None
    return _responsible(row) if row is not None else None


def get_responsible(s: Session, responsible_id: int) -> ResponsibleInfo | None:
    r = s.get(ResponsibleOfficial, responsible_id)
    return _responsible(r) if r else None


def responsible_for(s: Session, agency_id: str, plan_id: str, code: str) -> ResponsibleInfo | None:
    r = _current(s, agency_id, plan_id, code)
    return _responsible(r) if r else None


def responsibles(
    s: Session, plan_id: str | None = None, agency_id: str | None = None
) -> list[ResponsibleInfo]:
    """Current responsibilities (of one plan, one agency), by agency and indicator."""
    q = select(ResponsibleOfficial).where(ResponsibleOfficial.ended_at.is_(None))
    if plan_id is not None:
        q = q.where(ResponsibleOfficial.plan_id == plan_id)
    if agency_id is not None:
        q = q.where(ResponsibleOfficial.agency_id == agency_id)
    return [
        _responsible(r)
        for r in s.scalars(q.order_by(ResponsibleOfficial.agency_id, ResponsibleOfficial.id))
    ]


# --- leaders
# ---------------------------------------------------------------------------------------


def grant_leader(
    s: Session, *, agency_id: str, agency_name: str, user_id: int, by: int | None, now: datetime
) -> tuple[LeaderInfo, bool]:
    """Make ``user_id`` a leader of the agency; (the role, whether it is new)."""
    row = s.scalars(
        select(AgencyLeader)
        .where(
            AgencyLeader.agency_id == agency_id,
            AgencyLeader.user_id == user_id,
            AgencyLeader.revoked_at.is_(None),
        )
        .with_for_update()
    ).first()
    if row is not None:
        return _leader(row), False
    row = AgencyLeader(
        agency_id=agency_id,
        agency_name=agency_name[:300],
        user_id=user_id,
        granted_by=by,
        granted_at=now,
    )
    s.add(row)
    s.flush()
    return _leader(row), True


def revoke_leader(s: Session, leader_id: int, by: int | None, now: datetime) -> LeaderInfo | None:
    """Revoke one leader role; None when it does not exist or was already revoked."""
    won = (
        affected(
            s.execute(
                update(AgencyLeader)
                .where(AgencyLeader.id == leader_id, AgencyLeader.revoked_at.is_(None))
                .values(revoked_at=now, revoked_by=by)
                .execution_options(synchronize_session=False)
            )
        )
        == 1
    )
    row = s.get(AgencyLeader, leader_id, populate_existing=True) if won else None
    return _leader(row) if row is not None else None


def get_leader(s: Session, leader_id: int) -> LeaderInfo | None:
    r = s.get(AgencyLeader, leader_id)
    return _leader(r) if r else None


def leaders(
    s: Session, agency_id: str | None = None, user_id: int | None = None
) -> list[LeaderInfo]:
    """Leader roles in force (of one agency, of one person), oldest first."""
    q = select(AgencyLeader).where(AgencyLeader.revoked_at.is_(None))
    if agency_id is not None:
        q = q.where(AgencyLeader.agency_id == agency_id)
    if user_id is not None:
        q = q.where(AgencyLeader.user_id == user_id)
    return [_leader(r) for r in s.scalars(q.order_by(AgencyLeader.id))]


def revoke_leader_roles_of(s: Session, user_id: int, now: datetime) -> int:
    """Every leader role of a person ends (their data is erased). Their responsibilities end at
    the next tick, which tells the focal department
    (bot.delivery.leader_digest.plan_departures)."""
    return affected(
        s.execute(
            update(AgencyLeader)
            .where(AgencyLeader.user_id == user_id, AgencyLeader.revoked_at.is_(None))
            .values(revoked_at=now)
        )
    )


def merge(s: Session, keep: int, gone: int) -> None:
    """Two user rows are one person: the roles and responsibilities of ``gone`` move to ``keep``
    (a role both held ends on ``gone``'s side: one person leads an agency once)."""
    kept = {r.agency_id for r in leaders(s, user_id=keep)}
    s.execute(
        update(AgencyLeader)
        .where(
            AgencyLeader.user_id == gone,
            AgencyLeader.revoked_at.is_(None),
            AgencyLeader.agency_id.in_(kept),
        )
        .values(revoked_at=utcnow())
    )
    for model in (AgencyLeader, ResponsibleOfficial):
        s.execute(update(model).where(model.user_id == gone).values(user_id=keep))


# --- settings of the focal department -----------------------------------------------------------


def get_setting(s: Session, name: str) -> str | None:
    row = s.get(BotSetting, name)
    return row.value if row else None


def set_setting(s: Session, name: str, value: str, by: int | None, now: datetime) -> None:
    row = s.get(BotSetting, name, with_for_update=True)
    if row is None:
        s.add(BotSetting(name=name, value=value[:200], updated_by=by, updated_at=now))
    else:
        row.value, row.updated_by, row.updated_at = value[:200], by, now
    s.flush()


def leader_after_days(s: Session) -> int:
    """After how many working days overdue an agency's leaders are told (the focal department's
    choice)."""
    raw = get_setting(s, LEADER_AFTER_DAYS)
    return int(raw) if raw is not None and raw.isdigit() else DEFAULT_LEADER_AFTER_DAYS


# --- what the leaders' digest reads -------------------------------------------------------------


def returns_by_pair(s: Session, plan_id: str, agency_ids: list[str]) -> dict[tuple[str, str], int]:
    """How many times each (agency, indicator) of these agencies had an update returned
    (withdrawn ones included: a return stands even if the update was later withdrawn)."""
    if not agency_ids:
        return {}
    P, R = ProgressUpdate, ProgressReview
    rows = s.execute(
        select(P.agency_id, P.indicator_code, func.count(R.id))
        .join(R, R.update_id == P.id)
        .where(P.plan_id == plan_id, P.agency_id.in_(agency_ids), R.state == "returned")
        .group_by(P.agency_id, P.indicator_code)
    )
    return {(a, c): int(n) for a, c, n in rows}
