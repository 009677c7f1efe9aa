"""Declines the engine gives with what the documents do hold: no score row for an indicator, a fact
no document records (who signed, who has submitted), no deadline for a year or a plan."""

from __future__ import annotations

from collections.abc import Callable

from bot.app.i18n import Translator
from kb.ask.answers import Answer


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
    if ans.problem_detail == "deadline":
        return [
            _("The documents give no deadline for {what}.").format(what=detail),
            _("Admins add it to the knowledge base when it is issued."),
        ]
    return []


def task_matches(ans: Answer, tr: Translator, document: str) -> list[str]:
    """A task found by its words: to whom the plan gives it."""
    _ = tr.gettext
    lines = [_("In {document}, this task is given to:").format(document=document)]
    for names, task in ans.matches:
        lines.append(f"• {names}: {' '.join(task.split())}")
    return lines
