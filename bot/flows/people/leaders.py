"""/lanhdao: the leader role of an agency (lãnh đạo đơn vị), granted and revoked by an admin; and
/nguongtre: after how many working days overdue the leaders are told (the focal department's
choice).

``/lanhdao`` lists the leaders; ``/lanhdao 12 Sở Xây dựng`` makes user #12 a leader of Sở Xây dựng
(the agency may be left out for a member: theirs); ``/lanhdao bỏ 12`` revokes (with a choice when
they lead several agencies). ``/nguongtre`` shows the threshold, ``/nguongtre 5`` sets it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.access import agency_from_record, is_admin, is_focal
from bot.core.messages import Choice, Reply, notice
from bot.core.validate_input import USER_ID_MAX, parse_id
from bot.flows.deadlines.commands import refuse as refuse_focal
from bot.flows.people import leader_actions
from kb.ask.resolve import find_agencies
from kb.model import Agency
from kb.normalize import fold, normalize
from storage.directory import leaders, people
from storage.directory.leaders import MAX_LEADER_AFTER_DAYS

if TYPE_CHECKING:
    from bot.core.turn import Turn

REVOKE_WORDS = frozenset({"bo", "xoa", "huy", "revoke", "remove"})
MAX_LISTED = 40


def _refuse(turn: Turn) -> Reply:
    return Reply(turn.tr.gettext("Only the bot's admins can do that."))


def _usage(turn: Turn) -> str:
    return turn.tr.gettext(
        "Write: /lanhdao <user id> [agency] to make someone a leader of an agency (their own"
        " agency if left out); /lanhdao bỏ <user id> to revoke it; /lanhdao to list the leaders."
        " The user id is shown in sign-up requests, /choduyet and /id."
    )


def _agency(turn: Turn, text: str) -> Agency | None:
    found = find_agencies(turn.kb.index, normalize(text).split(), text)
    agency = found.mentions[0].agency if found.mentions and found.mentions[0].exact else None
    if agency is None:
        return None
    return turn.kb.engine.current(agency) if agency.id in turn.kb.kb.agencies else agency


def command(turn: Turn, args: str) -> Reply:
    tr = turn.tr
    parts = args.split(None, 1)
    if not parts:
        return _list(turn)
    if not is_admin(turn):
        return _refuse(turn)
    revoke = fold(parts[0]) in REVOKE_WORDS
    if revoke:
        parts = parts[1].split(None, 1) if len(parts) > 1 else []
    user_id = parse_id(parts[0], maximum=USER_ID_MAX) if parts else None
    if user_id is None:
        return Reply(
            tr.gettext("“{id}” is not a valid user id.").format(
                id=(parts[0] if parts else "")[:30]
            )
            + "\n"
            + _usage(turn)
        )
    if people.get_user(turn.s, user_id) is None:
        return Reply(
            tr.gettext("There is no user #{id}; they must write to the bot first.").format(
                id=user_id
            )
        )
    agency_text = parts[1].strip() if len(parts) > 1 else ""
    agency = None
    if agency_text:
        agency = _agency(turn, agency_text)
        if agency is None:
            return Reply(
                tr.gettext(
                    "Unknown agency: {names}. Write the names as in the plan, separated by commas."
                ).format(names=agency_text[:100])
                + "\n"
                + _usage(turn)
            )
    return _revoke(turn, user_id, agency) if revoke else _grant(turn, user_id, agency)


def _grant(turn: Turn, user_id: int, agency: Agency | None) -> Reply:
    tr = turn.tr
    if agency is None:
        m = people.active_membership(turn.s, user_id)
        agency = agency_from_record(turn.kb, m.agency_id, m.agency_name) if m else None
        if agency is None:
            return Reply(
                tr.gettext(
                    "User #{id} is not a member of an agency; name the agency: /lanhdao {id}"
                    " <agency>."
                ).format(id=user_id)
            )
    outcome, _info = leader_actions.grant_leader(
        turn.s, turn.conv, agency=agency, user_id=user_id, by=turn.user_id, now=turn.now
    )
    name = people.display_name(turn.s, user_id)
    if outcome == "already":
        return Reply(
            tr.gettext("{name} (#{id}) is already a leader of {agency}.").format(
                name=name, id=user_id, agency=agency.name
            )
        )
    return Reply(
        tr.gettext(
            "{name} (#{id}) is now a leader of {agency}: they get a digest when the agency falls"
            " behind."
        ).format(name=name, id=user_id, agency=agency.name),
        deliver_now=True,
    )


def _revoke(turn: Turn, user_id: int, agency: Agency | None) -> Reply:
    tr = turn.tr
    roles = [
        r
        for r in leaders.leaders(turn.s, user_id=user_id)
        if agency is None or r.agency_id == agency.id
    ]
    if not roles:
        return Reply(tr.gettext("User #{id} is not a leader of that agency.").format(id=user_id))
    if len(roles) > 1:
        return Reply(
            tr.gettext("User #{id} leads several agencies; which role ends?").format(id=user_id),
            choices=[Choice(r.agency_name[:60], f"ld:rv:{r.id}") for r in roles],
        )
    return _revoke_one(turn, roles[0].id)


def _revoke_one(turn: Turn, leader_id: int) -> Reply:
    tr = turn.tr
    ended = leader_actions.revoke_leader(turn.s, turn.conv, leader_id, turn.user_id, turn.now)
    if ended is None:
        return notice(tr.gettext("That role was already revoked."), turn.msg.callback is not None)
    return Reply(
        tr.gettext("{name} (#{id}) is no longer a leader of {agency}.").format(
            name=people.display_name(turn.s, ended.user_id),
            id=ended.user_id,
            agency=ended.agency_name,
        ),
        edit=True,
        deliver_now=True,
    )


def _list(turn: Turn) -> Reply:
    tr = turn.tr
    if not is_focal(turn):
        return refuse_focal(turn)
    rows = leaders.leaders(turn.s)
    after = leaders.leader_after_days(turn.s)
    lines = [
        tr.ngettext(
            "Leaders are told when an item is more than {n} working day overdue (/nguongtre).",
            "Leaders are told when an item is more than {n} working days overdue (/nguongtre).",
            after,
        ).format(n=after)
    ]
    if not rows:
        lines.append(tr.gettext("No agency leader is named yet."))
    else:
        lines.append(tr.gettext("Agency leaders (lãnh đạo đơn vị):"))
        lines += [
            f"• {r.agency_name} — {people.display_name(turn.s, r.user_id)} (#{r.user_id})"
            for r in rows[:MAX_LISTED]
        ]
        if len(rows) > MAX_LISTED:
            lines.append(tr.gettext("…and {n} more.").format(n=len(rows) - MAX_LISTED))
    if is_admin(turn):
        lines.append(_usage(turn))
    return Reply("\n".join(lines))


def button(turn: Turn, rest: list[str]) -> Reply:
    """ld:rv:<leader role id>: an admin ends one leader role."""
    tr = turn.tr
    if not is_admin(turn):
        return notice(
            tr.gettext("Only the bot's admins can do that."), turn.msg.callback is not None
        )
    leader_id = parse_id(rest[1]) if len(rest) == 2 and rest[0] == "rv" else None
    if leader_id is None:
        return notice(tr.gettext("This button is no longer valid."), turn.msg.callback is not None)
    return _revoke_one(turn, leader_id)


def threshold(turn: Turn, args: str) -> Reply:
    """/nguongtre [N]: show, or (the focal department) set, after how many working days overdue
    leaders are told."""
    tr = turn.tr
    if not is_focal(turn):
        return refuse_focal(turn)
    if not args.strip():
        n = leaders.leader_after_days(turn.s)
        return Reply(
            tr.ngettext(
                "Agency leaders are told when an item is more than {n} working day overdue. Change"
                " it with /nguongtre <days>.",
                "Agency leaders are told when an item is more than {n} working days overdue."
                " Change it with /nguongtre <days>.",
                n,
            ).format(n=n)
        )
    value = leader_actions.parse_after_days(args)
    if value is None:
        return Reply(
            tr.gettext(
                "Write a whole number of working days from 1 to {max}, e.g. /nguongtre 3."
            ).format(max=MAX_LEADER_AFTER_DAYS)
        )
    leader_actions.set_after_days(turn.s, value, turn.user_id, turn.now)
    return Reply(
        tr.ngettext(
            "Done: agency leaders are told when an item is more than {n} working day overdue.",
            "Done: agency leaders are told when an item is more than {n} working days overdue.",
            value,
        ).format(n=value)
    )
