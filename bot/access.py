"""Who may do what: admins, the focal department, approved members of an agency."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kb.model import COMMUNE, Agency
from storage import people
from storage.people import MembershipInfo

if TYPE_CHECKING:
    from bot.core import Conversation
    from bot.knowledge import ActiveKb

COMMUNE_PREFIX = f"{COMMUNE}:"
FOCAL_AGENCY_ID = "so-nnmt"  # Sở Nông nghiệp và Môi trường, the focal department


def is_admin(conv: Conversation, user_id: int | None) -> bool:
    if user_id is None:
        return False
    if user_id in conv.settings.admin_ids:
        return True
    with conv.db.session() as s:
        user = people.get_user(s, user_id)
    return user is not None and user.role == "admin"


def is_focal(conv: Conversation, user_id: int | None) -> bool:
    """Members of the focal department, and admins, may add deadlines and broadcast."""
    if is_admin(conv, user_id):
        return True
    if user_id is None:
        return False
    with conv.db.session() as s:
        user = people.get_user(s, user_id)
        membership = people.active_membership(s, user_id)
    if user is not None and user.role == "focal":
        return True
    return membership is not None and membership.agency_id == FOCAL_AGENCY_ID


def admin_ids(conv: Conversation) -> list[int]:
    with conv.db.session() as s:
        stored = [u.telegram_id for u in people.users_with_role(s, "admin")]
    return sorted(set(conv.settings.admin_ids) | set(stored))


def agency_from_record(conv: Conversation, agency_id: str, agency_name: str) -> Agency | None:
    """The agency a stored membership or binding refers to, in the active knowledge base.

    Registered agencies are looked up by id (and followed to their successor); a named commune is
    rebuilt from its name. None when the knowledge base no longer has the agency.
    """
    return agency_in(conv.knowledge.current, agency_id, agency_name)


def agency_in(active: ActiveKb, agency_id: str, agency_name: str) -> Agency | None:
    """:func:`agency_from_record` on one knowledge-base snapshot."""
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


def member_status(conv: Conversation, user_id: int) -> MemberStatus:
    with conv.db.session() as s:
        active = people.active_membership(s, user_id)
        pending = people.pending_membership(s, user_id)
    if active is None:
        return MemberStatus(None, None, pending)
    return MemberStatus(active, agency_from_record(conv, active.agency_id, active.agency_name), pending)


def member_agency(conv: Conversation, user_id: int) -> Agency | None:
    return member_status(conv, user_id).agency
