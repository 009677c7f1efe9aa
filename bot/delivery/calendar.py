"""Working days and reminder times in Asia/Ho_Chi_Minh: Monday–Friday, minus public holidays."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class ReminderCalendar:
    tz: ZoneInfo
    at: time
    offsets: tuple[int, ...]
    holidays: frozenset[date] = frozenset()
    overdue_days: int = 5

    def working(self, d: date) -> bool:
        return d.weekday() < 5 and d not in self.holidays

    def previous_working(self, d: date) -> date:
        while not self.working(d):
            d -= timedelta(days=1)
        return d

    def next_working(self, d: date) -> date:
        d += timedelta(days=1)
        while not self.working(d):
            d += timedelta(days=1)
        return d

    def moment(self, d: date) -> datetime:
        return datetime.combine(d, self.at, self.tz)

    def reminder_at(self, due: date, offset: int) -> datetime:
        """When the reminder ``offset`` days before ``due`` goes out (moved back off weekends
        and holidays)."""
        return self.moment(self.previous_working(due - timedelta(days=offset)))

    def current_reminder(self, due: date, now: datetime) -> int | None:
        """The one reminder that is due now: the latest whose time has come, while the deadline is
        ahead.

        After downtime this is still one reminder per deadline, not one per missed tick; earlier
        ones whose moment has been overtaken by a later one are no longer relevant.
        """
        now = now.astimezone(self.tz)
        if now.date() > due:
            return None
        latest: tuple[datetime, int] | None = None
        for offset in sorted(self.offsets, reverse=True):
            at = self.reminder_at(due, offset)
            # two reminders moved onto the same working day are one: the one closer to the
            # deadline, so that "the last reminder" still comes when the deadline falls on a
            # weekend
            if at <= now and (latest is None or at >= latest[0]):
                latest = (at, offset)
        return latest[1] if latest else None

    def overdue_days_passed(self, due: date, now: datetime) -> int:
        """Working days since the deadline whose reminder moment has come (0: not overdue yet)."""
        now = now.astimezone(self.tz)
        d, n = due, 0
        while True:
            d = self.next_working(d)
            if self.moment(d) > now:
                return n
            n += 1
            if n > 366:
                return n

    def overdue_day(self, due: date, n: int) -> date:
        d = due
        for _ in range(n):
            d = self.next_working(d)
        return d
