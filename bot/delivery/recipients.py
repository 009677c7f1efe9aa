"""Where a message for an agency goes, on every channel at once.

An agency is reached through each of its bound group chats (Telegram, Zalo where groups are
available); where it has no group on the channel an approved member uses, that member is reached in
their private chat. Each chat gets a message once: a group, or a person (not both on one channel).
A member with no reachable identity is reported, never silently skipped.

E-mail is the last resort (the channel "email", when the SMTP settings are present): a person with
no reachable chat but an address of their own gets the message by e-mail (see
:func:`storage.directory.people.reachable_identities`), and an agency that nothing reaches (no
group, no member's chat or own address) gets it at its official address (``agencies.yaml``'s
``email``, or the one set in the web console: :func:`official_addresses`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.access import FOCAL_AGENCY_ID, admin_user_ids, agency_from_record, member_of
from bot.core.audience import COORDINATORS, LEADS, Audience
from bot.core.messages import Address
from kb.model import Agency
from storage.delivery import ledger
from storage.directory import contacts, groups, leaders, people

if TYPE_CHECKING:
    from bot.app.i18n import Translator
    from bot.core.context import Context

GROUP_LANGUAGE = "vi"  # of reminders, digests and notices to chats read by several people


@dataclass(frozen=True)
class Target:
    address: Address
    agency: Agency
    tag: str  # stable part of ledger keys: "b<binding id>" for a group, "u<user id>" for a person
    user_id: int | None = None
    title: str = ""  # the group's title, or the person's name
    official: bool = False  # the agency's official e-mail address (no chat reaches the agency)


@dataclass(frozen=True)
class Recipients:
    targets: list[Target]
    unreachable: list[tuple[Agency, str]]  # (agency, member name) who cannot be written to

    def count_by_kind(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for t in self.targets:
            kind = "official" if t.official else "person" if t.user_id is not None else "group"
            kind = f"{t.address.channel}_{kind}"
            out[kind] = out.get(kind, 0) + 1
        return out


def resolve(s, active, audience: Audience, channels: tuple[str, ...]) -> Recipients:
    """The chats that reach every agency of the audience (agencies with a group or an approved
    member)."""
    engine = active.engine
    bindings = groups.all_active(s)
    members = people.all_members(s)
    agencies: dict[str, Agency] = {}
    for record_id, record_name in [(b.agency_id, b.agency_name) for b in bindings] + [
        (m.agency_id, m.agency_name) for m in members
    ]:
        if record_id not in agencies:
            agency = agency_from_record(active, record_id, record_name)
            if agency is not None:
                agencies[record_id] = agency
    included = {rid: a for rid, a in agencies.items() if audience.includes(a, engine)}
    targets: list[Target] = []
    group_channels: dict[str, set[str]] = {}
    for b in bindings:
        agency = included.get(b.agency_id)
        if agency is None or b.channel not in channels:
            continue
        group_channels.setdefault(agency.id, set()).add(b.channel)
        targets.append(Target(Address(b.channel, b.chat_id), agency, f"b{b.id}", None, b.title))
    unreachable: list[tuple[Agency, str]] = []
    seen: set[int] = set()
    for m in members:
        agency = included.get(m.agency_id)
        if agency is None or m.user_id in seen:
            continue
        seen.add(m.user_id)
        ident = people.preferred_identity(s, m.user_id, channels)
        if ident is None:
            unreachable.append((agency, people.display_name(s, m.user_id)))
            continue
        if ident.channel in group_channels.get(agency.id, set()):
            continue  # the agency's group on that channel carries it
        targets.append(
            Target(
                Address(ident.channel, ident.private_chat),
                agency,
                f"u{m.user_id}",
                m.user_id,
                ident.display_name,
            )
        )
    if people.EMAIL in channels:
        targets += _official_targets(s, active, audience, targets)
    return Recipients(targets, unreachable)


def official_addresses(s, active) -> dict[str, str]:
    """Every agency's official e-mail address by agency id: the web console's where it set one (an
    empty one withdraws the knowledge base's), else ``agencies.yaml``'s."""
    found = {a.id: a.email for a in active.kb.agencies.values() if a.email}
    for agency_id, contact in contacts.all_contacts(s).items():
        if contact.email:
            found[agency_id] = contact.email
        else:
            found.pop(agency_id, None)
    return found


@dataclass(frozen=True)
class OfficialAddress:
    email: str  # "" : none
    source: str  # "console" (set in the web console), "kb" (agencies.yaml) or "" (none anywhere)
    kb_email: str  # agencies.yaml's, shown beside the console's


def official_address(s, active, agency_id: str) -> OfficialAddress:
    """An agency's official e-mail address and where it comes from (the web console's agency
    page)."""
    agency = active.kb.agencies.get(agency_id)
    kb_email = (agency.email or "") if agency else ""
    contact = contacts.get(s, agency_id)
    if contact is not None:
        return OfficialAddress(contact.email, "console", kb_email)
    return OfficialAddress(kb_email, "kb" if kb_email else "", kb_email)


def _official_targets(s, active, audience: Audience, targets: list[Target]) -> list[Target]:
    """The official address of each agency of the audience that nothing else reaches (no group,
    no member's chat, no member's own address)."""
    reached = {t.agency.id for t in targets}
    taken = {t.address for t in targets}
    out: list[Target] = []
    for agency_id, address in sorted(official_addresses(s, active).items()):
        agency = agency_from_record(active, agency_id, agency_id)
        if agency is None or agency.id != agency_id or agency.is_group or agency_id in reached:
            continue  # an old name's address does not stand for its successor; a group has none
        if not audience.includes(agency, active.engine) or Address(people.EMAIL, address) in taken:
            continue
        taken.add(Address(people.EMAIL, address))
        out.append(
            Target(
                Address(people.EMAIL, address),
                agency,
                f"a{agency.id}",
                None,
                agency.name,
                official=True,
            )
        )
    return out


def focal_chats(s, settings, channels: tuple[str, ...]) -> list[tuple[Address, str, int | None]]:
    """Where the focal department reads digests and notices: (address, stable tag, user id).

    Its members' and focal users' private chats ("u<id>") and its bound groups ("b<binding id>");
    the admins when the department has no one yet.
    """
    users = {u.id for u in people.users_with_role(s, "focal")}
    users |= {m.user_id for m in people.members_of(s, FOCAL_AGENCY_ID)}
    out: list[tuple[Address, str, int | None]] = [
        (Address(b.channel, b.chat_id), f"b{b.id}", None)
        for b in groups.active_for_agencies(s, [FOCAL_AGENCY_ID])
        if b.channel in channels
    ]

    def people_chats(ids) -> list[tuple[Address, str, int | None]]:
        found = []
        for uid in sorted(ids):
            ident = people.preferred_identity(s, uid, channels)
            if ident is not None:
                found.append((Address(ident.channel, ident.private_chat), f"u{uid}", uid))
        return found

    found = people_chats(users) + out
    return found or people_chats(admin_user_ids(s, settings))


def agency_name(active, agency_id: str | None) -> str:
    """The registered name of an agency id kept in a ledger row (the id itself when the KB lost
    it)."""
    agency = active.kb.agencies.get(agency_id or "")
    return agency.name if agency else (agency_id or "?")


def person_addresses(s, user_id: int, channels: tuple[str, ...] | None = None) -> list[Address]:
    """Where a person can be written to, best first (see
    :func:`storage.directory.people.reachable_identities`): their reachable private chats on the
    enabled channels, the one they used last first, then their e-mail address. The one function
    for "a person's addresses"."""
    return [
        Address(i.channel, i.private_chat)
        for i in people.reachable_identities(s, user_id, channels)
    ]


def concerned_codes(active, audience: Audience, agency: Agency) -> list[str]:
    """The agency's indicators a deadline for ``audience`` is about: those of the indicator or
    component index the audience names, else every indicator the agency reports on."""
    mine = [r.indicator.code for r in active.engine.updatable_indicators(agency)]
    kind, target = audience.spec.get("kind"), str(audience.spec.get("target", ""))
    if kind not in (LEADS, COORDINATORS):
        return mine
    if target.startswith("C"):
        plan = active.plan
        named = {
            i.code for i in active.index.plan_indicators(plan.id) if i.component == target[1:]
        }
    else:
        named = {target}
    return [c for c in mine if c in named]


def responsible_targets(
    s, active, agency: Agency, codes: list[str], channels: tuple[str, ...]
) -> list[tuple[Target, list[str]]]:
    """The responsible officials of these indicators of the agency, each once with the codes
    they answer for, in their private chat; one who is no longer a member of the agency is left
    out."""
    plan_id = active.plan.id
    by_user: dict[int, list[str]] = {}
    for r in leaders.responsibles(s, plan_id, agency.id):
        if r.indicator_code in codes:
            by_user.setdefault(r.user_id, []).append(r.indicator_code)
    out = []
    for user_id, mine in by_user.items():
        if not member_of(s, active, user_id, agency.id):
            continue
        addresses = person_addresses(s, user_id, channels)
        if addresses:
            out.append(
                (
                    Target(
                        addresses[0],
                        agency,
                        f"u{user_id}",
                        user_id,
                        people.display_name(s, user_id),
                    ),
                    sorted(mine, key=codes.index),
                )
            )
    return out


def notify_focal(
    s,
    conv: Context,
    key: str,
    make_text: Callable[[Translator], str],
    agency_id: str | None = None,
    *,
    kind: str = "notice",
    language: str | None = None,
) -> int:
    """Tell the focal department once: each of its chats gets the notice in its reader's language
    (Vietnamese when none is known), or in ``language`` for every chat, under the ledger key
    ``{key}:{chat's tag}``. The rows written (0 when each was written before)."""
    written = 0
    for address, tag, user_id in focal_chats(s, conv.settings, conv.channels):
        tr = conv.translator(language or conv.stored_language(s, user_id))
        written += int(
            ledger.enqueue(
                s,
                key=f"{key}:{tag}",
                kind=kind,
                channel=address.channel,
                chat_id=address.chat_id,
                text=make_text(tr),
                agency_id=agency_id,
                user_id=user_id,
            )
        )
    return written
