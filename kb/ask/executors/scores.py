"""Executors over the score table of plan 86: results, targets, ranks, and superlatives.

Which table is used is always said: the component indices (and the total) or plan 86's own
indicator rows, numbered differently from the current plan.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from kb.ask import understand as U
from kb.ask.answers import Answer, ScoreView
from kb.ask.coverage import subject
from kb.ask.executors.compute import MEDIAN, TOTAL, compute, operation, unframed
from kb.ask.executors.docs import not_held
from kb.ask.intents import STOP, Grams, has
from kb.ask.parse import Parsed
from kb.ask.reading.freewords import plain_nhat
from kb.model import Scores
from kb.normalize import normalize

if TYPE_CHECKING:
    from kb.ask.ports import EngineApi as Engine


def _year_not_held(p: Parsed, sp, wants_target: bool) -> int | None:
    held = {sp.result_year, sp.target_year}
    for y in p.years:
        if y not in held or (y == sp.target_year and not wants_target and y != sp.result_year):
            return y
    return None


def _superlative(p: Parsed) -> bool:
    """A superlative over the table ("cao nhất", "weakest"), not about one row named by code or
    agency."""
    words = set(p.words) if p.content else set()
    grams = Grams.of(plain_nhat([t for t in p.toks if t in words or t not in STOP]))
    return has(grams, U.SUPERLATIVE) and not p.codes and not p.mention


def scores(engine: Engine, p: Parsed, ans: Answer, extra) -> Answer:
    sp = engine.score_plan()
    ans.intent = "scores"
    if sp is None:
        ans.problem = "no_scores"
        return ans
    content = list(p.words) if p.content else []
    year = _year_not_held(p, sp, has(p.grams, U.TARGET_WORDS))
    if year is not None:
        return stated_change(engine, p, ans) or not_held(engine, ans, "year", str(year))
    if _points_at_nothing(p, content):  # "chỉ số đó được bao nhiêu điểm", said first
        ans.intent = "unknown"
        return ans
    op = operation(engine, p)
    if op is None and _total_asked(p):  # "tổng điểm của tỉnh": whoever asks, the province's total
        return engine.scores(ans=ans)
    mention = p.mention
    if (
        mention is not None
        and not mention.agency.is_group
        and not p.codes
        and not p.component_code
        and not engine.topics(sp.id).topic(content)
    ):
        return not_held(engine, ans, "agency_score", mention.agency.name)
    if op is not None:
        return compute(engine, p, ans, op)
    if _superlative(p):
        return compare(engine, p, ans)
    if p.codes:
        return _declined(engine, _by_codes(engine, p, ans, sp), sp)
    if p.component_code:
        return _declined(engine, engine.scores(component=p.component_code, ans=ans), sp)
    return _by_subject(engine, p, ans, sp, content)


_POINTER = frozenset({("chi", "so"), ("chi", "tieu"), ("tieu", "chi"), ("muc",)})
_BACK = frozenset({"nay", "do", "ay", "kia"})


def _points_at_nothing(p: Parsed, content: list[str]) -> bool:
    """Whether the question points back at an indicator ("chỉ số đó") it does not name: no code,
    component or subject words, so nothing says which row is meant."""
    toks = p.toks
    pointed = any(
        toks[i] in _BACK and (tuple(toks[i - 2 : i]) in _POINTER or (toks[i - 1],) in _POINTER)
        for i in range(1, len(toks))
    )
    return (
        pointed
        and not p.codes
        and not p.component_code
        and not has(unframed(p), TOTAL)
        and not subject(p)
    )


def _total_asked(p: Parsed) -> bool:
    """Whether the province's total is asked ("tổng điểm PGI 2023 của tỉnh"), no row or
    superlative."""
    return (
        not p.codes
        and not p.component_code
        and has(unframed(p), TOTAL)
        and not has(p.grams, U.SUPERLATIVE)
    )


# a change since a year the table does not hold, as a document states it: "(giảm 1,32)"
CHANGE_CUES = U.INCREASE_WORDS | U.DOC_CHANGE | U._phrases("giảm", "decrease", "drop", "fell")
_CLAUSE = re.compile(r";|(?<=\.)\s+(?=[A-ZĐ])")
_CHANGE_FIGURE = re.compile(r"\b(?:giam|tang|dat) \d+(?:\.\d+)?\b")


def stated_change(engine: Engine, p: Parsed, ans: Answer) -> Answer | None:
    """The clause of a document that states the named component's change since a year the score
    table does not hold ("chỉ số thành phần 2: Đảm bảo tuân thủ (giảm 1,32)"), quoted with its
    source; None when no clause does (never a target's or another component's figure)."""
    if not has(p.grams, CHANGE_CUES) or has(p.grams, U.TARGET_WORDS):
        return None  # the target against that year: no document states it
    code = p.component_code
    if code is None and has(p.superlative_grams, U.SUPERLATIVE):
        code = _extreme_change(engine, p)  # "chỉ số thành phần nào giảm nhiều nhất"
    found = _change_clause(engine, code) if code is not None else None
    if found is None:
        return None
    clause, doc, _change = found
    ans.intent = "scores"
    ans.problem_detail = "passage"
    ans.facts = [("passage", clause)]
    ans.sources = [doc] if doc is not None else []
    ans.plan = doc
    return ans


def _change_clause(engine: Engine, code: str):
    """(the clause, its document, the change as a signed number or None for a level "đạt …") of
    the component's stated change, or None."""
    names = {
        normalize(c.name)
        for comps in engine.index.components.values()
        for k, c in comps.items()
        if k == code
    }
    for t in engine.texts.texts:
        if t.kind not in ("passage", "footnote"):
            continue
        for clause in _CLAUSE.split(t.text):
            folded = normalize(clause)
            # the figure right after the name: "Đảm bảo tuân thủ: Mục tiêu … 6,11" is a target
            at = [folded.index(n) + len(n) for n in names if n in folded]
            m = _CHANGE_FIGURE.match(folded[at[0] :].strip()) if at else None
            if m is not None:
                word, number = m.group().split()
                sign = {"giam": -1, "tang": 1}.get(word)
                change = sign * Decimal(number) if sign else None
                return clause.strip(), engine.index.documents.get(t.plan_id), change
    return None


