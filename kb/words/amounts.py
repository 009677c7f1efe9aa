"""A figure a question compares the score table with: "điểm trên 4,5", "xếp hạng dưới 50", "mục
tiêu từ 70% trở lên", "thứ hạng mục tiêu 25".

:func:`threshold` finds a relation word followed by a number (or a figure's name followed by a
number alone, which asks for that figure exactly), and which figure of a row it is about: the
score, the rank, the target, the target rank or the national median. The number is a value, not
an indicator code, though "4,5" folds like code 4.5. A number after the relation that is a year
("trên 2023") or that names the median ("trên trung vị") is no threshold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from kb.normalize import normalize


@dataclass(frozen=True)
class Threshold:
    field: str  # score | rank | target | target_rank | median
    relation: str  # above | below | at_least | at_most | equal
    value: Decimal
    span: tuple[int, int]  # the positions of the relation words, the number and its unit


def _table(**groups: tuple[str, ...]) -> dict[tuple[str, ...], str]:
    return {tuple(normalize(p).split()): key for key, phrases in groups.items() for p in phrases}


_RELATIONS = _table(
    above=(
        "trên",
        "hơn",
        "cao hơn",
        "lớn hơn",
        "nhiều hơn",
        "vượt",
        "vượt quá",
        "quá",
        "above",
        "over",
        "more than",
        "higher than",
        "greater than",
    ),
    below=(
        "dưới",
        "thấp hơn",
        "nhỏ hơn",
        "kém hơn",
        "ít hơn",
        "below",
        "under",
        "less than",
        "lower than",
    ),
    at_least=("từ", "ít nhất", "tối thiểu", "không dưới", "at least", "no less than"),
    at_most=("tối đa", "không quá", "không vượt quá", "at most", "no more than"),
    equal=("bằng", "đúng", "bằng đúng", "là", "equal to", "exactly"),
)
_REL_MAX = max(len(k) for k in _RELATIONS)
# "70% trở lên", "hạng 30 trở xuống": the relation after the number
_AFTER = _table(at_least=("trở lên", "or more", "and above"), at_most=("trở xuống", "or less"))
# the figure's names, the longest first where they overlap ("thứ hạng mục tiêu" before "mục tiêu")
_FIELDS = _table(
    target_rank=(
        "thứ hạng mục tiêu",
        "hạng mục tiêu",
        "mục tiêu thứ hạng",
        "mục tiêu xếp hạng",
        "xếp hạng mục tiêu",
        "target rank",
    ),
    rank=("xếp hạng", "thứ hạng", "hạng", "xếp thứ", "đứng thứ", "rank", "ranked", "ranking"),
    target=("mục tiêu", "chỉ tiêu phấn đấu", "target", "targets"),
    median=("trung vị", "median"),
    score=("điểm", "điểm số", "đạt", "score", "scored", "scores"),
)
_FIELD_MAX = max(len(k) for k in _FIELDS)
_UNITS = frozenset({"diem", "phan", "tram", "points", "point", "percent", "hang"})
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")


def _phrase_at(toks: list[str], i: int, table: dict, longest: int) -> tuple[str, int] | None:
    for k in range(min(longest, len(toks) - i), 0, -1):
        key = table.get(tuple(toks[i : i + k]))
        if key is not None:
            return key, k
    return None


def _fields(toks: list[str]) -> list[tuple[int, str, int]]:
    """(position, figure, length) of every figure's name, the longest where names overlap; a rank
    named just after a target is the target rank ("mục tiêu lên hạng 1", "mục tiêu đạt hạng")."""
    out: list[tuple[int, str, int]] = []
    i = 0
    while i < len(toks):
        hit = _phrase_at(toks, i, _FIELDS, _FIELD_MAX)
        if hit is None:
            i += 1
            continue
        targets = [n for n, (pos, f, _k) in enumerate(out) if f == "target" and i - pos <= 3]
        if (
            hit[0] == "rank"
            and targets
            and all(f == "score" for _p, f, _k in out[targets[-1] + 1 :])
        ):
            start = out[targets[-1]][0]  # "mục tiêu đạt hạng 1": "đạt" is no score there
            del out[targets[-1] :]
            out.append((start, "target_rank", i + hit[1] - start))
        else:
            out.append((i, hit[0], hit[1]))
        i += hit[1]
    return out


def _number(toks: list[str], i: int) -> tuple[Decimal, int] | None:
    """The number at ``i`` ("hạng 50": the unit word "hạng" may come first) and where it ends."""
    start = i + 1 if i < len(toks) and toks[i] == "hang" else i
    if start >= len(toks) or not _NUMBER.match(toks[start]) or _YEAR.match(toks[start]):
        return None
    end = start + 1
    while end < len(toks) and toks[end] in _UNITS:
        end += 1
    return Decimal(toks[start]), end


# a difference from another figure ("cao hơn trung vị 5 điểm", "so với năm trước"): no threshold
_ELSEWHERE = frozenset({("so", "voi"), ("trung", "vi"), ("median",), ("compared",)})


def threshold(toks: list[str]) -> Threshold | None:
    """The figure the question compares the rows with, or None."""
    fields = _fields(toks)
    if not fields:
        return None
    named = {f for _pos, f, _k in fields}
    pairs = set(zip(toks, toks[1:], strict=False)) | {(t,) for t in toks}
    if "median" not in named and pairs & _ELSEWHERE:
        return None
    for i in range(len(toks)):
        rel = _phrase_at(toks, i, _RELATIONS, _REL_MAX)
        if rel is None:
            continue
        got = _number(toks, i + rel[1])
        if got is None:
            continue
        value, end = got
        after = _phrase_at(toks, end, _AFTER, 2)
        relation = after[0] if after else rel[0]
        end += after[1] if after else 0
        return Threshold(_field_before(fields, i), relation, value, (i, end))
    return _stated_alone(toks, fields)


def _field_before(fields: list[tuple[int, str, int]], at: int) -> str:
    """The figure named last before the relation, else the first named after it."""
    before = [f for pos, f, _k in fields if pos < at]
    return before[-1] if before else fields[0][1]


def _stated_alone(toks: list[str], fields: list[tuple[int, str, int]]) -> Threshold | None:
    """A rank figure and a number with no relation word ("có thứ hạng mục tiêu 25", "thứ hạng mục
    tiêu 2024 là hạng 2"): the first rank named, that number exactly; a score's number alone is
    more often a code or a premise."""
    ranks = [(pos, f, k) for pos, f, k in fields if f in ("rank", "target_rank")]
    if not ranks:
        return None
    pos, field, k = ranks[0]
    i = pos + k
    # the year of the figure and a restated "hạng" may stand between: "… mục tiêu 2024 là hạng 2"
    while i < len(toks) and i < pos + k + 4:
        if _YEAR.match(toks[i]) or toks[i] in ("nam", "la", "o", "muc", "thu"):
            i += 1
            continue
        got = _number(toks, i)
        if got is None or "." in toks[i if toks[i] != "hang" else i + 1]:
            return None
        value, end = got
        after = _phrase_at(toks, end, _AFTER, 2)
        relation = after[0] if after else "equal"
        return Threshold(field, relation, value, (i, end + (after[1] if after else 0)))
    return None
