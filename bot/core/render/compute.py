"""Replies to computations over the score table: gaps, comparisons, rows above / below the
median."""

from __future__ import annotations

from bot.app.i18n import Translator
from bot.core.render.formatting import rank_text, row_label
from kb.ask.answers import Answer, ScoreView


def _label(view: ScoreView, tr: Translator, plan_short: str, ans: Answer) -> str:
    return row_label(view, tr, plan_short, ans.current_codes)


def _no_figure(v: ScoreView, tr: Translator, plan_short: str, ans: Answer) -> str:
    """A row the table holds no figure for to compare with."""
    return tr.gettext("{label}: the table gives no figure to compare with.").format(
        label=_label(v, tr, plan_short, ans)
    )


def _diff(tr: Translator, a, b) -> str:
    """a − b as the table prints numbers (decimal comma, the unit of the row)."""
    return tr.decimal(abs(a.value - b.value), max(a.decimals, b.decimals)) + (a.unit or "")


def _gap_lines(
    ans: Answer, tr: Translator, measure, plan_short: str, op: str, points: bool
) -> list[str]:
    """Each row's score against its target or the national median, and by how much."""
    _ = tr.gettext
    plan = ans.plan
    assert plan is not None
    lines: list[str] = []
    for v in ans.best:
        s = v.scores
        other = s.target if op == "diff_target" else s.median
        if (
            other is None or s.score is None
        ):  # the engine keeps rows with a score; no figure to compare it with
            lines.append(_no_figure(v, tr, plan_short, ans))
            continue
        key = (
            _("below")
            if s.score.value < other.value
            else _("above")
            if s.score.value > other.value
            else _("equal to")
        )
        what = (
            _("the {year} target").format(year=plan.target_year)
            if op == "diff_target"
            else _("the national median")
        )
        lines.append(
            _("{label}: {year} score {score}, {what} {other} — {diff} {key} it.").format(
                label=_label(v, tr, plan_short, ans),
                year=plan.result_year,
                score=measure(s.score, points),
                what=what,
                other=measure(other, points),
                diff=_diff(tr, other, s.score),
                key=key,
            )
        )
    return lines


def _rank_gap_lines(ans: Answer, tr: Translator, plan_short: str) -> list[str]:
    """Each row's rank against its target rank, and how many places apart."""
    _ = tr.gettext
    plan = ans.plan
    assert plan is not None
    lines: list[str] = []
    for v in ans.best:
        s = v.scores
        if s.rank is None or s.target_rank is None:
            lines.append(_no_figure(v, tr, plan_short, ans))
            continue
        places = s.rank.position - s.target_rank.position
        text = (
            _(
                "{label}: ranked {rank} in {year}, target rank {target} in {target_year} — {n}"
                " places up."
            )
            if places > 0
            else _(
                "{label}: ranked {rank} in {year}, target rank {target} in {target_year} — {n}"
                " places down."
            )
            if places < 0
            else _(
                "{label}: ranked {rank} in {year}, target rank {target} in {target_year} — the"
                " same."
            )
        )
        lines.append(
            text.format(
                label=_label(v, tr, plan_short, ans),
                rank=rank_text(s.rank),
                year=plan.result_year,
                target=rank_text(s.target_rank),
                target_year=plan.target_year,
                n=abs(places),
            )
        )
    return lines


def _compare_lines(
    ans: Answer, tr: Translator, measure, plan_short: str, op: str, points: bool
) -> list[str]:
    """Two or more rows side by side, the higher first, and their difference."""
    _ = tr.gettext
    assert ans.plan is not None
    lines = [
        _("Higher {year} score: {label} ({score}).").format(
            year=ans.plan.result_year,
            label=_label(ans.best[0], tr, plan_short, ans),
            score=measure(ans.best[0].scores.score, points),
        )
    ]
    lines.extend(
        f"• {_label(v, tr, plan_short, ans)}: {measure(v.scores.score, points)}"
        for v in ans.scores
    )
    if op == "diff_rows" and len(ans.scores) == 2:
        a, b = (v.scores.score for v in ans.scores)
        lines.append(_("Difference: {diff}.").format(diff=_diff(tr, a, b)))
    return lines


