"""Progress updates on indicators. Functions take a session and never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models.base import utcnow
from storage.models.progress import ProgressReview, ProgressUpdate

STATUSES = ("not_started", "in_progress", "done", "blocked")


@dataclass(frozen=True)
class ProgressInfo:
    id: int
    author_id: int
    author_name: str
    agency_id: str
    agency_name: str
    plan_id: str
    indicator_code: str
    kb_version_id: int
    status: str
    percent: int | None
    note: str | None
    file_id: str | None
    file_name: str | None
    file_kind: str | None
    file_path: str | None
    file_size: int | None
    created_at: datetime
    undone_at: datetime | None
    review_state: str = "awaiting"  # awaiting | confirmed | returned
    reviewed_at: datetime | None = None
    reviewed_by: int | None = None
    review_reason: str | None = None


def _info(p: ProgressUpdate) -> ProgressInfo:
    return ProgressInfo(
        p.id,
        p.author_id,
        p.author_name,
        p.agency_id,
        p.agency_name,
        p.plan_id,
        p.indicator_code,
        p.kb_version_id,
        p.status,
        p.percent,
        p.note,
        p.file_id,
        p.file_name,
        p.file_kind,
        p.file_path,
        p.file_size,
        p.created_at,
        p.undone_at,
        p.review_state or "awaiting",
        p.reviewed_at,
        p.reviewed_by,
        p.review_reason,
    )


def add(
    s: Session,
    *,
    author_id: int,
    author_name: str,
    agency_id: str,
    agency_name: str,
    plan_id: str,
    indicator_code: str,
    kb_version_id: int,
    status: str,
    percent: int | None = None,
    note: str | None = None,
    file_id: str | None = None,
    file_name: str | None = None,
    file_kind: str | None = None,
    file_path: str | None = None,
    file_size: int | None = None,
    created_at: datetime | None = None,
) -> ProgressInfo:
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    if percent is not None and not 0 <= percent <= 100:
        raise ValueError("percent must be between 0 and 100")
    p = ProgressUpdate(
        author_id=author_id,
        author_name=author_name[:200],
        agency_id=agency_id,
        agency_name=agency_name[:300],
        plan_id=plan_id,
        indicator_code=indicator_code,
        kb_version_id=kb_version_id,
        status=status,
        percent=percent,
        note=note,
        file_id=file_id,
        file_name=(file_name or None) and file_name[:300],
        file_kind=file_kind,
        file_path=file_path,
        file_size=file_size,
        created_at=created_at or utcnow(),
        review_state="awaiting",
    )
    s.add(p)
    s.flush()
    s.add(ProgressReview(update_id=p.id, state="awaiting", by=author_id, at=p.created_at))
    s.flush()
    return _info(p)


def get(s: Session, update_id: int) -> ProgressInfo | None:
    p = s.get(ProgressUpdate, update_id)
    return _info(p) if p else None


def latest_by_indicator(s: Session, agency_id: str, plan_id: str) -> dict[str, ProgressInfo]:
    rows = s.scalars(
        select(ProgressUpdate)
        .where(
            ProgressUpdate.agency_id == agency_id,
            ProgressUpdate.plan_id == plan_id,
            ProgressUpdate.undone_at.is_(None),
        )
        .order_by(ProgressUpdate.id)
    )
    out: dict[str, ProgressInfo] = {}
    for p in rows:
        out[p.indicator_code] = _info(p)
    return out


def history(
    s: Session, agency_id: str, plan_id: str, indicator_code: str, limit: int = 10
) -> list[ProgressInfo]:
    rows = s.scalars(
        select(ProgressUpdate)
        .where(
            ProgressUpdate.agency_id == agency_id,
            ProgressUpdate.plan_id == plan_id,
            ProgressUpdate.indicator_code == indicator_code,
        )
        .order_by(ProgressUpdate.id.desc())
        .limit(limit)
    )
    return [_info(p) for p in rows]


def last_by_author(s: Session, author_id: int) -> ProgressInfo | None:
    p = s.scalars(
        select(ProgressUpdate)
        .where(ProgressUpdate.author_id == author_id, ProgressUpdate.undone_at.is_(None))
        .order_by(ProgressUpdate.id.desc())
    ).first()
    return _info(p) if p else None


def undo(
    s: Session, update_id: int, author_id: int, now: datetime, window: timedelta
) -> tuple[str, ProgressInfo | None]:
    """Withdraw an update: "ok", "not_found", "not_author", "already_undone", "reviewed" or
    "too_late".

    Once the focal department has confirmed or returned an update it is part of the record: it can
    no longer be withdrawn, only followed by a newer update.
    """
    p = s.get(ProgressUpdate, update_id, with_for_update=True)
    if p is None:
        return "not_found", None
    if p.author_id != author_id:
        return "not_author", _info(p)
    if p.undone_at is not None:
        return "already_undone", _info(p)
    if p.review_state != "awaiting":
        return "reviewed", _info(p)
    if now - p.created_at > window:
        return "too_late", _info(p)
    p.undone_at = now
    s.flush()
    return "ok", _info(p)
