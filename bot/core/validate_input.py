"""What users type or press is checked where it enters, before it reaches the database or the calendar.

One parser per notion: a row id (Integer columns: 1..2**31-1), a user id (BigInteger columns:
1..2**63-1), a deadline date (a sane window, so no year 9999 reaches the working-day calendar) and
the deadline key carried by a reminder's button ("kb:<id>" or "db:<id>").
"""

from __future__ import annotations

import re
from datetime import date

ROW_ID_MAX = 2**31 - 1  # ids of rows (deadlines, requests, progress updates): Integer columns
USER_ID_MAX = 2**63 - 1  # Telegram user ids: BigInteger columns
FIRST_DATE = date(2000, 1, 1)  # deadlines outside these are typing mistakes (or attacks on the calendar)
LAST_DATE = date(2100, 12, 31)
_DIGITS = re.compile(r"#?([0-9]{1,20})")
KB_ID_MAX = 120  # characters of a knowledge-base deadline id


def parse_id(text: str | None, maximum: int = ROW_ID_MAX) -> int | None:
    """A positive id ("12" or "#12") within 1..maximum; None for anything else (letters, 0, -3, 20 digits)."""
    m = _DIGITS.fullmatch((text or "").strip())
    if not m:
        return None
    value = int(m.group(1))
    return value if 1 <= value <= maximum else None


def not_an_id(tr, text: str) -> str:
    """The answer to an id that :func:`parse_id` refused."""
    return tr.gettext("“{text}” is not a valid id.").format(text=text[:30])


def date_in_window(value: date) -> bool:
    return FIRST_DATE <= value <= LAST_DATE


def parse_deadline_key(key: str) -> tuple[str, str | int] | None:
    """("kb", "<id>") or ("db", <row id>) for a well-formed key, else None; whether it exists is the caller's check."""
    kind, _, rest = key.partition(":")
    if kind == "kb" and 0 < len(rest) <= KB_ID_MAX:
        return "kb", rest
    if kind == "db" and not rest.startswith("#"):
        row = parse_id(rest)
        return ("db", row) if row is not None else None
    return None
