"""The focal department's actions on updates and requests for explanation, shared by the chat
and the web console: each records the decision and tells the agency on its channel (through the
ledger)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.core.audience import Audience
from bot.delivery.notices import notify_user
from bot.delivery.recipients import notify_focal, resolve
from bot.delivery.review_notices import (
    explanation_answer_text,
    explanation_request_text,
    indicator_name,
    review_notice_text,
)
from storage.db import Session
from storage.delivery import ledger
from storage.tracking import explanations, review
from storage.tracking.explanations import ExplanationInfo
from storage.tracking.progress import ProgressInfo

if TYPE_CHECKING:
    from bot.core.context import Context
    from bot.core.knowledge import ActiveKb
    from kb.model import Agency


def decide_update(
    s: Session,
    conv: Context,
    active: ActiveKb,
    update_id: int,
    reviewer: int,
    now: datetime,
    approve: bool,
    reason: str | None = None,
) -> tuple[str, ProgressInfo | None]:
    """Confirm, or return with a reason, one update; the author is told on their channel.

    Outcomes: ok | not_found | undone | already_reviewed."""
    if approve:
        outcome, info = review.confirm(s, update_id, reviewer, now)
    else:
        outcome, info = review.return_update(s, update_id, reviewer, now, reason or "")
    if outcome == "ok" and info is not None:
        name = indicator_name(active, info.plan_id, info.indicator_code)
        notify_user(
            s, conv, info.author_id, lambda tr: review_notice_text(tr, info, name, conv.tz)
        )
    return outcome, info


@dataclass(frozen=True)
class Requested:
    request: ExplanationInfo
    reached: int  # chats of the agency that got it


def request_explanation(
    s: Session,
    conv: Context,
    active: ActiveKb,
    *,
    agency: Agency,
    code: str,
    text: str,
    due: date,
    by: int,
    now: datetime,
) -> Requested:
    """A request for explanation to an agency about an indicator: stored, and sent to the
    agency's chats."""
    plan = active.plan
    q = explanations.create(
        s,
        agency_id=agency.id,
        agency_name=agency.name,
        plan_id=plan.id,
        indicator_code=code,
        text=text,
        due_date=due,
        requested_by=by,
        now=now,
    )
    tr = conv.translator(None)
    message = explanation_request_text(tr, q, indicator_name(active, plan.id, code))
    targets = resolve(
        s, active, Audience.agencies([agency.id], [agency.name]), conv.channels
    ).targets
    for t in targets:
        ledger.enqueue(
            s,
            key=f"expreq:{q.id}:{t.tag}",
            kind="notice",
            channel=t.address.channel,
            chat_id=t.address.chat_id,
            text=message,
            agency_id=agency.id,
            user_id=t.user_id,
        )
    return Requested(q, len(targets))


def answer_explanation(
    s: Session, conv: Context, request_id: int, text: str, by: int, now: datetime
) -> tuple[str, ExplanationInfo | None]:
    """The agency's answer: stored in the indicator's history, and told to the focal department."""
    outcome, q = explanations.answer(s, request_id, text, by, now)
    if outcome == "ok" and q is not None:
        notify_focal(s, conv, f"expans:{q.id}", lambda tr: explanation_answer_text(tr, q))
    return outcome, q


@dataclass(frozen=True)
class WrittenReport:
    """The files of one consolidated report (under the reports folder) and its chat summary."""

    docx: Path  # the report to UBND tỉnh (Decree 30 layout), citing the workbook as its appendix
    xlsx: Path
    png: Path
    summary: str

    @property
    def files(self) -> tuple[Path, Path, Path]:
        return self.docx, self.xlsx, self.png


def write_report(s, conv, active, tr, today: date, folder: Path, signer=None) -> WrittenReport:
    """The consolidated report written under ``folder``: the official document, the workbook and
    the chart, from one read of the board; the summary in the reader's language (the document is
    Vietnamese).
    """
    from bot.reporting.chart import write_chart
    from bot.reporting.official import write_official_report
    from bot.reporting.report import load_report, summary_text
    from bot.reporting.status import StatusRules
    from bot.reporting.workbook import write_workbook

    data = load_report(s, active, StatusRules.from_settings(conv.settings), today, conv.tz)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = conv.now().strftime("%Y%m%d-%H%M%S")
    xlsx = Path(write_workbook(tr, data, folder / f"bao-cao-PGI-{stamp}.xlsx", conv.tz))
    png = Path(write_chart(tr, data.board, folder / f"bieu-do-PGI-{stamp}.png"))
    docx = write_official_report(
        conv.translator("vi"),
        data,
        folder / f"bao-cao-UBND-PGI-{stamp}.docx",
        conv.tz,
        appendix=xlsx.name,
        signer=signer,
    )
    return WrittenReport(docx, xlsx, png, summary_text(tr, data.board))
