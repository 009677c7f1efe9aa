"""Counts over the plan's assignments: the indicators with the most (or fewest, or a given
number, or more than one) lead or coordinating agencies ("chỉ số nào có nhiều cơ quan chủ trì
nhất", "chỉ số nào có 3 đơn vị chủ trì"). The numbers are counted from plan 18's table, each
agency once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kb.ask import understand as U
from kb.ask.answers import COORDINATE, LEAD, Answer
from kb.ask.intents import INDICATOR_WORDS, has
from kb.ask.parse import Parsed
from kb.model import Document, Indicator

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


def _per_agency(p: Parsed) -> str | None:
    """ "cơ quan nào chủ trì nhiều chỉ số nhất": the agency with the most (or fewest) indicators
    in the role asked, "agency:max" or "agency:min"; None when no agency is asked for so."""
    g = p.grams
    if not (has(g, U.WHO) and has(g, INDICATOR_WORDS)) or has(g, U.WHICH_INDICATOR):
        return None
    if has(g, U.MOST_INDICATORS) or has(p.superlative_grams, U.SUPERLATIVE):
        return "agency:min" if has(g, U.FEW_WORDS) else "agency:max"
    return None


def role_count_asked(p: Parsed) -> str | None:
    """The rule asked ("max", "min", "ge:2" for several, or a number's rule; "agency:max" for
    the agency with the most indicators), or None when no count of agencies is asked."""
    g = p.grams
    if p.codes or p.agency is not None or p.found.mentions or p.is_self:
        return None
    per_agency = _per_agency(p)
    if per_agency is not None:
        return per_agency
    if not (has(g, U.INDICATOR_SCOPE) and has(g, U.AGENCY_NOUNS)):
        return None
    number = _number_before_noun(p.toks)
    if number is not None:
        return number
    most = has(p.superlative_grams, U.SUPERLATIVE)
    if most and has(g, U.FEW_WORDS):
        return "min"
    if most and has(g, U.MANY_WORDS):
        return "max"
    return "ge:2" if has(g, U.MANY_WORDS) else None


def _count(ind: Indicator, role: str) -> int:
    cell = ind.coordinate if role == COORDINATE else ind.lead
    return len({a.agency_id for a in cell})


def _agency_counts(engine: Engine, inds: list[Indicator], role: str) -> dict[str, int]:
    """How many of the indicators each agency (under its current name, groups left out) holds
    in the role."""
    out: dict[str, int] = {}
    for ind in inds:
        ids = set()
        for a in ind.coordinate if role == COORDINATE else ind.lead:
            agency = engine.index.agencies.get(a.agency_id)
            cur = engine.current(agency) if agency is not None else None
            if cur is not None and not cur.is_group:
                ids.add(cur.id)
        for i in ids:
            out[i] = out.get(i, 0) + 1
    return out


def _most_indicators(engine: Engine, ans: Answer, inds: list[Indicator], rule: str) -> Answer:
    """The agencies holding the most (or fewest) of the indicators in the role, with the
    number."""
    counts = _agency_counts(engine, inds, ans.role)
    if counts:
        want = max(counts.values()) if rule == "agency:max" else min(counts.values())
        ans.agency_counts = [(engine.index.agencies[i], n) for i, n in counts.items() if n == want]
    return ans


def role_counts(engine: Engine, p: Parsed, ans: Answer, extra) -> Answer:
    """The indicators of the current assignment plan whose number of agencies in the role asked
    (lead unless coordinating is asked) meets the rule; or the agencies holding the most (or
    fewest) indicators there."""
    rule = role_count_asked(p)
    plan = engine.index.current_plan
    assert rule is not None and plan is not None
    role = COORDINATE if p.role == COORDINATE else LEAD
    inds = engine.index.plan_indicators(plan.id)
    if rule.startswith("agency:"):
        if p.component_code is not None:
            inds = [i for i in inds if i.component == p.component_code]
        _fill(ans, plan, role, f"agencies:{role}:{rule}")
        ans.component_indicators = inds
        return _most_indicators(engine, ans, inds, rule)
    counts = [_count(i, role) for i in inds]
    if rule in ("max", "min"):
        want = max(counts) if rule == "max" else min(counts)
        rule = f"eq:{want}"
    how, n = rule.split(":")
    meets = {"eq": int.__eq__, "gt": int.__gt__, "ge": int.__ge__}[how]
    _fill(ans, plan, role, f"agencies:{role}:{rule}")
    ans.component_indicators = [i for i, c in zip(inds, counts, strict=True) if meets(c, int(n))]
    return ans


def _fill(ans: Answer, plan: Document, role: str, criterion: str) -> None:
    ans.intent = "indicator_agencies"
    ans.plan = plan
    ans.sources = [plan]
    ans.role = role
    ans.criterion = criterion
