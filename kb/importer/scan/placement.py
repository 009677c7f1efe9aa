"""A rebuilt row's fragments put in the lead or the coordinating column.

The fragments whose column the line tells (the first after the name's is the lead's, the next ones
the coordinating column's) are fixed; the others, alone on their lines, are placed where the two
cells then read best: names resolved against the registry, lines going on with the one above in
the same column, a parenthesis closed where it was opened, a short lead cell.
"""

from __future__ import annotations

import itertools
import re

from kb.importer.agencies import items, parse_cell, parse_item
from kb.importer.registry import Registry, tokens
from kb.importer.rows import RawRow
from kb.importer.scan.fragments import (
    BULLET,
    SPECKS,
    Frag,
    continues,
    ends_stop,
)

EXHAUSTIVE = 7  # up to this many undecided pieces of a row, every placement is tried


def group_units(
    rest: list[Frag], fixed: dict[int, str], mixed_paras: set[int], joined: bool
) -> list[list[int]]:
    """The undecided fragments in groups that go to one column together: a paragraph of its
    own, and (``joined``) a line going on with the one above in a mixed paragraph."""
    units: list[list[int]] = []
    for k in range(len(rest)):
        if k in fixed:
            continue
        if not units:
            units.append([k])
            continue
        prev = units[-1][-1]
        same = rest[k].para == rest[prev].para
        if same and rest[k].para not in mixed_paras:
            units[-1].append(k)  # a paragraph of its own: one cell
        elif (
            joined
            and same
            and rest[k].line == rest[prev].line + 1
            and not rest[k].agency
            and not ends_stop(rest[prev].text)
        ):
            units[-1].append(k)  # a line continuing the one above in the same column
        else:
            units.append([k])
    return units


def place(
    rest: list[Frag], fixed: dict[int, str], units: list[list[int]], reg: Registry, at: int
) -> tuple[str, str]:
    """The lead and coordinating cells, the undecided fragments put where the cells resolve
    best."""
    where = dict(fixed)
    for unit in units:
        where.update(dict.fromkeys(unit, "coordinate"))
    if "lead" not in where.values():  # no column edge read: the lead is the first cell after
        first = next((u for u in units if rest[u[0]].line >= at), units[0] if units else None)
        if first:
            where.update(dict.fromkeys(first, "lead"))
    score = _trial(rest, where, reg, at)
    if 0 < len(units) <= EXHAUSTIVE:  # few undecided units: every way of placing them is tried
        start = where
        for way in itertools.product(("lead", "coordinate"), repeat=len(units)):
            trial = dict(start)
            for unit, col in zip(units, way, strict=True):
                trial.update(dict.fromkeys(unit, col))
            got = _trial(rest, trial, reg, at)
            if got > score + 1e-9:
                where, score = trial, got
        return _cell(rest, where, "lead"), _cell(rest, where, "coordinate")
    for _ in range(2):  # each undecided unit moved to the lead where the cells resolve better
        for unit in units:
            now = where[unit[0]]
            trial = {
                **where,
                **dict.fromkeys(unit, "lead" if now == "coordinate" else "coordinate"),
            }
            got = _trial(rest, trial, reg, at)
            if got > score:
                where, score = trial, got
    return _cell(rest, where, "lead"), _cell(rest, where, "coordinate")


def _cell(rest: list[Frag], where: dict[int, str], col: str) -> str:
    """A column's fragments as one cell; a full stop before a capital ends an item there."""
    out = ""
    for k, f in enumerate(rest):
        if where.get(k) != col:
            continue
        text = " ".join(SPECKS.sub(" ", f.text).split()) or f.text
        if out and out.rstrip().endswith(".") and text[:1].isupper():
            out = out.rstrip()[:-1] + ";"
        out = f"{out}\n{text}" if out else text
    return out


