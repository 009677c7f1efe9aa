"""The focal department's tools: deadlines with audiences, broadcasts, and reminder acknowledgements."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from bot.access import agency_from_record, is_focal, member_agency
from bot.audience import Audience, AudienceError, parse
from bot.core import Button, Incoming, Reply
from bot.delivery_reasons import reason_text
from bot.i18n import Translator, pick_language
from bot.reminders import audience_bindings
from bot.validate_input import LAST_DATE, date_in_window, not_an_id, parse_deadline_key, parse_id
from kb.normalize import normalize
from storage import deadlines as deadline_store
from storage import dialogs, groups, ledger, people

if TYPE_CHECKING:
    from bot.core import Conversation

FLOW = "focal"
MAX_BROADCAST = 3500
_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")


def _refuse(tr: Translator) -> Reply:
    return Reply(tr.gettext("Only the focal department (Sở Nông nghiệp và Môi trường) and admins can do that."))


def _parse_date(tr: Translator, text: str, today: date) -> date:
    m = _DATE.match(text or "")
    try:
        value = date(int(m.group(3)), int(m.group(2)), int(m.group(1))) if m else None
    except ValueError:
        value = None
    if value is None:
        raise AudienceError(tr.gettext("“{text}” is not a date; write it as dd/mm/yyyy, e.g. 15/12/2026.").format(text=(text or "")[:40]))
    if value < today:
        raise AudienceError(tr.gettext("{date} is in the past; give a date from today on.").format(date=tr.date(value)))
    if not date_in_window(value):
        raise AudienceError(tr.gettext("{date} is too far ahead; give a date up to {last}.").format(
            date=(text or "").strip()[:40], last=tr.date(LAST_DATE)))
    return value


def _state(conv: Conversation, msg: Incoming) -> dict | None:
    with conv.db.session() as s:
        st = dialogs.get_state(s, msg.chat_id, msg.user_id or 0)
    return st[1] if st and st[0] == FLOW else None


def _save_state(conv: Conversation, msg: Incoming, data: dict) -> None:
    with conv.db.session() as s:
        dialogs.set_state(s, msg.chat_id, msg.user_id or 0, FLOW, data)


def _clear(conv: Conversation, msg: Incoming) -> None:
    with conv.db.session() as s:
        dialogs.clear_state(s, msg.chat_id, msg.user_id or 0)


def _audience_choices(tr: Translator) -> list[list[Button]]:
    return [
        [Button(tr.gettext("Everyone"), "au:all"), Button(tr.gettext("All communes and wards"), "au:communes")],
        [Button(tr.gettext("Lead agencies of…"), "au:lead"), Button(tr.gettext("Coordinating agencies of…"), "au:coord")],
        [Button(tr.gettext("Named agencies…"), "au:names")],
    ]


def recipients(conv: Conversation, audience: Audience) -> list[tuple[int, str, str]]:
    """(chat id, agency id, agency name) of every active group binding in the audience."""
    with conv.db.session() as s:
        bindings = groups.all_active(s)
    return [(b.chat_id, agency.id, agency.name) for b, agency in audience_bindings(conv, audience, bindings)]


# --- deadlines ------------------------------------------------------------------------------------

def add_deadline(conv: Conversation, msg: Incoming, tr: Translator, args: str) -> Reply:
    """/themhan, or in one line: /themhan 15/12/2026; Báo cáo kết quả PGI; chủ trì 1.5"""
    if not is_focal(conv, msg.user_id):
        return _refuse(tr)
    if args:
        parts = [p.strip() for p in args.split(";")]
        if len(parts) != 3 or not all(parts):
            return Reply(tr.gettext("Write: /themhan dd/mm/yyyy; title; audience — the audience is “tất cả”, “xã phường”, "
                                    "“chủ trì 1.5”, “phối hợp CSTP 2” or agency names separated by commas."))
        try:
            due = _parse_date(tr, parts[0], conv.today())
            audience = parse(parts[2], conv.knowledge.current.engine, tr)
        except AudienceError as exc:
            return Reply(str(exc))
        data = {"what": "deadline", "step": "confirm", "date": due.isoformat(), "title": parts[1][:300], "audience": audience.spec}
        _save_state(conv, msg, data)
        return _preview(conv, msg, tr, data)
    _save_state(conv, msg, {"what": "deadline", "step": "date"})
    return Reply(tr.gettext("New deadline. What is the date (dd/mm/yyyy)?"))


def _preview(conv: Conversation, msg: Incoming, tr: Translator, data: dict) -> Reply:
    audience = Audience(data["audience"])
    n = len(recipients(conv, audience))
    if data["what"] == "deadline":
        text = tr.gettext("Deadline {date}: {title}\nFor: {audience}\nReminders will go to {n} bound group chat(s). Save it?").format(
            date=tr.date(date.fromisoformat(data["date"])), title=data["title"], audience=audience.describe(tr), n=n)
        ok, no = "dl:ok", "dl:no"
    else:
        text = tr.gettext("Broadcast to {audience} — {n} group chat(s):\n\n{text}\n\nSend it?").format(
            audience=audience.describe(tr), n=n, text=data["text"])
        ok, no = "bc:ok", "bc:no"
    return Reply(text, buttons=[[Button(tr.gettext("Confirm"), ok), Button(tr.gettext("Cancel"), no)]])


def typed(conv: Conversation, msg: Incoming, tr: Translator, data: dict) -> Reply | None:
    text = (msg.text or "").strip()
    if not text or not is_focal(conv, msg.user_id):
        return None
    step = data.get("step")
    try:
        if step == "date":
            data.update(step="title", date=_parse_date(tr, text, conv.today()).isoformat())
            _save_state(conv, msg, data)
            return Reply(tr.gettext("Title of the deadline (what is due)?"))
        if step == "title":
            data.update(step="audience", title=text[:300])
            _save_state(conv, msg, data)
            return Reply(tr.gettext("Who is it for?"), buttons=_audience_choices(tr))
        if step == "text":
            if len(text) > MAX_BROADCAST:
                return Reply(tr.gettext("The message is too long ({n} characters); keep it under {max}.").format(n=len(text), max=MAX_BROADCAST))
            data.update(step="audience", text=text)
            _save_state(conv, msg, data)
            return Reply(tr.gettext("Who is it for?"), buttons=_audience_choices(tr))
        if step in ("audience", "audience_text"):
            mode = data.get("mode") if step == "audience_text" else None
            typed_text = text
            if mode in ("lead", "coord") and not normalize(text).startswith(("chu tri", "phoi hop", "lead", "coordinate")):
                typed_text = f"{'chủ trì' if mode == 'lead' else 'phối hợp'} {text}"
            data.update(step="confirm", audience=parse(typed_text, conv.knowledge.current.engine, tr).spec)
            _save_state(conv, msg, data)
            return _preview(conv, msg, tr, data)
    except AudienceError as exc:
        return Reply(str(exc) + "\n" + tr.gettext("Try again, or send /thongbao or /themhan to start over."))
    return None


def audience_button(conv: Conversation, msg: Incoming, tr: Translator, rest: list[str]) -> Reply:
    data = _state(conv, msg)
    if data is None or data.get("step") != "audience" or not is_focal(conv, msg.user_id):
        return Reply("", toast=tr.gettext("This button is no longer valid."), silent=True)
    choice = rest[0] if rest else ""
    if choice == "all":
        data.update(step="confirm", audience=Audience.everyone().spec)
    elif choice == "communes":
        data.update(step="confirm", audience=Audience.communes().spec)
    elif choice in ("lead", "coord", "names"):
        data.update(step="audience_text", mode=choice)
        _save_state(conv, msg, data)
        prompt = tr.gettext("Type agency names separated by commas.") if choice == "names" else tr.gettext(
            "Type an indicator code (1.5) or a component index (CSTP 2).")
        return Reply(prompt, edit=True)
    else:
        return Reply("", toast=tr.gettext("This button is no longer valid."), silent=True)
    _save_state(conv, msg, data)
    reply = _preview(conv, msg, tr, data)
    reply.edit = True
    return reply


def deadline_button(conv: Conversation, msg: Incoming, tr: Translator, rest: list[str]) -> Reply:
    if not is_focal(conv, msg.user_id):
        return Reply("", toast=tr.gettext("Only the focal department can do that."), silent=True)
    action = rest[0] if rest else ""
    if action == "cancel":
        did = parse_id(rest[1]) if len(rest) == 2 else None
        if did is None:
            return Reply("", toast=not_an_id(tr, ":".join(rest[1:])), silent=True)
        return _cancel(conv, tr, did, edit=True)
    data = _state(conv, msg)
    if data is None or data.get("what") != "deadline" or data.get("step") != "confirm":
        return Reply("", toast=tr.gettext("This button is no longer valid."), silent=True)
    _clear(conv, msg)
    if action != "ok":
        return Reply(tr.gettext("Cancelled; nothing was saved."), edit=True)
    with conv.db.session() as s:
        saved = deadline_store.add(s, data["title"], date.fromisoformat(data["date"]), data["audience"], msg.user_id)
    return Reply(tr.gettext("Saved deadline #{id}: {date} — {title}. Reminders will follow the schedule.").format(
        id=saved.id, date=tr.date(saved.due_date), title=saved.title), edit=True, deliver_now=True)


def list_deadlines(conv: Conversation, msg: Incoming, tr: Translator, args: str) -> Reply:
    if not is_focal(conv, msg.user_id):
        return _refuse(tr)
    with conv.db.session() as s:
        items = deadline_store.active(s)
    if not items:
        return Reply(tr.gettext("No deadline was added in chat. Add one with /themhan."))
    lines = [tr.gettext("Deadlines added in chat (edit: /suahan <id> dd/mm/yyyy or /suahan <id> new title):")]
    buttons = []
    for d in items[:30]:
        lines.append(f"#{d.id} {tr.date(d.due_date)} — {d.title} ({Audience(d.audience).describe(tr)})")
        buttons.append([Button(tr.gettext("Cancel #{id}").format(id=d.id), f"dl:cancel:{d.id}")])
    return Reply("\n".join(lines), buttons=buttons)


def edit_deadline(conv: Conversation, msg: Incoming, tr: Translator, args: str) -> Reply:
    if not is_focal(conv, msg.user_id):
        return _refuse(tr)
    parts = args.split(None, 1)
    if len(parts) != 2 or not parts[0].lstrip("#").isdigit():
        return Reply(tr.gettext("Write: /suahan <id> dd/mm/yyyy, or /suahan <id> new title."))
    did, value = parse_id(parts[0]), parts[1].strip()
    if did is None:
        return Reply(not_an_id(tr, parts[0]))
    try:
        new_date = _parse_date(tr, value, conv.today()) if _DATE.match(value) else None
    except AudienceError as exc:
        return Reply(str(exc))
    with conv.db.session() as s:
        edited = deadline_store.edit(s, did, due_date=new_date, title=None if new_date else value)
        if edited is not None:
            # reminders written but not yet sent are written again with the new date or title
            ledger.drop_pending(s, edited.key)
    if edited is None:
        return Reply(tr.gettext("There is no active deadline #{id}; see /dshan.").format(id=did))
    return Reply(tr.gettext("Deadline #{id} is now {date} — {title}.").format(id=did, date=tr.date(edited.due_date), title=edited.title),
                 deliver_now=True)


def cancel_deadline(conv: Conversation, msg: Incoming, tr: Translator, args: str) -> Reply:
    if not is_focal(conv, msg.user_id):
        return _refuse(tr)
    if not args.strip().lstrip("#").isdigit():
        return Reply(tr.gettext("Write: /huyhan <id>; see /dshan for the ids."))
    did = parse_id(args)
    if did is None:
        return Reply(not_an_id(tr, args.strip()))
    return _cancel(conv, tr, did, edit=False)


def _cancel(conv: Conversation, tr: Translator, did: int, edit: bool) -> Reply:
    with conv.db.session() as s:
        cancelled = deadline_store.cancel(s, did)
        if cancelled is not None:
            ledger.skip_pending(s, cancelled.key, "deadline cancelled")
    if cancelled is None:
        return Reply(tr.gettext("There is no active deadline #{id}; see /dshan.").format(id=did), edit=edit)
    return Reply(tr.gettext("Deadline #{id} “{title}” is cancelled; no more reminders will be sent for it.").format(
        id=did, title=cancelled.title), edit=edit)


# --- broadcasts ---------------------------------------------------------------------------------

def broadcast(conv: Conversation, msg: Incoming, tr: Translator, args: str) -> Reply:
    if not is_focal(conv, msg.user_id):
        return _refuse(tr)
    if args:
        if len(args) > MAX_BROADCAST:
            return Reply(tr.gettext("The message is too long ({n} characters); keep it under {max}.").format(n=len(args), max=MAX_BROADCAST))
        _save_state(conv, msg, {"what": "broadcast", "step": "audience", "text": args})
        return Reply(tr.gettext("Who is it for?"), buttons=_audience_choices(tr))
    _save_state(conv, msg, {"what": "broadcast", "step": "text"})
    return Reply(tr.gettext("Type the message to broadcast."))


def broadcast_button(conv: Conversation, msg: Incoming, tr: Translator, rest: list[str]) -> Reply:
    if not is_focal(conv, msg.user_id):
        return Reply("", toast=tr.gettext("Only the focal department can do that."), silent=True)
    data = _state(conv, msg)
    if data is None or data.get("what") != "broadcast" or data.get("step") != "confirm":
        return Reply("", toast=tr.gettext("This button is no longer valid."), silent=True)
    _clear(conv, msg)
    if (rest[0] if rest else "") != "ok":
        return Reply(tr.gettext("Cancelled; nothing was sent."), edit=True)
    audience = Audience(data["audience"])
    targets = recipients(conv, audience)
    sender = msg.user_name or str(msg.user_id)
    text = tr.gettext("📢 From the focal department ({sender}):").format(sender=sender) + "\n" + data["text"]
    with conv.db.session() as s:
        b = deadline_store.add_broadcast(s, data["text"], audience.spec, msg.user_id, msg.chat_id)
        for chat_id, agency_id, _name in targets:
            ledger.enqueue(s, key=f"bc:{b.id}:{chat_id}", kind="broadcast", chat_id=chat_id, text=text, agency_id=agency_id,
                           broadcast_id=b.id)
        if not targets:
            deadline_store.finish_broadcast(s, b.id)
    if not targets:
        return Reply(tr.gettext("No bound group chat is in that audience; nothing was sent."), edit=True)
    return Reply(tr.gettext("Sending to {n} group chat(s); you will get a delivery report when it is done.").format(n=len(targets)),
                 edit=True, deliver_now=True)


def broadcast_report(conv: Conversation, broadcast_id: int) -> None:
    """Enqueue the delivery report for the sender of a finished broadcast, in the sender's language."""
    with conv.db.session() as s:
        b = deadline_store.get_broadcast(s, broadcast_id)
        rows = ledger.by_broadcast(s, broadcast_id)
        author = people.get_user(s, b.created_by) if b is not None else None
    if b is None:
        return
    tr = conv.translator(pick_language(author.language, author.telegram_language) if author else None)
    agencies = conv.knowledge.current.kb.agencies

    def group(r) -> str:
        agency = agencies.get(r.agency_id) if r.agency_id else None
        return agency.name if agency else str(r.chat_id)

    sent = [r for r in rows if r.status == ledger.SENT]
    lines = [tr.gettext("Delivery report of broadcast #{id}: {sent} of {total} sent.").format(id=b.id, sent=len(sent), total=len(rows))]
    for r in [r for r in rows if r.status == ledger.UNCERTAIN][:20]:
        # the sending process stopped while the request was out: Telegram may or may not have it
        lines.append(tr.gettext("• {chat}: may have been sent — could not be confirmed").format(chat=group(r)))
    for r in [r for r in rows if r.status == ledger.FAILED][:20]:
        lines.append(tr.gettext("• Not sent to chat {chat}: {why}").format(chat=group(r), why=reason_text(tr, r.error)))
    for r in [r for r in rows if r.status == ledger.GONE][:20]:
        lines.append(tr.gettext("• Chat {chat} has removed or blocked the bot: {why}").format(chat=group(r),
                                                                                           why=reason_text(tr, r.error)))
    with conv.db.session() as s:
        ledger.enqueue(s, key=f"report:{b.id}", kind="notice", chat_id=b.report_chat_id, text="\n".join(lines))


