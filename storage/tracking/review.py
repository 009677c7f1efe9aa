"""The focal department's review of progress updates: the queue, confirm, return, and each update's
history.

Every update starts as ``awaiting``. A member of the focal department confirms it or returns it
with a reason; each state is kept in ``progress_reviews`` with who and when. A returned update
counts as corrected as soon as the same agency posts a newer update on the same indicator.
Functions take a session and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, case, func, select, update
from sqlalchemy.orm import Session

from storage.db import affected
from storage.models.agencies import GroupBinding, Membership
from storage.models.progress import ExplanationRequest, ProgressReview, ProgressUpdate
from storage.tracking import progress
from storage.tracking.progress import ProgressInfo

AWAITING, CONFIRMED, RETURNED = "awaiting", "confirmed", "returned"
REVIEW_STATES = (AWAITING, CONFIRMED, RETURNED)


@dataclass(frozen=True)
class ReviewInfo:
    update_id: int
    state: str
    by: int | None
    at: datetime
    reason: str | None


def _review(r: ProgressReview) -> ReviewInfo:
    return ReviewInfo(r.update_id, r.state, r.by, r.at, r.reason)


def queue(s: Session, plan_id: str) -> list[ProgressInfo]:
    """Updates awaiting review, oldest first (withdrawn ones are not in it)."""
    rows = s.scalars(
        select(ProgressUpdate)
        .where(
            ProgressUpdate.plan_id == plan_id,
            ProgressUpdate.review_state == AWAITING,
            ProgressUpdate.undone_at.is_(None),
        )
        .order_by(ProgressUpdate.id)
    )
    return [progress._info(p) for p in rows]


def _decide(
    s: Session, update_id: int, state: str, by: int, now: datetime, reason: str | None
) -> tuple[str, ProgressInfo | None]:
    # one conditional UPDATE: two reviewers pressing at once cannot both win
    won = (
        affected(
            s.execute(
                update(ProgressUpdate)
                .where(
                    ProgressUpdate.id == update_id,
                    ProgressUpdate.review_state == AWAITING,
                    ProgressUpdate.undone_at.is_(None),
                )
                .values(review_state=state, reviewed_at=now, reviewed_by=by, review_reason=reason)
                .execution_options(synchronize_session=False)
            )
        )
        == 1
    )
    p = s.get(ProgressUpdate, update_id, populate_existing=True)
    if p is None:
        return "not_found", None
    if not won:
        return ("undone" if p.undone_at is not None else "already_reviewed"), progress._info(p)
    s.add(ProgressReview(update_id=update_id, state=state, by=by, at=now, reason=reason))
    s.flush()
    return "ok", progress._info(p)


def confirm(s: Session, update_id: int, by: int, now: datetime) -> tuple[str, ProgressInfo | None]:
    """Confirm an awaiting update: "ok", "not_found", "undone" or "already_reviewed"."""
    return _decide(s, update_id, CONFIRMED, by, now, None)


def return_update(
    s: Session, update_id: int, by: int, now: datetime, reason: str
) -> tuple[str, ProgressInfo | None]:
    """Return an awaiting update to its agency with a reason; outcomes as for :func:`confirm`."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("a returned update needs a reason")
    return _decide(s, update_id, RETURNED, by, now, reason)


def history(s: Session, update_id: int) -> list[ReviewInfo]:
    """Every review state of one update, oldest first: awaiting (by its author), then the
    decision."""
    rows = s.scalars(
        select(ProgressReview)
        .where(ProgressReview.update_id == update_id)
        .order_by(ProgressReview.id)
    )
    return [_review(r) for r in rows]


def returned_uncorrected(s: Session, plan_id: str) -> list[ProgressInfo]:
    """Returned updates with no newer update from the same agency on the same indicator."""
    rows = list(
        s.scalars(
            select(ProgressUpdate)
            .where(ProgressUpdate.plan_id == plan_id, ProgressUpdate.undone_at.is_(None))
            .order_by(ProgressUpdate.id)
        )
    )
    last: dict[tuple[str, str], ProgressUpdate] = {}
    for p in rows:
        last[(p.agency_id, p.indicator_code)] = p
    return [progress._info(p) for p in last.values() if p.review_state == RETURNED]