def _trial(rest: list[Frag], where: dict[int, str], reg: Registry, at: int) -> float:
    lead, coord = _cell(rest, where, "lead"), _cell(rest, where, "coordinate")
    score = cell_score(lead, False, reg) + cell_score(coord, True, reg)
    for col in ("lead", "coordinate"):
        frags = [f for k, f in enumerate(rest) if where.get(k) == col]
        score += _flow(frags)
        score += 0.5 * sum(_joins(a.text, b.text, reg) for a, b in itertools.pairwise(frags))
    # above the row's number a line alone is the tall coordinating cell's beginning
    score += 0.5 * sum(
        1 for k, f in enumerate(rest) if f.line < at and where.get(k) == "coordinate"
    )
    if not lead.strip():
        score -= 3
    # a parenthesis opened in one column is closed in the same one (a scope over two lines)
    score -= sum(abs(c.count("(") - c.count(")")) for c in (lead, coord))
    return score - 0.4 * max(0, lead.count("\n"))  # a lead cell is short; ties go the other way


def _joins(above: str, below: str, reg: Registry) -> bool:
    """``below`` goes on with a registry name ``above`` left open ("… gửi Sở Nông nghiệp" above
    "và Môi trường tổng hợp chung"): the two lines are one column's."""
    key = (id(reg), above, below)
    if key not in _JOINS:
        last = above.split(";")[-1].strip()
        first = below.split(";")[0].strip()
        joined = f"{last} {first}"
        _JOINS[key] = bool(last) and any(
            a < len(last) < b
            and b > len(last) + 2
            and not any(a2 <= a and b2 >= b for a2, b2 in reg.spans(last, fuzzy=True))
            for a, b in reg.spans(joined, fuzzy=True)
        )
        if len(_JOINS) > 20_000:
            _JOINS.clear()
    return _JOINS[key]


_JOINS: dict[tuple[int, str, str], bool] = {}


def _flow(frags: list[Frag]) -> float:
    """How well a column's fragments follow each other: a line that continues a phrase goes
    after one left open, a new item after one that ended."""
    score = 0.0
    for prev, cur in itertools.pairwise(frags):
        end = prev.text.rstrip()[-1:]
        if continues(cur.text):
            score += -1.0 if end == "." else 0.3 if end == "," else 0.0
        elif end == "," or end.isalpha() and not cur.agency:
            score -= 0.3
    if frags and continues(frags[0].text) and not frags[0].text.startswith("("):
        score -= 1.0
    if frags and BULLET.match(frags[0].text):  # a column of bullets: after a full stop, a bullet
        for prev, cur in itertools.pairwise(frags):
            if prev.text.rstrip().endswith(".") and cur.text[:1].isupper():
                score -= 0.5
    return score


def cell_score(cell: str, coordinate: bool, reg: Registry) -> float:
    if not cell.strip():
        return 0.0
    key = (id(reg), cell, coordinate)
    if key not in _SCORES:
        _SCORES[key] = _resolve_score(cell, coordinate, reg)
        if len(_SCORES) > 20_000:
            _SCORES.clear()
    return _SCORES[key]


_PARENS = re.compile(r"\(")


_SCORES: dict[tuple[int, str, bool], float] = {}


def _resolve_score(cell: str, coordinate: bool, reg: Registry) -> float:
    parsed, _ = parse_cell(reg, cell, fuzzy=True, coordinate=coordinate)
    score = 0.0
    for p in parsed:
        if p.agency is None:
            score -= 1.5
        else:
            score += p.score / 100
            if p.scope and not _PARENS.search(p.read or p.written):
                # a scope without parentheses is rare: often another cell's text taken as one
                score -= 0.6 + (0.5 if len(tokens(p.scope)) > 12 else 0.0)
    return score


def repeated(row: RawRow, reg: Registry) -> int:
    """How many agencies the row's cells name more than once (a sign of another row's lines)."""
    ids: list[str] = []
    for cell, coord in ((row.lead, False), (row.coordinate, True)):
        for item in items(cell):  # item by item: a cell's parse writes a repeated name once
            parsed, _ = parse_item(reg, item, fuzzy=True, coordinate=coord)
            ids.extend(p.agency.id for p in parsed if p.agency is not None)
    return len(ids) - len(set(ids))


def row_score(row: RawRow, reg: Registry) -> float:
    score = cell_score(row.lead, False, reg) + cell_score(row.coordinate, True, reg)
    return score - 1.5 * repeated(row, reg)
