"""The checks every knowledge-base field goes through: known keys, texts, lists, dates and whole
numbers, each problem named by file and path inside the file.

The checks of agencies, documents, plans and places (kb/check/agencies.py, documents.py,
scores.py, tasks.py, places.py) build on :class:`FieldChecks`; kb/check/validate.py puts them
together.
"""

from __future__ import annotations

import calendar
import difflib
import re
from datetime import date
from typing import Any

from kb.check.problems import N_, Problem

ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_YMD = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")

FIRST_DATE, LAST_DATE = date(2000, 1, 1), date(2100, 12, 31)  # a date outside is a typing mistake
_KEY = re.compile(r"(?:^|\.)([A-Za-z_]+)(?:\[\d+\])*$")
# longest text a field may hold, by its key; the shipped files stay well below (names ~100, notes
# ~200)
_ID_KEYS = {
    "id",
    "code",
    "type",
    "kind",
    "number",
    "form",
    "index",
    "since",
    "succeeded_by",
    "member_types",
    "unit",
    "phone",
}
_NAME_KEYS = {
    "name",
    "title",
    "scope",
    "aliases",
    "members",
    "issuer",
    "signer",
    "source",
    "agency",
    "agencies",
    "audience",
    "recipients",
}
_NOTE_KEYS = {"note", "goal", "date_note", "number_note"}
ID_MAX, NAME_MAX, NOTE_MAX, TEXT_MAX = 120, 500, 2000, 10_000


def shown(value: Any, limit: int = 40) -> str:
    """A value as a problem quotes it: a scalar cut to ``limit`` characters, anything else by its
    type (never the whole of a list or mapping, which may be huge)."""
    if isinstance(value, (str, int, float, date)) and not isinstance(value, bool):
        return str(value)[:limit]
    return f"<{type(value).__name__}>"


def text_limit(path: str) -> int:
    """The longest text allowed at ``path`` ("components[0].indicators[4].name" -> a name's
    limit)."""
    m = _KEY.search(path)
    key = m.group(1) if m else ""
    if key in _ID_KEYS:
        return ID_MAX
    if key in _NAME_KEYS:
        return NAME_MAX
    if key in _NOTE_KEYS:
        return NOTE_MAX
    return TEXT_MAX


def join(path: str, key: str) -> str:
    """The path of ``key`` inside ``path`` ("components[0]", "code" -> "components[0].code")."""
    return f"{path}.{key}" if path else key


class FieldChecks:
    """Notes problems, and checks one field at a time."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, file: str, path: str, template: str, **values: Any) -> None:
        """Notes a problem: ``template`` is marked with N_ and translated where it is shown."""
        self.problems.append(Problem.of(file, path, template, **values))

    def _keys(
        self, file: str, path: str, data: dict, allowed: set[str], required: set[str]
    ) -> None:
        for key in data:
            if key not in allowed:
                hint = difflib.get_close_matches(shown(key, 200), sorted(allowed), n=1)
                where, allowed_list = join(path, shown(key, 200)), ", ".join(sorted(allowed))
                if hint:
                    self.problem(
                        file,
                        where,
                        N_("unknown field (did you mean '{hint}'?); allowed: {allowed}"),
                        hint=hint[0],
                        allowed=allowed_list,
                    )
                else:
                    self.problem(
                        file, where, N_("unknown field; allowed: {allowed}"), allowed=allowed_list
                    )
        for key in sorted(required):
            if data.get(key) in (None, "", []):
                self.problem(file, join(path, key), N_("missing field; it is required"))

    def _text(self, file: str, path: str, value: Any, required: bool = True) -> str | None:
        if value is None or value == "":
            if required:
                self.problem(file, path, N_("missing text; it is required"))
            return None
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.problem(file, path, N_("must be text, not {kind}"), kind=type(value).__name__)
            return None
        text = str(value).strip()
        limit = text_limit(path)
        if len(text) > limit:
            self.problem(
                file,
                path,
                N_("is too long ({n} characters); shorten it to at most {limit}"),
                n=len(text),
                limit=limit,
            )
            return None
        return text

    def _texts(self, file: str, path: str, value: Any) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            return (value.strip(),)
        if not isinstance(value, list):
            self.problem(file, path, N_("must be a list of texts"))
            return ()
        out = []
        for i, v in enumerate(value):
            t = self._text(file, f"{path}[{i}]", v)
            if t:
                out.append(t)
        return tuple(out)

    def _list(self, file: str, path: str, value: Any, required: bool = False) -> list:
        if value is None:
            if required:
                self.problem(file, path, N_("missing list; it is required"))
            return []
        if not isinstance(value, list):
            self.problem(file, path, N_("must be a list"))
            return []
        if required and not value:
            self.problem(file, path, N_("must not be empty"))
        return value

    def _date(self, file: str, path: str, value: Any, required: bool = True) -> date | None:
        if value is None or value == "":
            if required:
                self.problem(file, path, N_("missing date; write it as YYYY-MM-DD"))
            return None
        try:
            found = value if isinstance(value, date) else date.fromisoformat(shown(value).strip())
        except ValueError:
            self._bad_date(file, path, shown(value).strip())
            return None
        if not FIRST_DATE <= found <= LAST_DATE:
            self.problem(
                file,
                path,
                N_("date {date} is outside {first}–{last}; check the year"),
                date=found.isoformat(),
                first=FIRST_DATE.year,
                last=LAST_DATE.year,
            )
            return None
        return found

    def _bad_date(self, file: str, path: str, written: str) -> None:
        """A date written YYYY-MM-DD whose day or month does not exist (2025-02-31) is called
        so, not a wrong format."""
        m = _YMD.match(written)
        if m is None or int(m.group(1)) < 1:
            self.problem(
                file,
                path,
                N_("bad date '{value}'; write it as YYYY-MM-DD, e.g. 2024-07-20"),
                value=written,
            )
            return
        year, month, day = (int(g) for g in m.groups())
        if not 1 <= month <= 12:
            self.problem(
                file,
                path,
                N_(
                    "the date '{value}' does not exist: there is no month {month}; write "
                    "YYYY-MM-DD (year, month, day)"
                ),
                value=written,
                month=month,
            )
            return
        self.problem(
            file,
            path,
            N_(
                "the date '{value}' does not exist: month {month:02d}/{year} has {days} days; "
                "check the day"
            ),
            value=written,
            month=month,
            year=year,
            days=calendar.monthrange(year, month)[1],
        )

    def _int(self, file: str, path: str, value: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        self.problem(file, path, N_("must be a whole number, not '{value}'"), value=shown(value))
        return None
