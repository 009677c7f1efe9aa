"""/phutrach: the official responsible (cán bộ phụ trách) for an agency's indicator.

``/phutrach`` lists the current ones (the focal department sees every agency; a member or a leader
sees their own agency); ``/phutrach 1.5 Lan`` (or ``@username``, or ``#user id``) names a member of
the agency; ``/phutrach 1.5`` offers the agency's members to choose from; ``/phutrach 1.5 bỏ``
removes the current one. The focal department names members of any agency holding the indicator; an
agency's members and leaders name within their own agency. Buttons re-check everything (a forged
one is refused).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.access import agency_from_record, is_focal, may_name_responsible, member_status
from bot.core.messages import Choice, Reply, notice
from bot.core.validate_input import USER_ID_MAX, parse_id
from bot.flows.people import leader_actions
from bot.flows.people.leader_actions import Person
from kb.codes import parse_code
from kb.model import Agency
from kb.normalize import fold
from storage.directory import leaders, people

if TYPE_CHECKING:
    from bot.core.turn import Turn

MAX_CHOICES = 8
MAX_LISTED = 40
REMOVE_WORDS = frozenset({"bo", "xoa", "huy", "go", "remove", "none", "-"})


def _own_agencies(turn: Turn) -> list[Agency]:
    """The agencies the sender names officials for: the one they are a member of, those they
    lead."""
    out: list[Agency] = []
    mine = member_status(turn).agency
    if mine is not None:
        out.append(mine)
    for rec in leaders.leaders(turn.s, user_id=turn.user_id) if turn.user_id is not None else []:
        agency = agency_from_record(turn.kb, rec.agency_id, rec.agency_name)
        if agency is not None and all(a.id != agency.id for a in out):
            out.append(agency)
    return out


def _agencies_for(turn: Turn, code: str) -> list[Agency]:
    """The agencies holding ``code`` the sender may name for (every one with members, for the
    focal department)."""
    if is_focal(turn):
        seen: dict[str, Agency] = {}
        for m in people.all_members(turn.s):
            agency = agency_from_record(turn.kb, m.agency_id, m.agency_name)
            if agency is not None and agency.id not in seen:
                seen[agency.id] = agency
        candidates = list(seen.values())
    else:
        candidates = _own_agencies(turn)
    return [a for a in candidates if code in leader_actions.agency_codes(turn.kb, a)]


def _matches(turn: Turn, persons: list[Person], who: str) -> list[Person]:
    who = who.strip()
    if who.startswith("@"):
        handle = who[1:].lower()
        return [
            p
            for p in persons
            if any(
                (i.username or "").lower() == handle
                for i in people.identities_of(turn.s, p.user_id)
            )
        ]
    uid = parse_id(who, maximum=USER_ID_MAX) if who.startswith("#") or who.isdigit() else None
    if uid is not None:
        return [p for p in persons if p.user_id == uid]
    words = fold(who).split()
    return [
        p
        for p in persons
        if words and all(w in fold(p.name).split() or w in fold(p.name) for w in words)
    ]


def command(turn: Turn, args: str) -> Reply:
    """/phutrach: the list; /phutrach <code> <who>: name them; /phutrach <code> bỏ: remove."""
    tr = turn.tr
    if turn.user is None:
        return Reply(
            tr.gettext("Name a responsible official from your own account, not anonymously.")
        )
    parts = args.split(None, 1)
    if not parts:
        return _list(turn)
    code = parse_code(parts[0])
    plan = turn.kb.plan
    if code is None or code not in turn.kb.index.indicators.get(plan.id, {}):
        return Reply(
            tr.gettext("“{text}” is not an indicator of plan {plan}.").format(
                text=parts[0][:20], plan=plan.number
            )
            + "\n"
            + _usage(turn)
        )
    agencies = _agencies_for(turn, code)
    if not agencies:
        return _no_agency(turn, code)
    who = parts[1].strip() if len(parts) > 1 else ""
    if fold(who) in REMOVE_WORDS:
        return _offer_removal(turn, code, agencies)
    return _choose(turn, code, agencies, who)


def _no_agency(turn: Turn, code: str) -> Reply:
    """Why the sender names no official for the indicator: they may not, or no agency of theirs
    holds it."""
    tr = turn.tr
    if not is_focal(turn) and not _own_agencies(turn):
        return Reply(
            tr.gettext(
                "Only the focal department, an agency's approved members and its leaders may"
                " name the agency's responsible officials. Sign up with /dangky."
            )
        )
    return Reply(
        tr.gettext(
            "Indicator {code} is not among the indicators of your agency (or of an agency with"
            " members yet)."
        ).format(code=code)
    )


def _choose(turn: Turn, code: str, agencies: list[Agency], who: str) -> Reply:
    """The member ``who`` names (named at once when only one matches), or the members to choose
    from, with the officials responsible now."""
    tr = turn.tr
    plan = turn.kb.plan
    persons = [p for a in agencies for p in leader_actions.members(turn.s, turn.kb, a)]
    found = _matches(turn, persons, who) if who else persons
    if not found:
        return Reply(
            tr.gettext(
                "No approved member of {agencies} matches “{who}”. The person must sign up to the"
                " agency (/dangky) and be approved first."
            ).format(agencies=", ".join(a.name for a in agencies[:5]), who=who[:60])
        )
    if len(found) == 1 and who:
        return _name(turn, code, found[0].agency, found[0].user_id)
    if len(found) > MAX_CHOICES:
        return Reply(
            tr.ngettext(
                "{n} person could be meant; type part of their name: /phutrach {code} <name>.",
                "{n} people could be meant; type part of their name: /phutrach {code} <name>.",
                len(found),
            ).format(n=len(found), code=code)
        )
    lines = [tr.gettext("Who is the official responsible for indicator {code}?").format(code=code)]
    for a in agencies:
        current = leaders.responsible_for(turn.s, a.id, plan.id, code)
        if current is not None:
            lines.append(
                tr.gettext("Now: {name} ({agency}).").format(
                    name=people.display_name(turn.s, current.user_id), agency=a.name
                )
            )
    return Reply(
        "\n".join(lines),
        choices=[
            Choice(f"{p.name} — {p.agency.name}"[:60], f"rp:set:{code}:{p.user_id}") for p in found
        ],
    )


def _usage(turn: Turn) -> str:
    return turn.tr.gettext(
        "Write: /phutrach <indicator code> <name, @username or #id> to name the responsible"
        " official; /phutrach <code> bỏ to remove them; /phutrach to list them."
    )


def _name(turn: Turn, code: str, agency: Agency, user_id: int) -> Reply:
    tr = turn.tr
    if not may_name_responsible(turn.s, turn.settings, turn.kb, turn.user_id, agency.id):
        return notice(
            tr.gettext(
                "You may not name the responsible officials of {agency}: only the focal"
                " department, the agency's members and its leaders may."
            ).format(agency=agency.name),
            turn.msg.callback is not None,
        )
    outcome, _info = leader_actions.name_responsible(
        turn.s,
        turn.conv,
        turn.kb,
        agency=agency,
        code=code,
        user_id=user_id,
        by=turn.user_id,
        now=turn.now,
    )
    name = people.display_name(turn.s, user_id)
    texts = {
        "ok": tr.gettext(
            "{name} is now the official responsible for indicator {code} of {agency}; reminders"
            " about it go to them first."
        ),
        "same": tr.gettext(
            "{name} is already the official responsible for indicator {code} of {agency}."
        ),
        "no_indicator": tr.gettext("Indicator {code} is not among the indicators of {agency}."),
        "not_member": tr.gettext(
            "{name} is not an approved member of {agency}; only its members can be responsible for"
            " its indicators."
        ),
    }
    return Reply(
        texts[outcome].format(name=name, code=code, agency=agency.name),
        edit=True,
        deliver_now=outcome == "ok",
    )


def _offer_removal(turn: Turn, code: str, agencies: list[Agency]) -> Reply:
    tr = turn.tr
    plan = turn.kb.plan
    current = [
        r
        for a in agencies
        if (r := leaders.responsible_for(turn.s, a.id, plan.id, code)) is not None
    ]
    if not current:
        return Reply(
            tr.gettext("Nobody is named responsible for indicator {code} yet.").format(code=code)
        )
    if len(current) == 1:
        return _remove(turn, current[0].id)
    return Reply(
        tr.gettext("Whose responsibility for indicator {code} ends?").format(code=code),
        choices=[
            Choice(
                f"{people.display_name(turn.s, r.user_id)} — {r.agency_name}"[:60],
                f"rp:del:{r.id}",
            )
            for r in current[:MAX_CHOICES]
        ],
    )


def _remove(turn: Turn, responsible_id: int) -> Reply:
    tr = turn.tr
    pressed = turn.msg.callback is not None
    r = leaders.get_responsible(turn.s, responsible_id)
    if r is None or r.ended_at is not None:
        return notice(tr.gettext("That responsibility has already ended."), pressed)
    if not may_name_responsible(turn.s, turn.settings, turn.kb, turn.user_id, r.agency_id):
        return notice(
            tr.gettext(
                "You may not name the responsible officials of {agency}: only the focal"
                " department, the agency's members and its leaders may."
            ).format(agency=r.agency_name),
            pressed,
        )
    leader_actions.remove_responsible(turn.s, turn.conv, r.id, turn.user_id, turn.now)
    return Reply(
        tr.gettext(
            "{name} is no longer the official responsible for indicator {code} of {agency}."
        ).format(
            name=people.display_name(turn.s, r.user_id),
            code=r.indicator_code,
            agency=r.agency_name,
        ),
        edit=True,
        deliver_now=True,
    )


def _list(turn: Turn) -> Reply:
    tr = turn.tr
    plan = turn.kb.plan
    if is_focal(turn):
        rows = leaders.responsibles(turn.s, plan.id)
    else:
        own = _own_agencies(turn)
        if not own:
            return Reply(
                tr.gettext(
                    "Only the focal department, an agency's approved members and its leaders may"
                    " name the agency's responsible officials. Sign up with /dangky."
                )
            )
        rows = [r for a in own for r in leaders.responsibles(turn.s, plan.id, a.id)]
    if not rows:
        return Reply(tr.gettext("No responsible official is named yet.") + "\n" + _usage(turn))
    lines = [tr.gettext("Responsible officials (cán bộ phụ trách):")]
    agency = None
    for r in rows[:MAX_LISTED]:
        if r.agency_id != agency:
            agency = r.agency_id
            lines.append(f"{r.agency_name}:")
        lines.append(f"• {r.indicator_code} — {people.display_name(turn.s, r.user_id)}")
    if len(rows) > MAX_LISTED:
        lines.append(tr.gettext("…and {n} more.").format(n=len(rows) - MAX_LISTED))
    lines.append(_usage(turn))
    return Reply("\n".join(lines))


def button(turn: Turn, rest: list[str]) -> Reply:
    """rp:set:<code>:<user id> names; rp:del:<responsibility id> removes. Everything is checked
    again."""
    tr = turn.tr
    pressed = turn.msg.callback is not None
    invalid = notice(tr.gettext("This button is no longer valid."), pressed)
    if turn.user is None or not rest:
        return invalid
    if rest[0] == "del" and len(rest) == 2 and (rid := parse_id(rest[1])) is not None:
        return _remove(turn, rid)
    if rest[0] != "set" or len(rest) != 3:
        return invalid
    code = parse_code(rest[1])
    user_id = parse_id(rest[2], maximum=USER_ID_MAX)
    plan = turn.kb.plan
    if code is None or user_id is None or code not in turn.kb.index.indicators.get(plan.id, {}):
        return invalid
    m = people.active_membership(turn.s, user_id)
    agency = agency_from_record(turn.kb, m.agency_id, m.agency_name) if m else None
    if agency is None:
        return notice(
            tr.gettext("That person is not an approved member of an agency any more."), pressed
        )
    return _name(turn, code, agency, user_id)
