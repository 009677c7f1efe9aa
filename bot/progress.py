"""Quick progress updates: by buttons, in one line, with an optional evidence file; history and undo."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.access import member_status
from bot.core import Attachment, Button, Incoming, Reply
from bot.i18n import N_, Translator
from kb.answers import LEAD, Role
from kb.normalize import fold
from storage import dialogs
from storage import progress as store

if TYPE_CHECKING:
    from bot.core import Conversation

FLOW = "progress"
UNDO_WINDOW = timedelta(minutes=10)
MAX_NOTE = 500
MAX_FILE_BYTES = 20 * 1024 * 1024  # the largest file a bot can download from Telegram
ALLOWED_EXTENSIONS = frozenset("pdf doc docx xls xlsx ppt pptx odt ods jpg jpeg png zip rar 7z txt".split())
STATUS_LABELS = {
    "not_started": N_("Not started"),
    "in_progress": N_("In progress"),
    "done": N_("Done"),
    "blocked": N_("Having difficulties"),
}
_STATUS_WORDS = [
    ("chua bat dau", "not_started"), ("not started", "not_started"),
    ("dang thuc hien", "in_progress"), ("dang lam", "in_progress"), ("in progress", "in_progress"),
    ("hoan thanh", "done"), ("da xong", "done"), ("xong", "done"), ("done", "done"), ("completed", "done"),
    ("gap kho khan", "blocked"), ("kho khan", "blocked"), ("vuong mac", "blocked"), ("blocked", "blocked"),
]
_CODE = re.compile(r"^(\d{1,2})[.,](\d{1,2})$")
_QUICK = re.compile(r"^\s*(?:cập nhật|cap nhat|cập nhập|update)\s+(.+)$", re.I | re.S)


class Refusal(Exception):
    """A progress update that cannot be stored; the message says why and what to do."""


@dataclass(frozen=True)
class Draft:
    code: str
    status: str
    percent: int | None
    note: str | None


# --- who may update what ----------------------------------------------------------------------

def _member(conv: Conversation, msg: Incoming, tr: Translator):
    if msg.user_id is None:
        raise Refusal(tr.gettext("Progress can only be posted from your own account, not anonymously."))
    status = member_status(conv, msg.user_id)
    if status.membership is None:
        if status.pending is not None:
            raise Refusal(tr.gettext("Your request to join {agency} is still waiting for approval; you can post progress once "
                                     "an admin approves it.").format(agency=status.pending.agency_name))
        raise Refusal(tr.gettext("Only approved members of an agency may post progress. Sign up with /dangky."))
    if status.agency is None:
        raise Refusal(tr.gettext("Your agency “{agency}” is no longer in the knowledge base. Ask an admin to update your "
                                 "sign-up (/dangky).").format(agency=status.membership.agency_name))
    return status.agency


def _roles(conv: Conversation, agency) -> dict[str, Role]:
    active = conv.knowledge.current
    plan = active.index.current_plan
    roles, _ = active.engine.roles_of(agency, plan.id)
    return {r.indicator.code: r for r in roles}


def _button_roles(roles: dict[str, Role]) -> list[Role]:
    shown = [r for r in roles.values() if not (r.via is not None and r.via.catch_all)]
    return sorted(shown, key=lambda r: (r.role != LEAD, r.via is not None, _code_key(r.indicator.code)))


def _code_key(code: str) -> tuple[int, ...]:
    return tuple(int(p) for p in code.split("."))


def _check_code(conv: Conversation, tr: Translator, agency, code: str) -> Role:
    active = conv.knowledge.current
    plan = active.index.current_plan
    if code not in active.index.indicators.get(plan.id, {}):
        raise Refusal(tr.gettext("There is no indicator {code} in plan {plan}. Send /capnhat to pick one of yours.").format(
            code=code, plan=plan.number or plan.title))
    role = _roles(conv, agency).get(code)
    if role is None:
        raise Refusal(tr.gettext("{agency} is neither lead nor coordinator of indicator {code}, so it cannot post progress on "
                                 "it. Send /capnhat to see your indicators.").format(agency=agency.name, code=code))
    return role


def _check_file(tr: Translator, att: Attachment | None) -> None:
    if att is None:
        return
    if att.size is not None and att.size > MAX_FILE_BYTES:
        raise Refusal(tr.gettext("The file is too large ({size} MB); send one of at most 20 MB, or a link in the note.").format(
            size=round(att.size / 1024 / 1024, 1)))
    if att.kind == "document":
        ext = att.file_name.rsplit(".", 1)[-1].lower() if "." in att.file_name else ""
        if ext not in ALLOWED_EXTENSIONS:
            raise Refusal(tr.gettext("I can't keep “{name}” as evidence: send a PDF, Word, Excel, PowerPoint, image or ZIP "
                                     "file.").format(name=att.file_name[:80]))


def _check_note(tr: Translator, note: str | None) -> None:
    if note and len(note) > MAX_NOTE:
        raise Refusal(tr.gettext("The note is too long ({n} characters); keep it under {max} and send it again.").format(
            n=len(note), max=MAX_NOTE))


# --- parsing ----------------------------------------------------------------------------------

def parse_percent_and_note(tr: Translator, text: str) -> tuple[int | None, str | None, str | None]:
    """"70% đã sửa 3 công trình" -> (70, None, "đã sửa 3 công trình"); "hoàn thành" -> (None, "done", None)."""
    text = (text or "").strip()
    percent = None
    m = re.match(r"^(-?\d{1,4})\s*%?(?:[\s,.;:]+|$)(.*)$", text, re.S)
    if m:
        percent, text = int(m.group(1)), m.group(2)
    else:
        m = re.search(r"(?<!\S)(-?\d{1,4})\s*%", text)
        if m:
            percent, text = int(m.group(1)), text[: m.start()] + text[m.end():]
    if percent is not None and not 0 <= percent <= 100:
        raise Refusal(tr.gettext("The percentage must be between 0 and 100 (you wrote {value}%).").format(value=percent))
    text = text.strip(" ,.;:-")
    status = None
    folded = fold(text)
    for words, code in _STATUS_WORDS:
        if folded == words or folded.startswith(words + " "):
            status = code
            text = " ".join(text.split()[len(words.split()):]).strip(" ,.;:-")
            break
    return percent, status, (text or None)


def parse_one_line(tr: Translator, args: str) -> Draft:
    parts = args.strip().replace(":", " : ", 1).split(None, 1)
    if not parts or not _CODE.match(parts[0]):
        raise Refusal(tr.gettext("Write the indicator code first, e.g. /capnhat 1.5 70% đã sửa 3 công trình."))
    m = _CODE.match(parts[0])
    code = f"{int(m.group(1))}.{int(m.group(2))}"
    rest = parts[1].lstrip(" :-") if len(parts) > 1 else ""
    percent, status, note = parse_percent_and_note(tr, rest)
    if status is None:
        status = "done" if percent == 100 else "in_progress"
    return Draft(code, status, percent, note)


# --- saving and confirming --------------------------------------------------------------------

def _save(conv: Conversation, msg: Incoming, tr: Translator, agency, draft: Draft, att: Attachment | None) -> Reply:
    _check_note(tr, draft.note)
    _check_file(tr, att)
    role = _check_code(conv, tr, agency, draft.code)
    active = conv.knowledge.current
    with conv.db.session() as s:
        saved = store.add(
            s, author_id=msg.user_id, author_name=msg.user_name or str(msg.user_id), agency_id=agency.id,
            agency_name=agency.name, plan_id=active.index.current_plan.id, indicator_code=draft.code,
            kb_version_id=active.version.id, status=draft.status, percent=draft.percent, note=draft.note,
            file_id=att.file_id if att else None, file_name=att.file_name if att else None, file_kind=att.kind if att else None,
        )
        dialogs.clear_state(s, msg.chat_id, msg.user_id)
    lines = [tr.gettext("<b>Saved</b> — indicator {code} “{name}”").format(
        code=saved.indicator_code, name=html.escape(_short(role.indicator.name, 80)))]
    lines.append(tr.gettext("Status: {status}").format(status=tr.gettext(STATUS_LABELS[saved.status])))
    if saved.percent is not None:
        lines.append(tr.gettext("Done: {percent}%").format(percent=saved.percent))
    if saved.note:
        lines.append(tr.gettext("Note: {note}").format(note=html.escape(saved.note)))
    if saved.file_name:
        lines.append(tr.gettext("Evidence: {file}").format(file=html.escape(saved.file_name)))
    lines.append(tr.gettext("Agency: {agency} · by {author} · {time}").format(
        agency=html.escape(saved.agency_name), author=html.escape(saved.author_name),
        time=saved.created_at.astimezone(conv.tz).strftime("%d/%m/%Y %H:%M")))
    lines.append(tr.gettext("You can undo this within 10 minutes."))
    return Reply("\n".join(lines), html=True, buttons=[[Button(tr.gettext("Undo"), f"pu:undo:{saved.id}")]])


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _refuse(tr: Translator, exc: Refusal, toast: bool = False) -> Reply:
    return Reply(str(exc), toast=str(exc)[:190] if toast else None)


# --- entry points ------------------------------------------------------------------------------

def command(conv: Conversation, msg: Incoming, tr: Translator, args: str) -> Reply:
    try:
        agency = _member(conv, msg, tr)
        if fold(args) in ("huy", "undo", "hoan tac"):
            return _undo_last(conv, msg, tr)
        if args:
            return _save(conv, msg, tr, agency, parse_one_line(tr, args), msg.attachment)
        return _pick_indicator(conv, msg, tr, agency)
    except Refusal as exc:
        return _refuse(tr, exc)


def quick_text(conv: Conversation, msg: Incoming, tr: Translator, text: str) -> Reply | None:
    """Plain text such as "cập nhật 2.4: hoàn thành"."""
    m = _QUICK.match(text or "")
    if not m or not _CODE.match(m.group(1).split()[0].rstrip(":")):
        return None
    return command(conv, msg, tr, m.group(1).replace(":", " ", 1))


def _pick_indicator(conv: Conversation, msg: Incoming, tr: Translator, agency) -> Reply:
    roles = _button_roles(_roles(conv, agency))
    if not roles:
        return Reply(tr.gettext("{agency} has no indicator of its own in the current plan.").format(agency=agency.name))
    buttons = []
    for r in roles[:60]:
        mark = "★ " if r.role == LEAD else ""
        buttons.append([Button(_short(f"{mark}{r.indicator.code} {r.indicator.name}", 60), f"pu:i:{r.indicator.code}")])
    with conv.db.session() as s:
        dialogs.set_state(s, msg.chat_id, msg.user_id, FLOW, {"step": "indicator"})
    return Reply(tr.gettext("Which indicator? (★ = {agency} leads it)").format(agency=agency.name), buttons=buttons)


def callback(conv: Conversation, msg: Incoming, tr: Translator, rest: list[str]) -> Reply:
    try:
        agency = _member(conv, msg, tr)
        action = rest[0] if rest else ""
        if action == "undo" and len(rest) > 1 and rest[1].isdigit():
            return _undo(conv, msg, tr, int(rest[1]))
        if action == "start":  # "Post progress" under a reminder
            return _pick_indicator(conv, msg, tr, agency)
        with conv.db.session() as s:
            state = dialogs.get_state(s, msg.chat_id, msg.user_id)
        data = state[1] if state and state[0] == FLOW else None
        if data is None:
            return Reply("", toast=tr.gettext("This button is no longer valid."), silent=True)
        if action == "i" and len(rest) > 1 and data.get("step") == "indicator":
            role = _check_code(conv, tr, agency, rest[1])
            with conv.db.session() as s:
                dialogs.set_state(s, msg.chat_id, msg.user_id, FLOW, {"step": "status", "code": role.indicator.code})
            return Reply(tr.gettext("Indicator {code} “{name}”: what is its status?").format(
                code=role.indicator.code, name=_short(role.indicator.name, 80)), edit=True,
                buttons=[[Button(tr.gettext(STATUS_LABELS[k]), f"pu:s:{k}")] for k in STATUS_LABELS])
        if action == "s" and len(rest) > 1 and rest[1] in STATUS_LABELS and data.get("step") == "status":
            data = {"step": "detail", "code": data["code"], "status": rest[1]}
            with conv.db.session() as s:
                dialogs.set_state(s, msg.chat_id, msg.user_id, FLOW, data)
            return Reply(tr.gettext("Send the percentage done and a short note, e.g. “70 đã sửa 3 công trình”; you may attach a "
                                    "file or photo as evidence. Or press Save."), edit=True,
                         buttons=[[Button(tr.gettext("Save without a note"), "pu:save")]])
        if action == "save" and data.get("step") == "detail":
            return _save(conv, msg, tr, agency, Draft(data["code"], data["status"], None, None), None)
        return Reply("", toast=tr.gettext("This button is no longer valid."), silent=True)
    except Refusal as exc:
        return _refuse(tr, exc, toast=True)


def typed(conv: Conversation, msg: Incoming, tr: Translator, state: dict) -> Reply | None:
    """Text (or a file) sent at the flow's last step: percentage, note, evidence."""
    if state.get("step") != "detail":
        return None
    try:
        agency = _member(conv, msg, tr)
        percent, status, note = parse_percent_and_note(tr, msg.text or "")
        draft = Draft(state["code"], status or state["status"], percent, note)
        return _save(conv, msg, tr, agency, draft, msg.attachment)
    except Refusal as exc:
        return _refuse(tr, exc)


