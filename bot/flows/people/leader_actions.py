"""Naming responsible officials, granting the leader role and the leaders' threshold: the rules
and the notices, shared by the chat (/phutrach, /lanhdao, /nguongtre) and the web console. The
callers check who may act (bot.core.access); these check what is asked and tell the people
concerned through the delivery ledger, in the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.core.access import agency_from_record, member_of
from bot.delivery.notices import notify_user
from kb.model import Agency
from storage.directory import leaders, people
from storage.directory.leaders import MAX_LEADER_AFTER_DAYS, LeaderInfo, ResponsibleInfo


@dataclass(frozen=True)
class Person:
    user_id: int
    name: str
    agency: Agency


def agency_codes(active, agency: Agency) -> list[str]:
    """The indicators an agency reports on (lead or coordinating): those a responsible official
    may be named for."""
    return [r.indicator.code for r in active.engine.updatable_indicators(agency)]


def members(s, active, agency: Agency) -> list[Person]:
    """The approved members of an agency (memberships kept under an old id included)."""
    out = []
    for m in people.all_members(s):
        found = agency_from_record(active, m.agency_id, m.agency_name)
        if found is not None and found.id == agency.id:
            out.append(Person(m.user_id, people.display_name(s, m.user_id), agency))
    return out


def name_responsible(
    s, conv, active, *, agency: Agency, code: str, user_id: int, by: int | None, now: datetime
) -> tuple[str, ResponsibleInfo | None]:
    """Outcomes: ok | same (already them) | no_indicator (not in the agency's indicators) |
    not_member."""
    if code not in agency_codes(active, agency):
        return "no_indicator", None
    if not member_of(s, active, user_id, agency.id):
        return "not_member", None
    plan_id = active.plan.id
    info, replaced, changed = leaders.name_responsible(
        s,
        agency_id=agency.id,
        agency_name=agency.name,
        plan_id=plan_id,
        code=code,
        user_id=user_id,
        by=by,
        now=now,
    )
    if not changed:
        return "same", info
    notify_user(
        s,
        conv,
        user_id,
        lambda tr: tr.gettext(
            "You are now the official responsible for indicator {code} of {agency}: its reminders"
            " come to you first, here, as well as to the agency's group."
        ).format(code=code, agency=agency.name),
    )
    if replaced is not None:
        notify_user(
            s,
            conv,
            replaced.user_id,
            lambda tr: tr.gettext(
                "{name} is now the official responsible for indicator {code} of {agency}, instead"
                " of you."
            ).format(name=people.display_name(s, user_id), code=code, agency=agency.name),
        )
    return "ok", info


def remove_responsible(
    s, conv, responsible_id: int, by: int | None, now: datetime
) -> ResponsibleInfo | None:
    ended = leaders.remove_responsible(s, responsible_id, by, now)
    if ended is not None:
        notify_user(
            s,
            conv,
            ended.user_id,
            lambda tr: tr.gettext(
                "You are no longer the official responsible for indicator {code} of {agency}."
            ).format(code=ended.indicator_code, agency=ended.agency_name),
        )
    return ended


def grant_leader(
    s, conv, *, agency: Agency, user_id: int, by: int | None, now: datetime
) -> tuple[str, LeaderInfo | None]:
    """Outcomes: ok | already | no_user (they never wrote to the bot)."""
    if people.get_user(s, user_id) is None:
        return "no_user", None
    info, new = leaders.grant_leader(
        s, agency_id=agency.id, agency_name=agency.name, user_id=user_id, by=by, now=now
    )
    if not new:
        return "already", info
    notify_user(
        s,
        conv,
        user_id,
        lambda tr: tr.gettext(
            "You are now a leader of {agency} for the PGI plans: you will get a short digest here"
            " when the agency's items are overdue, returned twice, or have a request for"
            " explanation open past its date."
        ).format(agency=agency.name),
    )
    return "ok", info


def revoke_leader(s, conv, leader_id: int, by: int | None, now: datetime) -> LeaderInfo | None:
    ended = leaders.revoke_leader(s, leader_id, by, now)
    if ended is not None:
        notify_user(
            s,
            conv,
            ended.user_id,
            lambda tr: tr.gettext(
                "You are no longer a leader of {agency} in the bot; its digests stop."
            ).format(agency=ended.agency_name),
        )
    return ended


def parse_after_days(text: str) -> int | None:
    """The leaders' threshold as typed: a whole number of working days, 1 to 60."""
    text = (text or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 3:
        return None
    value = int(text)
    return value if 1 <= value <= MAX_LEADER_AFTER_DAYS else None


def set_after_days(s, value: int, by: int | None, now: datetime) -> None:
    leaders.set_setting(s, leaders.LEADER_AFTER_DAYS, str(value), by, now)
