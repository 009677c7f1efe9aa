"""Requests for explanation in chat: the focal department asks an agency about an indicator
(/giaitrinh 2.4 Sở Công Thương; what to explain; dd/mm/yyyy), the agency lists its open requests
and answers; the records and notices are review/actions.py's, shared with the web console."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from bot.core.access import is_focal, member_status
from bot.core.audience import AudienceError
from bot.core.messages import Choice, Reply
from bot.flows.deadlines.commands import refuse
from bot.flows.deadlines.drafts import parse_date
from bot.flows.review import actions as review_actions
from kb.ask.resolve import find_agencies
from kb.codes import parse_code
from kb.normalize import normalize
from storage.tracking import explanations

if TYPE_CHECKING:
    from bot.core.turn import Turn
    from bot.flows.review.actions import Requested
    from kb.model import Agency


MAX_EXPLANATION = 1000
DEFAULT_EXPLANATION_DAYS = 7


def open_requests(turn: Turn) -> Reply:
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


def answer(turn: Turn, request_id: int, text: str) -> Reply:
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


def ask(turn: Turn, args: str) -> Reply:
    """The focal department's request: the indicator and agency, what to explain, the due date
    (in a week if left out); the agency is told through the ledger."""
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
    agency = _named_agency(turn, head.split(None, 1)[1] if len(head.split()) > 1 else "", usage)
    if isinstance(agency, Reply):
        return agency
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
    return _sent(turn, made, agency, code, due)


def _named_agency(turn: Turn, agency_text: str, usage: str) -> Agency | Reply:
    """The agency the request is for, named exactly as in the plan (its current record)."""
    found = find_agencies(turn.kb.index, normalize(agency_text).split(), agency_text)
    agency = found.mentions[0].agency if found.mentions and found.mentions[0].exact else None
    if agency is None:
        return Reply(
            turn.tr.gettext(
                "Unknown agency: {names}. Write the names as in the plan, separated by commas."
            ).format(names=agency_text or "—")
            + "\n"
            + usage
        )
    return turn.kb.engine.current(agency) if agency.id in turn.kb.kb.agencies else agency


def _sent(turn: Turn, made: Requested, agency: Agency, code: str, due: date) -> Reply:
    """What the focal department reads once the request is written, and whether it reached."""
    tr = turn.tr
    text = tr.gettext(
        "Request for explanation #{id} sent to {agency} about indicator {code}, due {date}."
    ).format(id=made.request.id, agency=agency.name, code=code, date=tr.date(due))
    if not made.reached:
        text += "\n" + tr.gettext(
            "{agency} has no bound group and no member who can be reached yet; the request waits"
            " in /giaitrinh and is reminded once they can be."
        ).format(agency=agency.name)
    return Reply(text, deliver_now=bool(made.reached))
