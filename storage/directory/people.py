"""Users, their identities on each channel, and their agency memberships (linking two channels
of one person: :mod:`storage.directory.linking`).

Functions take a session and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models.agencies import Membership
from storage.models.base import utcnow
from storage.models.people import Identity, User

ROLES = ("user", "focal", "admin")


@dataclass(frozen=True)
class UserInfo:
    id: int
    name: str
    language: str | None
    app_language: str | None
    role: str
    new: bool = (
        False  # created by this call of identify(): the person's first contact with the bot
    )


@dataclass(frozen=True)
class IdentityInfo:
    channel: str
    external_id: str
    user_id: int
    username: str | None
    display_name: str
    reachable: bool
    last_seen_at: datetime
    private_chat: str  # where a message to the person goes on this channel: see private_chat()


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
    return UserInfo(u.id, u.name, u.language, u.app_language, u.role)


def private_chat(channel: str, external_id: str) -> str:
    """The id of a person's private chat with the bot, from their identity on ``channel``.

    On every channel so far it is the identity's own id: Telegram and Zalo give a private chat the
    id of its user, and an e-mail address is both. A channel where the two differ (Matrix: a
    direct room per person) needs a column on ``identities``; this function and
    :func:`_identity_of_chat` are the only places that know the rule.
    """
    return external_id


def _identity_of_chat(channel: str, chat_id: str) -> tuple[ColumnElement[bool], ...]:
    """The identity whose private chat is ``chat_id`` (see :func:`private_chat`)."""
    return (Identity.channel == channel, Identity.external_id == chat_id)


def _identity(i: Identity) -> IdentityInfo:
    return IdentityInfo(
        i.channel,
        i.external_id,
        i.user_id,
        i.username,
        i.display_name,
        i.reachable,
        i.last_seen_at,
        private_chat(i.channel, i.external_id),
    )


def _membership(m: Membership) -> MembershipInfo:
    return MembershipInfo(
        m.id,
        m.user_id,
        m.agency_id,
        m.agency_name,
        m.status,
        m.requested_at,
        m.decided_at,
        m.decided_by,
    )


# --- users and identities
# -------------------------------------------------------------------------


def identify(
    s: Session,
    channel: str,
    external_id: str,
    display_name: str = "",
    username: str | None = None,
    app_language: str | None = None,
) -> UserInfo:
    """The user behind a channel identity, created on first contact; names and language kept
    current."""
    ident = s.scalars(
        select(Identity).where(Identity.channel == channel, Identity.external_id == external_id)
    ).first()
    if ident is None:
        user = User(name=display_name[:200], app_language=app_language, role="user")
        s.add(user)
        s.flush()
        try:
            with s.begin_nested():
                s.add(
                    Identity(
                        channel=channel,
                        external_id=external_id,
                        user_id=user.id,
                        username=username,
                        display_name=display_name[:200],
                        reachable=True,
                    )
                )
                s.flush()
        except IntegrityError:  # the same person's first two messages, handled at once
            s.delete(user)
            s.flush()
            return identify(s, channel, external_id, display_name, username, app_language)
        return replace(_user(user), new=True)
    user = s.get_one(User, ident.user_id)  # the identity's foreign key: the user exists
    ident.last_seen_at = utcnow()
    ident.reachable = True  # they wrote to the bot: it can write back
    if display_name and ident.display_name != display_name[:200]:
        ident.display_name = display_name[:200]
    if username is not None and ident.username != username:
        ident.username = username
    if display_name and user.name != display_name[:200]:
        user.name = display_name[:200]
    if app_language and user.app_language != app_language:
        user.app_language = app_language
    s.flush()
    return _user(user)


def find_identity(s: Session, channel: str, external_id: str) -> UserInfo | None:
    ident = s.scalars(
        select(Identity).where(Identity.channel == channel, Identity.external_id == external_id)
    ).first()
    return _user(s.get_one(User, ident.user_id)) if ident else None


def ensure_identity(s: Session, channel: str, external_id: str) -> UserInfo:
    """The user of an identity known only by its id (a configured admin who has not written
    yet)."""
    return find_identity(s, channel, external_id) or identify(s, channel, external_id)


def identities_of(s: Session, user_id: int) -> list[IdentityInfo]:
    rows = s.scalars(
        select(Identity)
        .where(Identity.user_id == user_id)
        .order_by(Identity.last_seen_at.desc(), Identity.id)
    )
    return [_identity(i) for i in rows]


EMAIL = (  # the channel of a person's e-mail address (an identity that never writes to the bot)
    "email"
)
LAST_RESORT = (EMAIL,)  # channels used only when no chat of the person is reachable


def reachable_identities(
    s: Session, user_id: int, channels: tuple[str, ...] | None = None
) -> list[IdentityInfo]:
    """Every way to write to a person, best first: their reachable chat identities on the enabled
    ``channels`` (None: any), the one they used last first, then their e-mail address.

    The one answer to "where does a message for this person go" (reminders, notices, digests to a
    leader): the first is where one message goes; the rest are where to try next.
    """
    found = [
        i
        for i in identities_of(s, user_id)
        if i.reachable and (channels is None or i.channel in channels)
    ]
    return sorted(
        found, key=lambda i: i.channel in LAST_RESORT
    )  # stable: last seen first within each kind


def preferred_identity(
    s: Session, user_id: int, channels: tuple[str, ...] | None = None
) -> IdentityInfo | None:
    """Where to write to a person: the first of :func:`reachable_identities` (a chat before
    e-mail)."""
    found = reachable_identities(s, user_id, channels)
    return found[0] if found else None


def email_of(s: Session, user_id: int) -> str | None:
    """A person's e-mail address, reachable or not (None when they gave none)."""
    ident = s.scalars(
        select(Identity).where(Identity.user_id == user_id, Identity.channel == EMAIL)
    ).first()
    return ident.external_id if ident else None


