"""Readiness (/readyz) and the metrics read at scrape time (/metrics), channel-neutral.

Ready means: the database takes a write, a knowledge base is loaded, every enabled channel showed
life within its expected interval (a polling channel polled, or stood by while another process
polls, within ``PGI_READY_POLL_SECONDS``; a webhook channel has its webhook set), and the ledger's
rows waiting to be sent now are fewer than ``PGI_READY_MAX_BACKLOG``.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Gauge, generate_latest

from bot.app import metrics
from storage.ops import health

if TYPE_CHECKING:
    from bot.app.services import Services

log = logging.getLogger(__name__)


@dataclass
class Readiness:
    ready: bool = True
    checks: dict = field(default_factory=dict)
    failing: list[str] = field(default_factory=list)

    def fail(self, name: str, why: str) -> None:
        self.ready = False
        self.checks[name] = why
        self.failing.append(f"{name}: {why}")

    @property
    def body(self) -> dict:
        out: dict = {"ready": self.ready, "checks": self.checks}
        if self.failing:
            out["failing"] = self.failing[0]
        return out


def _database(services: Services, owner: str, out: Readiness) -> int | None:
    """Write the probe row and count the backlog in one unit of work; the backlog, or None."""
    from storage.db import failure_summary

    now = services.conversation.now()
    try:
        with services.db.session() as s:
            health.write_probe(s, owner, now)
            backlog = health.due_backlog(s, now)
    except Exception as exc:  # noqa: BLE001 - any failure means the same here: not ready
        metrics.DB_ERRORS.labels("readyz").inc()
        out.fail("database", f"cannot write ({failure_summary(exc)})")
        return None
    out.checks["database"] = "ok"
    return backlog


def check(services: Services, channels: dict[str, str], owner: str) -> Readiness:
    """``channels``: each enabled channel and how it receives (``polling`` or ``webhook``)."""
    out = Readiness()
    backlog = _database(services, owner, out)
    try:
        out.checks["knowledge_base"] = f"version {services.knowledge.current.version.id}"
    except RuntimeError:
        out.fail("knowledge_base", "not loaded")
    limit = services.settings.ready_poll_seconds
    for name, mode in sorted(channels.items()):
        seen = metrics.last_beat(name)
        if seen is None:
            out.fail(
                f"channel {name}",
                "webhook not set yet" if mode == "webhook" else "has not polled yet",
            )
            continue
        age = time.monotonic() - seen.at
        if mode != "webhook" and age > limit:
            out.fail(f"channel {name}", f"last polled {age:.0f} s ago (more than {limit} s)")
            continue
        out.checks[f"channel {name}"] = f"{seen.mode}, {age:.0f} s ago"
    if backlog is not None:
        if backlog >= services.settings.ready_max_backlog:
            out.fail(
                "backlog",
                f"{backlog} messages waiting (limit {services.settings.ready_max_backlog})",
            )
        else:
            out.checks["backlog"] = backlog
    return out


def exposition(services: Services, channels: dict[str, str]) -> bytes:
    """The process's counters, then the gauges read now (ledger rows, knowledge-base version, the
    seconds since each channel's last sign of life), in Prometheus's text format."""
    now_registry = CollectorRegistry(auto_describe=True)
    rows = Gauge(
        "pgi_ledger_rows",
        "Delivery-ledger rows by channel and status",
        ["channel", "status"],
        registry=now_registry,
    )
    backlog = Gauge(
        "pgi_ledger_backlog", "Ledger rows waiting to be sent now", registry=now_registry
    )
    kb = Gauge("pgi_kb_version", "Id of the active knowledge-base version", registry=now_registry)
    seen = Gauge(
        "pgi_channel_last_seen_seconds",
        "Seconds since each enabled channel last polled, stood by or received a webhook",
        ["channel"],
        registry=now_registry,
    )
    now = services.conversation.now()
    try:
        with services.db.session() as s:
            for (channel, status), n in health.rows_by_channel_status(s).items():
                rows.labels(channel, status).set(n)
            backlog.set(health.due_backlog(s, now))
    except Exception as exc:  # noqa: BLE001 - counted; the rest of the metrics still go out
        metrics.DB_ERRORS.labels("metrics").inc()
        log.warning("metrics: the ledger could not be read (%s)", type(exc).__name__)
    try:
        kb.set(services.knowledge.current.version.id)
    except RuntimeError:
        pass
    for name in channels:
        beat = metrics.last_beat(name)
        if beat is not None:
            seen.labels(name).set(round(time.monotonic() - beat.at, 3))
    return generate_latest(metrics.REGISTRY) + generate_latest(now_registry)
