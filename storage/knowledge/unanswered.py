"""Questions the bot did not fully answer, for the console's "not understood" page. Takes a
session; never commits. No identity of the asker is stored; rows older than RETENTION_DAYS are
purged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from kb.normalize import fold
from storage.db import affected
from storage.models.knowledge import UnansweredQuestion

RETENTION_DAYS = 90
OUTCOMES = ("declined", "clarified", "partial")


@dataclass(frozen=True)
class Frequent:
    key: str
    text: str  # the latest wording of the question
    count: int
    last_at: datetime
    outcome: str
    understood: str


def record(
    s: Session, *, text: str, outcome: str, understood: str, now: datetime, kb_version: int | None
) -> None:
    """Keep one question (its text and what was understood), and drop those past the retention
    period."""
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    text = " ".join((text or "").split())[:500]
    key = fold(text)[:500]
    if not key:
        return
    s.add(
        UnansweredQuestion(
            asked_at=now,
            text=text,
            key=key,
            outcome=outcome,
            understood=understood[:500],
            kb_version=kb_version,
        )
    )
    purge(s, now)


def purge(s: Session, now: datetime) -> int:
    """Delete the questions older than RETENTION_DAYS; returns how many."""
    result = s.execute(
        delete(UnansweredQuestion).where(
            UnansweredQuestion.asked_at < now - timedelta(days=RETENTION_DAYS)
        )
    )
    return affected(result)


def frequent(s: Session, now: datetime, limit: int = 50) -> list[Frequent]:
    """The most frequent questions of the retention period, most asked first (then the latest)."""
    since = now - timedelta(days=RETENTION_DAYS)
    counts = (
        select(
            UnansweredQuestion.key,
            func.count().label("n"),
            func.max(UnansweredQuestion.id).label("last"),
        )
        .where(UnansweredQuestion.asked_at >= since)
        .group_by(UnansweredQuestion.key)
        .subquery()
    )
    rows = s.execute(
        select(UnansweredQuestion, counts.c.n)
        .join(counts, UnansweredQuestion.id == counts.c.last)
        .order_by(counts.c.n.desc(), UnansweredQuestion.id.desc())
        .limit(limit)
    ).all()
    return [Frequent(q.key, q.text, int(n), q.asked_at, q.outcome, q.understood) for q, n in rows]