# --- reminders ----------------------------------------------------------------------------------

def reminder_button(conv: Conversation, msg: Incoming, tr: Translator, rest: list[str]) -> Reply:
    """"Acknowledged" under a reminder: recorded per member, and the agency gets no more reminders but the last.

    Only an approved member of the group's agency, the focal department or an admin may acknowledge for
    the agency, and only a deadline that exists (a knowledge-base one or an active one added in chat).
    """
    deadline_key = ":".join(rest[1:])
    if not rest or rest[0] != "ack" or not _deadline_exists(conv, deadline_key):
        return Reply("", toast=tr.gettext("This button is no longer valid."), silent=True)
    if msg.user_id is None:
        return Reply("", toast=tr.gettext("Acknowledge from your own account, not anonymously."), silent=True)
    with conv.db.session() as s:
        binding = groups.active_binding(s, msg.chat_id)
    if binding is None:
        return Reply("", toast=tr.gettext("This group is not bound to an agency any more."), silent=True)
    agency = agency_from_record(conv, binding.agency_id, binding.agency_name)
    agency_id = agency.id if agency else binding.agency_id
    if not is_focal(conv, msg.user_id):
        mine = member_agency(conv, msg.user_id)
        if mine is None or mine.id != agency_id:
            return Reply("", toast=tr.gettext("Only approved members of {agency} can acknowledge this reminder.").format(
                agency=agency.name if agency else binding.agency_name), silent=True)
    with conv.db.session() as s:
        new = deadline_store.acknowledge(s, deadline_key, agency_id, msg.user_id, msg.chat_id)
    toast = (tr.gettext("Recorded: {name} has seen this reminder.") if new else tr.gettext("You had already acknowledged it.")).format(
        name=msg.user_name or "")
    return Reply("", toast=toast, silent=True)


def _deadline_exists(conv: Conversation, key: str) -> bool:
    parsed = parse_deadline_key(key)
    if parsed is None:
        return False
    kind, ident = parsed
    if kind == "kb":
        return any(d.id == ident for d in conv.knowledge.current.kb.deadlines)
    with conv.db.session() as s:
        found = deadline_store.get(s, int(ident))
    return found is not None and found.cancelled_at is None