def set_email(s: Session, user_id: int, address: str | None) -> str:
    """Give a person an e-mail address (validated by the caller), or remove it with None.

    "set", "same", "removed", "none" (nothing to remove) or "taken" (another person's address).
    """
    mine = s.scalars(
        select(Identity).where(Identity.user_id == user_id, Identity.channel == EMAIL)
    ).first()
    if address is None:
        if mine is None:
            return "none"
        s.delete(mine)
        s.flush()
        return "removed"
    owner = s.scalars(
        select(Identity).where(Identity.channel == EMAIL, Identity.external_id == address)
    ).first()
    if owner is not None and owner.user_id != user_id:
        return "taken"
    if mine is not None and mine.external_id == address:
        if not mine.reachable:  # given again after a refusal: tried again
            mine.reachable = True
            s.flush()
            return "set"
        return "same"
    if mine is not None:
        s.delete(mine)
        s.flush()
    user = s.get(User, user_id)
    # seen long ago: among a person's identities, ordered by last use, it never comes before a chat
    s.add(
        Identity(
            channel=EMAIL,
            external_id=address,
            user_id=user_id,
            display_name=(user.name if user else "")[:200],
            reachable=True,
            last_seen_at=datetime(1970, 1, 1, tzinfo=UTC),
        )
    )
    s.flush()
    return "set"


def set_reachable(s: Session, channel: str, chat_id: str, reachable: bool) -> None:
    """Whether the person whose private chat is ``chat_id`` can be written to there."""
    s.execute(
        update(Identity).where(*_identity_of_chat(channel, chat_id)).values(reachable=reachable)
    )


def get_user(s: Session, user_id: int) -> UserInfo | None:
    u = s.get(User, user_id)
    return _user(u) if u else None


def display_name(s: Session, user_id: int | None) -> str:
    u = s.get(User, user_id) if user_id is not None else None
    return (u.name or f"#{u.id}") if u else ""


def set_language(s: Session, user_id: int, language: str) -> None:
    u = s.get(User, user_id)
    if u is not None:
        u.language = language
        s.flush()


def set_role(s: Session, user_id: int, role: str) -> UserInfo | None:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    u = s.get(User, user_id)
    if u is None:
        return None
    u.role = role
    s.flush()
    return _user(u)


def users_with_role(s: Session, role: str) -> list[UserInfo]:
    return [_user(u) for u in s.scalars(select(User).where(User.role == role).order_by(User.id))]


# --- memberships
# ------------------------------------------------------------------------------------


def request_membership(
    s: Session, user_id: int, agency_id: str, agency_name: str
) -> MembershipInfo:
    """A new pending request; an earlier pending request of the same user is withdrawn."""
    s.execute(
        update(Membership)
        .where(Membership.user_id == user_id, Membership.status == "pending")
        .values(status="revoked", decided_at=utcnow())
    )
    m = Membership(
        user_id=user_id, agency_id=agency_id, agency_name=agency_name[:300], status="pending"
    )
    s.add(m)
    s.flush()
    return _membership(m)


def decide_membership(
    s: Session, membership_id: int, approve: bool, by: int
) -> MembershipInfo | None:
    """Approve or reject a pending request; None when it is no longer pending (an old button)."""
    m = s.get(Membership, membership_id, with_for_update=True)
    if m is None or m.status != "pending":
        return None
    if approve:
        s.execute(
            update(Membership)
            .where(Membership.user_id == m.user_id, Membership.status == "approved")
            .values(status="revoked", decided_at=utcnow(), decided_by=by)
        )
    m.status = "approved" if approve else "rejected"
    m.decided_at = utcnow()
    m.decided_by = by
    s.flush()
    return _membership(m)


def get_membership(s: Session, membership_id: int) -> MembershipInfo | None:
    m = s.get(Membership, membership_id)
    return _membership(m) if m else None


def _latest(s: Session, user_id: int, status: str) -> MembershipInfo | None:
    m = s.scalars(
        select(Membership)
        .where(Membership.user_id == user_id, Membership.status == status)
        .order_by(Membership.id.desc())
    ).first()
    return _membership(m) if m else None


def active_membership(s: Session, user_id: int) -> MembershipInfo | None:
    return _latest(s, user_id, "approved")


def pending_membership(s: Session, user_id: int) -> MembershipInfo | None:
    return _latest(s, user_id, "pending")


def members_of(s: Session, agency_id: str) -> list[MembershipInfo]:
    rows = s.scalars(
        select(Membership)
        .where(Membership.agency_id == agency_id, Membership.status == "approved")
        .order_by(Membership.id)
    )
    return [_membership(m) for m in rows]


def all_members(s: Session) -> list[MembershipInfo]:
    return [
        _membership(m)
        for m in s.scalars(
            select(Membership).where(Membership.status == "approved").order_by(Membership.id)
        )
    ]


def pending_requests(s: Session) -> list[MembershipInfo]:
    return [
        _membership(m)
        for m in s.scalars(
            select(Membership).where(Membership.status == "pending").order_by(Membership.id)
        )
    ]