# --- facts per (agency, indicator), read in one pass for the status board ---------------------


@dataclass(frozen=True)
class Confirmed:
    """The latest confirmed update of a pair: what the status and the report show."""

    update_id: int
    status: str
    percent: int | None
    note: str | None
    created_at: datetime
    author_name: str


@dataclass(frozen=True)
class PairFacts:
    agency_id: str
    agency_name: str
    indicator_code: str
    last_report_at: (
        datetime | None
    )  # latest update that stands (awaiting or confirmed, not withdrawn)
    confirmed: Confirmed | None
    reports: int  # updates that stand
    awaiting: int
    evidence: int  # files kept with updates that stand
    returned_open: bool  # the newest update was returned and not corrected yet


def _live(plan_id: str) -> tuple[ColumnElement[bool], ...]:
    """The plan's updates that were not withdrawn."""
    return (ProgressUpdate.plan_id == plan_id, ProgressUpdate.undone_at.is_(None))


def _standing_counts(
    s: Session, plan_id: str
) -> dict[tuple[str, str], tuple[datetime | None, int, int, int]]:
    """Per pair, of the updates that stand: the latest report's time, how many, how many await
    review, how many keep a file."""
    P = ProgressUpdate
    live, pair = _live(plan_id), (P.agency_id, P.indicator_code)
    standing = s.execute(
        select(
            *pair,
            func.max(P.created_at),
            func.count(),
            func.count(case((P.review_state == AWAITING, 1))),
            func.count(P.file_id),
        )
        .where(*live, P.review_state != RETURNED)
        .group_by(*pair)
    )
    return {(a, c): (last, n, waiting, files) for a, c, last, n, waiting, files in standing}


def _newest_and_confirmed(s: Session, plan_id: str):
    """The newest update of every pair and its latest confirmed one, ordered by id."""
    P = ProgressUpdate
    live, pair = _live(plan_id), (P.agency_id, P.indicator_code)
    newest = select(func.max(P.id)).where(*live).group_by(*pair)
    last_confirmed = (
        select(func.max(P.id)).where(*live, P.review_state == CONFIRMED).group_by(*pair)
    )
    return s.execute(
        select(
            P.id,
            *pair,
            P.agency_name,
            P.status,
            P.percent,
            P.note,
            P.created_at,
            P.author_name,
            P.review_state,
        )
        .where(P.id.in_(newest) | P.id.in_(last_confirmed))
        .order_by(P.id)
    )


def pair_facts(s: Session, plan_id: str) -> dict[tuple[str, str], PairFacts]:
    """Grouped in the database: a year of weekly updates is 150,000 rows, the board needs a few
    thousand."""
    counts = _standing_counts(s, plan_id)
    names: dict[tuple[str, str], str] = {}
    newest_state: dict[tuple[str, str], str] = {}
    confirmed: dict[tuple[str, str], Confirmed] = {}
    rows = _newest_and_confirmed(s, plan_id)
    for uid, agency_id, code, agency_name, status, percent, note, created, author, state in rows:
        key = (agency_id, code)
        names[key] = agency_name
        newest_state[key] = state  # ordered by id: the newest row of the pair comes last
        if state == CONFIRMED:
            confirmed[key] = Confirmed(uid, status, percent, note, created, author)
    out = {}
    for key, name in names.items():
        last, n, waiting, files = counts.get(key, (None, 0, 0, 0))
        out[key] = PairFacts(
            key[0],
            name,
            key[1],
            last,
            confirmed.get(key),
            n,
            waiting,
            files,
            newest_state[key] == RETURNED,
        )
    return out