def attachment_without_flow(conv: Conversation, msg: Incoming, tr: Translator) -> Reply:
    return Reply(tr.gettext("To keep a file as evidence, send it with the caption “/capnhat <code> <percent>% <note>”, or "
                            "during /capnhat."))


def _undo(conv: Conversation, msg: Incoming, tr: Translator, update_id: int) -> Reply:
    with conv.db.session() as s:
        outcome, info = store.undo(s, update_id, msg.user_id, conv.now(), UNDO_WINDOW)
    texts = {
        "ok": tr.gettext("Undone: the update on indicator {code} was withdrawn."),
        "not_found": tr.gettext("That update no longer exists."),
        "not_author": tr.gettext("Only the author of an update can undo it."),
        "already_undone": tr.gettext("That update was already undone."),
        "too_late": tr.gettext("Updates can only be undone within 10 minutes; post a new update instead."),
        "reviewed": tr.gettext("The focal department has already reviewed this update, so it can no longer be undone; "
                               "post a new update instead."),
    }
    text = texts[outcome].format(code=info.indicator_code if info else "")
    return Reply(text, edit=outcome == "ok", toast=text[:190])


def _undo_last(conv: Conversation, msg: Incoming, tr: Translator) -> Reply:
    with conv.db.session() as s:
        last = store.last_by_author(s, msg.user_id)
    if last is None:
        return Reply(tr.gettext("You have no update to undo."))
    return _undo(conv, msg, tr, last.id)


