"""The process's metrics (prometheus_client), and each channel's last sign of life.

Counters are counted where the work happens — the core's unit of work, the delivery ledger's
sender, the reminder planners — and exported by the HTTP server's /metrics with the gauges read
at scrape time (ledger rows by status, the active knowledge-base version). Nothing here knows a
channel: a channel reports its polls and received updates by name through :func:`beat`.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

UPDATES = Counter(
    "pgi_updates",
    "Updates handled by the core, by channel and outcome "
    "(answered, duplicate, database_unavailable, error)",
    ["channel", "outcome"],
    registry=REGISTRY,
)
REPLY_SECONDS = Histogram(
    "pgi_reply_latency_seconds",
    "Time from an update entering the core to its reply being ready to send, by channel",
    ["channel"],
    registry=REGISTRY,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
SENDS = Counter(
    "pgi_ledger_sends",
    "Delivery-ledger messages by channel and outcome (sent, 429, "
    "retried, failed, gone, migrated, uncertain)",
    ["channel", "outcome"],
    registry=REGISTRY,
)
PLANNED = Counter(
    "pgi_reminders_planned",
    "Ledger rows written by the planners (deadline reminders, "
    "explanation requests, the review digest)",
    ["planner"],
    registry=REGISTRY,
)
DB_ERRORS = Counter(
    "pgi_database_errors",
    "Times the database could not do the work (read-only, disk full, connection lost), by where",
    ["where"],
    registry=REGISTRY,
)


def send_outcome(kind: str, retry_after: float, final: bool) -> str:
    """The metric label of a channel's answer: a retry with a wait is the channel's 429."""
    if kind == "retry" and not final:
        return "429" if retry_after > 0 else "retried"
    if kind == "retry":
        return "failed"  # the last try failed too
    return kind


@dataclass
class Beat:
    at: float  # time.monotonic() of the last sign of life
    mode: str  # "polling", "standby" (another process polls) or "webhook"


_beats: dict[str, Beat] = {}
_lock = threading.Lock()


def beat(channel: str, mode: str) -> None:
    """A channel polled (``polling``), stood by while another process polls (``standby``), or got a
    webhook request or had its webhook set (``webhook``)."""
    with _lock:
        _beats[channel] = Beat(time.monotonic(), mode)


def last_beat(channel: str) -> Beat | None:
    with _lock:
        return _beats.get(channel)


def forget_beats() -> None:
    """At the start of a run (and between tests): no channel has shown life yet."""
    with _lock:
        _beats.clear()


_unit = threading.local()  # what the update being handled in this thread ran into


def database_unavailable(where: str) -> None:
    """The database could not do the work: counted, and the update's outcome says so."""
    DB_ERRORS.labels(where).inc()
    _unit.unavailable = True


def counted_update(handle):
    """Wraps the core's ``handle(msg, ...)``: counts each update by channel and outcome."""
    import functools

    @functools.wraps(handle)
    def counted(self, msg, *args, **kwargs):
        started = time.monotonic()
        _unit.unavailable = False
        outcome = "error"
        try:
            reply = handle(self, msg, *args, **kwargs)
            outcome = (
                "database_unavailable"
                if _unit.unavailable
                else ("duplicate" if reply is None else "answered")
            )
            return reply
        finally:
            channel = str(getattr(msg, "channel", "") or "unknown")
            UPDATES.labels(channel, outcome).inc()
            if outcome == "answered":
                REPLY_SECONDS.labels(channel).observe(time.monotonic() - started)

    return counted
