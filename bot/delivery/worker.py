"""Sends what the delivery ledger holds, exactly once per key, through any channel.

Each channel (Telegram, Zalo, e-mail) implements :class:`Channel`: it sends one message with its
own pacing and reports an :class:`Outcome`, and calls the ``before_request`` hook right before its
HTTP request leaves, which marks the row in flight. A row is only sent by the process that claimed
it, and goes through the channel of its address.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Protocol

from bot.app import metrics
from bot.core.messages import Choice
from bot.delivery.breaker import Breaker
from storage.conversation import dialogs
from storage.db import Database, Outage, unavailable
from storage.delivery import broadcasts as broadcast_store
from storage.delivery import ledger, reachability
from storage.delivery.ledger import DeliveryInfo
from storage.directory import groups, people

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=60)
BATCH = 100  # rows claimed at a time: about 3.5 s of sending at 29 a second, well within the lease
CONCURRENCY = (
    8  # requests waiting in the rate limiter at once, so database writes overlap the pacing
)
MAX_ATTEMPTS = 6
REFUSED_RETRY = timedelta(hours=8)  # a refusal naming the recipient is tried again this much later


@dataclass(frozen=True)
class Outcome:
    # "sent" | "retry" | "refused" | "gone" | "migrated" | "failed" | "skip" | "uncertain" (the
    # connection was lost while the message was handed over: it may have arrived, so it is never
    # sent again)
    kind: str
    message_id: str | None = None
    retry_after: float = 0.0
    new_chat_id: str | None = None
    reason: str = ""
    throttled: bool = False  # a "retry" asked by the channel's quota (429): pacing, not a failure

    @property
    def failing(self) -> bool:
        """An answer that counts towards "the channel is failing": a refusal or an unthrottled
        retry."""
        return self.kind == "refused" or (self.kind == "retry" and not self.throttled)


class NotOwner(Exception):
    """Raised by the hook when this process no longer owns the row: the request must not leave."""


class Channel(Protocol):
    numbered: (
        bool  # no buttons: choices are drawn as a numbered list, and kept for the typed answer
    )

    async def send(
        self,
        chat_id: str,
        text: str,
        choices: list[Choice],
        before_request: Callable[[], Awaitable[None]],
    ) -> Outcome: ...


@dataclass
class DrainStats:
    sent: int = 0
    retried: int = 0
    gone: int = 0
    failed: int = 0
    migrated: int = 0
    finished_broadcasts: list[int] = field(default_factory=list)


def process_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Dispatcher:
    def __init__(
        self,
        db: Database,
        channels: dict[str, Channel],
        clock: Callable[[], datetime],
        owner: str | None = None,
        on_gone: Callable[[DeliveryInfo, str, list], None] | None = None,
        on_broadcast_done: Callable[[int], None] | None = None,
        lease: timedelta = LEASE,
        on_channel_failing: Callable[[str, int, int], None] | None = None,
    ):
        self.db = db
        self.channels = dict(channels)
        self.clock = clock
        self.owner = owner or process_owner()
        self.on_gone = on_gone
        self.on_broadcast_done = on_broadcast_done
        self.lease = lease
        self._lock = asyncio.Lock()
        self.outage = Outage("sending the delivery ledger", log)
        # (channel, failing, answered): told once per outage
        self.breaker = Breaker(db, clock, on_channel_failing)

    def recover(self) -> tuple[int, int]:
        with self.db.session() as s:
            back, lost = ledger.recover(s, self.clock(), self.lease)
        if lost:
            metrics.SENDS.labels("any", "uncertain").inc(lost)
        if back or lost:
            log.warning(
                "ledger recovery: %d claimed row(s) back to pending, %d in-flight row(s) marked"
                " uncertain",
                back,
                lost,
            )
        return back, lost

    async def drain(self, max_batches: int = 10_000) -> DrainStats:
        """Send pending rows until none is left (rows waiting for a retry time stay for a later
        drain).

        Workers send while the next rows are claimed, so the rate limiter always has requests
        waiting; rows are claimed in batches that are sent well within the lease.
        """
        stats = DrainStats()
        async with self._lock:  # one drain at a time in this process
            if not await asyncio.to_thread(self._sender):
                log.debug("another bot process is sending the ledger; this one waits")
                return stats
            await asyncio.to_thread(self.recover)  # rows of a process that stopped answering
            self.breaker.start_drain()
            queue: asyncio.Queue[DeliveryInfo | None] = asyncio.Queue()
            workers = [asyncio.create_task(self._worker(queue, stats)) for _ in range(CONCURRENCY)]
            broadcasts: set[int] = set()
            try:
                for _ in range(max_batches):
                    batch = await asyncio.to_thread(self._claim)
                    if not batch:
                        await queue.join()
                        broadcasts |= await asyncio.to_thread(self._unfinished_broadcasts)
                        finished = [
                            b
                            for b in sorted(broadcasts)
                            if await asyncio.to_thread(self._finish_if_done, b)
                        ]
                        stats.finished_broadcasts.extend(finished)
                        broadcasts -= set(finished)
                        batch = await asyncio.to_thread(
                            self._claim
                        )  # reports and notices written meanwhile
                        if not batch:
                            break
                    await asyncio.to_thread(self._sender)  # renew the lease batch by batch
                    for row in batch:
                        if row.broadcast_id is not None:
                            broadcasts.add(row.broadcast_id)
                        queue.put_nowait(row)
                    while (
                        queue.qsize() > CONCURRENCY * 2
                    ):  # claim the next batch shortly before this one ends
                        await asyncio.sleep(0.05)
            finally:
                for _ in workers:
                    queue.put_nowait(None)
                await asyncio.gather(*workers, return_exceptions=True)
                try:
                    await asyncio.to_thread(self.breaker.forget_tripped)
                    await asyncio.to_thread(self._release_sender)
                except Exception as exc:  # noqa: BLE001 - the lease lapses by itself; the drain's error counts
                    if not unavailable(exc):
                        raise
        self.outage.ok()
        return stats

    def _sender(self) -> bool:
        """One process sends at a time, so one rate limiter paces everything that goes to
        Telegram."""
        with self.db.session() as s:
            return ledger.acquire_sender(s, self.owner, self.clock(), self.lease)

    def _release_sender(self) -> None:
        with self.db.session() as s:
            ledger.release_sender(s, self.owner, self.clock())

    async def _worker(self, queue: asyncio.Queue, stats: DrainStats) -> None:
        while True:
            row = await queue.get()
            try:
                if row is None:
                    return
                await self._send_one(row, stats)
            except Exception as exc:  # noqa: BLE001 - one bad row must not stop the others
                # the row stays claimed, and is sent again after the lease
                if unavailable(exc):  # once per outage, not once per row
                    self.outage.failed(exc)
                else:
                    log.exception("delivery %s failed unexpectedly", getattr(row, "key", "?"))
            finally:
                queue.task_done()

    def _unfinished_broadcasts(self) -> set[int]:
        """Broadcasts still "sending", e.g. of a process that died before its last rows were
        final."""
        with self.db.session() as s:
            return {b.id for b in broadcast_store.unfinished(s)}

    def _claim(self) -> list[DeliveryInfo]:
        with self.db.session() as s:
            return ledger.claim(s, self.owner, self.clock(), BATCH)

    async def _send_one(self, row: DeliveryInfo, stats: DrainStats) -> None:
        async def before_request() -> None:
            def mark() -> bool:
                with self.db.session() as s:
                    return ledger.mark_in_flight(s, row.id, self.owner, self.clock())

            if not await asyncio.to_thread(mark):
                raise NotOwner(row.key)

        channel = self.channels.get(row.channel)
        if channel is None:
            await asyncio.to_thread(
                self._record,
                row,
                Outcome("failed", reason=f"channel {row.channel} is not enabled"),
                stats,
            )
            return
        paused = self.breaker.paused_until(row.channel, self.clock())
        if paused is not None:
            await asyncio.to_thread(self._hold, row, paused)  # not tried: no attempt is spent
            stats.retried += 1
            return
        try:
            outcome = await channel.send(
                row.chat_id, row.text, [Choice.from_dict(b) for b in row.buttons], before_request
            )
        except NotOwner:
            log.warning("delivery %s was taken over by another process; not sent here", row.key)
            return
        await asyncio.to_thread(self._record, row, outcome, stats)
        self.breaker.judge(row.channel, outcome.failing, outcome.kind == "sent")

    def _hold(self, row: DeliveryInfo, until: datetime) -> None:
        with self.db.session() as s:
            ledger.release(s, row.id, until, f"paused: {row.channel} is failing")

    def _record(self, row: DeliveryInfo, outcome: Outcome, stats: DrainStats) -> None:
        now = self.clock()
        final = row.attempts + 1 >= MAX_ATTEMPTS
        metrics.SENDS.labels(
            row.channel, metrics.send_outcome(outcome.kind, outcome.retry_after, final)
        ).inc()
        with self.db.session() as s:
            outcome = self._judged(s, row, outcome, now)
            removed = self._settle(s, row, outcome, now, stats)
        if outcome.kind == "gone" and self.on_gone is not None:
            self.on_gone(row, outcome.reason, removed)
        if outcome.kind in ("gone", "failed", "uncertain"):
            log.warning(
                "delivery %s to chat %s: %s (%s)",
                row.key,
                row.chat_id,
                outcome.kind,
                outcome.reason,
            )

    def _judged(self, s, row: DeliveryInfo, outcome: Outcome, now: datetime) -> Outcome:
        """A refusal while the channel is failing is not counted (it is retried when the pause
        ends); one that names the recipient makes them unreachable only after several, spread
        out."""
        paused = self.breaker.paused_until(row.channel, now)
        if outcome.kind == "refused" and paused is not None:
            return replace(outcome, kind="retry", retry_after=(paused - now).total_seconds())
        if outcome.kind == "refused":
            verdict = reachability.refused(s, row.channel, row.chat_id, now, outcome.reason)
            if verdict.unreachable:
                return replace(
                    outcome,
                    kind="gone",
                    reason=(
                        f"{outcome.reason} ({verdict.refusals} times since "
                        f"{verdict.first_at:%Y-%m-%d})"
                    ),
                )
        return outcome

    def _settle(
        self, s, row: DeliveryInfo, outcome: Outcome, now: datetime, stats: DrainStats
    ) -> list:
        """The row after the outcome: sent, moved to the migrated chat, final, or back to pending
        for a retry. The group bindings removed when the chat is gone."""
        removed: list = []
        if outcome.kind == "sent":
            ledger.mark_sent(s, row.id, outcome.message_id, now)
            channel = self.channels.get(row.channel)
            if row.buttons and channel is not None and channel.numbered:
                # the numbered list just sent is what a typed number answers
                dialogs.set_choices(s, row.channel, row.chat_id, row.user_id or 0, row.buttons)
            stats.sent += 1
        elif outcome.kind == "migrated" and outcome.new_chat_id is not None:
            groups.migrate_chat(s, row.channel, row.chat_id, outcome.new_chat_id)
            ledger.release(
                s,
                row.id,
                None,
                f"chat migrated to {outcome.new_chat_id}",
                chat_id=outcome.new_chat_id,
            )
            stats.migrated += 1
        elif outcome.kind == "gone":
            ledger.mark_final(s, row.id, ledger.GONE, outcome.reason)
            removed = groups.deactivate(s, row.channel, row.chat_id, outcome.reason)
            if row.user_id is not None or not removed:
                people.set_reachable(s, row.channel, row.chat_id, False)  # a person blocked it
            stats.gone += 1
        elif outcome.kind == "uncertain":
            ledger.mark_final(s, row.id, ledger.UNCERTAIN, outcome.reason)
            stats.failed += 1
        elif outcome.kind in ("retry", "refused") and row.attempts + 1 < MAX_ATTEMPTS:
            wait = max(outcome.retry_after, 2 ** (row.attempts + 1))
            if outcome.kind == "refused":
                wait = max(wait, REFUSED_RETRY.total_seconds())
            ledger.release(s, row.id, now + timedelta(seconds=wait), outcome.reason)
            stats.retried += 1
        else:
            ledger.mark_final(s, row.id, ledger.FAILED, outcome.reason or "gave up after retries")
            stats.failed += 1
        return removed

    def _finish_if_done(self, broadcast_id: int) -> bool:
        with self.db.session() as s:
            rows = ledger.by_broadcast(s, broadcast_id)
            if any(r.status not in ledger.FINAL for r in rows):
                return False
            done = broadcast_store.finish(s, broadcast_id)
        if done and self.on_broadcast_done is not None:
            self.on_broadcast_done(broadcast_id)
        return done