def show(conv: Conversation, msg: Incoming, tr: Translator, args: str) -> Reply:
    """/tiendo: the latest status of each of the agency's indicators; /tiendo 1.5: one indicator's history."""
    try:
        agency = _member(conv, msg, tr)
    except Refusal as exc:
        return _refuse(tr, exc)
    active = conv.knowledge.current
    plan = active.index.current_plan
    if args.strip():
        m = _CODE.match(args.strip().split()[0])
        if not m:
            return Reply(tr.gettext("Write an indicator code, e.g. /tiendo 1.5."))
        code = f"{int(m.group(1))}.{int(m.group(2))}"
        try:
            role = _check_code(conv, tr, agency, code)
        except Refusal as exc:
            return _refuse(tr, exc)
        with conv.db.session() as s:
            rows = store.history(s, agency.id, plan.id, code)
        lines = [tr.gettext("History of indicator {code} “{name}” for {agency}:").format(
            code=code, name=html.escape(_short(role.indicator.name, 70)), agency=html.escape(agency.name))]
        if not rows:
            lines.append(tr.gettext("No update yet."))
        for p in rows:
            line = f"• {p.created_at.astimezone(conv.tz):%d/%m/%Y %H:%M} — {html.escape(p.author_name)} — {tr.gettext(STATUS_LABELS[p.status])}"
            if p.percent is not None:
                line += f", {p.percent}%"
            if p.note:
                line += f": {html.escape(p.note)}"
            if p.file_name:
                line += f" [{html.escape(p.file_name)}]"
            if p.undone_at:
                line += " " + tr.gettext("(undone)")
            lines.append(line)
        return Reply("\n".join(lines), html=True)
    roles = _button_roles(_roles(conv, agency))
    with conv.db.session() as s:
        latest = store.latest_by_indicator(s, agency.id, plan.id)
    lines = [tr.gettext("Progress of {agency} ({plan}):").format(agency=html.escape(agency.name), plan=plan.number or plan.title)]
    for r in roles:
        p = latest.get(r.indicator.code)
        mark = "★" if r.role == LEAD else "·"
        if p is None:
            state = tr.gettext("no update yet")
        else:
            state = tr.gettext(STATUS_LABELS[p.status]) + (f" {p.percent}%" if p.percent is not None else "")
            state += f" ({p.created_at.astimezone(conv.tz):%d/%m})"
        lines.append(f"{mark} {r.indicator.code} {html.escape(_short(r.indicator.name, 50))}: {state}")
    lines.append(tr.gettext("★ = lead. /tiendo 1.5 shows one indicator's history."))
    return Reply("\n".join(lines), html=True)
