"""Premises with numbers and dates: "hạn là 15/3/2023 à", "CSTP 2 được 5,99 điểm hả", "có 40 chỉ số
đúng không".

:func:`find` takes the stated value out of the question (so the other recognisers read the question
itself, and "5,99" is not taken for an indicator code) when the question asks for a confirmation.
:func:`check` compares the value with the answer the executor found and records the verdict.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kb.ask.answers import Answer, Premise
from kb.model import Rank
from kb.normalize import fold

_CONFIRM = re.compile(
    r"(?:\b(?:dung|phai)\s+(?:khong|k|ko|kg|chu|ko\s+a|khong\s+a)\b|\b(?:ha|a|nhi|ak)\s*[?.!]*\s*$|\bright\b|"
    r"\bcorrect\b|\bis it true\b|^\s*(?:was|is|did|does)\b)"
)
_DATE = re.compile(r"\b(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*(\d{4}))?\b")
_RANK = re.compile(r"\b(\d{1,2})\s*/\s*63\b")
_RANK_WORD = re.compile(r"\b(?:xep|hang|thu|rank|ranked)\D{0,12}?(\d{1,2})\b(?!\s*[/,.%]\d)")
_MEASURE = re.compile(r"(?<![\d/.,])(\d{1,3}(?:[.,]\d{1,2})?)\s*(%|diem|points?)")
_COUNT = re.compile(r"\b(\d{1,3})\s+(?:chi so|chi tieu|cstp|indicators?|components?)\b")
_DECIMAL = re.compile(r"(?<![\d/.,])(\d{1,3}[.,]\d{1,2})(?![\d/.,])")
_CODE_BEFORE = re.compile(r"(?:chi so|chi tieu|tieu chi|muc|cstp|stt|indicator|item)\s*$")
_PATTERNS = (
    (_RANK, "rank"),
    (_DATE, "date"),
    (_MEASURE, "measure"),
    (_COUNT, "count"),
    (_DECIMAL, "measure"),
    (_RANK_WORD, "rank"),
)


@dataclass(frozen=True)
class Stated:
    kind: str  # "date" | "rank" | "measure" | "count"
    text: str  # as written
    value: (
        tuple[int, int, int | None] | int | Decimal
    )  # date parts (d, m, y|None) | rank | measure | count

    @property
    def date_parts(self) -> tuple[int, int, int | None]:
        """Day, month and year (None when not written) of a stated date."""
        if not isinstance(self.value, tuple):
            raise TypeError(f"a stated {self.kind} has no date parts")
        return self.value


def _date(m: re.Match) -> Stated:
    d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3)) if m.group(3) else None
    return Stated("date", m.group(0), (d, mo, y))


def _fold_chars(text: str) -> str:
    """Lower case without diacritics, one character for one: positions stay those of ``text``."""
    out = []
    for ch in text:
        base = "".join(
            c for c in unicodedata.normalize("NFD", ch) if unicodedata.category(c) != "Mn"
        )
        out.append("d" if ch in "đĐ" else (base[:1].lower() or " "))
    return "".join(out)


def _is_code(folded: str, start: int, end: int | None = None) -> bool:
    """A number right after "chỉ số", "chỉ tiêu", "mục", "CSTP" names an indicator, not a value;
    so does a bare decimal opening the question ("2.4 thì đơn vị nào chủ trì nhỉ")."""
    if end is not None and not folded[:start].strip() and not _UNIT_AFTER.match(folded[end:]):
        return True
    return bool(_CODE_BEFORE.search(folded[max(0, start - 14) : start]))


_UNIT_AFTER = re.compile(r"\s*(?:%|diem|points?)")


def find(question: str) -> tuple[Stated | None, str]:
    """The value a confirmation question states, and the question without it (or None, the
    question)."""
    if not _CONFIRM.search(fold(question)):
        return None, question
    folded = _fold_chars(question)
    raw = question
    for pattern, kind in _PATTERNS:
        m = next(
            (x for x in pattern.finditer(folded) if not _is_code(folded, x.start(), x.end())),
            None,
        )
        if m is None or (kind == "date" and int(m.group(2)) > 12):
            continue
        if kind == "date":
            stated = _date(m)
        elif kind == "measure":
            unit = m.group(2) if m.lastindex and m.lastindex >= 2 and m.group(2) == "%" else ""
            stated = Stated(
                "measure",
                m.group(1).replace(".", ",") + unit,
                Decimal(m.group(1).replace(",", ".")),
            )
        else:
            stated = Stated(
                kind,
                m.group(1 if kind == "count" or pattern is _RANK_WORD else 0),
                int(m.group(1)),
            )
        start, end = (
            m.span(1) if kind in ("count", "measure") or pattern is _RANK_WORD else m.span(0)
        )
        if kind == "measure" and pattern is _MEASURE and m.group(2) == "%":
            end = m.span(2)[1]
        return stated, raw[:start] + " " + raw[end:]
    return None, question


def _rank_holds(stated: Stated, rank: Rank | None) -> bool | None:
    return None if rank is None else rank.position == stated.value


def _score_row(ans: Answer):
    """The one row a premise can be about: the only one shown, or the total; None among several
    rows."""
    rows = [v for v in ans.scores if v.scores is not None]
    if len(rows) == 1:
        return rows[0]
    return next((v for v in rows if v.label == "total"), None)


def _check_scores(stated: Stated, ans: Answer, wants: str) -> tuple[bool | None, str]:
    row = _score_row(ans)
    if row is None:
        return None, ""
    s = row.scores
    if stated.kind == "rank":
        rank = s.target_rank if wants == "target" else s.rank
        return _rank_holds(stated, rank), (
            f"{rank.position}/{rank.of}"
            if rank and rank.of
            else str(rank.position if rank else "")
        )
    measure = {"target": s.target, "median": s.median}.get(wants, s.score)
    if measure is None:
        return None, ""
    return measure.value == stated.value, str(measure.value)


def _check_deadlines(stated: Stated, ans: Answer) -> tuple[bool | None, str]:
    if not ans.deadlines:
        return None, ""
    d, m, y = stated.date_parts
    for v in ans.deadlines:
        when = v.deadline.date
        if (when.day, when.month) == (d, m) and (y is None or when.year == y):
            ans.deadlines = [v]
            return True, when.isoformat()
    if len(ans.deadlines) == 1:
        return False, ans.deadlines[0].deadline.date.isoformat()
    return None, ""


def _check_document(stated: Stated, ans: Answer) -> tuple[bool | None, str]:
    doc = ans.sources[0] if ans.sources else None
    if doc is None or doc.date is None:
        return None, ""
    d, m, y = stated.date_parts
    return doc.date == date(y or doc.date.year, m, d), doc.date.isoformat()


def check(stated: Stated | None, ans: Answer, wants: str = "score") -> Answer:
    """Record on the answer whether the stated value holds (``ans.premise``); ``wants``: which
    figure."""
    if stated is None or ans.intent in ("clarify", "unknown", "help"):
        return ans
    holds: bool | None
    if ans.intent == "scores" and stated.kind in ("rank", "measure"):
        holds, actual = _check_scores(stated, ans, wants)
    elif ans.intent == "deadlines" and stated.kind == "date":
        holds, actual = _check_deadlines(stated, ans)
    elif ans.intent == "documents" and stated.kind == "date":
        holds, actual = _check_document(stated, ans)
    elif ans.intent == "documents" and stated.kind == "count" and ans.count is not None:
        holds, actual = ans.count == stated.value, str(ans.count)
    else:
        holds, actual = None, ""
    ans.premise = Premise(stated.kind, stated.text, holds, actual)
    return ans
