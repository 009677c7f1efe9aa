"""Deadlines the focal department adds in chat, and acknowledgements of their reminders."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from bot.app.i18n import Translator
from bot.core.access import agency_from_record, is_admin, is_focal, member_status
from bot.core.audience import Audience, AudienceError, parse
from bot.core.messages import Choice, Reply, notice
from bot.core.recurrence import LAST_DAY, Recurrence, When, parse_when, split_occurrence, upcoming
from bot.core.validate_input import (
    BadInput,
    looks_like_date,
    parse_deadline_key,
    parse_due_date,
    parse_id,
)
from bot.delivery import recipients
from bot.delivery.deadline_items import rule_of
from bot.delivery.reminders import calendar_of
from storage import deadlines as deadline_store
from storage import groups, ledger
from storage.deadlines import DeadlineInfo

if TYPE_CHECKING:
    from bot.core.turn import Turn

FLOW = (  # a deadline (/themhan) or a broadcast (/thongbao) being written, step by step
    "deadline_broadcast"
)
MAX_TITLE = 300
MAX_LISTED = 30


def refuse(turn: Turn) -> Reply:
    return Reply(
        turn.tr.gettext(
            "Only the focal department (Sở Nông nghiệp và Môi trường) and admins can do that."
        )
    )


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


def add_deadline(turn: Turn, args: str) -> Reply:
    """/themhan, or in one line: /themhan 15/12/2026; Báo cáo kết quả PGI; chủ trì 1.5 — the
    date may be a recurrence ("hằng tháng ngày 20", "hằng quý", "hằng năm 31/12 đến
    31/12/2027"), or one may follow as a fourth part."""
    tr = turn.tr
    if not is_focal(turn):
        return refuse(turn)
    if args:
        parts = [p.strip() for p in args.split(";")]
        if len(parts) not in (3, 4) or not all(parts):
            return Reply(
                tr.gettext(
                    "Write: /themhan dd/mm/yyyy; title; audience — the audience is “tất cả”, “xã"
                    " phường”, “chủ trì 1.5”, “phối hợp CSTP 2” or agency names separated by"
                    " commas. For a recurring deadline write the recurrence instead of the date"
                    " (or after the audience): “hằng tháng ngày 20”, “hằng quý”, “hằng năm 31/12"
                    " đến 31/12/2027”."
                )
            )
        try:
            when = parse_when_chat(tr, " ".join([parts[0], *parts[3:]]), turn.today)
            audience = parse(parts[2], turn.kb.engine, tr)
        except AudienceError as exc:
            return Reply(str(exc))
        data = {
            "what": "deadline",
            "step": "confirm",
            **when_data(when),
            "title": parts[1][:MAX_TITLE],
            "audience": audience.spec,
        }
        turn.set_state(FLOW, data)
        return confirm_preview(turn, data)
    turn.set_state(FLOW, {"what": "deadline", "step": "date"})
    return Reply(
        tr.gettext(
            "New deadline. What is the date (dd/mm/yyyy)? For a recurring one write how it"
            " repeats, e.g. “hằng tháng ngày 20”, “hằng quý”, “hằng năm 31/12 đến 31/12/2027”."
            " (/huy to cancel)"
        )
    )


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


def deadline_button(turn: Turn, rest: list[str]) -> Reply:
    tr = turn.tr
    if not is_focal(turn):
        return notice(
            tr.gettext("Only the focal department can do that."), turn.msg.callback is not None
        )
    action = rest[0] if rest else ""
    if action == "cancel":
        did = parse_id(rest[1] if len(rest) > 1 else "")
        if did is None:
            return Reply(tr.gettext("That is not a valid deadline id; see /dshan."))
        return _cancel(turn, did, edit=True)
    data = turn.state(FLOW)
    if data is None or data.get("what") != "deadline" or data.get("step") != "confirm":
        return Reply(
            tr.gettext("That step has expired; send /themhan to start again."),
            toast=tr.gettext("This button is no longer valid."),
            silent=turn.msg.callback is not None,
        )
    turn.clear_state()
    if action != "ok":
        return Reply(tr.gettext("Cancelled; nothing was saved."), edit=True)
    rule = rule_from_data(data)
    if rule is None:
        saved = deadline_store.add(
            turn.s, data["title"], date.fromisoformat(data["date"]), data["audience"], turn.user_id
        )
        return Reply(
            tr.gettext(
                "Saved deadline #{id}: {date} — {title}. Reminders will follow the schedule."
            ).format(id=saved.id, date=tr.date(saved.due_date), title=saved.title),
            edit=True,
            deliver_now=True,
        )
    saved = deadline_store.add(
        turn.s, data["title"], rule.start, data["audience"], turn.user_id, **rule.as_columns()
    )
    return Reply(
        tr.gettext(
            "Saved recurring deadline #{id}: {title}, {rule}; the first is {date}. Each one has"
            " its own reminders."
        ).format(
            id=saved.id,
            title=saved.title,
            rule=rule.describe(tr),
            date=tr.date(date.fromisoformat(data["date"])),
        ),
        edit=True,
        deliver_now=True,
    )


def list_deadlines(turn: Turn, args: str) -> Reply:
    tr = turn.tr
    if not is_focal(turn):
        return refuse(turn)
    items = deadline_store.active(turn.s)
    if not items:
        return Reply(tr.gettext("No deadline was added in chat. Add one with /themhan."))
    lines = [
        tr.gettext(
            "Deadlines added in chat (edit: /suahan <id> dd/mm/yyyy or /suahan <id> new title;"
            " cancel: /huyhan <id>):"
        )
    ]
    choices = []
    for d in items[:MAX_LISTED]:
        rule = rule_of(d)
        if rule is None:
            lines.append(
                f"#{d.id} {tr.date(d.due_date)} — {d.title} ({Audience(d.audience).describe(tr)})"
            )
        else:
            following = rule.next_on_or_after(turn.today)
            nxt = tr.date(following) if following else tr.gettext("no more dates")
            lines.append(
                f"#{d.id} {nxt} — {d.title} ({Audience(d.audience).describe(tr)};"
                f" {rule.describe(tr)})"
            )
        choices.append(Choice(tr.gettext("Cancel #{id}").format(id=d.id), f"dl:cancel:{d.id}"))
    return Reply("\n".join(lines), choices=choices)


def edit_deadline_rows(
    s,
    deadline_id: int,
    *,
    title: str | None = None,
    due_date: date | None = None,
    audience: dict | None = None,
) -> DeadlineInfo | None:
    """Edit an active deadline (None when there is none): its reminders written but not yet sent
    are dropped, and written again by the next tick with the new date, title or audience. Chat and
    web.
    """
    edited = deadline_store.edit(s, deadline_id, title=title, due_date=due_date, audience=audience)
    if edited is not None:
        ledger.drop_pending(s, edited.key, occurrences=True)
    return edited


def cancel_deadline_rows(s, deadline_id: int, now: datetime | None = None) -> DeadlineInfo | None:
    """Cancel an active deadline (None when there is none): its reminders not yet sent are skipped
    (for a recurring one, those of every occurrence; the occurrences before ``now`` stay as
    history). Chat and web.
    """
    cancelled = deadline_store.cancel(s, deadline_id, now)
    if cancelled is not None:
        ledger.skip_pending(s, cancelled.key, "deadline cancelled", occurrences=True)
    return cancelled


def edit_deadline(turn: Turn, args: str) -> Reply:
    tr = turn.tr
    if not is_focal(turn):
        return refuse(turn)
    parts = args.split(None, 1)
    usage = tr.gettext("Write: /suahan <id> dd/mm/yyyy, or /suahan <id> new title.")
    if len(parts) != 2:
        return Reply(usage)
    did, value = parse_id(parts[0]), parts[1].strip()
    if did is None:
        return Reply(
            tr.gettext("“{id}” is not a valid deadline id; see /dshan.").format(id=parts[0][:30])
        )
    try:
        new_date = parse_date(tr, value, turn.today) if looks_like_date(value) else None
    except AudienceError as exc:
        return Reply(str(exc))
    current = deadline_store.get(turn.s, did)
    if new_date is not None and current is not None and current.repeat:
        return Reply(
            tr.gettext(
                "Deadline #{id} repeats; its dates follow its rule. To change them, cancel it"
                " (/huyhan {id}) and add the new rule with /themhan; its history is kept."
            ).format(id=did)
        )
    edited = edit_deadline_rows(
        turn.s, did, due_date=new_date, title=None if new_date else value[:MAX_TITLE]
    )
    if edited is None:
        return Reply(tr.gettext("There is no active deadline #{id}; see /dshan.").format(id=did))
    return Reply(
        tr.gettext("Deadline #{id} is now {date} — {title}.").format(
            id=did, date=tr.date(edited.due_date), title=edited.title
        ),
        deliver_now=True,
    )


def cancel_deadline(turn: Turn, args: str) -> Reply:
    tr = turn.tr
    if not is_focal(turn):
        return refuse(turn)
    did = parse_id(args)
    if did is None:
        return Reply(tr.gettext("Write: /huyhan <id>; see /dshan for the ids."))
    return _cancel(turn, did, edit=False)


def _cancel(turn: Turn, did: int, edit: bool) -> Reply:
    tr = turn.tr
    cancelled = cancel_deadline_rows(turn.s, did, turn.now)
    if cancelled is None:
        return Reply(
            tr.gettext("There is no active deadline #{id}; see /dshan.").format(id=did), edit=edit
        )
    return Reply(
        tr.gettext(
            "Deadline #{id} “{title}” is cancelled; no more reminders will be sent for it."
        ).format(id=did, title=cancelled.title),
        edit=edit,
    )


# --- acknowledgements
# ------------------------------------------------------------------------------


def _known_key(turn: Turn, key: str) -> bool:
    """A knowledge-base deadline, or an active one added in chat."""
    parsed = parse_deadline_key(key)
    if parsed is None:
        return False
    kind, ident = parsed
    if kind == "kb":
        return any(d.id == ident for d in turn.kb.kb.deadlines)
    found = deadline_store.get(turn.s, int(ident))
    if found is None or found.cancelled_at is not None:
        return False
    rule, (_series, when) = rule_of(found), split_occurrence(key)
    # a one-off deadline has no occurrences, a recurring one is acknowledged per occurrence
    return (when is None) if rule is None else (when is not None and rule.occurs_on(when))


def _ack_agency(turn: Turn):
    """The agency the sender acknowledges for: the group's (for its members, the focal
    department, admins), or in a private chat their own."""
    msg = turn.msg
    status = member_status(turn)
    own = status.agency
    if msg.private:
        return own
    binding = groups.active_binding(turn.s, msg.channel, msg.chat_id)
    if binding is None:
        return None
    agency = agency_from_record(turn.kb, binding.agency_id, binding.agency_name)
    if agency is None:
        return None
    if (own is not None and own.id == agency.id) or is_focal(turn) or is_admin(turn):
        return agency
    return False  # someone else's group


def reminder_button(turn: Turn, rest: list[str]) -> Reply:
    """ "Acknowledged" under a reminder: recorded per member; the agency gets no more reminders
    but the last."""
    key = ":".join(rest[1:]) if rest and rest[0] == "ack" else ""
    return _acknowledge(turn, key)


def acknowledge_typed(turn: Turn, args: str) -> Reply:
    """/danhan [key]: acknowledge the latest reminder sent to this chat (channels without
    buttons)."""
    key = args.strip()
    if not key:
        last = ledger.last_reminder(turn.s, turn.msg.channel, turn.msg.chat_id)
        if last is None or last.deadline_key is None:  # reminders are always written with one
            return Reply(turn.tr.gettext("No reminder was sent to this chat yet."))
        key = last.deadline_key
    return _acknowledge(turn, key)


def _acknowledge(turn: Turn, key: str) -> Reply:
    tr = turn.tr
    button = turn.msg.callback is not None
    if not _known_key(turn, key):
        return Reply(
            tr.gettext("That reminder is no longer valid."),
            toast=tr.gettext("This button is no longer valid."),
            silent=button,
        )
    if turn.user is None:
        return Reply(
            tr.gettext("Acknowledge from your own account, not anonymously."),
            toast=tr.gettext("Acknowledge from your own account, not anonymously."),
            silent=button,
        )
    agency = _ack_agency(turn)
    if not agency:
        text = tr.gettext(
            "Only approved members of this group's agency (or the focal department) can"
            " acknowledge its reminders. Sign up with /dangky."
        )
        return Reply(text, toast=text[:190], silent=button)
    new = deadline_store.acknowledge(
        turn.s, key, agency.id, turn.user.id, turn.msg.channel, turn.msg.chat_id
    )
    text = (
        tr.gettext("Recorded: {name} has seen this reminder.")
        if new
        else tr.gettext("You had already acknowledged it.")
    ).format(name=turn.msg.user_name or "")
    return Reply(text, toast=text[:190], silent=button)
