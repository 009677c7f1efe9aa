"""Declines the engine gives with what the documents do hold: no score row for an indicator, a fact
no document records (who signed, who has submitted), no deadline for a year or a plan, a figure or
contact they do not hold."""

from __future__ import annotations

from collections.abc import Callable

from bot.app.i18n import Translator
from bot.core.render.formatting import measure_text, rank_text, sources_line
from kb.ask.answers import Answer
from kb.model import Document


def more_lines(
    ans: Answer,
    tr: Translator,
    scores: Callable[[], list[str]],
    documents: Callable[[], list[str]],
) -> list[str]:
    _ = tr.gettext
    if ans.problem == "no_score_for_code":
        return scores()
    if ans.problem == "not_in_documents":
        return documents()
    if ans.problem != "not_held":
        return []
    detail = dict(ans.facts).get("detail", "")
    if ans.problem_detail == "status":
        return [
            _(
                "The documents do not record who has already submitted what; they hold only the"
                " deadlines and the data asked for."
            ),
            _("The focal department follows the progress of each agency (/tiendo)."),
        ]
    if ans.problem_detail == "bvmt_score":
        return [
            _(
                "The documents hold no score of the environmental-protection index for {year}; the"
                " 2023 letter only asks the agencies for its data."
            ).format(year=detail or "2022")
        ]
    if ans.problem_detail == "budget":
        return [
            _(
                "The documents state no amount of money for the plans: no budget, cost or"
                " funding figure."
            ),
        ]
    if ans.problem_detail == "commune_map":
        return [
            _(
                "The list of Lạng Sơn's 65 communes and wards since 1/7/2025 does not say which"
                " former district each came from, nor which communes a district became."
            ),
            _(
                "The districts stopped operating on 1/7/2025; the plans' tasks for them now fall"
                " to the communes and wards (UBND các xã, phường)."
            ),
        ]
    if ans.problem_detail == "deadline":
        return [
            _("The documents give no deadline for {what}.").format(what=detail),
            _("Admins add it to the knowledge base when it is issued."),
        ]
    return []


def not_held_lines(ans: Answer, tr: Translator) -> list[str]:
    lines = _not_held_reason(ans, tr)
    if ans.problem_detail not in _NOT_HELD_KINDS:
        return lines
    plan = ans.plan
    if plan is not None and ans.scores:
        lines.append(_held_instead(ans, plan, tr))
        lines.append(sources_line(ans.sources, tr))
    return lines


_NOT_HELD_KINDS = frozenset(
    {"year", "which_year", "other_province", "other_province_plan", "agency_score"}
)


def _not_held_reason(ans: Answer, tr: Translator) -> list[str]:
    """Why the documents cannot answer; for a person asked about, the one contact they give."""
    _ = tr.gettext
    what = ans.problem_detail
    detail = dict(ans.facts).get("detail", "")
    if what == "year":
        return [_("The documents hold no PGI results for {year}.").format(year=detail)]
    if what == "which_year":
        return [
            _(
                "The documents hold the PGI results of {year} only: they cannot say which year"
                " was higher or lower."
            ).format(year=detail)
        ]
    if what == "other_province":
        return [
            _(
                "The documents hold no PGI figures for other provinces ({name}); they give only"
                " Lạng Sơn's own results, rank and the national median."
            ).format(name=detail or _("any other province"))
        ]
    if what == "other_province_plan":
        return [
            _(
                "The documents are Lạng Sơn's own plans: they hold no plan, assignment or result"
                " of another province ({name})."
            ).format(name=detail)
        ]
    if what == "agency_score":
        return [
            _(
                "PGI scores belong to the province, not to {agency}; the documents hold no score"
                " of an agency."
            ).format(agency=detail)
        ]
    lines = [_("The documents name no person, phone number or address for that.")]
    if ans.contact is not None:
        lines.append(
            _(
                "The only contact they give is for the 2022 environmental-protection data"
                " request: {phone} ({unit})."
            ).format(phone=ans.contact.phone, unit=ans.contact.unit)
        )
    return lines


def _held_instead(ans: Answer, plan: Document, tr: Translator) -> str:
    """What the documents hold instead: the province's results and targets."""
    _ = tr.gettext
    s = ans.scores[0].scores
    return _(
        "What they hold: Lạng Sơn's {year} results and {target} targets — total PGI"
        " {year}: {score}, rank {rank}; {target} target: {goal}, target rank {trank}."
    ).format(
        year=plan.result_year,
        target=plan.target_year,
        score=measure_text(s.score, tr, True),
        rank=rank_text(s.rank),
        goal=measure_text(s.target, tr, True),
        trank=rank_text(s.target_rank),
    )
