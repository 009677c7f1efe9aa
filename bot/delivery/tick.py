"""The scheduler's tick, the same for every channel: write what is due into the delivery ledger,
then send everything pending through the dispatcher."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from bot.app import metrics
from bot.core.messages import Address
from bot.delivery import failure_notices, leader_digest, reminders
from bot.delivery import review_notices as review
from bot.delivery.recipients import agency_name
from bot.delivery.worker import Dispatcher, DrainStats
from bot.flows import broadcasts
from storage.conversation import dialogs, inbox
from storage.db import unavailable

log = logging.getLogger(__name__)
PLANNERS = (
    # first: a responsible official who left gets no reminder for an agency that is no longer
    # theirs
    ("responsible officials who left their agency", leader_digest.plan_departures),
    ("deadline reminders", reminders.plan),
    ("explanation requests", review.plan_explanations),
    ("the focal department's review digest", review.plan_review_digest),
    ("the leaders' digests", leader_digest.plan),
)


def make_dispatcher(services, channels: dict | None = None) -> Dispatcher:
    """The one ledger worker of a process, with what it tells the focal department."""
    conv = services.conversation
    return Dispatcher(
        services.db,
        channels or {},
        conv.now,
        on_gone=lambda row, reason, removed: _gone(conv, row, reason, removed),
        on_broadcast_done=lambda bid: broadcasts.broadcast_report(conv, bid),
        lease=timedelta(seconds=services.settings.delivery_lease),
        on_channel_failing=lambda channel, failing, answered: (
            failure_notices.notice_channel_failing(conv, channel, failing, answered, conv.now())
        ),
    )


def _gone(conv, row, reason: str, removed: list) -> None:
    """A bound group removed the bot, or a member blocked it: the focal department is told."""
    if row.kind == "notice" and not removed:
        return  # a notice to an admin or the focal department itself: nobody else to tell
    agency = (
        removed[0].agency_name if removed else agency_name(conv.knowledge.current, row.agency_id)
    )
    failure_notices.notice_gone(
        conv, Address(row.channel, row.chat_id), agency, reason, conv.today()
    )


def plan_all(conv, now) -> int:
    """Every planner, each on its own: one that fails is logged, and the others still run."""
    written = 0
    for what, planner in PLANNERS:
        try:
            n = planner(conv, now)
            metrics.PLANNED.labels(what).inc(n)
            written += n
        except Exception as exc:  # noqa: BLE001 - logged; the next tick tries again
            if unavailable(exc):
                raise  # the database is down: nothing else can be planned or sent either
            log.exception("planning %s failed; the rest is planned and sent", what)
    return written


def _prune(services, now) -> None:
    """Redelivered updates come within minutes; ids older than a week are no longer needed."""
    try:
        with services.db.session() as s:
            dialogs.prune_processed(s, now - timedelta(days=7))
            inbox.prune(s, now - timedelta(days=7))
    except Exception as exc:  # noqa: BLE001 - pruning can wait for the next tick
        if unavailable(exc):
            raise
        log.exception("pruning processed updates failed")


async def run_cycle(services, dispatcher: Dispatcher) -> DrainStats:
    """Write what is due into the ledger, then send everything pending (also when planning
    failed)."""
    conv = services.conversation
    written = await asyncio.to_thread(plan_all, conv, conv.now())
    await asyncio.to_thread(_prune, services, conv.now())
    stats = await dispatcher.drain()
    if written or stats.sent or stats.failed or stats.gone:
        log.info(
            "cycle: %d new, %d sent, %d retried, %d failed, %d removed",
            written,
            stats.sent,
            stats.retried,
            stats.failed,
            stats.gone,
        )
    return stats
