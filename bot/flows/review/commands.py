"""Chat commands of the focal department's review: the queue (/xetduyet), confirm (/xacnhan),
return (/tralai), requests for explanation (/giaitrinh) and the consolidated report (/baocao);
and /web, the sign-in link to the web console."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bot.app.links import download_link, login_link
from bot.core.access import is_focal, member_status
from bot.core.audience import AudienceError
from bot.core.messages import Choice, Reply, notice
from bot.core.validate_input import parse_id
from bot.delivery.review_notices import queue_line
from bot.flows.deadlines.commands import refuse
from bot.flows.deadlines.drafts import parse_date
from bot.flows.review import actions as review_actions
from kb.ask.resolve import find_agencies
from kb.codes import parse_code
from kb.normalize import normalize
from storage import explanations
from storage import review as review_store

if TYPE_CHECKING:
    from bot.core.turn import Turn

FLOW = "review"
QUEUE_SHOWN = 5
MAX_REASON = 500
MAX_EXPLANATION = 1000
DEFAULT_EXPLANATION_DAYS = 7
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
        return _answer(turn, int(state["request"]), text)
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
        return _answer(turn, int(answer.group(1)), answer.group(2).strip())
    if is_focal(turn) and args:
        return _ask(turn, args)
    return _open_requests(turn)


def _open_requests(turn: Turn) -> Reply:
    tr = turn.tr
    if is_focal(turn):
        items = explanations.open_requests(turn.s, turn.kb.plan.id)
        if not items:
            return Reply(
                tr.gettext(
                    "No request for explanation is open. Ask one with /giaitrinh 2.4 Sở Công"
                    " Thương; what to explain; dd/mm/yyyy."
                )
            )
        lines = [tr.gettext("Open requests for explanation:")]
        lines += [
            f"#{q.id} {q.agency_name} — {q.indicator_code} — {tr.date(q.due_date)}: {q.text}"
            for q in items[:20]
        ]
        return Reply("\n".join(lines))
    status = member_status(turn)
    if status.agency is None:
        return Reply(
            tr.gettext(
                "Only approved members of an agency may answer requests for explanation. Sign up"
                " with /dangky."
            )
        )
    items = explanations.open_for_agency(turn.s, status.agency.id)
    if not items:
        return Reply(
            tr.gettext("{agency} has no open request for explanation.").format(
                agency=status.agency.name
            )
        )
    lines = [
        tr.gettext("Open requests for explanation to {agency}:").format(agency=status.agency.name)
    ]
    lines += [
        f"#{q.id} — {q.indicator_code} — {tr.date(q.due_date)}: {q.text}" for q in items[:20]
    ]
    lines.append(tr.gettext("Answer with /giaitrinh <id> <your answer>, or choose one below."))
    return Reply(
        "\n".join(lines),
        choices=[
            Choice(tr.gettext("Answer #{id}").format(id=q.id), f"gt:a:{q.id}") for q in items[:8]
        ],
    )


def explanation_button(turn: Turn, rest: list[str]) -> Reply:
    request_id = parse_id(rest[1] if len(rest) > 1 else "")
    if not rest or rest[0] != "a" or request_id is None:
        return Reply(
            turn.tr.gettext("That is not a valid id."),
            toast=turn.tr.gettext("This button is no longer valid."),
        )
    turn.set_state(FLOW, {"step": "answer", "request": request_id})
    return Reply(turn.tr.gettext("Type your answer to request #{id}.").format(id=request_id))


def _answer(turn: Turn, request_id: int, text: str) -> Reply:
    tr = turn.tr
    q = explanations.get(turn.s, request_id)
    if q is None:
        return Reply(
            tr.gettext("There is no request for explanation #{id}.").format(id=request_id)
        )
    mine = member_status(turn).agency
    asked = turn.kb.kb.agencies.get(q.agency_id)
    asked_id = turn.kb.engine.current(asked).id if asked else q.agency_id
    by = turn.user_id  # None (anonymous) is neither focal nor a member
    if by is None or not (is_focal(turn) or (mine is not None and mine.id == asked_id)):
        return Reply(
            tr.gettext("Only approved members of {agency} can answer this request.").format(
                agency=q.agency_name
            )
        )
    outcome, q = review_actions.answer_explanation(
        turn.s, turn.conv, request_id, text[:MAX_EXPLANATION], by, turn.now
    )
    texts = {
        "ok": tr.gettext(
            "Thank you: your answer to request #{id} was sent to the focal department and kept in"
            " the indicator's history."
        ),
        "not_found": tr.gettext("There is no request for explanation #{id}."),
        "already_answered": tr.gettext("Request #{id} was already answered."),
        "cancelled": tr.gettext("Request #{id} was cancelled by the focal department."),
    }
    return Reply(texts[outcome].format(id=request_id), deliver_now=outcome == "ok")


def _ask(turn: Turn, args: str) -> Reply:
    tr = turn.tr
    by = turn.user_id
    if by is None:  # the caller checked is_focal, which an anonymous sender never is
        return refuse(turn)
    usage = tr.gettext(
        "Write: /giaitrinh <indicator code> <agency>; <what to explain>; [due date dd/mm/yyyy, 7"
        " days if left out], e.g. /giaitrinh 2.4 Sở Công Thương; Vì sao chưa cập nhật?; 15/12/2026"
    )
    parts = [p.strip() for p in args.split(";")]
    head = parts[0]
    code = parse_code(head.split()[0]) if head.split() else None
    if code is None or len(parts) < 2 or not parts[1]:
        return Reply(usage)
    plan = turn.kb.plan
    if code not in turn.kb.index.indicators.get(plan.id, {}):
        return Reply(
            tr.gettext("There is no indicator {code} in plan {plan}.").format(
                code=code, plan=plan.number or plan.title
            )
        )
    agency_text = head.split(None, 1)[1] if len(head.split()) > 1 else ""
    found = find_agencies(turn.kb.index, normalize(agency_text).split(), agency_text)
    agency = found.mentions[0].agency if found.mentions and found.mentions[0].exact else None
    if agency is None:
        return Reply(
            tr.gettext(
                "Unknown agency: {names}. Write the names as in the plan, separated by commas."
            ).format(names=agency_text or "—")
            + "\n"
            + usage
        )
    agency = turn.kb.engine.current(agency) if agency.id in turn.kb.kb.agencies else agency
    try:
        due = (
            parse_date(tr, parts[2], turn.today)
            if len(parts) > 2 and parts[2]
            else turn.today + timedelta(days=DEFAULT_EXPLANATION_DAYS)
        )
    except AudienceError as exc:
        return Reply(str(exc))
    made = review_actions.request_explanation(
        turn.s,
        turn.conv,
        turn.kb,
        agency=agency,
        code=code,
        text=parts[1][:MAX_EXPLANATION],
        due=due,
        by=by,
        now=turn.now,
    )
    text = tr.gettext(
        "Request for explanation #{id} sent to {agency} about indicator {code}, due {date}."
    ).format(id=made.request.id, agency=agency.name, code=code, date=tr.date(due))
    if not made.reached:
        text += "\n" + tr.gettext(
            "{agency} has no bound group and no member who can be reached yet; the request waits"
            " in /giaitrinh and is reminded once they can be."
        ).format(agency=agency.name)
    return Reply(text, deliver_now=bool(made.reached))


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
