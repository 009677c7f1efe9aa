"""The focal department's deadline commands: /themhan (add, in one line or step by step), /dshan
(list), /suahan (edit), /huyhan (cancel); and the two ways a chat acknowledges a reminder."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from bot.core.access import is_focal
from bot.core.audience import Audience, AudienceError, parse
from bot.core.messages import Choice, Reply, notice
from bot.core.validate_input import looks_like_date, parse_id
from bot.delivery.deadline_items import rule_of
from bot.flows.deadlines.acknowledgements import acknowledge
from bot.flows.deadlines.drafts import (
    FLOW,
    MAX_TITLE,
    confirm_preview,
    parse_date,
    parse_when_chat,
    rule_from_data,
    when_data,
)
from storage.delivery import ledger
from storage.schedule import deadlines as deadline_store
from storage.schedule.deadlines import DeadlineInfo

if TYPE_CHECKING:
    from bot.core.turn import Turn

MAX_LISTED = 30


def refuse(turn: Turn) -> Reply:
    """The answer to anyone else who tries a command of the focal department."""
    return Reply(
        turn.tr.gettext(
            "Only the focal department (Sở Nông nghiệp và Môi trường) and admins can do that."
        )
    )


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


def reminder_button(turn: Turn, rest: list[str]) -> Reply:
    """ "Acknowledged" under a reminder: recorded per member; the agency gets no more reminders
    but the last."""
    key = ":".join(rest[1:]) if rest and rest[0] == "ack" else ""
    return acknowledge(turn, key)


def acknowledge_typed(turn: Turn, args: str) -> Reply:
    """/danhan [key]: acknowledge the latest reminder sent to this chat (channels without
    buttons)."""
    key = args.strip()
    if not key:
        last = ledger.last_reminder(turn.s, turn.msg.channel, turn.msg.chat_id)
        if last is None or last.deadline_key is None:  # reminders are always written with one
            return Reply(turn.tr.gettext("No reminder was sent to this chat yet."))
        key = last.deadline_key
    return acknowledge(turn, key)
