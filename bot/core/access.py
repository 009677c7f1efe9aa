"""Who may do what: admins, the focal department, approved members of an agency, and an agency's
leaders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.app.config import Settings
from kb.model import COMMUNE, Agency
from storage.db import Session
from storage.directory import leaders, people
from storage.directory.people import MembershipInfo

if TYPE_CHECKING:
    from bot.core.knowledge import ActiveKb
    from bot.core.turn import Ask

COMMUNE_PREFIX = f"{COMMUNE}:"
FOCAL_AGENCY_ID = "so-nnmt"  # Sở Nông nghiệp và Môi trường, the focal department


def configured_admin(s: Session, settings: Settings, user_id: int) -> bool:
    """An identity of this user is listed in ADMIN_TELEGRAM_IDS or ADMIN_ZALO_IDS."""
    return any(
        i.external_id in settings.admins_of(i.channel) for i in people.identities_of(s, user_id)
    )


def user_is_admin(s: Session, settings: Settings, user_id: int | None) -> bool:
    if user_id is None:
        return False
    user = people.get_user(s, user_id)
    return user is not None and (user.role == "admin" or configured_admin(s, settings, user_id))


def user_is_focal(s: Session, settings: Settings, user_id: int | None) -> bool:
    """Members of the focal department, users given the role, and admins may add deadlines,
    broadcast, review."""
    if user_id is None:
        return False
    if user_is_admin(s, settings, user_id):
        return True
    user = people.get_user(s, user_id)
    if user is not None and user.role == "focal":
        return True
    membership = people.active_membership(s, user_id)
    return membership is not None and membership.agency_id == FOCAL_AGENCY_ID


def is_admin(turn: Ask) -> bool:
    return turn.s is not None and user_is_admin(turn.s, turn.settings, turn.user_id)


def is_focal(turn: Ask) -> bool:
    return turn.s is not None and user_is_focal(turn.s, turn.settings, turn.user_id)


def ensure_configured_admins(s: Session, settings: Settings) -> None:
    """Configured admins exist as users from the start, so requests can be sent to them."""
    for channel, ids in settings.admin_ids_by_channel().items():
        for external_id in sorted(ids):
            people.ensure_identity(s, channel, external_id)


def admin_user_ids(s: Session, settings: Settings) -> list[int]:
    ids = {u.id for u in people.users_with_role(s, "admin")}
    for channel, external in settings.admin_ids_by_channel().items():
        for external_id in external:
            user = people.find_identity(s, channel, external_id)
            if user is not None:
                ids.add(user.id)
    return sorted(ids)


def agency_from_record(active: ActiveKb, agency_id: str, agency_name: str) -> Agency | None:
    """The agency a stored membership or binding refers to, in the active knowledge base.

    Registered agencies are looked up by id (and followed to their successor); a named commune is
    rebuilt from its name. None when the knowledge base no longer has the agency.
    """
    if agency_id.startswith(COMMUNE_PREFIX):
        return Agency(id=agency_id, name=agency_name, type=COMMUNE)
    agency = active.kb.agencies.get(agency_id)
    if agency is None:
        return None
    return active.engine.current(agency)


@dataclass(frozen=True)
class MemberStatus:
    membership: MembershipInfo | None
    agency: Agency | None  # None with a membership: the agency is gone from the knowledge base
    pending: MembershipInfo | None = None


def member_status(turn: Ask, user_id: int | None = None) -> MemberStatus:
    uid = turn.user_id if user_id is None else user_id
    if turn.s is None or uid is None:
        return MemberStatus(None, None, None)
    active = people.active_membership(turn.s, uid)
    pending = people.pending_membership(turn.s, uid)
    if active is None:
        return MemberStatus(None, None, pending)
    return MemberStatus(
        active, agency_from_record(turn.kb, active.agency_id, active.agency_name), pending
    )


def member_agency(turn: Ask) -> Agency | None:
    return member_status(turn).agency


def led_agency_ids(s, user_id: int | None) -> list[str]:
    """The agencies this user leads (a role an admin grants with /lanhdao)."""
    if user_id is None:
        return []
    return [r.agency_id for r in leaders.leaders(s, user_id=user_id)]


def user_is_leader(s, user_id: int | None, agency_id: str) -> bool:
    return agency_id in led_agency_ids(s, user_id)


def member_of(s, active: ActiveKb, user_id: int | None, agency_id: str) -> bool:
    """An approved member of the agency (a membership kept under its old id counts for its
    successor)."""
    if user_id is None:
        return False
    m = people.active_membership(s, user_id)
    if m is None:
        return False
    agency = agency_from_record(active, m.agency_id, m.agency_name)
    return agency is not None and agency.id == agency_id


def may_name_responsible(
    s, settings: Settings, active: ActiveKb, user_id: int | None, agency_id: str
) -> bool:
    """Who may name an agency's responsible officials: the focal department (and admins), the
    agency's own approved members, and its leaders."""
    return (
        user_is_focal(s, settings, user_id)
        or member_of(s, active, user_id, agency_id)
        or user_is_leader(s, user_id, agency_id)
    )


def is_leader_of(turn: Ask, agency_id: str) -> bool:
    return turn.s is not None and user_is_leader(turn.s, turn.user_id, agency_id)
