"""Computations over plan 86's score table: gaps to the target or the median, comparisons, and the
rows above, below or equal to the national median (listed or counted).

Every figure is computed from the table's own numbers, and the answer names the table it used:
the component indices (and the total), or plan 86's own indicator rows (numbered differently
from the current plan). Operations are recognised from the question's words, the rows from its
codes, component numbers and subject.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING

from kb.ask import understand as U
from kb.ask.answers import Answer, ScoreView
from kb.ask.intents import Grams, has
from kb.ask.parse import Parsed
from kb.model import Measure
from kb.words.amounts import Threshold

if TYPE_CHECKING:
    from kb.ask.ports import EngineApi as Engine

MEDIAN = U._phrases("trung vị", "trung vị cả nước", "median", "national median")
ABOVE = U._phrases("cao hơn", "trên", "vượt", "hơn", "above", "higher than", "over")
BELOW = U._phrases("thấp hơn", "dưới", "kém", "below", "lower than", "under")
EQUAL = U._phrases("bằng", "bằng đúng", "ngang", "equal", "equals", "same as")
DISTANCE = U._phrases(
    "cách",
    "còn cách",
    "còn thiếu",
    "thiếu",
    "how far",
    "gap",
    "chênh",
    "chênh lệch",
    "để đạt",
    "tăng thêm",
    "còn bao nhiêu",
    "to reach",
    "short of",
)
# "bao nhiêu" asks a distance only beside a relation or a rise ("thấp hơn … bao nhiêu", "cần tăng
# bao nhiêu"): "mục tiêu … là bao nhiêu" asks the target itself
HOW_MUCH = U._phrases(
    "bao nhiêu", "how much", "how many points", "mấy bậc", "mấy điểm", "how many places"
)
COMPARE = U._phrases(
    "cái nào",
    "nào cao hơn",
    "nào thấp hơn",
    "so với",
    "hay",
    "which is higher",
    "which is lower",
    "compare",
    "or",
)
LIST = U._phrases("những", "các", "nào", "mấy", "bao nhiêu", "which", "how many", "list")
COUNT = U._phrases("mấy", "bao nhiêu", "how many", "số lượng")
TOTAL = U._phrases(
    "tổng điểm", "tổng cộng", "điểm tổng", "total", "total score", "overall", "overall score"
)
COMPONENT_WORDS = U._phrases("chỉ số thành phần", "component", "components", "thành phần")
RELATION_OPS = frozenset({"above_median", "below_median", "equal_median"})
_COMPONENT = re.compile(r"\b(?:chi so thanh phan|component)(?: index)? (?:so |thu )?(\d)\b")


def components_named(p: Parsed) -> list[str]:
    """Every component index the question names ("CSTP 2 với CSTP 4" → ["2", "4"])."""
    return list(dict.fromkeys(m.group(1) for m in _COMPONENT.finditer(" ".join(p.toks))))


def _table(engine: Engine, indicators: bool) -> list[ScoreView]:
    sp = engine.score_plan()
    assert sp is not None
    if indicators:
        rows = [
            ScoreView(i.code, i.name, i.scores)
            for i in engine.index.plan_indicators(sp.id)
            if i.scores
        ]
    else:
        rows = [
            ScoreView(c.code, c.name, c.scores)
            for c in engine.index.components.get(sp.id, {}).values()
            if c.scores
        ]
    return [r for r in rows if r.scores.score is not None]


def _relation(p: Parsed) -> str | None:
    g = unframed(p)  # "công bằng" (fair) relates nothing
    if has(g, BELOW):
        return "below"
    if has(g, EQUAL):
        return "equal"
    if has(g, ABOVE):
        return "above"
    return None


def _named_rows(engine: Engine, p: Parsed) -> list[ScoreView]:
    comps = components_named(p) or ([p.component_code] if p.component_code else [])
    table = {r.label: r for r in _table(engine, False)}
    rows = [table[c] for c in comps if c in table]
    if rows:
        return rows
    eq = engine.equivalents()
    ind_table = {r.label: r for r in _table(engine, True)}
    rows = [ind_table[eq[c]] for c, _ in p.codes if c in eq and eq[c] in ind_table]
    return rows or _total(engine, p)


def _total(engine: Engine, p: Parsed) -> list[ScoreView]:
    """The total's row when the question names the total and no row else ("tổng điểm PGI")."""
    sp = engine.score_plan()
    total = engine.index.kb.totals.get(sp.id) if sp is not None else None
    if total is None or p.codes or not has(unframed(p), TOTAL):
        return []
    return [ScoreView("total", total[0], total[1])]


