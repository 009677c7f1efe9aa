"""The web console's records: one-time sign-in links, sessions, the audit log, and the old
database-kept session-signing key (read once to seed the key file, then deleted).

Functions take a session and never commit. A link's token and a session's id are never stored,
only their SHA-256.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from storage.db import affected
from storage.models.base import utcnow
from storage.models.web import WebAudit, WebSecret, WebSession, WebToken

LOGIN = "login"
DOWNLOAD = "download"
PHOTO = "photo"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class TokenUse:
    """Whose link was used; ``user_id`` None with ``server_admin`` for the person at the server."""

    user_id: int | None
    server_admin: bool
    payload: str | None = None


def issue_token(
    s: Session,
    *,
    purpose: str,
    user_id: int | None,
    server_admin: bool,
    ttl: timedelta,
    now: datetime | None = None,
    payload: str | None = None,
) -> str:
    """A new random token (returned once, in clear) valid for ``ttl``."""
    if (user_id is None) != server_admin:
        raise ValueError("a token is either for a user or for the server admin")
    token = secrets.token_urlsafe(32)
    now = now or utcnow()
    s.add(
        WebToken(
            token_hash=_hash(token),
            purpose=purpose,
            user_id=user_id,
            server_admin=server_admin,
            created_at=now,
            expires_at=now + ttl,
            payload=payload,
        )
    )
    s.flush()
    return token


def peek_token(s: Session, token: str, purpose: str, now: datetime | None = None) -> bool:
    """Whether a token would be accepted now (without using it)."""
    now = now or utcnow()
    row = s.scalars(
        select(WebToken).where(WebToken.token_hash == _hash(token), WebToken.purpose == purpose)
    ).first()
    return row is not None and row.used_at is None and row.expires_at > now


def token_payload(s: Session, token: str, purpose: str, now: datetime | None = None) -> str | None:
    """The payload of a token that is accepted now, without using it (a link that works until it
    expires, such as a chart the platform fetches more than once); None otherwise."""
    now = now or utcnow()
    row = s.scalars(
        select(WebToken).where(WebToken.token_hash == _hash(token), WebToken.purpose == purpose)
    ).first()
    return (
        row.payload if row is not None and row.used_at is None and row.expires_at > now else None
    )


def use_token(
    s: Session, token: str, purpose: str, now: datetime | None = None
) -> TokenUse | None:
    """Marks an unexpired, unused token used and says whose it was; None otherwise.

    One conditional UPDATE, so two requests racing with the same link cannot both sign in.
    """
    now = now or utcnow()
    digest = _hash(token)
    result = s.execute(
        update(WebToken)
        .where(
            WebToken.token_hash == digest,
            WebToken.purpose == purpose,
            WebToken.used_at.is_(None),
            WebToken.expires_at > now,
        )
        .values(used_at=now)
    )
    if affected(result) != 1:
        return None
    row = s.scalars(select(WebToken).where(WebToken.token_hash == digest)).one()
    return TokenUse(row.user_id, row.server_admin, row.payload)


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    user_id: int | None
    actor: str
    action: str
    target: str
    detail: str


def _entry(r: WebAudit) -> AuditEntry:
    return AuditEntry(r.id, r.at, r.user_id, r.actor, r.action, r.target, r.detail)


def audit(
    s: Session, *, user_id: int | None, actor: str, action: str, target: str = "", detail: str = ""
) -> AuditEntry:
    row = WebAudit(
        user_id=user_id, actor=actor[:200], action=action[:40], target=target[:200], detail=detail
    )
    s.add(row)
    s.flush()
    return _entry(row)


def audit_log(s: Session, limit: int = 100, offset: int = 0) -> list[AuditEntry]:
    rows = s.scalars(select(WebAudit).order_by(WebAudit.id.desc()).limit(limit).offset(offset))
    return [_entry(r) for r in rows]


def audit_count(s: Session) -> int:
    return int(s.scalar(select(func.count()).select_from(WebAudit)) or 0)


def take_legacy_secret(s: Session, name: str = "session") -> str | None:
    """The signing key an earlier version kept in the database, deleted as it is read (None if
    none)."""
    row = s.get(WebSecret, name)
    if row is None:
        return None
    value = row.value
    s.delete(row)
    s.flush()
    return value


def drop_legacy_secret(s: Session, name: str = "session") -> None:
    s.execute(delete(WebSecret).where(WebSecret.name == name))


# --- sessions ----------------------------------------------------------------------------------


def open_session(
    s: Session,
    *,
    user_id: int | None,
    server_admin: bool,
    ttl: timedelta,
    now: datetime | None = None,
) -> str:
    """A new session; returns its random id (in clear, once: it goes in the signed cookie).

    Sessions that ended more than a day ago are deleted on the way.
    """
    if (user_id is None) != server_admin:
        raise ValueError("a session is either a user's or the server admin's")
    now = now or utcnow()
    s.execute(delete(WebSession).where(WebSession.expires_at < now - timedelta(days=1)))
    sid = secrets.token_urlsafe(32)
    s.add(
        WebSession(
            sid_hash=_hash(sid),
            user_id=user_id,
            server_admin=server_admin,
            created_at=now,
            expires_at=now + ttl,
        )
    )
    s.flush()
    return sid


def session_alive(
    s: Session, sid: str, *, user_id: int | None, server_admin: bool, now: datetime | None = None
) -> bool:
    """Whether the session exists for this person, is not revoked and has not expired."""
    now = now or utcnow()
    row = s.scalars(select(WebSession).where(WebSession.sid_hash == _hash(sid))).first()
    return (
        row is not None
        and row.revoked_at is None
        and row.expires_at > now
        and row.user_id == user_id
        and row.server_admin == server_admin
    )


def revoke_session(s: Session, sid: str, now: datetime | None = None) -> bool:
    result = s.execute(
        update(WebSession)
        .where(WebSession.sid_hash == _hash(sid), WebSession.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
    )
    return affected(result) == 1


def revoke_sessions_of(
    s: Session, *, user_id: int | None, server_admin: bool, now: datetime | None = None
) -> int:
    """Ends every open session of a user (or of the server admin); returns how many."""
    now = now or utcnow()
    who = WebSession.server_admin.is_(True) if server_admin else WebSession.user_id == user_id
    result = s.execute(
        update(WebSession)
        .where(who, WebSession.revoked_at.is_(None), WebSession.expires_at > now)
        .values(revoked_at=now)
    )
    return affected(result)
