"""Who is signed in to the web console, and what they may do.

Every "who is this user, what role and agency" lookup goes through :func:`principal`, so the one
place to change when the identity model changes is here. Sign-in is by one-time links (no
passwords); a session is a row on the server (revoked by signing out, or signing out everywhere)
named by a signed cookie with an expiry, which also carries the CSRF token.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from itsdangerous import BadSignature, URLSafeTimedSerializer

from bot.app.i18n import N_
from bot.app.links import login_link
from bot.core.access import FOCAL_AGENCY_ID, agency_from_record, user_is_admin, user_is_focal
from storage.directory import leaders, people

if TYPE_CHECKING:
    from bot.app.services import Services

ADMIN, FOCAL, MEMBER, NONE = "admin", "focal", "member", "none"
EVERYONE = (ADMIN, FOCAL, MEMBER)
STAFF = (ADMIN, FOCAL)  # see and change everything
LINK_TTL = timedelta(minutes=15)
SESSION_SECONDS = 8 * 3600
SESSION_COOKIE = "pgi_session"
SERVER_ADMIN_NAME = N_("server admin")  # kept in English in the audit log, shown translated


@dataclass(frozen=True)
class Principal:
    """The signed-in person. ``user_id`` None is the server admin (the person at the server's
    terminal)."""

    user_id: int | None
    name: str
    role: str  # admin | focal | member | none
    agency_id: str | None = None
    agency_name: str | None = None
    led: tuple[str, ...] = ()  # the agencies this person leads (lãnh đạo đơn vị)

    @property
    def label(self) -> str:
        """How the audit log names this person."""
        return self.name if self.user_id is None else f"{self.name} (#{self.user_id})"


def principal(services: Services, user_id: int | None) -> Principal:
    """Role and agency of a user (None: the server admin), from the same rules as the chat."""
    if user_id is None:
        return Principal(None, SERVER_ADMIN_NAME, ADMIN)
    settings = services.settings
    with services.db.session() as s:
        user = people.get_user(s, user_id)
        membership = people.active_membership(s, user_id)
        admin = user_is_admin(s, settings, user_id)
        focal = user_is_focal(s, settings, user_id)
        roles = leaders.leaders(s, user_id=user_id)
    active = services.knowledge.current
    name = (user.name if user else "") or f"#{user_id}"
    agency = (
        agency_from_record(active, membership.agency_id, membership.agency_name)
        if membership
        else None
    )
    led_agencies = [
        a
        for a in (agency_from_record(active, r.agency_id, r.agency_name) for r in roles)
        if a is not None
    ]
    led = tuple(a.id for a in led_agencies)
    agency_id, agency_name = (agency.id, agency.name) if agency else (None, None)
    if admin:
        return Principal(user_id, name, ADMIN, agency_id, agency_name, led)
    if focal:
        return Principal(user_id, name, FOCAL, agency_id or FOCAL_AGENCY_ID, agency_name, led)
    if agency is not None:
        return Principal(user_id, name, MEMBER, agency_id, agency_name, led)
    if led_agencies:  # a leader who is no member sees the agency they lead as its members do
        return Principal(user_id, name, MEMBER, led_agencies[0].id, led_agencies[0].name, led)
    return Principal(user_id, name, NONE)


def make_login_link(services: Services, user_id: int) -> str:
    """A sign-in link for a user, valid for 15 minutes and usable once (what `/web` sends in a
    private chat)."""
    with services.db.session() as s:
        return login_link(s, services.settings, user_id, services.conversation.now())


def make_server_admin_link(services: Services) -> str:
    """A sign-in link for the person at the server's terminal (`python -m bot web-link`), as an
    admin."""
    with services.db.session() as s:
        return login_link(s, services.settings, None, services.conversation.now())


class Sessions:
    """Signed, expiring session cookies: ``{"u": user id or None, "sa": server admin, "s": the
    session's id on the server, "c": CSRF token}``. ``keys`` gives the signing keys, oldest first
    (the last signs, every one verifies), read at each use so a rotation is seen at once."""

    def __init__(self, keys: str | Callable[[], list[str]], max_age: int = SESSION_SECONDS):
        self._keys: Callable[[], list[str]] = (lambda: [keys]) if isinstance(keys, str) else keys
        self.max_age = max_age

    def _serializer(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self._keys(), salt="pgi-web-session")

    def dump(
        self, user_id: int | None, server_admin: bool, sid: str
    ) -> tuple[str, dict[str, Any]]:
        data = {"u": user_id, "sa": server_admin, "s": sid, "c": secrets.token_urlsafe(24)}
        return self._serializer().dumps(data), data

    def load(self, cookie: str | None) -> dict[str, Any] | None:
        if not cookie or len(cookie) > 1000:
            return None
        try:
            data = self._serializer().loads(cookie, max_age=self.max_age)
        except BadSignature:  # also SignatureExpired
            return None
        if not isinstance(data, dict) or "c" not in data or not isinstance(data.get("s"), str):
            return None
        if (data.get("u") is None) != bool(data.get("sa")):
            return None
        return data


def same_token(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))
