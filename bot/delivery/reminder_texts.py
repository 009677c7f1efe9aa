"""What a reminder, an overdue notice and the focal department's digest of a deadline say."""

from __future__ import annotations

from datetime import date

from bot.app.i18n import Translator
from bot.core.messages import Choice
from bot.delivery.deadline_items import DeadlineItem
from kb.model import Agency


def _days_text(tr: Translator, days: int) -> str:
    if days == 0:
        return tr.gettext("due today")
    return tr.ngettext("{n} day left", "{n} days left", days).format(n=days)


def _codes(codes: list[str], limit: int = 12) -> str:
    return ", ".join(codes[:limit]) + (" …" if len(codes) > limit else "")


def responsible_line(tr: Translator, agency: Agency, codes: list[str] | None) -> list[str]:
    if not codes:
        return []
    return [
        tr.ngettext(
            "You are the official responsible for indicator {codes} of {agency}.",
            "You are the official responsible for indicators {codes} of {agency}.",
            len(codes),
        ).format(codes=", ".join(codes), agency=agency.name)
    ]


def reminder_text(
    tr: Translator,
    item: DeadlineItem,
    agency: Agency,
    today: date,
    missing: list[str],
    responsible: list[str] | None = None,
) -> str:
    lines = [
        tr.gettext("⏰ Reminder: {title}").format(title=item.title),
        tr.gettext("Due: {date} ({left})").format(
            date=tr.date(item.due), left=_days_text(tr, (item.due - today).days)
        ),
    ]
    if item.extended_from is not None:
        lines.append(
            tr.gettext("Extended for {agency} from {date}.").format(
                agency=agency.name, date=tr.date(item.extended_from)
            )
        )
    lines += [
        tr.gettext("For: {agency}").format(agency=agency.name),
        *responsible_line(tr, agency, responsible),
    ]
    if missing:
        lines.append(
            tr.gettext("Indicators of {agency} with no progress update yet: {codes}").format(
                agency=agency.name, codes=_codes(missing)
            )
        )
    else:
        lines.append(
            tr.gettext("Every indicator of {agency} has a progress update.").format(
                agency=agency.name
            )
        )
    lines.append(
        tr.gettext(
            "Choose “Acknowledged” (or send /danhan) so the focal department knows you have seen"
            " this."
        )
    )
    return "\n".join(lines)


def reminder_buttons(tr: Translator, deadline_key: str) -> list[Choice]:
    return [
        Choice(tr.gettext("Acknowledged"), f"rem:ack:{deadline_key}"),
        Choice(tr.gettext("Post progress"), "pu:start"),
        Choice(tr.gettext("Ask for an extension"), f"gh:ask:{deadline_key}"),
    ]


def overdue_text(
    tr: Translator,
    item: DeadlineItem,
    agency: Agency,
    missing: list[str],
    responsible: list[str] | None = None,
) -> str:
    return "\n".join(
        [
            tr.gettext("⚠️ Overdue: {title} (due {date})").format(
                title=item.title, date=tr.date(item.due)
            ),
            *responsible_line(tr, agency, responsible),
            tr.gettext("Indicators of {agency} with no progress update yet: {codes}").format(
                agency=agency.name, codes=_codes(missing)
            ),
            tr.gettext("Please post your progress now (/capnhat)."),
        ]
    )


def digest_text(tr: Translator, item: DeadlineItem, day: date, late: list, total: int) -> str:
    lines = [
        tr.gettext("Digest of {day}: “{title}”, due {date}").format(
            day=tr.date(day), title=item.title, date=tr.date(item.due)
        )
    ]
    if not late:
        lines.append(tr.gettext("All {n} agencies in the audience have reported.").format(n=total))
    else:
        lines.append(
            tr.gettext("{n} of {total} agencies have not reported:").format(
                n=len(late), total=total
            )
        )
        for _binding, agency, missing in late[:40]:
            lines.append(
                tr.gettext("• {agency}: {n} indicator(s) without an update").format(
                    agency=agency.name, n=len(missing)
                )
            )
    return "\n".join(lines)
