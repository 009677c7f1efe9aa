"""Requests for explanation (yêu cầu giải trình): the focal department asks an agency about an
indicator, with a due date; the agency answers. Functions take a session and never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.db import affected
from storage.models.progress import ExplanationRequest


@dataclass(frozen=True)
class ExplanationInfo:
    id: int
    agency_id: str
    agency_name: str
    plan_id: str
    indicator_code: str
    text: str
    due_date: date
    requested_by: int
    requested_at: datetime
    answer: str | None
    answered_by: int | None
    answered_at: datetime | None
    cancelled_at: datetime | None

    @property
    def is_open(self) -> bool:
        return self.answered_at is None and self.cancelled_at is None

    @property
    def key(self) -> str:
        """The key its reminders carry in the delivery ledger, like a deadline's "db:<id>"."""
        return f"exp:{self.id}"


def _info(q: ExplanationRequest) -> ExplanationInfo:
    return ExplanationInfo(
        q.id,
        q.agency_id,
        q.agency_name,
        q.plan_id,
        q.indicator_code,
        q.text,
        q.due_date,
        q.requested_by,
        q.requested_at,
        q.answer,
        q.answered_by,
        q.answered_at,
        q.cancelled_at,
    )


def create(
    s: Session,
    *,
    agency_id: str,
    agency_name: str,
    plan_id: str,
    indicator_code: str,
    text: str,
    due_date: date,
    requested_by: int,
    now: datetime,
) -> ExplanationInfo:
    text = (text or "").strip()
    if not text:
        raise ValueError("a request for explanation needs a text")
    q = ExplanationRequest(
        agency_id=agency_id,
        agency_name=agency_name[:300],
        plan_id=plan_id,
        indicator_code=indicator_code,
        text=text,
        due_date=due_date,
        requested_by=requested_by,
        requested_at=now,
    )
    s.add(q)
    s.flush()
    return _info(q)


def get(s: Session, request_id: int) -> ExplanationInfo | None:
    q = s.get(ExplanationRequest, request_id)
    return _info(q) if q else None


def answer(
    s: Session, request_id: int, text: str, by: int, now: datetime
) -> tuple[str, ExplanationInfo | None]:
    """Record the agency's answer: "ok", "not_found", "already_answered" or "cancelled"."""
    text = (text or "").strip()
    if not text:
        raise ValueError("an answer needs a text")
    won = (
        affected(
            s.execute(
                update(ExplanationRequest)
                .where(
                    ExplanationRequest.id == request_id,
                    ExplanationRequest.answered_at.is_(None),
                    ExplanationRequest.cancelled_at.is_(None),
                )
                .values(answer=text, answered_by=by, answered_at=now)
                .execution_options(synchronize_session=False)
            )
        )
        == 1
    )
    q = s.get(ExplanationRequest, request_id, populate_existing=True)
    if q is None:
        return "not_found", None
    if not won:
        return ("cancelled" if q.cancelled_at is not None else "already_answered"), _info(q)
    return "ok", _info(q)


def cancel(s: Session, request_id: int, now: datetime) -> ExplanationInfo | None:
    """Withdraw an open request; None when it does not exist or is no longer open."""
    q = s.get(ExplanationRequest, request_id)
    if q is None or q.answered_at is not None or q.cancelled_at is not None:
        return None
    q.cancelled_at = now
    s.flush()
    return _info(q)


def open_for_agency(s: Session, agency_id: str) -> list[ExplanationInfo]:
    rows = s.scalars(
        select(ExplanationRequest)
        .where(
            ExplanationRequest.agency_id == agency_id,
            ExplanationRequest.answered_at.is_(None),
            ExplanationRequest.cancelled_at.is_(None),
        )
        .order_by(ExplanationRequest.due_date, ExplanationRequest.id)
    )
    return [_info(q) for q in rows]


def open_requests(s: Session, plan_id: str | None = None) -> list[ExplanationInfo]:
    """Every open request (of one plan, when given), by due date."""
    query = select(ExplanationRequest).where(
        ExplanationRequest.answered_at.is_(None), ExplanationRequest.cancelled_at.is_(None)
    )
    if plan_id is not None:
        query = query.where(ExplanationRequest.plan_id == plan_id)
    return [
        _info(q)
        for q in s.scalars(query.order_by(ExplanationRequest.due_date, ExplanationRequest.id))
    ]


def answered_requests(s: Session, plan_id: str) -> list[ExplanationInfo]:
    """The answered requests of one plan, by due date (the report lists them with their
    answers)."""
    query = (
        select(ExplanationRequest)
        .where(
            ExplanationRequest.plan_id == plan_id,
            ExplanationRequest.answered_at.is_not(None),
            ExplanationRequest.cancelled_at.is_(None),
        )
        .order_by(ExplanationRequest.due_date, ExplanationRequest.id)
    )
    return [_info(q) for q in s.scalars(query)]


def overdue(s: Session, today: date, plan_id: str | None = None) -> list[ExplanationInfo]:
    """Open requests whose due date has passed."""
    return [q for q in open_requests(s, plan_id) if q.due_date < today]


def for_indicator(
    s: Session, agency_id: str, plan_id: str, indicator_code: str
) -> list[ExplanationInfo]:
    rows = s.scalars(
        select(ExplanationRequest)
        .where(
            ExplanationRequest.agency_id == agency_id,
            ExplanationRequest.plan_id == plan_id,
            ExplanationRequest.indicator_code == indicator_code,
        )
        .order_by(ExplanationRequest.id)
    )
    return [_info(q) for q in rows]