def _extreme_change(engine: Engine, p: Parsed) -> str | None:
    """The component whose stated change is the largest fall ("giảm … nhiều nhất"), the largest
    rise ("tăng … nhiều nhất"), or the smallest of either ("ít nhất")."""
    changes = {}
    for code in sorted({k for comps in engine.index.components.values() for k in comps}):
        found = _change_clause(engine, code)
        if found is not None and found[2] is not None:
            changes[code] = found[2]
    fall = has(p.grams, U._phrases("giảm", "decrease", "drop", "fell"))
    pool = {c: v for c, v in changes.items() if (v < 0) == fall}
    if not pool:
        return None
    least = has(p.grams, U.FEW_WORDS)
    magnitude = {c: abs(v) for c, v in pool.items()}
    pick = min if least else max
    return pick(magnitude, key=lambda c: magnitude[c])


def _by_subject(engine: Engine, p: Parsed, ans: Answer, sp, content: list[str]) -> Answer:
    """The row the words name; a clear indicator of the current plan that plan 86 has no row for is
    said so, never answered with another row."""
    verdict, keys = engine.find(sp.id, content, components=True) if content else ("none", [])
    if verdict == "one":
        ans.score_note = "plan86" if "." in keys[0] else None
        return engine.scores([keys[0]], ans=ans)
    topic = subject(p)
    unscored = _unscored_indicator(engine, topic) if topic else None
    if unscored is not None:
        return _declined(engine, _no_score(engine, ans, sp, unscored), sp)
    if verdict == "choose":
        ans.score_note = "plan86"
        return engine.scores(keys, ans=ans)
    return engine.scores(ans=ans)


def _declined(engine: Engine, ans: Answer, sp) -> Answer:
    """A code, component or indicator the score table does not have is a decline, not a score
    answer."""
    if ans.problem in ("unknown_code", "unknown_component", "no_score_for_code"):
        ans.intent = "unknown"
        ans.valid_codes = list(engine.index.indicators.get(sp.id, {}))
        ans.plan = sp
    return ans


def _unscored_indicator(engine: Engine, content: list[str]) -> str | None:
    """The current plan's indicator the words clearly name when plan 86 has no row for it ("nước
    sạch")."""
    current = engine.index.current_plan
    if not content or current is None:
        return None
    verdict, keys = engine.find(current.id, content)
    if verdict == "one" and keys[0] not in engine.equivalents():
        return keys[0]
    return None


def _no_score(engine: Engine, ans: Answer, sp, code: str) -> Answer:
    current = engine.index.current_plan
    ind = engine.index.indicators.get(current.id, {}).get(code) if current else None
    ans.facts = [("plan18", code), ("name", ind.name if ind else "")]
    engine.scores(ans=ans)
    ans.plan = sp
    ans.problem, ans.problem_detail = "no_score_for_code", code
    return ans


