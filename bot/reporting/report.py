"""The consolidated report in words: the chat summary of the board (Zalo cannot send files) and
the focal department's daily review digest. The workbook is in ``bot/reporting/workbook.py``,
the chart in ``bot/reporting/chart.py``; all three read the same
:class:`~bot.reporting.board.Board`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.app.i18n import Translator
from bot.reporting.board import Board, load_board
from bot.reporting.status import (
    AT_RISK,
    DONE,
    LABELS,
    NOT_REPORTED,
    ON_TRACK,
    ORDER,
    OVERDUE,
    StatusRules,
)
from kb.model import Agency, Document
from storage.schedule import extensions as extension_store
from storage.tracking import explanations, reporting, review

if TYPE_CHECKING:
    from bot.core.knowledge import ActiveKb
    from storage.db import Session

MARKS = {OVERDUE: "🔴", AT_RISK: "🟠", NOT_REPORTED: "⚪", ON_TRACK: "🟢", DONE: "🔵"}
MAX_CHAT_ITEMS = 10


def status_label(tr: Translator, status: str) -> str:
    return tr.gettext(LABELS[status])


def summary_text(tr: Translator, board: Board, limit: int = MAX_CHAT_ITEMS) -> str:
    """The report in a few lines (well under Zalo's 2,000 characters): totals, each component,
    the red items first."""
    total = board.tally()
    plan = board.plan.number or board.plan.title
    lines = [
        tr.gettext("PGI progress report — plan {plan}, as of {date}").format(
            plan=plan, date=tr.date(board.today)
        ),
        tr.ngettext(
            "{n} indicator assignment of {agencies} agencies",
            "{n} indicator assignments of {agencies} agencies",
            total.held,
        ).format(n=total.held, agencies=len(board.agencies)),
        " · ".join(f"{MARKS[s]} {status_label(tr, s)} {total.count(s)}" for s in ORDER),
    ]
    unregistered = sum(1 for a in board.agencies if not board.is_registered(a))
    if unregistered:
        lines.append(
            tr.ngettext(
                "{n} agency has no one registered yet: its reminders reach no one.",
                "{n} agencies have no one registered yet: their reminders reach no one.",
                unregistered,
            ).format(n=unregistered)
        )
    for comp, t in board.by_component():
        lines.append(
            tr.gettext(
                "CSTP {code}: {held} held, {reported} reported, {confirmed} confirmed, {at_risk}"
                " at risk, {overdue} overdue"
            ).format(
                code=comp.code,
                held=t.held,
                reported=t.reported,
                confirmed=t.confirmed,
                at_risk=t.count(AT_RISK),
                overdue=t.count(OVERDUE),
            )
        )
    urgent = [p for p in board.pairs if p.status in (OVERDUE, AT_RISK)]
    if urgent:
        lines.append(tr.gettext("Needs attention:"))
        for p in urgent[:limit]:
            line = (
                f"{MARKS[p.status]} {p.agency.name} — {p.indicator.code}:"
                f" {status_label(tr, p.status)}"
            )
            if p.verdict.deadline is not None:
                line += " " + tr.gettext("(deadline {date})").format(
                    date=tr.date(p.verdict.deadline.due)
                )
            lines.append(line)
        if len(urgent) > limit:
            lines.append(
                tr.ngettext("… and {n} more", "… and {n} more", len(urgent) - limit).format(
                    n=len(urgent) - limit
                )
            )
    return "\n".join(lines)


@dataclass(frozen=True)
class DigestCounts:
    day: date
    awaiting: int  # updates awaiting review
    oldest_awaiting_days: int | None
    returned: int  # returned and not corrected
    overdue: int  # (agency, indicator) pairs overdue
    overdue_agencies: int
    explanations_open: int
    explanations_overdue: int

    @property
    def empty(self) -> bool:
        return not (self.awaiting or self.returned or self.overdue or self.explanations_open)


def digest_counts(
    s: Session,
    active: ActiveKb,
    rules: StatusRules,
    today: date,
    tz: ZoneInfo,
    board: Board | None = None,
) -> DigestCounts:
    """What the focal department's daily digest counts; overdue comes from the board, as in the
    report."""
    plan = active.plan
    board = board or load_board(s, active, rules, today, tz)
    waiting = review.queue(s, plan.id)
    oldest = min((u.created_at for u in waiting), default=None)
    late = [p for p in board.pairs if p.status == OVERDUE]
    requests = explanations.open_requests(s, plan.id)
    return DigestCounts(
        day=today,
        awaiting=len(waiting),
        oldest_awaiting_days=(today - oldest.astimezone(tz).date()).days if oldest else None,
        returned=len(review.returned_uncorrected(s, plan.id)),
        overdue=len(late),
        overdue_agencies=len({p.agency.id for p in late}),
        explanations_open=len(requests),
        explanations_overdue=sum(1 for q in requests if q.due_date < today),
    )


def review_digest_text(tr: Translator, counts: DigestCounts) -> str:
    lines = [tr.gettext("Focal department digest of {day}").format(day=tr.date(counts.day))]
    if counts.empty:
        lines.append(
            tr.gettext("Nothing awaits review, nothing was returned, nothing is overdue.")
        )
        return "\n".join(lines)
    awaiting = tr.ngettext(
        "• {n} update awaits review", "• {n} updates await review", counts.awaiting
    ).format(n=counts.awaiting)
    if counts.oldest_awaiting_days:
        awaiting += " " + tr.ngettext(
            "(the oldest for {n} day)", "(the oldest for {n} days)", counts.oldest_awaiting_days
        ).format(n=counts.oldest_awaiting_days)
    lines.append(awaiting)
    lines.append(
        tr.ngettext(
            "• {n} returned update not corrected yet",
            "• {n} returned updates not corrected yet",
            counts.returned,
        ).format(n=counts.returned)
    )
    lines.append(
        tr.ngettext(
            "• {n} indicator assignment overdue",
            "• {n} indicator assignments overdue",
            counts.overdue,
        ).format(n=counts.overdue)
        + " "
        + tr.ngettext("({n} agency)", "({n} agencies)", counts.overdue_agencies).format(
            n=counts.overdue_agencies
        )
    )
    if counts.explanations_open:
        lines.append(
            tr.ngettext(
                "• {n} request for explanation open",
                "• {n} requests for explanation open",
                counts.explanations_open,
            ).format(n=counts.explanations_open)
            + " "
            + tr.ngettext(
                "({n} past its due date)", "({n} past their due date)", counts.explanations_overdue
            ).format(n=counts.explanations_overdue)
        )
    return "\n".join(lines)


@dataclass(frozen=True)
class ReportData:
    """Everything the workbook and the chart show: the board, and the deadlines' reminders and
    requests."""

    board: Board
    reminders_sent: dict[str, int]
    acknowledged: dict[str, set[str]]
    requests: tuple[explanations.ExplanationInfo, ...]
    agencies: dict[str, Agency]  # the knowledge base's agencies by id, for naming assignment cells
    documents: tuple[
        Document, ...
    ]  # the sources cited: the plan, then the documents of the deadlines shown
    deadline_sources: dict[
        str, str
    ]  # knowledge-base deadline key -> where in its document it is written
    answered: tuple[
        explanations.ExplanationInfo, ...
    ] = ()  # requests for explanation answered (the official report)
    extensions: tuple[
        extension_store.ExtensionInfo, ...
    ] = ()  # every extension request, both dates kept


def load_report(
    s: Session, active: ActiveKb, rules: StatusRules, today: date, tz: ZoneInfo
) -> ReportData:
    board = load_board(s, active, rules, today, tz)
    shown = {d.key for d in board.deadlines}
    kb_deadlines = [d for d in active.kb.deadlines if f"kb:{d.id}" in shown]
    docs = [board.plan] + [
        active.kb.documents[d.doc_id] for d in kb_deadlines if d.doc_id in active.kb.documents
    ]
    documents = tuple({d.id: d for d in docs}.values())
    sources = {f"kb:{d.id}": d.source for d in kb_deadlines}
    return ReportData(
        board,
        reporting.reminders_sent(s),
        reporting.acknowledged(s),
        tuple(explanations.open_requests(s, board.plan.id)),
        dict(active.kb.agencies),
        documents,
        sources,
        tuple(explanations.answered_requests(s, board.plan.id)),
        tuple(extension_store.history(s)),
    )


def status_rule_text(tr: Translator, rules: StatusRules) -> str:
    """How a status is decided, in words: the workbook's sources sheet and the official report
    both print it."""
    return tr.gettext(
        "Overdue: a deadline passed with no report in the {stale} days before it or since. "
        "At risk: no report for more than {stale} days, difficulties reported, or a deadline "
        "within {days} days with confirmed progress below {percent}%. Done: a confirmed update "
        "says done."
    ).format(stale=rules.stale_days, days=rules.at_risk_days, percent=rules.at_risk_percent)
