"""PGI scores, medians, ranks and targets: the score table, and the best or worst row by a
criterion."""

from __future__ import annotations

from bot.app.i18n import Translator
from bot.core.render.compute import compute_lines
from bot.core.render.documents import document_lines
from bot.core.render.formatting import (
    measure_text,
    plan_short,
    rank_text,
    row_label,
    short,
    sources_line,
)
from kb.ask.answers import Answer, ScoreView
from kb.model import Agency, Document, Scores


def _score_parts(s: Scores, tr: Translator, points: bool, plan: Document) -> str:
    _ = tr.gettext
    parts = []
    ry, ty = plan.result_year or "", plan.target_year or ""
    if (v := measure_text(s.score, tr, points)) is not None:
        parts.append(_("{year} score {value}").format(year=ry, value=v))
    if (v := measure_text(s.median, tr, points)) is not None:
        parts.append(_("national median {value}").format(value=v))
    if (v := rank_text(s.rank)) is not None:
        parts.append(_("rank {rank}").format(rank=v))
    if (v := measure_text(s.target, tr, points)) is not None:
        parts.append(_("{year} target {value}").format(year=ty, value=v))
    if (v := rank_text(s.target_rank)) is not None:
        parts.append(_("target rank {rank}").format(rank=v))
    return "; ".join(parts)


def _figure(crit: str, s_: Scores, tr: Translator, points: bool) -> str | None:
    """The figure a comparison is made on: the score, the gap below the median, the rank or the
    planned increase."""
    if crit == "score":
        return measure_text(s_.score, tr, points)
    if crit == "rank":
        return rank_text(s_.rank)
    if crit == "target":
        return measure_text(s_.target, tr, points)
    other = (
        s_.median if crit == "gap" else s_.target
    )  # "gap": below the median; "increase": up to the target
    score = s_.score
    if (
        other is None or score is None
    ):  # not compared: the engine keeps only the rows with both figures
        return None
    return tr.decimal(other.value - score.value, max(other.decimals, score.decimals)) + (
        score.unit or ""
    )


def _unknown_code(ans: Answer, tr: Translator, plan: Document) -> list[str]:
    _ = tr.gettext
    return [
        _("There is no indicator {code} in {plan}.").format(
            code=ans.problem_detail, plan=plan_short(plan, tr)
        ),
        _(
            "Scores are known for: the total, component indices 1–4 and the indicators of {plan}."
        ).format(plan=plan_short(plan, tr)),
    ]


def _no_score_for_code(ans: Answer, tr: Translator, plan: Document) -> list[str]:
    _ = tr.gettext
    name = dict(ans.facts).get("name", "")
    return [
        _(
            "The documents give no {year} result for indicator {code} of the current plan"
            " (“{name}”): {plan} scores only its own indicators, numbered differently."
        ).format(
            year=plan.result_year,
            code=ans.problem_detail,
            name=name,
            plan=plan_short(plan, tr),
        ),
        _("Ask for the component's score (e.g. “điểm CSTP 2”) or the indicator by name."),
        sources_line(ans.sources, tr),
    ]


def _best_lines(ans: Answer, tr: Translator, plan: Document) -> list[str]:
    """The rows the question asked for (highest, lowest, best, worst), before the whole table."""
    _ = tr.gettext
    assert ans.criterion is not None
    crit, way, scope = ans.criterion.split(":")
    what = {
        "score": _("by the {year} score"),
        "gap": _("by how far the {year} score is below the national median"),
        "rank": _("by the {year} rank"),
        "increase": _("by the planned increase from {year} to the target"),
        "target": _("by the {target} target"),
    }[crit]
    lines = []
    for view in ans.best:
        figure = _figure(crit, view.scores, tr, scope == "components")
        label = (
            _("component index {code} “{name}”")
            if "." not in view.label
            else _("indicator {code} (plan 86) “{name}”")
        ).format(code=view.label, name=short(view.name, 70))
        key = {("rank", "max"): _("best"), ("rank", "min"): _("worst")}.get(
            (crit, way), _("highest") if way == "max" else _("lowest")
        )
        lines.append(
            _("Answer ({what}, {key}): {label} — {figure}.").format(
                what=what.format(year=plan.result_year, target=plan.target_year),
                key=key,
                label=label,
                figure=figure,
            )
        )
    lines.append(_("The whole table:"))
    return lines


def _row_label(
    view: ScoreView, tr: Translator, plan: Document, current: dict[str, str]
) -> tuple[str, bool]:
    """A row's label, and whether its figures are points."""
    label = row_label(view, tr, plan_short(plan, tr), current, width=70)
    return label, "." not in view.label


def _table_lines(ans: Answer, tr: Translator, plan: Document) -> list[str]:
    lines = [
        tr.gettext("PGI {year} results and {target} targets of Lạng Sơn:").format(
            year=plan.result_year, target=plan.target_year
        )
    ]
    for view in ans.scores:
        label, points = _row_label(view, tr, plan, ans.current_codes)
        lines.append(f"• {label}: {_score_parts(view.scores, tr, points, plan)}")
    return lines


def score_lines(ans: Answer, tr: Translator, agencies: dict[str, Agency]) -> list[str]:
    plan = ans.plan
    if ans.problem == "unknown_code" and plan is not None:
        return _unknown_code(ans, tr, plan)
    if ans.problem == "no_score_for_code" and plan is not None:
        return _no_score_for_code(ans, tr, plan)
    if ans.problem_detail == "passage":  # a rank a document states in passing, quoted
        return document_lines(ans, tr)
    if ans.problem or plan is None:
        return [tr.gettext("The knowledge base has no PGI scores for that.")]
    if ans.criterion and ans.criterion.startswith("calc:"):
        return [
            *compute_lines(
                ans, tr, lambda m, points: measure_text(m, tr, points), plan_short(plan, tr)
            ),
            sources_line(ans.sources, tr),
        ]
    lines = _best_lines(ans, tr, plan) if ans.best and ans.criterion else []
    lines.extend(_table_lines(ans, tr, plan))
    lines.append(sources_line(ans.sources, tr))
    return lines
