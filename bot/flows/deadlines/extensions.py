"""Extension requests (gia hạn): an agency asks for a later date, the focal department decides.

A member asks with ``/giahan <deadline> <dd/mm/yyyy> <reason>``, or with "Ask for an extension"
under a reminder (a button on Telegram, a numbered choice on Zalo) and then types the date and the
reason. The focal department is told, and approves (``gh:ok:<id>``, ``/duyetgiahan <id>``) or
refuses with a reason (``gh:no:<id>`` then the reason, ``/tuchoigiahan <id> <reason>``); the
requester is told. An approved extension moves the deadline for that agency only
(bot/delivery/reminders.py plans its own reminders on the new date, bot/reporting/status.py judges
it by the new date); both dates are kept.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from bot.core.access import is_focal
from bot.core.messages import Choice, Reply, notice
from bot.core.recurrence import split_occurrence
from bot.core.validate_input import BadInput, parse_due_date, parse_id
from bot.delivery.deadline_items import DeadlineItem, items_from, with_extension
from bot.flows.deadlines.commands import refuse
from bot.flows.deadlines.extension_decisions import decide_rows, tell_focal
from bot.flows.deadlines.extension_rules import (
    LATE_LIMIT_DAYS,
    MAX_REASON,
    check,
    find_item,
    requester_agency,
    typed_ref,
)
from kb.model import Agency
from storage.schedule import deadlines as deadline_store
from storage.schedule import extensions as extension_store

if TYPE_CHECKING:
    from bot.core.turn import Turn

FLOW = "extension"
MAX_LISTED = 10


# --- asking
# ----------------------------------------------------------------------------------------


def usage(turn: Turn) -> str:
    return turn.tr.gettext(
        "Write: /giahan <deadline> <new date dd/mm/yyyy> <reason>, e.g. /giahan #12 31/12/2026 chờ"
        " số liệu của Cục Thống kê. Send /giahan alone to see your deadlines."
    )


def command(turn: Turn, args: str) -> Reply:
    """/giahan: alone, the sender's deadlines to choose from (for the focal department: the
    requests waiting); /giahan <deadline> <date> <reason>: the request in one line."""
    tr = turn.tr
    if not args.strip():
        if is_focal(turn):  # the focal department decides; its members ask in one line
            return pending_list(turn)
        return _choose(turn)
    parts = args.split(None, 2)
    if len(parts) < 3:
        return Reply(usage(turn))
    agency = requester_agency(turn)
    if isinstance(agency, Reply):
        return agency
    item = typed_ref(turn, parts[0], agency)
    if item is None:
        return Reply(
            tr.gettext(
                "There is no deadline “{ref}” open to a request; send /giahan to see your"
                " deadlines."
            ).format(ref=parts[0][:40])
        )
    return _submit(turn, agency, item, parts[1], parts[2])


def _choose(turn: Turn) -> Reply:
    tr = turn.tr
    agency = requester_agency(turn)
    if isinstance(agency, Reply):
        return agency
    moved = extension_store.approved(turn.s)
    since = turn.today - timedelta(days=LATE_LIMIT_DAYS)
    custom = deadline_store.active(turn.s)
    mine = []
    for item in items_from(turn.kb.kb, custom, since, today=turn.today):
        if item.audience.includes(agency, turn.kb.engine):
            mine.append(with_extension(item, agency.id, moved))
    mine = sorted((i for i in mine if i.due >= since), key=lambda i: i.due)[:MAX_LISTED]
    if not mine:
        return Reply(
            tr.gettext("{agency} has no deadline open to an extension request.").format(
                agency=agency.name
            )
        )
    choices = [Choice(f"{tr.date(i.due)} — {i.title[:60]}", f"gh:ask:{i.key}") for i in mine]
    return Reply(
        tr.gettext("Which deadline of {agency} do you ask to extend?").format(agency=agency.name),
        choices=choices,
    )


def ask_button(turn: Turn, key: str) -> Reply:
    """ "Ask for an extension" under a reminder (or in the /giahan list): the date and the reason
    come next."""
    tr = turn.tr
    pressed = turn.msg.callback is not None
    item = find_item(turn, key)
    if item is None:
        return Reply(
            tr.gettext("That deadline is no longer open to a request."),
            toast=tr.gettext("This button is no longer valid."),
            silent=pressed,
        )
    agency = requester_agency(turn)
    if isinstance(agency, Reply):
        return Reply(agency.text, toast=agency.text[:190], silent=pressed) if pressed else agency
    problem = check(turn, agency, item, None)
    if problem is not None:
        return Reply(problem, toast=problem[:190], silent=pressed) if pressed else Reply(problem)
    current = with_extension(item, agency.id, extension_store.approved(turn.s))
    turn.set_state(FLOW, {"step": "ask", "key": item.key})
    text = tr.gettext(
        "Extension for {agency}: “{title}”, due {date}. Write the new date and the reason, e.g. "
        "“31/12/2026 chờ số liệu của Cục Thống kê”. (/huy to cancel)"
    ).format(agency=agency.name, title=item.title, date=tr.date(current.due))
    if (
        not turn.msg.private
    ):  # a group's chatter does not reach the bot: a reply to its message does
        text += "\n" + tr.gettext(
            "In a group, answer by replying to this message, or send: /giahan {ref} dd/mm/yyyy"
            " <reason>"
        ).format(ref=_ref(item.key))
    return Reply(text)


def _ref(key: str) -> str:
    """What a member types for a deadline in /giahan: "#12" for one added in chat, the id of a
    KB one."""
    series, _when = split_occurrence(key)
    kind, _, ident = series.partition(":")
    return f"#{ident}" if kind == "db" else ident


def _submit(turn: Turn, agency: Agency, item: DeadlineItem, date_text: str, reason: str) -> Reply:
    tr = turn.tr
    reason = reason.strip()
    try:
        new_date = parse_due_date(tr, date_text, turn.today)
    except BadInput as exc:
        return Reply(str(exc) + "\n" + usage(turn))
    if not reason:
        return Reply(tr.gettext("Give the reason for the extension after the date."))
    if len(reason) > MAX_REASON:
        return Reply(
            tr.gettext("The reason is too long ({n} characters); keep it under {max}.").format(
                n=len(reason), max=MAX_REASON
            )
        )
    problem = check(turn, agency, item, new_date)
    if problem is not None:
        return Reply(problem)
    current = with_extension(item, agency.id, extension_store.approved(turn.s)).due
    saved = extension_store.request(
        turn.s,
        deadline_key=item.key,
        title=item.title,
        agency_id=agency.id,
        agency_name=agency.name,
        old_date=current,
        new_date=new_date,
        reason=reason,
        requested_by=turn.user_id or 0,
        at=turn.now,
    )
    tell_focal(turn, saved)
    turn.clear_state()
    return Reply(
        tr.gettext(
            "Request #{id} sent: {agency} asks to move “{title}” from {old} to {new}. The focal "
            "department will decide; you will be told."
        ).format(
            id=saved.id,
            agency=agency.name,
            title=item.title,
            old=tr.date(current),
            new=tr.date(new_date),
        ),
        deliver_now=True,
    )


def typed(turn: Turn, data: dict) -> Reply | None:
    """The date and reason after "Ask for an extension", or the reason of a refusal."""
    text = (turn.msg.text or "").strip()
    if not text:
        return None
    if data.get("step") == "refuse":
        return _refuse(turn, int(data.get("id", 0)), text)
    item = find_item(turn, str(data.get("key", "")))
    if item is None:
        turn.clear_state()
        return Reply(turn.tr.gettext("That deadline is no longer open to a request."))
    agency = requester_agency(turn)
    if isinstance(agency, Reply):
        return agency
    parts = text.split(None, 1)
    return _submit(turn, agency, item, parts[0], parts[1] if len(parts) > 1 else "")


# --- deciding
# --------------------------------------------------------------------------------------


def pending_list(turn: Turn) -> Reply:
    tr = turn.tr
    waiting = extension_store.pending(turn.s)
    if not waiting:
        return Reply(tr.gettext("No extension request is waiting."))
    lines = [
        tr.gettext(
            "Extension requests waiting (approve: /duyetgiahan <id>; refuse: /tuchoigiahan <id>"
            " <reason>):"
        )
    ]
    choices = []
    for x in waiting[:MAX_LISTED]:
        lines.append(
            tr.gettext("#{id} {agency}: “{title}”, {old} → {new}. Reason: {reason}").format(
                id=x.id,
                agency=x.agency_name,
                title=x.title,
                old=tr.date(x.old_date),
                new=tr.date(x.new_date),
                reason=x.reason,
            )
        )
        choices += [
            Choice(tr.gettext("Approve #{id}").format(id=x.id), f"gh:ok:{x.id}"),
            Choice(tr.gettext("Refuse #{id}").format(id=x.id), f"gh:no:{x.id}"),
        ]
    return Reply("\n".join(lines), choices=choices)


def approve_typed(turn: Turn, args: str) -> Reply:
    if not is_focal(turn):
        return refuse(turn)
    xid = parse_id(args)
    if xid is None:
        return Reply(
            turn.tr.gettext("Write: /duyetgiahan <id>; send /giahan to see the requests.")
        )
    return _approve(turn, xid)


def refuse_typed(turn: Turn, args: str) -> Reply:
    if not is_focal(turn):
        return refuse(turn)
    parts = args.split(None, 1)
    xid = parse_id(parts[0]) if parts else None
    if xid is None or len(parts) < 2 or not parts[1].strip():
        return Reply(
            turn.tr.gettext("Write: /tuchoigiahan <id> <reason>; the agency is told the reason.")
        )
    return _refuse(turn, xid, parts[1])


def button(turn: Turn, rest: list[str]) -> Reply:
    """gh:ask:<deadline key> (a member), gh:ok:<id> and gh:no:<id> (the focal department)."""
    tr = turn.tr
    action = rest[0] if rest else ""
    if action == "ask":
        return ask_button(turn, ":".join(rest[1:]))
    pressed = turn.msg.callback is not None
    if action not in ("ok", "no"):
        return Reply("", toast=tr.gettext("This button is no longer valid."), silent=True)
    if not is_focal(turn):
        return notice(tr.gettext("Only the focal department can do that."), pressed)
    xid = parse_id(rest[1] if len(rest) > 1 else "")
    found = extension_store.get(turn.s, xid) if xid is not None else None
    if found is None or found.status != extension_store.PENDING:
        return notice(
            tr.gettext("That request was already decided, or does not exist; see /giahan."),
            pressed,
        )
    if action == "ok":
        return _approve(turn, found.id)
    turn.set_state(FLOW, {"step": "refuse", "id": found.id})
    return Reply(
        tr.gettext(
            "Why is request #{id} of {agency} refused? The agency is told. (/huy to cancel)"
        ).format(id=found.id, agency=found.agency_name)
    )


def _approve(turn: Turn, xid: int) -> Reply:
    tr = turn.tr
    decided = decide_rows(turn.s, turn.conv, xid, True, turn.user_id, None, turn.now)
    if decided is None:
        return Reply(
            tr.gettext("There is no extension request #{id} waiting; see /giahan.").format(id=xid)
        )
    return Reply(
        tr.gettext("Approved: “{title}” is due {new} for {agency} (was {old}).").format(
            title=decided.title,
            new=tr.date(decided.new_date),
            agency=decided.agency_name,
            old=tr.date(decided.old_date),
        ),
        edit=turn.msg.callback is not None,
        deliver_now=True,
    )


def _refuse(turn: Turn, xid: int, reason: str) -> Reply:
    tr = turn.tr
    if not is_focal(turn):
        return refuse(turn)
    reason = reason.strip()[:MAX_REASON]
    decided = decide_rows(turn.s, turn.conv, xid, False, turn.user_id, reason, turn.now)
    turn.clear_state()
    if decided is None:
        return Reply(
            tr.gettext("There is no extension request #{id} waiting; see /giahan.").format(id=xid)
        )
    return Reply(
        tr.gettext(
            "Refused: request #{id} of {agency}; they are told why. “{title}” stays due {old}."
        ).format(
            id=decided.id,
            agency=decided.agency_name,
            title=decided.title,
            old=tr.date(decided.old_date),
        ),
        deliver_now=True,
    )