# --- one indicator's history: updates, reviews and explanation requests ------------------------


@dataclass(frozen=True)
class HistoryEvent:
    at: datetime
    # update | confirmed | returned | undone | explanation_requested | explanation_answered
    kind: str
    by: int | None
    by_name: str | None
    text: str | None
    update: ProgressInfo | None = None
    request_id: int | None = None


# events at the same moment: the report first, then a request, the review, and the answer last
_SAME_MOMENT_ORDER = {
    "update": 0,
    "explanation_requested": 1,
    "confirmed": 2,
    "returned": 2,
    "undone": 2,
    "explanation_answered": 3,
}


def _update_events(by_id: dict[int, ProgressInfo]) -> list[HistoryEvent]:
    """Each update reported, and withdrawn if it was."""
    events = []
    for info in by_id.values():
        events.append(
            HistoryEvent(
                info.created_at, "update", info.author_id, info.author_name, info.note, info
            )
        )
        if info.undone_at is not None:
            events.append(
                HistoryEvent(
                    info.undone_at, "undone", info.author_id, info.author_name, None, info
                )
            )
    return events


def _review_events(s: Session, by_id: dict[int, ProgressInfo]) -> list[HistoryEvent]:
    """Each confirmation or return of those updates."""
    if not by_id:
        return []
    reviews = s.scalars(
        select(ProgressReview).where(
            ProgressReview.update_id.in_(by_id), ProgressReview.state != AWAITING
        )
    )
    return [HistoryEvent(r.at, r.state, r.by, None, r.reason, by_id[r.update_id]) for r in reviews]


def _explanation_events(
    s: Session, agency_id: str, plan_id: str, indicator_code: str
) -> list[HistoryEvent]:
    """Each request for explanation about the indicator, and its answer if it came."""
    requests = s.scalars(
        select(ExplanationRequest).where(
            ExplanationRequest.agency_id == agency_id,
            ExplanationRequest.plan_id == plan_id,
            ExplanationRequest.indicator_code == indicator_code,
        )
    )
    events = []
    for q in requests:
        events.append(
            HistoryEvent(
                q.requested_at,
                "explanation_requested",
                q.requested_by,
                None,
                q.text,
                request_id=q.id,
            )
        )
        if q.answered_at is not None:
            events.append(
                HistoryEvent(
                    q.answered_at,
                    "explanation_answered",
                    q.answered_by,
                    None,
                    q.answer,
                    request_id=q.id,
                )
            )
    return events


def indicator_history(
    s: Session, agency_id: str, plan_id: str, indicator_code: str
) -> list[HistoryEvent]:
    """Everything that happened on one agency's indicator, oldest first."""
    updates = s.scalars(
        select(ProgressUpdate).where(
            ProgressUpdate.agency_id == agency_id,
            ProgressUpdate.plan_id == plan_id,
            ProgressUpdate.indicator_code == indicator_code,
        )
    )
    by_id = {p.id: progress._info(p) for p in updates}
    events = _update_events(by_id) + _review_events(s, by_id)
    events += _explanation_events(s, agency_id, plan_id, indicator_code)
    events.sort(key=lambda e: (e.at, _SAME_MOMENT_ORDER[e.kind], e.update.id if e.update else 0))
    return events


def known_agencies(s: Session) -> list[tuple[str, str]]:
    """(agency id, name) of every approved member's agency, active group binding and progress
    update."""
    seen: dict[str, str] = {}
    for query in (
        select(Membership.agency_id, Membership.agency_name).where(
            Membership.status == "approved"
        ),
        select(GroupBinding.agency_id, GroupBinding.agency_name).where(
            GroupBinding.status == "active"
        ),
        select(ProgressUpdate.agency_id, ProgressUpdate.agency_name).where(
            ProgressUpdate.undone_at.is_(None)
        ),
    ):
        for agency_id, name in s.execute(query.distinct()):
            seen.setdefault(agency_id, name)
    return sorted(seen.items())