def _by_codes(engine: Engine, p: Parsed, ans: Answer, sp) -> Answer:
    names_86 = any(d.id == sp.id for d in p.named_docs) or bool(set(p.years) & set(sp.years))
    out = []
    for code, _ in p.codes:
        if names_86:
            out.append(code)
            continue
        eq = engine.equivalents().get(code)
        if eq is None:
            current = engine.index.current_plan
            ind = engine.index.indicators.get(current.id, {}).get(code) if current else None
            ans.plan = sp
            ans.facts = [("plan18", code), ("name", ind.name if ind else "")]
            engine.scores(ans=ans)
            ans.problem = "no_score_for_code" if ind is not None else "unknown_code"
            ans.problem_detail = code
            ans.indicator = None
            return ans
        out.append(eq)
    ans.score_note = "plan86"
    return engine.scores(out, ans=ans)


Key = Callable[[Scores], float | None]


_SMALL = U._phrases("nhỏ", "smallest", "ngắn", "narrowest")
# how far a row is from its target ("còn cách mục tiêu"); not "thiếu", which "Giảm thiểu" holds
_APART = U._phrases("cách", "còn cách", "còn thiếu", "how far", "to reach", "short of")


def _criterion(grams: Grams, indicators: bool) -> tuple[str, Key, bool]:
    """(criterion, figure of a row, whether the largest figure is wanted)."""
    weak = has(grams, U.WEAK_WORDS)
    small = has(grams, _SMALL)  # "khoảng cách … nhỏ nhất": the smallest difference
    # the gap between a score and its target is the increase planned ("khoảng cách giữa điểm 2023
    # và mục tiêu 2024"); a gap with no target named is the gap to the median
    to_target = has(grams, U.TARGET_WORDS) and not has(grams, MEDIAN)
    apart = has(grams, U.GAP_WORDS) or has(grams, _APART)
    if has(grams, U.INCREASE_WORDS) or (to_target and apart):
        return (
            "increase",
            lambda s: (s.target.value - s.score.value) if s.target else None,
            not (weak or small),
        )
    if to_target:  # "chỉ số nào có mục tiêu 2024 cao nhất": the target itself
        return "target", lambda s: s.target.value if s.target else None, not weak
    if has(grams, U.GAP_WORDS):
        closest = small or has(grams, U._phrases("gần", "closest", "nearest"))
        return "gap", lambda s: (s.median.value - s.score.value) if s.median else None, not closest
    if has(grams, U.RANK_WORDS) or indicators:
        return "rank", lambda s: -s.rank.position if s.rank else None, not weak
    return "score", lambda s: s.score.value, not weak


def compare(engine: Engine, p: Parsed, ans: Answer) -> Answer:
    """The best or worst row of the right table by score, rank, gap to the median or planned
    increase."""
    sp = engine.score_plan()
    assert sp is not None
    grams = p.grams
    # "trong CSTP Đảm bảo tuân thủ, chỉ số nào …": the rows of the component named
    within = p.component_code if has(grams, U.WHICH_INDICATOR) else None
    indicators = within is not None or (
        has(grams, U.INDICATOR_SCOPE) and not has(grams, U.COMPONENT_SCOPE)
    )
    if indicators:
        rows = [
            (i.code, i.name, i.scores)
            for i in engine.index.plan_indicators(sp.id)
            if within is None or i.component == within
        ]
    else:
        rows = [
            (c.code, c.name, c.scores) for c in engine.index.components.get(sp.id, {}).values()
        ]
    scored = [(c, n, s) for c, n, s in rows if s is not None and s.score is not None]
    crit, key, pick_max = _criterion(grams, indicators)
    valued = [(v, c, n, s) for c, n, s in scored if (v := key(s)) is not None]
    if not valued:
        return engine.scores(ans=ans)
    target = (max if pick_max else min)(v for v, *_ in valued)
    ans.criterion = (
        f"{crit}:{'max' if pick_max else 'min'}:{'indicators' if indicators else 'components'}"
    )
    ans.best = [ScoreView(c, n, s) for v, c, n, s in valued if v == target]
    ans.scores = [ScoreView(c, n, s) for _v, c, n, s in valued]
    ans.plan = sp
    ans.sources = [sp]
    if indicators:
        ans.score_note = "plan86"
    return ans
