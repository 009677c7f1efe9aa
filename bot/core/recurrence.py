"""Recurring deadlines: the rule, its occurrences, and the Vietnamese phrase that says it.

A rule repeats monthly, quarterly or yearly on one day of the month (1–31) or on the last day of
the month, from a start date, until an optional end date. Occurrences are computed by
python-dateutil's ``rrule``, never stored: the planner and the board ask for those inside their
window only.

Two decisions (README, "Recurring deadlines"):

- A day the month does not have (the 29th–31st in a short month, 29/02 in a common year) falls on
  the last day of that month: "hằng tháng ngày 31" is 28/02 (or 29/02) in February, 30/04 in April.
- A date on a weekend or a public holiday is kept, as for a one-off deadline (the reminders already
  move back to the working day before); the confirmation names the occurrences that fall on one.

The phrase (typed with or without diacritics) names the frequency — "hằng tháng", "hằng quý", "hằng
năm" (also "hàng…", "mỗi…", or "monthly", "quarterly", "yearly") — and optionally the day ("ngày
20", "ngày cuối tháng", "31/12"), a start ("từ 01/01/2027") and an end ("đến 31/12/2027").
Quarterly without a day is the last day of each quarter; "hằng quý ngày 20" is the 20th of the last
month of each quarter (03, 06, 09, 12); "hằng quý 15/01" is 15/01, 15/04, 15/07 and 15/10.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.rrule import MONTHLY as RR_MONTHLY
from dateutil.rrule import rrule

from bot.core.validate_input import LAST_DATE, BadInput, parse_day_month, parse_due_date

MONTHLY, QUARTERLY, YEARLY = "monthly", "quarterly", "yearly"
KINDS = (MONTHLY, QUARTERLY, YEARLY)
LAST_DAY = -1  # the last day of the month


@dataclass(frozen=True)
class Recurrence:
    """``month``: for yearly rules the month (1–12); for quarterly ones the month of the quarter
    (1–3: 3 is the quarter's last month); unused (0) for monthly ones."""

    kind: str
    day: int  # 1..31, or LAST_DAY
    month: int
    start: date
    until: date | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown recurrence {self.kind!r}")
        if not (self.day == LAST_DAY or 1 <= self.day <= 31):
            raise ValueError(f"day {self.day} out of range")
        if (
            self.kind == YEARLY
            and not 1 <= self.month <= 12
            or self.kind == QUARTERLY
            and not 1 <= self.month <= 3
        ):
            raise ValueError(f"month {self.month} out of range for {self.kind}")

    @property
    def months(self) -> tuple[int, ...]:
        if self.kind == MONTHLY:
            return tuple(range(1, 13))
        if self.kind == QUARTERLY:
            return tuple(self.month + 3 * q for q in range(4))
        return (self.month,)

    def _rule(self) -> rrule:
        # the days the month may offer for the wanted one; the last of them that the month has is
        # the date (bysetpos=-1): "31" is the 31st, or the 30th, 29th or 28th in a shorter month
        days = (
            (-1,)
            if self.day == LAST_DAY
            else (self.day,)
            if self.day <= 28
            else tuple(range(28, self.day + 1))
        )
        until = datetime.combine(min(self.until or LAST_DATE, LAST_DATE), time())
        return rrule(
            RR_MONTHLY,
            dtstart=datetime.combine(self.start, time()),
            until=until,
            bymonth=self.months,
            bymonthday=days,
            bysetpos=-1,
        )

    def between(self, first: date, last: date) -> list[date]:
        """The occurrences from ``first`` to ``last``, both included."""
        lo, hi = max(first, self.start), min(last, self.until or LAST_DATE)
        if lo > hi:
            return []
        return [
            d.date()
            for d in self._rule().between(
                datetime.combine(lo, time()), datetime.combine(hi, time()), inc=True
            )
        ]

    def next_on_or_after(self, day: date) -> date | None:
        found = self._rule().after(datetime.combine(max(day, self.start), time()), inc=True)
        return found.date() if found is not None else None

    def occurs_on(self, day: date) -> bool:
        return self.between(day, day) == [day]

    def as_columns(self) -> dict:
        """How storage keeps it (storage knows no rule)."""
        return {
            "repeat": self.kind,
            "repeat_day": self.day,
            "repeat_month": self.month,
            "repeat_until": self.until,
        }

    @staticmethod
    def from_columns(
        kind: str | None, day: int | None, month: int | None, start: date, until: date | None
    ) -> Recurrence | None:
        if not kind:
            return None
        return Recurrence(kind, day if day is not None else LAST_DAY, month or 0, start, until)

    def describe(self, tr) -> str:
        """ "monthly on the 20th", "quarterly on the last day", "yearly on 31/12", with its end."""
        if self.kind == MONTHLY:
            text = (
                tr.gettext("monthly, on the last day of the month")
                if self.day == LAST_DAY
                else tr.gettext("monthly, on day {day}").format(day=self.day)
            )
        elif self.kind == QUARTERLY:
            months = "/".join(f"{m:02d}" for m in self.months)
            text = (
                tr.gettext("quarterly, on the last day of months {months}")
                if self.day == LAST_DAY
                else tr.gettext("quarterly, on day {day} of months {months}")
            ).format(day=self.day, months=months)
        else:
            text = (
                tr.gettext("yearly, on the last day of month {month}").format(
                    month=f"{self.month:02d}"
                )
                if self.day == LAST_DAY
                else tr.gettext("yearly, on {day}/{month}").format(
                    day=f"{self.day:02d}", month=f"{self.month:02d}"
                )
            )
        if self.until is not None:
            text += " " + tr.gettext("until {date}").format(date=tr.date(self.until))
        return text


# --- occurrence keys
# -------------------------------------------------------------------------------


def occurrence_key(series_key: str, due: date) -> str:
    """The key of one occurrence (its reminders, acknowledgements, extensions):
    "db:12@2027-01-20"."""
    return f"{series_key}@{due.isoformat()}"


def split_occurrence(key: str) -> tuple[str, date | None]:
    """("db:12", 2027-01-20) for an occurrence's key; (key, None) for a one-off deadline's."""
    series, sep, when = key.partition("@")
    if not sep:
        return key, None
    try:
        return series, date.fromisoformat(when)
    except ValueError:
        return key, None


# --- the phrase
# -------------------------------------------------------------------------------------


def _plain(text: str) -> str:
    """Lower case without diacritics, keeping digits, slashes, dots and dashes (dates)."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    text = "".join(
        ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn"
    ).casefold()
    return " ".join(re.sub(r"[^\w/.\-]+", " ", text).split())


_DATE = r"(\d{1,2}[/.-]\d{1,2}[/.-]\d{1,6})"
_UNTIL = re.compile(rf"\b(?:den het|den|toi|cho den|until|till|to|ends?)\s+(?:ngay\s+)?{_DATE}")
_FROM = re.compile(rf"\b(?:bat dau tu|bat dau|tu|from|starting|starts?)\s+(?:ngay\s+)?{_DATE}")
_KIND = (
    (
        MONTHLY,
        re.compile(r"\b(?:hang|moi|hs|every)\s+thang\b|\bmonthly\b|\bevery month\b|\bmoi thang\b"),
    ),
    (QUARTERLY, re.compile(r"\b(?:hang|moi|every)\s+quy\b|\bquarterly\b|\bevery quarter\b")),
    (YEARLY, re.compile(r"\b(?:hang|moi|every)\s+nam\b|\byearly\b|\bannually\b|\bevery year\b")),
)
_LAST = re.compile(
    r"\b(?:(?:vao\s+)?ngay\s+)?cuoi\s+(?:cung\s+)?(?:cua\s+)?(?:thang|quy|nam)\b|\b(?:on\s+)?the"
    r" last day"
    r"(?: of (?:the|each) (?:month|quarter))?\b|\blast day\b"
)
_FULL_DATE = re.compile(rf"(?<![\d/.-]){_DATE}(?![\d/.-])")
_DAY_MONTH = re.compile(r"(?<![\d/.-])(\d{1,2}[/.-]\d{1,2})(?![\d/.-])")
_DAY = re.compile(
    r"\b(?:(?:vao\s+)?ngay|on the|on day|day|on)\s+(\d{1,3})(?:st|nd|rd|th)?\b|^(\d{1,3})$"
)
_FILLER = {
    "vao",
    "ngay",
    "hang",
    "cua",
    "moi",
    "of",
    "each",
    "month",
    "thang",
    "the",
    "on",
    "every",
}


@dataclass(frozen=True)
class When:
    """What the date part of /themhan says: one date, or a rule."""

    due: date  # the date, or the first occurrence of the rule
    recurrence: Recurrence | None = None


def parse_when(tr, text: str, today: date) -> When:
    """A one-off date (dd/mm/yyyy, the project's one date rule) or a recurrence phrase. Raises
    :class:`BadInput` saying what is wrong and what to write."""
    plain = _plain(text)
    kind = next((k for k, rx in _KIND if rx.search(plain)), None)
    if kind is None:
        if _UNTIL.search(plain) or _FROM.search(plain):
            raise BadInput(
                tr.gettext(
                    "“từ” and “đến” go with a recurrence: write e.g. “hằng tháng ngày 20 đến"
                    " 31/12/2027”."
                )
            )
        return When(parse_due_date(tr, text, today))
    rest = plain
    for _k, rx in _KIND:
        rest = rx.sub(" ", rest)
    rest, start, until = _start_and_end(tr, rest, today)
    rest, day, month, start = _day_and_month(tr, rest, today, start)
    _nothing_left(tr, rest)
    if (
        day is None and start is not None
    ):  # "hằng tháng từ 20/01/2027": on the start's day (and month)
        day, month = start.day, start.month
    start = start or today
    day, month = _day_of_kind(tr, kind, day, month)
    return _first(tr, kind, day, month, start, until)


def _cut(rest: str, m: re.Match[str]) -> str:
    """``rest`` without what ``m`` matched, a space in its place."""
    return rest[: m.start()] + " " + rest[m.end() :]


def _start_and_end(tr, rest: str, today: date) -> tuple[str, date | None, date | None]:
    """The phrase's "từ …" (start) and "đến …" (end) dates, and what is left of it."""
    until = start = None
    m = _UNTIL.search(rest)
    if m:
        until = parse_due_date(tr, m.group(1), today)
        rest = _cut(rest, m)
    m = _FROM.search(rest)
    if m:
        start = parse_due_date(tr, m.group(1), today)
        rest = _cut(rest, m)
    return rest, start, until


def _day_and_month(
    tr, rest: str, today: date, start: date | None
) -> tuple[str, int | None, int | None, date | None]:
    """The day (and month) the phrase names: a full first date, a day/month, "ngày cuối tháng"
    or "ngày 20"; the first that is there wins. Also the start a full date gives."""
    day = month = None
    m = _FULL_DATE.search(rest)
    if m:  # "hằng năm 31/12/2026": the first occurrence, which gives the day and the month
        first = parse_due_date(tr, m.group(1), today)
        start = start or first
        day, month = first.day, first.month
        rest = _cut(rest, m)
    m = _DAY_MONTH.search(rest)
    if m and day is None:
        day, month = parse_day_month(tr, m.group(1))
        rest = _cut(rest, m)
    m = _LAST.search(rest)
    if m and day is None:
        day = LAST_DAY
        rest = _cut(rest, m)
    m = _DAY.search(rest.strip())
    if m and day is None:
        n = int(m.group(1) or m.group(2))
        if not 1 <= n <= 31:
            raise BadInput(
                tr.gettext(
                    "A month has no day {n}; give a day from 1 to 31, or “ngày cuối tháng”."
                ).format(n=n)
            )
        day = n
        rest = _cut(rest.strip(), m)
    return rest, day, month, start


def _nothing_left(tr, rest: str) -> None:
    left = [w for w in rest.split() if w not in _FILLER]
    if left:
        raise BadInput(
            tr.gettext(
                "I do not understand “{words}” in the recurrence. Write e.g. “hằng tháng ngày 20”,"
                " “hằng quý”, “hằng năm 31/12”, optionally with “đến 31/12/2027”."
            ).format(words=" ".join(left)[:40])
        )


def _day_of_kind(tr, kind: str, day: int | None, month: int | None) -> tuple[int, int]:
    """The rule's day and month for its frequency (see :class:`Recurrence`), with the defaults a
    quarterly rule takes; a monthly rule needs a day, a yearly one a day and a month."""
    if kind == MONTHLY:
        if day is None:
            raise BadInput(
                tr.gettext(
                    "Say which day of the month: e.g. “hằng tháng ngày 20” or “hằng tháng ngày"
                    " cuối tháng”."
                )
            )
        return day, 0
    if kind == QUARTERLY:
        if day is None:
            return LAST_DAY, 3
        if month is None:
            return day, 3  # "ngày 20" of the quarter: of its last month
        return day, (month - 1) % 3 + 1
    if month is None or day is None:
        raise BadInput(
            tr.gettext("Say the day and month of a yearly deadline: e.g. “hằng năm 31/12”.")
        )
    return day, month


def _first(tr, kind: str, day: int, month: int, start: date, until: date | None) -> When:
    """The rule with its first occurrence; an end before the start, or no occurrence between
    them, is refused."""
    if until is not None and until < start:
        raise BadInput(
            tr.gettext("The end {end} is before the start {start}.").format(
                end=tr.date(until), start=tr.date(start)
            )
        )
    rule = Recurrence(kind, day, month, start, until)
    first_due = rule.next_on_or_after(start)
    if first_due is None:
        raise BadInput(
            tr.gettext(
                "This recurrence has no date between {start} and {end}; check the end date."
            ).format(start=tr.date(start), end=tr.date(until or LAST_DATE))
        )
    return When(first_due, rule)


def upcoming(rule: Recurrence, today: date, n: int = 3) -> list[date]:
    """The next ``n`` occurrences from today (for a confirmation)."""
    out: list[date] = []
    day = today
    while len(out) < n:
        found = rule.next_on_or_after(day)
        if found is None:
            break
        out.append(found)
        day = found + timedelta(days=1)
    return out
