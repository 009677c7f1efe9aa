"""Deadlines in a plan's body (section III "Tổ chức thực hiện" and the like), drafted for review.

"… hoàn thành trước ngày 20/7/2024", "chậm nhất ngày 10/12/2024", "trước ngày 20 tháng 7 năm
2024", "định kỳ hằng quý": each sentence that sets one becomes a draft with its date or its
period, the audience as the item's heading names it, and where it stands. Drafts are shown to
the admin to confirm; nothing here is activated by itself.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from kb.normalize import fold

_DMY = re.compile(r"(?:truoc|cham nhat|han|den) (?:ngay )?(\d{1,2}) (\d{1,2}) (\d{4})")
_LONG = re.compile(r"(?:truoc|cham nhat|han|den) (?:ngay )?(\d{1,2}) thang (\d{1,2}) nam (\d{4})")
_EVERY = re.compile(
    r"dinh ky (?:hang|hang) (quy|thang|nam|tuan)|(?:hang|moi) (quy|thang|nam) (?:bao cao|gui)"
)
_PERIODS = {"quy": "quarterly", "thang": "monthly", "nam": "yearly", "tuan": "weekly"}
_SECTION = re.compile(r"^\s*([IVX]+)\s*[.)]\s*(.+)$")
_ITEM = re.compile(r"^\s*(\d{1,2})\s*[.)]\s*(.+)$")
_SENTENCE = re.compile(r"(?<=[.;])\s+|\n")


def draft_deadlines(text: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    section = item = ""
    audience = ""
    for line in text.split("\n"):
        sec = _SECTION.match(line)
        if sec:
            section, item = sec.group(1), ""
        it = _ITEM.match(line)
        if it:
            item = it.group(1)
            audience = it.group(2).split(":")[0].strip()[:200]
        for sentence in _SENTENCE.split(line):
            found = _deadline(sentence)
            if found:
                found["source"] = f"Mục {section}.{item}".rstrip(".") if section else ""
                if audience:
                    found["audience"] = audience
                out.append(found)
    return out


def _deadline(sentence: str) -> dict[str, Any] | None:
    f = fold(sentence.replace("/", " "))
    text = " ".join(sentence.split()).strip(" -")
    for rx in (_DMY, _LONG):
        m = rx.search(f)
        if m:
            try:
                when = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            except ValueError:
                return None
            return {"text": text, "date": when.isoformat()}
    m = _EVERY.search(f)
    if m:
        return {"text": text, "every": _PERIODS[m.group(1) or m.group(2)]}
    return None
