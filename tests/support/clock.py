"""The one test clock: a fixed time the test sets or moves, or the real time plus an offset."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class Clock:
    """What the services take as their clock. ``Clock(t)`` stands at ``t`` (set ``clock.now`` to
    move it); ``Clock()`` follows the real time; ``advance`` and ``offset`` move either one
    forward."""

    def __init__(self, now: datetime | None = None):
        self.now = now
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return (self.now if self.now is not None else datetime.now(UTC)) + self.offset

    def advance(self, **kw: float) -> None:
        self.offset += timedelta(**kw)
