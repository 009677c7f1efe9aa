"""What /readyz and /metrics ask the database: a real write; the ledger's rows by status."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from storage.delivery import ledger
from storage.models.delivery import Delivery

# a lease row rewritten by every readiness check: proof that the database takes writes
PROBE = "health:probe"
WAITING = (ledger.PENDING, ledger.CLAIMED, ledger.IN_FLIGHT)


def write_probe(s: Session, owner: str, now: datetime) -> None:
    """Write one row (committed by the caller's unit of work); raises if the database cannot."""
    ledger.acquire_lease(
        s, PROBE, owner[:80], now, timedelta(0)
    )  # expires at once: any process rewrites it


def rows_by_channel_status(s: Session) -> dict[tuple[str, str], int]:
    return {
        (channel, status): int(n)
        for channel, status, n in s.execute(
            select(Delivery.channel, Delivery.status, func.count()).group_by(
                Delivery.channel, Delivery.status
            )
        )
    }


def due_backlog(s: Session, now: datetime) -> int:
    """Ledger rows waiting to be sent now (not those waiting for a retry time)."""
    return int(
        s.scalar(
            select(func.count())
            .select_from(Delivery)
            .where(
                Delivery.status.in_(WAITING),
                or_(Delivery.not_before.is_(None), Delivery.not_before <= now),
            )
        )
        or 0
    )
