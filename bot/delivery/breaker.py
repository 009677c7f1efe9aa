"""The breaker: when a large share of one channel's answers fail at once, the channel is failing,
not its recipients.

Its sends pause for a while (the rest of the fan-out waits, nobody's state changes: refusals kept
during this drain are forgotten) and the admins are told once per outage; a drain where the
channel answers well again closes the outage.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.db import Database
from storage.delivery import reachability

log = logging.getLogger(__name__)

# when at least BREAKER_MIN sends of one channel in a drain were answered, and BREAKER_SHARE of
# them failed (transiently, or refused), the channel is failing, not its recipients
BREAKER_MIN, BREAKER_SHARE = 10, 0.5
PAUSE = timedelta(minutes=5)


@dataclass
class _Tally:
    """One channel's answers in the current drain (the breaker's evidence)."""

    answered: int = 0
    failing: int = 0


class Breaker:
    def __init__(
        self,
        db: Database,
        clock: Callable[[], datetime],
        on_failing: Callable[[str, int, int], None] | None = None,
    ):
        self.db = db
        self.clock = clock
        self.on_failing = on_failing  # (channel, failing, answered): told once per outage
        self._tally: dict[str, _Tally] = {}
        self._paused: dict[str, datetime] = {}  # channel -> no sends before
        self._told: set[str] = set()  # channels whose outage the admins were told of
        self._drain_started = clock()

    def start_drain(self) -> None:
        """A drain begins: the evidence of the last one is dropped (pauses and outages stay)."""
        self._tally, self._drain_started = {}, self.clock()

    def paused_until(self, name: str, now: datetime) -> datetime | None:
        """When the channel's sends resume, while they are paused at ``now``."""
        until = self._paused.get(name)
        return until if until is not None and until > now else None

    def judge(self, name: str, failing: bool, sent: bool) -> None:
        """One answer of the channel (``failing``: see :attr:`Outcome.failing`)."""
        tally = self._tally.setdefault(name, _Tally())
        tally.answered += 1
        tally.failing += failing
        if tally.answered < BREAKER_MIN:
            return
        if tally.failing < BREAKER_SHARE * tally.answered:
            if sent:
                self._told.discard(name)
            return
        if self.paused_until(name, self.clock()) is not None:
            return
        self._paused[name] = self.clock() + PAUSE
        with self.db.session() as s:
            forgotten = reachability.forget_since(s, name, self._drain_started)
        log.error(
            "%s is failing: %d of %d sends failed at once; sending paused for %d s (%d refusal(s)"
            " not counted)",
            name,
            tally.failing,
            tally.answered,
            PAUSE.total_seconds(),
            forgotten,
        )
        if name not in self._told and self.on_failing is not None:
            self._told.add(name)
            self.on_failing(name, tally.failing, tally.answered)

    def forget_tripped(self) -> None:
        """Refusals kept during this drain on a channel that tripped the breaker (some were
        answered while it did)."""
        for name, until in self._paused.items():
            if until > self.clock() and name in self._tally:
                with self.db.session() as s:
                    reachability.forget_since(s, name, self._drain_started)
