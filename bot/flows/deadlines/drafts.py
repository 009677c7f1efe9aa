"""A deadline or a broadcast being written in chat, step by step: what the flow keeps of its date
(one date or a recurrence), the date as the chat reads it, and the preview of whom it reaches
before the focal department confirms."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from bot.app.i18n import Translator
from bot.core.audience import Audience, AudienceError
from bot.core.messages import Choice, Reply
from bot.core.recurrence import LAST_DAY, Recurrence, When, parse_when, upcoming
from bot.core.validate_input import BadInput, parse_due_date
from bot.delivery import recipients
from bot.delivery.reminders import calendar_of

if TYPE_CHECKING:
    from bot.core.turn import Turn


FLOW = (  # a deadline (/themhan) or a broadcast (/thongbao) being written, step by step
    "deadline_broadcast"
)
MAX_TITLE = 300


def parse_date(tr: Translator, text: str, today: date) -> date:
    """A deadline date as the chat takes it: :func:`~bot.core.validate_input.parse_due_date`,
    the web's rule too."""
    try:
        return parse_due_date(tr, text, today)
    except BadInput as exc:
        raise AudienceError(str(exc)) from None


def parse_when_chat(tr: Translator, text: str, today: date) -> When:
    """The date part of /themhan: a date, or a recurrence (bot/core/recurrence.py), with the
    chat's error type."""
    try:
        return parse_when(tr, text, today)
    except BadInput as exc:
        raise AudienceError(str(exc)) from None


def when_data(when: When) -> dict:
    """What a deadline being written keeps of its date in the flow's state (JSON)."""
    rule = when.recurrence
    repeat = (
        None
        if rule is None
        else {
            "kind": rule.kind,
            "day": rule.day,
            "month": rule.month,
            "start": rule.start.isoformat(),
            "until": rule.until.isoformat() if rule.until else None,
        }
    )
    return {"date": when.due.isoformat(), "repeat": repeat}


def rule_from_data(data: dict) -> Recurrence | None:
    r = data.get("repeat")
    if not r:
        return None
    return Recurrence(
        r["kind"],
        int(r["day"]),
        int(r["month"]),
        date.fromisoformat(r["start"]),
        date.fromisoformat(r["until"]) if r.get("until") else None,
    )


def describe_rule(turn: Turn, rule: Recurrence) -> str:
    """The rule, its next dates, and which of them fall on a weekend or holiday (the date is
    kept)."""
    tr = turn.tr
    cal = calendar_of(turn.conv)
    nexts = upcoming(rule, turn.today)
    shown = ", ".join(tr.date(d) + ("*" if not cal.working(d) else "") for d in nexts)
    text = tr.gettext("Repeats {rule}; next: {dates}").format(rule=rule.describe(tr), dates=shown)
    if any(not cal.working(d) for d in nexts):
        text += "\n" + tr.gettext(
            "* not a working day: the date is kept, and the reminders go out on the working day "
            "before."
        )
    if rule.day == LAST_DAY or rule.day > 28:
        text += "\n" + tr.gettext(
            "In a month without that day the deadline is the month's last day."
        )
    return text


def preview_counts(turn: Turn, audience: Audience) -> str:
    """How many chats a message for the audience reaches, per channel, and who cannot be
    reached."""
    tr = turn.tr
    found = recipients.resolve(turn.s, turn.kb, audience, turn.conv.channels)
    counts = found.count_by_kind()
    parts = []
    for kind, words in (
        ("group", tr.gettext("{channel} groups")),
        ("person", tr.gettext("{channel} private chats")),
        ("official", tr.gettext("{channel} to official addresses")),
    ):
        for channel in turn.conv.channels:  # the channel supplies its own name
            if counts.get(f"{channel}_{kind}"):
                parts.append(
                    f"{words.format(channel=turn.conv.channel_label(channel))}:"
                    f" {counts[f'{channel}_{kind}']}"
                )
    text = tr.ngettext("{n} chat", "{n} chats", len(found.targets)).format(n=len(found.targets))
    if parts:
        text += " (" + "; ".join(parts) + ")"
    if found.unreachable:
        names = ", ".join(f"{name} ({agency.name})" for agency, name in found.unreachable[:10])
        text += "\n" + tr.gettext(
            "Cannot be reached (they must write to the bot once): {names}"
        ).format(names=names)
    return text


def confirm_preview(turn: Turn, data: dict) -> Reply:
    tr = turn.tr
    audience = Audience(data["audience"])
    reach = preview_counts(turn, audience)
    if data["what"] == "deadline":
        text = tr.gettext(
            "Deadline {date}: {title}\nFor: {audience}\nReminders will go to {reach}.\nSave it?"
        ).format(
            date=tr.date(date.fromisoformat(data["date"])),
            title=data["title"],
            audience=audience.describe(tr),
            reach=reach,
        )
        rule = rule_from_data(data)
        if rule is not None:
            text = describe_rule(turn, rule) + "\n" + text
        ok, no = "dl:ok", "dl:no"
    else:
        text = tr.gettext("Broadcast to {audience} — {reach}:\n\n{text}\n\nSend it?").format(
            audience=audience.describe(tr), reach=reach, text=data["text"]
        )
        ok, no = "bc:ok", "bc:no"
    return Reply(
        text, choices=[Choice(tr.gettext("Confirm"), ok), Choice(tr.gettext("Cancel"), no)]
    )
