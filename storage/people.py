"""Users and their agency memberships. Functions take a session and never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.models import Membership, User, utcnow

ROLES = ("user", "focal", "admin")


@dataclass(frozen=True)
class UserInfo:
    telegram_id: int
    first_name: str
    username: str | None
    language: str | None
    telegram_language: str | None
    role: str


@dataclass(frozen=True)
class MembershipInfo:
    id: int
    user_id: int
    agency_id: str
    agency_name: str
    status: str
    requested_at: datetime
    decided_at: datetime | None
    decided_by: int | None


def _user(u: User) -> UserInfo:
    return UserInfo(u.telegram_id, u.first_name, u.username, u.language, u.telegram_language, u.role)


def _membership(m: Membership) -> MembershipInfo:
    return MembershipInfo(m.id, m.user_id, m.agency_id, m.agency_name, m.status, m.requested_at, m.decided_at, m.decided_by)


def upsert_user(s: Session, telegram_id: int, first_name: str = "", username: str | None = None,
                telegram_language: str | None = None) -> UserInfo:
    u = s.get(User, telegram_id)
    if u is None:
        u = User(telegram_id=telegram_id, first_name=first_name[:200], username=username, telegram_language=telegram_language,
                 role="user")
        s.add(u)
    else:
        if first_name and u.first_name != first_name[:200]:
            u.first_name = first_name[:200]
        if username != u.username and username is not None:
            u.username = username
        if telegram_language and telegram_language != u.telegram_language:
            u.telegram_language = telegram_language
    s.flush()
    return _user(u)


def get_user(s: Session, telegram_id: int) -> UserInfo | None:
    u = s.get(User, telegram_id)
    return _user(u) if u else None


def set_language(s: Session, telegram_id: int, language: str) -> None:
    u = s.get(User, telegram_id) or User(telegram_id=telegram_id, first_name="", role="user")
    u.language = language
    s.add(u)
    s.flush()


def set_role(s: Session, telegram_id: int, role: str) -> UserInfo:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    u = s.get(User, telegram_id) or User(telegram_id=telegram_id, first_name="", role="user")
    u.role = role
    s.add(u)
    s.flush()
    return _user(u)


def users_with_role(s: Session, role: str) -> list[UserInfo]:
    return [_user(u) for u in s.scalars(select(User).where(User.role == role).order_by(User.telegram_id))]


def request_membership(s: Session, user_id: int, agency_id: str, agency_name: str) -> MembershipInfo:
    """A new pending request; an earlier pending request of the same user is withdrawn."""
    s.execute(update(Membership).where(Membership.user_id == user_id, Membership.status == "pending")
              .values(status="revoked", decided_at=utcnow()))
    m = Membership(user_id=user_id, agency_id=agency_id, agency_name=agency_name[:300], status="pending")
    s.add(m)
    s.flush()
    return _membership(m)


def decide_membership(s: Session, membership_id: int, approve: bool, by: int) -> MembershipInfo | None:
    """Approve or reject a pending request; None when it is no longer pending (an old button)."""
    m = s.get(Membership, membership_id, with_for_update=True)
    if m is None or m.status != "pending":
        return None
    if approve:
        s.execute(update(Membership).where(Membership.user_id == m.user_id, Membership.status == "approved")
                  .values(status="revoked", decided_at=utcnow(), decided_by=by))
    m.status = "approved" if approve else "rejected"
    m.decided_at = utcnow()
    m.decided_by = by
    s.flush()
    return _membership(m)


def _latest(s: Session, user_id: int, status: str) -> MembershipInfo | None:
    m = s.scalars(select(Membership).where(Membership.user_id == user_id, Membership.status == status)
                  .order_by(Membership.id.desc())).first()
    return _membership(m) if m else None


def active_membership(s: Session, user_id: int) -> MembershipInfo | None:
    return _latest(s, user_id, "approved")


def pending_membership(s: Session, user_id: int) -> MembershipInfo | None:
    return _latest(s, user_id, "pending")


def members_of(s: Session, agency_id: str) -> list[MembershipInfo]:
    rows = s.scalars(select(Membership).where(Membership.agency_id == agency_id, Membership.status == "approved")
                     .order_by(Membership.id))
    return [_membership(m) for m in rows]


def pending_requests(s: Session) -> list[MembershipInfo]:
    return [_membership(m) for m in s.scalars(select(Membership).where(Membership.status == "pending").order_by(Membership.id))]