def asks_distance(g: Grams, rise: bool = True) -> bool:
    """Whether a difference is asked ("chênh bao nhiêu", "thấp hơn … bao nhiêu", "còn thiếu");
    with ``rise``, "cần tăng bao nhiêu" too ("phấn đấu bao nhiêu" may ask the target itself)."""
    relation = has(g, BELOW) or has(g, EQUAL) or has(g, ABOVE)
    return has(g, DISTANCE) or (
        has(g, HOW_MUCH) and (relation or (rise and has(g, U.INCREASE_WORDS)))
    )


# words that hold a relation word and relate nothing: "công bằng" (fair) holds "bằng" (equal)
_NO_RELATION = frozenset(
    {("cong", "bang"), ("can", "bang"), ("bang", "chung"), ("bang", "cap"), ("bang", "lai")}
)


def unframed(p: Parsed) -> Grams:
    """The question's grams without a component's own name ("Giảm thiểu ô nhiễm …" holds
    "thiếu") nor words that only hold a relation word ("thực hiện công bằng")."""
    toks = [t if i not in p.frame else "_" for i, t in enumerate(p.toks)]
    for i in range(len(toks) - 1):
        if (toks[i], toks[i + 1]) in _NO_RELATION:
            toks[i : i + 2] = ["_", "_"]
    return Grams.of(toks)


def operation(engine: Engine, p: Parsed) -> str | None:
    """Which computation the question asks for, or None (an ordinary score question)."""
    g = unframed(p)
    rows = _named_rows(engine, p)
    median = has(g, MEDIAN)
    relation = _relation(p)
    distance = asks_distance(g)
    if len(rows) == 2 and distance:  # "CSTP 1 thấp hơn CSTP 2 bao nhiêu điểm"
        return "diff_rows"
    if len(rows) >= 2 and (has(g, COMPARE) or relation == "above" or has(g, U.SUPERLATIVE)):
        return "compare"
    if len(rows) == 1 and distance and (median or has(g, U.TARGET_WORDS)):
        if not median and has(g, U.RANK_WORDS):
            return "diff_target_rank"  # "từ hạng 2023 lên hạng mục tiêu 2024 tăng bao nhiêu bậc"
        return "diff_median" if median else "diff_target"
    if not rows and not p.codes and p.threshold is not None and has(g, LIST):
        return "threshold"  # "những chỉ số nào xếp hạng dưới 50"
    if not rows and not p.codes and median and relation and has(g, LIST):
        return f"{relation}_median"
    return None


def compute(engine: Engine, p: Parsed, ans: Answer, op: str) -> Answer:
    sp = engine.score_plan()
    assert sp is not None
    ans.intent = "scores"
    ans.plan = sp
    ans.sources = [sp]
    if op in ("compare", "diff_rows", "diff_median", "diff_target", "diff_target_rank"):
        rows = _named_rows(engine, p)
        table = "indicators" if "." in rows[0].label else "components"
    else:
        indicators = not has(p.grams, COMPONENT_WORDS)
        table = "indicators" if indicators else "components"
        rows = _table(engine, indicators)
    ans.table = table
    if op in ("compare", "diff_rows"):
        rows = sorted(
            rows,
            key=lambda r: _figure(r.scores.score),
            reverse=op == "diff_rows" or not has(p.grams, U.WEAK_WORDS),
        )
        ans.best = rows[:1]
    elif op == "threshold":
        assert p.threshold is not None
        rows = [r for r in rows if _passes(r, p.threshold)]
        ans.best = rows
        ans.count = len(rows)
        ans.limit = p.threshold
    elif op in RELATION_OPS:
        want = op.split("_")[0]
        rows = [r for r in rows if r.scores.median is not None and _cmp(r, want)]
        ans.best = rows
        ans.count = len(rows)
    else:
        ans.best = rows
    ans.scores = rows
    ans.criterion = f"calc:{op}:{table}"
    if table == "indicators":
        ans.score_note = "plan86"
    return ans


def figure_of(row: ScoreView, field: str) -> Decimal | None:
    """One figure of a row: its score, rank, target, target rank or national median."""
    s = row.scores
    got = getattr(s, field)
    if got is None:
        return None
    return Decimal(got.position) if field in ("rank", "target_rank") else got.value


_HOLDS = {
    "above": lambda v, x: v > x,
    "below": lambda v, x: v < x,
    "at_least": lambda v, x: v >= x,
    "at_most": lambda v, x: v <= x,
    "equal": lambda v, x: v == x,
}


def _passes(row: ScoreView, limit: Threshold) -> bool:
    value = figure_of(row, limit.field)
    return value is not None and _HOLDS[limit.relation](value, limit.value)


def _figure(measure: Measure | None) -> Decimal:
    """A figure of a row the table holds: the tables keep the scored rows only, and a relation to
    the median is computed for the rows that have one."""
    assert measure is not None
    return measure.value


def _cmp(row: ScoreView, want: str) -> bool:
    return _HOLDS[want](_figure(row.scores.score), _figure(row.scores.median))