def _median_lines(
    ans: Answer, tr: Translator, measure, plan_short: str, op: str, points: bool
) -> list[str]:
    """The rows that scored above, below or at the national median."""
    _ = tr.gettext
    assert ans.plan is not None
    rel = {"above": _("above"), "below": _("below"), "equal": _("equal to")}[op.split("_")[0]]
    lines = [
        tr.ngettext(
            "{n} row scored {rel} the national median in {year}:",
            "{n} rows scored {rel} the national median in {year}:",
            ans.count or 0,
        ).format(n=ans.count or 0, rel=rel, year=ans.plan.result_year)
    ]
    median = _("median")  # outside the f-string: Babel on Python 3.11 does not read inside one
    lines.extend(
        f"• {_label(v, tr, plan_short, ans)}: {measure(v.scores.score, points)} "
        f"({median} {measure(v.scores.median, points)})"
        for v in ans.best
    )
    return lines


def _threshold_lines(
    ans: Answer, tr: Translator, measure, plan_short: str, op: str, points: bool
) -> list[str]:
    """The rows whose score, rank, target, target rank or median passes the figure asked."""
    _ = tr.gettext
    plan, limit = ans.plan, ans.limit
    assert plan is not None and limit is not None
    what = {
        "score": _("{year} score").format(year=plan.result_year),
        "rank": _("{year} rank").format(year=plan.result_year),
        "target": _("{year} target").format(year=plan.target_year),
        "target_rank": _("{year} target rank").format(year=plan.target_year),
        "median": _("national median"),
    }[limit.field]
    # signs, not words: "xếp hạng dưới 50" reads both ways, "< 50" one way
    rel = {"above": ">", "below": "<", "at_least": "≥", "at_most": "≤", "equal": "="}[
        limit.relation
    ]
    exponent = limit.value.as_tuple().exponent
    value = tr.decimal(limit.value, -exponent if isinstance(exponent, int) and exponent < 0 else 0)
    if limit.field not in ("rank", "target_rank") and ans.best:  # the table's unit: "65%"
        figure = getattr(ans.best[0].scores, limit.field)
        value += figure.unit or ""
    lines = [
        tr.ngettext(
            "{n} row has a {what} {rel} {value}:",
            "{n} rows have a {what} {rel} {value}:",
            ans.count or 0,
        ).format(n=ans.count or 0, what=what, rel=rel, value=value)
    ]
    for v in ans.best:
        s = v.scores
        figure = getattr(s, limit.field)
        shown = (
            rank_text(figure)
            if limit.field in ("rank", "target_rank")
            else measure(figure, points)
        )
        lines.append(f"• {_label(v, tr, plan_short, ans)}: {shown}")
    return lines


def compute_lines(ans: Answer, tr: Translator, measure, plan_short: str) -> list[str]:
    """``measure(m, points)`` formats one figure; ``plan_short`` names the score plan."""
    _ = tr.gettext
    _crit, op, table = (ans.criterion or "calc::").split(":")
    assert ans.plan is not None
    points = table != "indicators"
    lines: list[str] = []
    if op in ("diff_target", "diff_median"):
        lines.extend(_gap_lines(ans, tr, measure, plan_short, op, points))
    if op == "diff_target_rank":
        lines.extend(_rank_gap_lines(ans, tr, plan_short))
    if op in ("compare", "diff_rows") and ans.best:
        lines.extend(_compare_lines(ans, tr, measure, plan_short, op, points))
    if op in ("above_median", "below_median", "equal_median"):
        lines.extend(_median_lines(ans, tr, measure, plan_short, op, points))
    if op == "threshold":
        lines.extend(_threshold_lines(ans, tr, measure, plan_short, op, points))
    lines.append(
        _("Table used: the component indices of {plan}.").format(plan=plan_short)
        if table == "components"
        else _(
            "Table used: the indicator rows of {plan} (numbered as in that plan, not as in the"
            " current plan)."
        ).format(plan=plan_short)
    )
    return lines
