"""The web console's records: one-time sign-in links, the audit log and the session-signing key.

Functions take a session and never commit. A link's token is never stored, only its SHA-256.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import WebAudit, WebSecret, WebToken, utcnow

LOGIN = "login"
DOWNLOAD = "download"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class TokenUse:
    """Whose link was used; ``user_id`` None with ``server_admin`` for the person at the server."""

    user_id: int | None
    server_admin: bool
    payload: str | None = None


def issue_token(s: Session, *, purpose: str, user_id: int | None, server_admin: bool, ttl: timedelta,
                now: datetime | None = None, payload: str | None = None) -> str:
    """A new random token (returned once, in clear) valid for ``ttl``."""
    if (user_id is None) != server_admin:
        raise ValueError("a token is either for a user or for the server admin")
    token = secrets.token_urlsafe(32)
    now = now or utcnow()
    s.add(WebToken(token_hash=_hash(token), purpose=purpose, user_id=user_id, server_admin=server_admin,
                   created_at=now, expires_at=now + ttl, payload=payload))
    s.flush()
    return token


def peek_token(s: Session, token: str, purpose: str, now: datetime | None = None) -> bool:
    """Whether a token would be accepted now (without using it)."""
    now = now or utcnow()
    row = s.scalars(select(WebToken).where(WebToken.token_hash == _hash(token), WebToken.purpose == purpose)).first()
    return row is not None and row.used_at is None and row.expires_at > now


def use_token(s: Session, token: str, purpose: str, now: datetime | None = None) -> TokenUse | None:
    """Marks an unexpired, unused token used and says whose it was; None otherwise.

    One conditional UPDATE, so two requests racing with the same link cannot both sign in.
    """
    now = now or utcnow()
    digest = _hash(token)
    result = s.execute(update(WebToken)
                       .where(WebToken.token_hash == digest, WebToken.purpose == purpose,
                              WebToken.used_at.is_(None), WebToken.expires_at > now)
                       .values(used_at=now))
    if result.rowcount != 1:
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


def audit(s: Session, *, user_id: int | None, actor: str, action: str, target: str = "", detail: str = "") -> AuditEntry:
    row = WebAudit(user_id=user_id, actor=actor[:200], action=action[:40], target=target[:200], detail=detail)
    s.add(row)
    s.flush()
    return _entry(row)


def audit_log(s: Session, limit: int = 100, offset: int = 0) -> list[AuditEntry]:
    rows = s.scalars(select(WebAudit).order_by(WebAudit.id.desc()).limit(limit).offset(offset))
    return [_entry(r) for r in rows]


def audit_count(s: Session) -> int:
    return int(s.scalar(select(func.count()).select_from(WebAudit)) or 0)


def secret(s: Session, name: str = "session") -> str:
    """The named signing key, made on first use; two processes starting together agree on one."""
    row = s.get(WebSecret, name)
    if row is not None:
        return row.value
    try:
        with s.begin_nested():
            s.add(WebSecret(name=name, value=secrets.token_urlsafe(48)))
            s.flush()
    except IntegrityError:
        pass
    return s.get(WebSecret, name, populate_existing=True).value
