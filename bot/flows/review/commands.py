"""Chat commands of the focal department's review: the queue (/xetduyet), confirm (/xacnhan),
return (/tralai), requests for explanation (/giaitrinh) and the consolidated report (/baocao);
and /web, the sign-in link to the web console."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from bot.app.links import download_link, login_link
from bot.core.access import is_focal
from bot.core.messages import Choice, Reply, notice
from bot.core.validate_input import parse_id
from bot.delivery.review_notices import queue_line
from bot.flows.deadlines.commands import refuse
from bot.flows.review import actions as review_actions
from bot.flows.review import explanations
from kb.codes import parse_code
from storage.tracking import review as review_store

if TYPE_CHECKING:
    from bot.core.turn import Turn

FLOW = "review"
QUEUE_SHOWN = 5
MAX_REASON = 500
_ANSWER = re.compile(r"^#?(\d{1,10})\s+(.+)$", re.S)


# --- the review queue
# --------------------------------------------------------------------------------


def queue(turn: Turn, args: str) -> Reply:
    """/xetduyet: updates awaiting review, oldest first, each to confirm or return."""
    tr = turn.tr
    if not is_focal(turn):
        return refuse(turn)
    plan = turn.kb.plan
    waiting = review_store.queue(turn.s, plan.id)
    if not waiting:
        return Reply(tr.gettext("No update is waiting for review."))
    lines = [
        tr.ngettext(
            "{n} update is waiting for review (oldest first):",
            "{n} updates are waiting for review (oldest first):",
            len(waiting),
        ).format(n=len(waiting))
    ]
    choices = []
    for u in waiting[:QUEUE_SHOWN]:
        lines.append(queue_line(tr, u, turn.conv.tz))
        choices.append(Choice(tr.gettext("Confirm #{id}").format(id=u.id), f"rv:c:{u.id}"))
        choices.append(Choice(tr.gettext("Return #{id}").format(id=u.id), f"rv:r:{u.id}"))
    if len(waiting) > QUEUE_SHOWN:
        lines.append(
            tr.gettext("…and {n} more; /xetduyet again after these.").format(
                n=len(waiting) - QUEUE_SHOWN
            )
        )
    lines.append(tr.gettext("Or type /xacnhan <id>, or /tralai <id> <reason>."))
    return Reply("\n".join(lines), choices=choices)


def _decide(turn: Turn, update_id: int, approve: bool, reason: str | None) -> Reply:
    tr = turn.tr
    reviewer = turn.user_id
    if reviewer is None:  # the callers checked is_focal, which an anonymous sender never is
        return refuse(turn)
    outcome, info = review_actions.decide_update(
        turn.s, turn.conv, turn.kb, update_id, reviewer, turn.now, approve, reason
    )
    texts = {
        "ok": (
            tr.gettext("Confirmed update #{id} ({agency}, {code}); the agency is told.")
            if approve
            else tr.gettext(
                "Returned update #{id} ({agency}, {code}) with the reason; the agency is told."
            )
        ),
        "not_found": tr.gettext("There is no update #{id}."),
        "undone": tr.gettext("Update #{id} was withdrawn by its author."),
        "already_reviewed": tr.gettext("Update #{id} was already reviewed."),
    }
    text = texts[outcome].format(
        id=update_id,
        agency=info.agency_name if info else "",
        code=info.indicator_code if info else "",
    )
    return Reply(text, edit=outcome == "ok", toast=text[:190], deliver_now=outcome == "ok")


def confirm(turn: Turn, args: str) -> Reply:
    """/xacnhan <id>"""
    if not is_focal(turn):
        return refuse(turn)
    update_id = parse_id(args.split()[0] if args.split() else "")
    if update_id is None:
        return Reply(turn.tr.gettext("Write: /xacnhan <update id>; /xetduyet lists them."))
    return _decide(turn, update_id, True, None)


def return_update(turn: Turn, args: str) -> Reply:
    """/tralai <id> <reason>"""
    tr = turn.tr
    if not is_focal(turn):
        return refuse(turn)
    parts = args.split(None, 1)
    update_id = parse_id(parts[0]) if parts else None
    if update_id is None:
        return Reply(tr.gettext("Write: /tralai <update id> <reason>; /xetduyet lists them."))
    if len(parts) < 2 or not parts[1].strip():
        turn.set_state(FLOW, {"step": "reason", "update": update_id})
        return Reply(
            tr.gettext(
                "Why is update #{id} returned? Type the reason (the agency will read it)."
            ).format(id=update_id)
        )
    return _decide(turn, update_id, False, parts[1].strip()[:MAX_REASON])


def button(turn: Turn, rest: list[str]) -> Reply:
    """rv:c:<id> confirms, rv:r:<id> asks for the reason of a return."""
    tr = turn.tr
    if not is_focal(turn):
        return notice(
            tr.gettext("Only the focal department can do that."), turn.msg.callback is not None
        )
    action = rest[0] if rest else ""
    update_id = parse_id(rest[1] if len(rest) > 1 else "")
    if action not in ("c", "r") or update_id is None:
        return Reply(
            tr.gettext("That is not a valid update id."),
            toast=tr.gettext("This button is no longer valid."),
        )
    if action == "c":
        return _decide(turn, update_id, True, None)
    turn.set_state(FLOW, {"step": "reason", "update": update_id})
    return Reply(
        tr.gettext(
            "Why is update #{id} returned? Type the reason (the agency will read it)."
        ).format(id=update_id)
    )


def typed(turn: Turn, state: dict) -> Reply | None:
    """The reason of a return, or the answer to a request for explanation, typed at that step."""
    text = (turn.msg.text or "").strip()
    if not text:
        return None
    if state.get("step") == "reason" and is_focal(turn):
        turn.clear_state()
        return _decide(turn, int(state["update"]), False, text[:MAX_REASON])
    if state.get("step") == "answer":
        turn.clear_state()
        return explanations.answer(turn, int(state["request"]), text)
    return None


# --- requests for explanation
# --------------------------------------------------------------------------


def explanation(turn: Turn, args: str) -> Reply:
    """/giaitrinh: the focal department asks (`/giaitrinh 2.4 Sở Công Thương; nội dung;
    dd/mm/yyyy`); an agency answers (`/giaitrinh <id> <answer>`) or lists its open requests
    (`/giaitrinh`)."""
    args = args.strip()
    answer = _ANSWER.match(args)
    if (
        answer
        and parse_id(answer.group(1)) is not None
        and parse_code(answer.group(1)) is None
        and "." not in answer.group(1)
    ):
        return explanations.answer(turn, int(answer.group(1)), answer.group(2).strip())
    if is_focal(turn) and args:
        return explanations.ask(turn, args)
    return explanations.open_requests(turn)


def explanation_button(turn: Turn, rest: list[str]) -> Reply:
    request_id = parse_id(rest[1] if len(rest) > 1 else "")
    if not rest or rest[0] != "a" or request_id is None:
        return Reply(
            turn.tr.gettext("That is not a valid id."),
            toast=turn.tr.gettext("This button is no longer valid."),
        )
    turn.set_state(FLOW, {"step": "answer", "request": request_id})
    return Reply(turn.tr.gettext("Type your answer to request #{id}.").format(id=request_id))


# --- the consolidated report, and the web console
# ---------------------------------------------------------


def report(turn: Turn, args: str) -> Reply:
    """/baocao: the report to UBND tỉnh (.docx), the workbook and the chart, as files where the
    channel sends files, else one-time links."""
    tr = turn.tr
    if not is_focal(turn):
        return refuse(turn)
    data_dir = Path(turn.settings.data_dir)
    made = review_actions.write_report(
        turn.s, turn.conv, turn.kb, tr, turn.today, data_dir / "reports"
    )
    files = [str(p.relative_to(data_dir)) for p in made.files]
    link = lambda rel: download_link(turn.s, turn.settings, rel, turn.user_id, turn.now)  # noqa: E731
    links = [
        tr.gettext("Report to UBND tỉnh (Word, Decree 30 layout): {link}").format(
            link=link(files[0])
        ),
        tr.gettext("Workbook (Excel, its appendix): {link}").format(link=link(files[1])),
        tr.gettext("Chart (PNG): {link}").format(link=link(files[2])),
        tr.gettext("Each link works once, within 24 hours: open it and press Download."),
    ]
    text = (
        made.summary
        + "\n\n"
        + tr.gettext(
            "The report to UBND tỉnh is a Word document in the Decree 30 layout, with the "
            "workbook as its appendix: fill in the number and date, then sign."
        )
    )
    return Reply(text, files=files, file_links="\n".join(links))


def web_link(turn: Turn, args: str) -> Reply:
    """/web: a one-time sign-in link to the web console (private chats only)."""
    tr = turn.tr
    if turn.user is None or not turn.msg.private:
        return Reply(tr.gettext("Ask for the web console's link in a private chat with the bot."))
    return Reply(
        tr.gettext(
            "Your sign-in link to the web console (valid 15 minutes, works once): {link}"
        ).format(link=login_link(turn.s, turn.settings, turn.user.id, turn.now))
    )
