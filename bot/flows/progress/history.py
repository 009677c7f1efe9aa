"""/tiendo's two views: the latest status of each indicator of an agency, and the history of one
indicator's updates (undone ones marked)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.messages import Reply
from bot.flows.progress.parsing import STATUS_LABELS
from bot.flows.progress.rules import button_roles, updatable_roles
from bot.flows.progress.saving import short
from kb.ask.answers import LEAD, Role
from storage.tracking import progress as store

if TYPE_CHECKING:
    from bot.core.turn import Turn
    from kb.model import Agency
    from storage.tracking.progress import ProgressInfo


def of_indicator(turn: Turn, agency: Agency, role: Role) -> Reply:
    """Every update of the agency on the indicator, oldest first."""
    tr = turn.tr
    code = role.indicator.code
    rows = store.history(turn.s, agency.id, turn.kb.plan.id, code)
    lines = [
        tr.gettext("History of indicator {code} “{name}” for {agency}:").format(
            code=code, name=short(role.indicator.name, 70), agency=agency.name
        )
    ]
    if not rows:
        lines.append(tr.gettext("No update yet."))
    lines += [_history_line(turn, p) for p in rows]
    return Reply("\n".join(lines))


def _history_line(turn: Turn, p: ProgressInfo) -> str:
    tr = turn.tr
    line = (
        f"• {p.created_at.astimezone(turn.conv.tz):%d/%m/%Y %H:%M} — {p.author_name} —"
        f" {tr.gettext(STATUS_LABELS[p.status])}"
    )
    if p.percent is not None:
        line += f", {p.percent}%"
    if p.note:
        line += f": {p.note}"
    if p.file_name:
        line += f" [{p.file_name}]"
    if p.undone_at:
        line += " " + tr.gettext("(undone)")
    return line


def overview(turn: Turn, agency: Agency) -> Reply:
    """The latest update of each indicator the agency may post on, the ones it leads first."""
    tr = turn.tr
    plan = turn.kb.plan
    tz = turn.conv.tz
    roles = button_roles(updatable_roles(turn, agency))
    latest = store.latest_by_indicator(turn.s, agency.id, plan.id)
    lines = [
        tr.gettext("Progress of {agency} ({plan}):").format(
            agency=agency.name, plan=plan.number or plan.title
        )
    ]
    for r in roles:
        last = latest.get(r.indicator.code)
        mark = "★" if r.role == LEAD else "·"
        if last is None:
            state = tr.gettext("no update yet")
        else:
            state = tr.gettext(STATUS_LABELS[last.status]) + (
                f" {last.percent}%" if last.percent is not None else ""
            )
            state += f" ({last.created_at.astimezone(tz):%d/%m})"
        lines.append(f"{mark} {r.indicator.code} {short(r.indicator.name, 50)}: {state}")
    lines.append(tr.gettext("★ = lead. /tiendo 1.5 shows one indicator's history."))
    return Reply("\n".join(lines))
