"""A question understood only in part: what was understood, the answer to that part, what was
not."""

from __future__ import annotations

from collections.abc import Callable

from bot.app.i18n import Translator
from kb.ask.answers import Answer


def _what(ans: Answer, tr: Translator) -> str:
    _ = tr.gettext
    agency = ans.agency.name if ans.agency is not None else None
    if ans.intent == "agency_indicators" and agency:
        return _("the indicators of {agency}").format(agency=agency)
    if ans.intent == "indicator_agencies" and ans.indicator is not None:
        return _("who leads and coordinates indicator {code}").format(code=ans.indicator.code)
    if ans.intent == "indicator_agencies" and ans.component is not None:
        return _("component index {code}").format(code=ans.component.code)
    return {
        "scores": _("the PGI scores and targets"),
        "deadlines": _("the deadlines"),
        "tasks": _("the tasks in the plan"),
        "data_requests": _("the data to be supplied"),
        "documents": _("the documents"),
    }.get(ans.intent, _("the plans"))


def partial_lines(ans: Answer, tr: Translator, render_inner: Callable[[Answer], str]) -> list[str]:
    _ = tr.gettext
    inner = ans.understood
    words = ", ".join(f"“{w}”" for w in ans.leftover[:6])
    lines = [_("I understood only part of your question (not: {words}).").format(words=words)]
    if inner is not None:
        lines.append(
            _("I understand that you are asking about {what}:").format(what=_what(inner, tr))
        )
        lines.append(render_inner(inner))
    lines.append(
        _(
            "If you meant something else, ask again in other words, or name the indicator, agency"
            " or document."
        )
    )
    return lines
