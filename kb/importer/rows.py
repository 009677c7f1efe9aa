"""The rows of an assignment appendix, as any source gives them, and the flags raised on them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kb.normalize import fold

FIELDS = ("name", "lead", "coordinate", "scope")


class ImportError_(ValueError):
    """A source that cannot be imported, with what to do about it."""


@dataclass
class RawRow:
    """One row of the table: a component heading, or an indicator with its three cells."""

    kind: str  # "component" | "indicator"
    number: str  # the component's index ("1") or the indicator's STT ("5"); "" when not read
    name: str
    lead: str = ""
    coordinate: str = ""
    irregular: list[str] = field(default_factory=list)  # why the layout of this row is uncertain
    source: str = ""  # the row's text as read
    unnumbered: bool = False  # its number was not read (OCR): numbered by its place


@dataclass
class Flag:
    """One uncertain cell, for the admin to review."""

    indicator: str
    field: str
    read: str
    chosen: str
    why: str

    def as_dict(self) -> dict[str, str]:
        return {
            "indicator": self.indicator,
            "field": self.field,
            "read": self.read,
            "chosen": self.chosen,
            "why": self.why,
        }


@dataclass
class Source:
    """What a reader makes of the input: text before the table, the rows, text after it."""

    header: str
    rows: list[RawRow]
    body: str = ""
    text: str = ""  # the whole source text as read, shown beside the draft
    ocr: bool = (
        False  # read by OCR: names are repaired from the vocabulary, approximate names allowed
    )
    notes: list[str] = field(default_factory=list)


_ROMAN = {
    "I": 1,
    "II": 2,
    "III": 3,
    "IV": 4,
    "V": 5,
    "VI": 6,
    "VII": 7,
    "VIII": 8,
    "IX": 9,
    "X": 10,
}
_COMPONENT = re.compile(
    r"^\s*(?:(?P<roman>[IVXTl1|]{1,4})\s*[|.:)]?\s*)?\|?\s*"
    r"(?:CSTP|Chỉ số thành phần|Chi so thanh phan)"
    r"\s*(?P<num>\d{1,2})\s*[.:]?\s*(?P<name>.+?)\s*$",
    re.IGNORECASE,
)


def component(line: str) -> tuple[str, str] | None:
    """(index, name) when the line heads a component ("I CSTP 1. Giảm thiểu …")."""
    m = _COMPONENT.match(line)
    if not m or len(m.group("name")) < 3:
        return None
    return m.group("num"), m.group("name").strip(" .|")


def roman(text: str) -> int | None:
    return _ROMAN.get(text.strip().upper())


_HEADER_WORDS = frozenset(
    "stt chi so thanh phan co quan chu tri thuc hien phoi hop hqp thu".split()
)


def is_header(line: str) -> bool:
    """A repeated table heading line ("STT CHỈ SỐ THÀNH PHẦN CƠ QUAN CHỦ TRÌ", "THỰC HIỆN")."""
    words = [w for w in fold(line).split() if len(w) > 1 or w.isalpha()]
    letters = [c for c in line if c.isalpha()]
    if not words or not letters:
        return False
    upper = sum(c.isupper() for c in letters) / len(letters)
    inside = sum(w in _HEADER_WORDS for w in words) / len(words)
    return (
        upper > 0.7
        and inside >= 0.6
        and any(w in ("stt", "thuc", "quan", "chi", "hien") for w in words)
    )


def is_footnote(line: str) -> bool:
    return fold(line).startswith(("ghi chu", "ghi chii", "chu thich"))
