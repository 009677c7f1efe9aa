"""Tasks in the plan: an agency's own, those inherited from the former district level, the plan's
purpose."""

from __future__ import annotations

from bot.app.i18n import Translator
from bot.core.render.formatting import (
    TASK_WIDTH,
    name_notes,
    short,
    since_text,
    sources_line,
)
from kb.ask.answers import Answer
from kb.model import DISTRICT, Agency
from kb.normalize import normalize


def _former_level(agencies: dict[str, Agency]) -> tuple[Agency | None, frozenset[str]]:
    """The abolished district level's group, and the folded names the 2024 plan wrote it under."""
    for a in agencies.values():
        if a.is_group and a.succeeded_by and DISTRICT in a.member_types:
            return a, frozenset(normalize(n) for n in (a.name, *a.aliases))
    return None, frozenset()


def _view_lines(views, tr: Translator, tails: bool) -> list[str]:
    _ = tr.gettext
    lines: list[str] = []
    last = None
    for view in views:
        header = (
            _("Component index {code} “{name}”:").format(
                code=view.component.code, name=view.component.name
            )
            if view.component is not None
            else _("Organisation of implementation (section III):")
        )
        if header != last:
            lines.append(header)
            last = header
        tail = ""
        if tails and view.via is not None:
            tail = " " + _("(as one of “{group}”)").format(
                group=view.written[0] if view.written else view.via.name
            )
        elif tails and view.written:
            tail = " " + _("(assigned to {old})").format(old=", ".join(view.written))
        for i, task in enumerate(view.tasks):
            lines.append(f"• {' '.join(task.split())}" + (tail if i == 0 else ""))
    return lines


def task_lines(ans: Answer, tr: Translator, agencies: dict[str, Agency]) -> list[str]:
    _ = tr.gettext
    doc = ans.plan
    if doc is None:
        return [_("The knowledge base has no task plan.")]
    if ans.problem == "need_agency_for_tasks":
        return _purpose(ans, tr)
    if ans.agency is None and ans.matches:
        return [*task_matches(ans, tr, short(doc.title, 120)), sources_line([doc], tr)]
    assert ans.agency is not None
    lines = name_notes(ans, tr)
    lines.append(
        _("Tasks of {agency} in {document}:").format(
            agency=ans.agency.name, document=short(doc.title, 120)
        )
    )
    if not ans.tasks:
        lines.append(
            _("{agency} has no task of its own in this plan.").format(agency=ans.agency.name)
        )
    former, names = _former_level(agencies)
    inherited = [
        v
        for v in ans.tasks
        if former is not None and any(normalize(w) in names for w in v.written)
    ]
    lines.extend(_view_lines([v for v in ans.tasks if v not in inherited], tr, True))
    if inherited and former is not None:
        lines.append(
            _(
                "Inherited from the former district level: the plan assigned these to “{group}”,"
                " which stopped operating in {since}; they now fall to the communes and wards."
            ).format(group=former.name, since=since_text(former, tr))
        )
        lines.extend(_view_lines(inherited, tr, False))
    lines.append(sources_line([doc], tr))
    return lines


def _purpose(ans: Answer, tr: Translator) -> list[str]:
    _ = tr.gettext
    doc = ans.plan
    assert doc is not None
    lines = [_("{document} — purpose:").format(document=doc.title)]
    lines.extend(f"• {short(p, TASK_WIDTH)}" for p in ans.purpose)
    for comp in ans.goals:
        lines.append(
            _("Component index {code} “{name}”:").format(code=comp.code, name=comp.name)
            + f" {comp.goal}"
        )
    lines.append(_("Ask for an agency's tasks, e.g. “Sở Xây dựng có nhiệm vụ gì?”."))
    lines.append(sources_line([doc], tr))
    return lines


def task_matches(ans: Answer, tr: Translator, document: str) -> list[str]:
    """A task found by its words: to whom the plan gives it."""
    _ = tr.gettext
    lines = [_("In {document}, this task is given to:").format(document=document)]
    for names, task in ans.matches:
        lines.append(f"• {names}: {' '.join(task.split())}")
    return lines
