"""Counts over the plan's assignments: the indicators with the most (or fewest, or a given
number, or more than one) lead or coordinating agencies ("chỉ số nào có nhiều cơ quan chủ trì
nhất", "chỉ số nào có 3 đơn vị chủ trì"). The numbers are counted from plan 18's table, each
agency once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kb.ask import understand as U
from kb.ask.answers import COORDINATE, LEAD, Answer
from kb.ask.intents import has
from kb.ask.parse import Parsed
from kb.model import Indicator

if TYPE_CHECKING:
    from kb.ask.ports import EngineApi as Engine

_NUMBER_WORDS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8}


def _number_before_noun(toks: tuple[str, ...]) -> str | None:
    """The number of agencies written before "cơ quan", "đơn vị", as a rule: "eq:3" ("có 3 cơ
    quan"), "gt:1" ("hơn một", "trên 1"), "ge:2" ("từ 2 … trở lên", "ít nhất 2"), or None."""
    for i in range(1, len(toks)):
        if not (tuple(toks[i : i + 2]) in U.AGENCY_NOUNS or (toks[i],) in U.AGENCY_NOUNS):
            continue
        before = toks[i - 1]
        if before.isdigit() and 0 < int(before) < 20:
            n = int(before)
        elif before in _NUMBER_WORDS:
            n = _NUMBER_WORDS[before]
        else:
            continue
        lead = toks[max(0, i - 3) : i - 1]
        if lead[-1:] in (("hon",), ("tren",)):
            return f"gt:{n}"
        if lead[-1:] == ("tu",) or "len" in toks[i + 1 : i + 6] or lead == ("it", "nhat"):
            return f"ge:{n}"
        return f"eq:{n}"
    return None


def role_count_asked(p: Parsed) -> str | None:
    """The rule asked ("max", "min", "ge:2" for several, or a number's rule), or None when no
    count of an indicator's agencies is asked."""
    g = p.grams
    if p.codes or p.agency is not None or p.found.mentions or p.is_self:
        return None
    if not (has(g, U.INDICATOR_SCOPE) and has(g, U.AGENCY_NOUNS)):
        return None
    number = _number_before_noun(p.toks)
    if number is not None:
        return number
    if has(g, U.SUPERLATIVE) and has(g, U.FEW_WORDS):
        return "min"
    if has(g, U.SUPERLATIVE) and has(g, U.MANY_WORDS):
        return "max"
    return "ge:2" if has(g, U.MANY_WORDS) else None


def _count(ind: Indicator, role: str) -> int:
    cell = ind.coordinate if role == COORDINATE else ind.lead
    return len({a.agency_id for a in cell})


def role_counts(engine: Engine, p: Parsed, ans: Answer, extra) -> Answer:
    """The indicators of the current assignment plan whose number of agencies in the role asked
    (lead unless coordinating is asked) meets the rule."""
    rule = role_count_asked(p)
    plan = engine.index.current_plan
    assert rule is not None and plan is not None
    role = COORDINATE if p.role == COORDINATE else LEAD
    inds = engine.index.plan_indicators(plan.id)
    counts = [_count(i, role) for i in inds]
    if rule in ("max", "min"):
        want = max(counts) if rule == "max" else min(counts)
        rule = f"eq:{want}"
    how, n = rule.split(":")
    meets = {"eq": int.__eq__, "gt": int.__gt__, "ge": int.__ge__}[how]
    chosen = [i for i, c in zip(inds, counts, strict=True) if meets(c, int(n))]
    ans.intent = "indicator_agencies"
    ans.plan = plan
    ans.sources = [plan]
    ans.role = role
    ans.component_indicators = chosen
    ans.criterion = f"agencies:{role}:{rule}"
    return ans
