"""Long polling by one process at a time, the same for every polling channel (Telegram, Zalo).

A channel that polls holds a lease in the database (``sender_leases``, by name) while it polls:
renewed at every turn, taken over by another process when it lapses, and given back on a graceful
stop, so a process started right after answers at once. A database error never stops the loop:
it is logged once per outage, the loop waits (1 s, doubling up to 30 s) and carries on by itself
when the database is back. While it cannot be renewed the channel keeps doing what it did (see
``step`` below): a channel may go on polling, or wait, as its own inbox requires.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from storage.db import Database, Outage
from storage.delivery import ledger

log = logging.getLogger(__name__)

Step = Callable[[bool], Awaitable[float]]


async def sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    """Wait ``seconds``, or less when ``stop`` is set meanwhile."""
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        pass


class LeasePoller:
    """One polling channel's lease, and the loop that renews it around the channel's own step.

    ``check(session)`` runs in the renewal's transaction: a channel that must store what it polls
    (Zalo's inbox) checks there that it can write, and the step runs only when both committed.
    """

    def __init__(
        self,
        db: Database,
        name: str,
        owner: str,
        clock: Callable[[], datetime],
        ttl: timedelta,
        check: Callable[[Session], None] | None = None,
    ):
        self.db, self.name, self.owner, self.clock, self.ttl = db, name, owner, clock, ttl
        self.check = check
        self.outage = Outage(f"polling lease {name}", log)

    def take(self) -> bool:
        """Become or stay the holder (and run the check); False while another process holds it."""
        with self.db.session() as s:
            held = ledger.acquire_lease(s, self.name, self.owner, self.clock(), self.ttl)
            if held and self.check is not None:
                self.check(s)
        return held

    def release(self) -> None:
        with self.db.session() as s:
            ledger.release_lease(s, self.name, self.owner, self.clock())

    async def run(
        self, stop: asyncio.Event, step: Step, on_stop: Callable[[], Awaitable[None]] | None = None
    ) -> None:
        """Until ``stop``: renew the lease, then ``await step(held)``, which returns the seconds
        to wait before the next renewal. When the renewal fails (the database is down) the step
        is skipped. On the way out ``on_stop`` runs, then the lease is given back (if the
        database lets it)."""
        try:
            while not stop.is_set():
                try:
                    held = await asyncio.to_thread(self.take)
                except Exception as exc:  # noqa: BLE001 - logged once per outage; tried again
                    await sleep_or_stop(stop, self.outage.failed(exc))
                    continue
                self.outage.ok()
                wait = await step(held)
                if wait > 0:
                    await sleep_or_stop(stop, wait)
        finally:
            if on_stop is not None:
                await on_stop()
            await self._give_back()

    async def _give_back(self) -> None:
        try:
            await asyncio.to_thread(self.release)
            log.info("polling lease %s given back", self.name)
        except Exception as exc:  # noqa: BLE001 - it lapses by itself after its ttl
            log.warning(
                "polling lease %s could not be given back (%s); it lapses in %d s",
                self.name,
                type(exc).__name__,
                self.ttl.total_seconds(),
            )
