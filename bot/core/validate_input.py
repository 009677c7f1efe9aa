"""What users type or press is checked where it enters, before it reaches the database or the
calendar.

One parser per notion, used by the chat and the web console alike: a row id (Integer columns:
1..2**31-1), a user id (BigInteger columns: 1..2**63-1), a deadline date (a sane window, so no year
9999 reaches the working-day calendar) and the deadline key carried by a reminder's button
("kb:<id>" or "db:<id>").
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from bot.app.i18n import Translator

ROW_ID_MAX = 2**31 - 1  # ids of rows (deadlines, requests, progress updates): Integer columns
USER_ID_MAX = 2**63 - 1  # Telegram user ids: BigInteger columns
FIRST_DATE = date(
    2000, 1, 1
)  # deadlines outside these are typing mistakes (or attacks on the calendar)
LAST_DATE = date(2100, 12, 31)
_DIGITS = re.compile(r"#?([0-9]{1,20})")
KB_ID_MAX = 120  # characters of a knowledge-base deadline id
_DMY = re.compile(
    r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$"
)  # 15/12/2026, 15.12.2026, 15-12-2026
_ISO = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$"
)  # 2026-12-15: what a browser's date field sends
_DM = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})\s*$")  # 31/12: a day of every year
_OCCURRENCE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})$"
)  # "db:12@2027-01-20": one occurrence of a recurring deadline


class BadInput(ValueError):
    """What was typed cannot be used; the text says what is wrong and what to do, in the user's
    language."""


def parse_id(text: str | None, maximum: int = ROW_ID_MAX) -> int | None:
    """A positive id ("12" or "#12") within 1..maximum; None for anything else (letters, 0, -3,
    20 digits)."""
    m = _DIGITS.fullmatch((text or "").strip())
    if not m:
        return None
    value = int(m.group(1))
    return value if 1 <= value <= maximum else None


def not_an_id(tr: Translator, text: str) -> str:
    """The answer to an id that :func:`parse_id` refused."""
    return tr.gettext("“{text}” is not a valid id.").format(text=text[:30])


def date_in_window(value: date) -> bool:
    return FIRST_DATE <= value <= LAST_DATE


def looks_like_date(text: str) -> bool:
    """Whether the text is written as dd/mm/yyyy at all, valid or not."""
    return bool(_DMY.match(text or ""))


def parse_due_date(tr: Translator, text: str, today: date, *, date_field: bool = False) -> date:
    """A deadline date: dd/mm/yyyy as typed (and yyyy-mm-dd from a form's date field), a real date,
    within FIRST_DATE..LAST_DATE, from today on; the one rule of the chat and the web console.
    Raises :class:`BadInput` with the reason."""
    text = (text or "").strip()
    dmy, iso = _DMY.match(text), _ISO.match(text) if date_field else None
    ymd: tuple[int, int, int] | None = None
    if dmy:
        ymd = (int(dmy.group(3)), int(dmy.group(2)), int(dmy.group(1)))
    elif iso:
        ymd = (int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    try:
        value = date(*ymd) if ymd else None
    except ValueError:
        value = None
        if ymd and ymd[0] >= 1:  # written as a date, but the calendar has no such day
            raise BadInput(_no_such_day(tr, text[:40], ymd[0], ymd[1])) from None
    if value is None:
        raise BadInput(
            tr.gettext("“{text}” is not a date; write it as dd/mm/yyyy, e.g. 15/12/2026.").format(
                text=text[:40]
            )
        )
    if not date_in_window(value):
        raise BadInput(
            tr.gettext("{date} is outside the years {first}–{last}; check the year.").format(
                date=text, first=FIRST_DATE.year, last=LAST_DATE.year
            )
        )
    if value < today:
        raise BadInput(
            tr.gettext("{date} is in the past; give a date from today on.").format(
                date=tr.date(value)
            )
        )
    return value


def parse_day_month(tr, text: str) -> tuple[int, int]:
    """A day and month without a year ("31/12", for a yearly deadline): one that exists in some
    year (29/02 does; 31/02 and 31/04 do not). Raises :class:`BadInput` with the reason."""
    m = _DM.match(text or "")
    try:
        if m is None:
            raise ValueError
        day, month = int(m.group(1)), int(m.group(2))
        date(2000, month, day)  # a leap year: 29/02 is a day of some years
    except ValueError:
        raise BadInput(
            tr.gettext("“{text}” is not a day of the year; write it as dd/mm, e.g. 31/12.").format(
                text=(text or "")[:40]
            )
        ) from None
    return day, month


def _no_such_day(tr, text: str, year: int, month: int) -> str:
    if not 1 <= month <= 12:
        return tr.gettext(
            "“{text}” does not exist: there is no month {month}; write the date as dd/mm/yyyy,"
            " e.g. 15/12/2026."
        ).format(text=text, month=month)
    return tr.gettext(
        "“{text}” does not exist: month {month:02d}/{year} has {days} days; check the day."
    ).format(text=text, month=month, year=year, days=calendar.monthrange(year, month)[1])


def parse_deadline_key(key: str) -> tuple[str, str | int] | None:
    """("kb", "<id>") or ("db", <row id>) for a well-formed key, else None; whether it exists is
    the caller's check.

    A recurring deadline's occurrence ("db:12@2027-01-20") parses as its series ("db", 12) when
    its date is a real one; which occurrences exist is the caller's check too."""
    kind, _, rest = key.partition(":")
    if kind == "kb" and 0 < len(rest) <= KB_ID_MAX:
        return "kb", rest
    if kind == "db" and not rest.startswith("#"):
        rest, sep, when = rest.partition("@")
        if sep:
            m = _OCCURRENCE.match(when)
            try:
                if m is None or not date_in_window(
                    date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                ):
                    return None
            except ValueError:
                return None
        row = parse_id(rest)
        return ("db", row) if row is not None else None
    return None
