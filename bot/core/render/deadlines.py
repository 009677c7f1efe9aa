"""Deadlines: the upcoming ones with whom they are for, the past ones folded or summarised."""

from __future__ import annotations

from bot.app.i18n import Translator
from bot.core.render.formatting import (
    current_name,
    fmt_date,
    name_notes,
    plan_short,
    short,
    sources_line,
)
from kb.ask.answers import Answer, DeadlineView
from kb.model import Agency

MAX_DEADLINES = 6


def deadline_line(v: DeadlineView, tr: Translator) -> str:
    _ = tr.gettext
    if v.days > 0:
        status = tr.ngettext("{n} day left", "{n} days left", v.days).format(n=v.days)
    elif v.days == 0:
        status = _("due today")
    else:
        status = tr.ngettext("passed {n} day ago", "passed {n} days ago", -v.days).format(
            n=-v.days
        )
    return f"• {fmt_date(tr, v.deadline.date)} — {v.deadline.title} ({status})"


def _audience(v: DeadlineView, agencies: dict[str, Agency]) -> str:
    """Who a deadline is for, under today's names (a 2024 deadline of Sở TN&MT is Sở NN&MT's
    now)."""
    names: list[str] = []
    for a in v.deadline.audience:
        agency = agencies.get(a.agency_id)
        name = current_name(agency, agencies) if agency is not None else a.written
        if name not in names:
            names.append(name)
    return "; ".join(names[:4]) + ("…" if len(names) > 4 else "")


def _past_line(v: DeadlineView, tr: Translator) -> str:
    return "• " + tr.gettext("{date} — {title} (passed)").format(
        date=fmt_date(tr, v.deadline.date), title=short(v.deadline.title, 110)
    )


def _heading(ans: Answer, tr: Translator) -> list[str]:
    _ = tr.gettext
    lines = name_notes(ans, tr)
    if ans.agency is not None and ans.deadlines_filtered:
        lines.append(_("Deadlines for {agency}:").format(agency=ans.agency.name))
    else:
        lines.append(_("Deadlines in the plan documents:"))
    if not ans.deadlines:
        lines.append(_("No deadline in the knowledge base matches that."))
    return lines


def _shown_lines(v: DeadlineView, tr: Translator, agencies: dict[str, Agency]) -> list[str]:
    """A deadline shown in full: its date, title and status, then whom it is for and where from."""
    _ = tr.gettext
    audience = _audience(v, agencies)
    source = (
        _("added by the focal department")
        if v.document.kind == "chat"
        else (plan_short(v.document, tr) if v.document.number else short(v.document.title, 80))
    )
    return [
        deadline_line(v, tr),
        "  "
        + (
            _("For: {audience} — {document}").format(audience=audience, document=source)
            if audience
            else source
        ),
    ]


def _past_lines(
    ans: Answer,
    tr: Translator,
    shown: list[DeadlineView],
    folded: int,
    summarised: list[DeadlineView],
) -> list[str]:
    """The past deadlines in one line each, or a count of them folded away, or how many more."""
    _ = tr.gettext
    lines = []
    if summarised:
        lines.append(
            tr.ngettext(
                "{n} deadline has passed:", "{n} deadlines have passed:", len(summarised)
            ).format(n=len(summarised))
        )
        lines.extend(_past_line(v, tr) for v in summarised[:MAX_DEADLINES])
    if folded:
        lines.append(
            tr.ngettext(
                "{n} deadline has passed; ask “hạn đã qua” or send /hanchot cu to see it.",
                "{n} deadlines have passed; ask “hạn đã qua” or send /hanchot cu to see them.",
                folded,
            ).format(n=folded)
        )
    elif len(ans.deadlines) > len(shown) + min(len(summarised), MAX_DEADLINES):
        lines.append(
            _("…and {n} more.").format(
                n=len(ans.deadlines) - len(shown) - min(len(summarised), MAX_DEADLINES)
            )
        )
    if (
        ans.deadlines
        and all(v.status == "past" for v in ans.deadlines)
        and not folded
        and not summarised
    ):
        lines.append(_("All of these deadlines have passed."))
    return lines


def deadline_lines(ans: Answer, tr: Translator, agencies: dict[str, Agency]) -> list[str]:
    _ = tr.gettext
    lines = _heading(ans, tr)
    upcoming = [v for v in ans.deadlines if v.status == "upcoming"]
    past = [v for v in ans.deadlines if v.status == "past"]
    folded = len(past) if (upcoming or ans.fold_past) and not ans.show_past else 0
    summarised = past if not folded and not ans.show_past else []  # past ones in one line each
    shown = (upcoming if folded or summarised else upcoming + past)[:MAX_DEADLINES]
    if (folded or summarised) and not upcoming:
        lines.append(_("No upcoming deadline."))
    for v in shown:
        lines.extend(_shown_lines(v, tr, agencies))
    lines.extend(_past_lines(ans, tr, shown, folded, summarised))
    for plan in ans.undated_plans:
        lines.append(
            _(
                "The documents I have give no deadline for the current {plan}; ask the focal"
                " department (Sở Nông nghiệp và Môi trường)."
            ).format(plan=plan_short(plan, tr))
        )
    lines.append(sources_line(ans.sources, tr))
    return lines
