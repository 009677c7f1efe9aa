"""Quick progress updates: by buttons, in one line, with an optional evidence file; history and
undo."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.app.i18n import N_, Translator
from bot.core.access import member_status
from bot.core.messages import Attachment, Choice, Reply
from bot.core.validate_input import parse_id
from kb.ask.answers import LEAD, Role
from kb.codes import code_key, parse_code
from kb.normalize import fold
from storage import progress as store
from storage.evidence import EvidenceError, keep

if TYPE_CHECKING:
    from bot.core.turn import Turn
    from kb.model import Agency
    from storage.people import UserInfo

FLOW = "progress"
UNDO_WINDOW = timedelta(minutes=10)
MAX_NOTE = 500
MAX_FILE_BYTES = 20 * 1024 * 1024  # the largest file a bot can download from Telegram
ALLOWED_EXTENSIONS = frozenset(
    "pdf doc docx xls xlsx ppt pptx odt ods jpg jpeg png zip rar 7z txt".split()
)
EVIDENCE_ERRORS = (
    N_("the file is empty"),
    N_("the file is larger than 20 MB"),
)  # storage.evidence's reasons
STATUS_LABELS = {
    "not_started": N_("Not started"),
    "in_progress": N_("In progress"),
    "done": N_("Done"),
    "blocked": N_("Having difficulties"),
}
_STATUS_WORDS = [
    ("chua bat dau", "not_started"),
    ("not started", "not_started"),
    ("dang thuc hien", "in_progress"),
    ("dang lam", "in_progress"),
    ("in progress", "in_progress"),
    ("hoan thanh", "done"),
    ("da xong", "done"),
    ("xong", "done"),
    ("done", "done"),
    ("completed", "done"),
    ("gap kho khan", "blocked"),
    ("kho khan", "blocked"),
    ("vuong mac", "blocked"),
    ("blocked", "blocked"),
]
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


def _member(turn: Turn) -> tuple[UserInfo, Agency]:
    """The sender and the agency they may post progress for; a refusal saying why not."""
    tr = turn.tr
    user = turn.user
    if user is None:
        raise Refusal(
            tr.gettext("Progress can only be posted from your own account, not anonymously.")
        )
    status = member_status(turn)
    if status.membership is None:
        if status.pending is not None:
            raise Refusal(
                tr.gettext(
                    "Your request to join {agency} is still waiting for approval; you can post"
                    " progress once an admin approves it."
                ).format(agency=status.pending.agency_name)
            )
        raise Refusal(
            tr.gettext(
                "Only approved members of an agency may post progress. Sign up with /dangky."
            )
        )
    if status.agency is None:
        raise Refusal(
            tr.gettext(
                "Your agency “{agency}” is no longer in the knowledge base. Ask an admin to update"
                " your sign-up (/dangky)."
            ).format(agency=status.membership.agency_name)
        )
    return user, status.agency


def _roles(turn: Turn, agency) -> dict[str, Role]:
    """The indicators the agency may post progress on: one rule (kb.queries.updatable_rule) for the
    picker, /capnhat and /tiendo alike."""
    return {r.indicator.code: r for r in turn.kb.engine.updatable_indicators(agency)}


def _button_roles(roles: dict[str, Role]) -> list[Role]:
    return sorted(
        roles.values(),
        key=lambda r: (r.role != LEAD, r.via is not None, code_key(r.indicator.code)),
    )


def _check_code(turn: Turn, agency, code: str) -> Role:
    tr = turn.tr
    active = turn.kb
    plan = active.plan
    if code not in active.index.indicators.get(plan.id, {}):
        raise Refusal(
            tr.gettext(
                "There is no indicator {code} in plan {plan}. Send /capnhat to pick one of yours."
            ).format(code=code, plan=plan.number or plan.title)
        )
    role = _roles(turn, agency).get(code)
    if role is None:
        raise Refusal(
            tr.gettext(
                "{agency} is neither lead nor coordinator of indicator {code}, so it cannot post"
                " progress on it. Send /capnhat to see your indicators."
            ).format(agency=agency.name, code=code)
        )
    return role


def _check_file(tr: Translator, att: Attachment | None) -> None:
    if att is None:
        return
    if att.size is not None and att.size > MAX_FILE_BYTES:
        raise Refusal(
            tr.gettext(
                "The file is too large ({size} MB); send one of at most 20 MB, or a link in the"
                " note."
            ).format(size=round(att.size / 1024 / 1024, 1))
        )
    if att.kind == "document":
        ext = att.file_name.rsplit(".", 1)[-1].lower() if "." in att.file_name else ""
        if ext not in ALLOWED_EXTENSIONS:
            raise Refusal(
                tr.gettext(
                    "I can't keep “{name}” as evidence: send a PDF, Word, Excel, PowerPoint, image"
                    " or ZIP file."
                ).format(name=att.file_name[:80])
            )


def _check_note(tr: Translator, note: str | None) -> None:
    if note and len(note) > MAX_NOTE:
        raise Refusal(
            tr.gettext(
                "The note is too long ({n} characters); keep it under {max} and send it again."
            ).format(n=len(note), max=MAX_NOTE)
        )


# --- parsing ----------------------------------------------------------------------------------


def parse_percent_and_note(tr: Translator, text: str) -> tuple[int | None, str | None, str | None]:
    """ "70% đã sửa 3 công trình" -> (70, None, "đã sửa 3 công trình"); "hoàn thành" -> (None,
    "done", None)."""
    text = (text or "").strip()
    percent = None
    m = re.match(r"^(-?\d{1,4})\s*%?(?:[\s,.;:]+|$)(.*)$", text, re.S)
    if m:
        percent, text = int(m.group(1)), m.group(2)
    else:
        m = re.search(r"(?<!\S)(-?\d{1,4})\s*%", text)
        if m:
            percent, text = int(m.group(1)), text[: m.start()] + text[m.end() :]
    if percent is not None and not 0 <= percent <= 100:
        raise Refusal(
            tr.gettext("The percentage must be between 0 and 100 (you wrote {value}%).").format(
                value=percent
            )
        )
    text = text.strip(" ,.;:-")
    status = None
    folded = fold(text)
    for words, code in _STATUS_WORDS:
        if folded == words or folded.startswith(words + " "):
            status = code
            text = " ".join(text.split()[len(words.split()) :]).strip(" ,.;:-")
            break
    return percent, status, (text or None)


def parse_one_line(tr: Translator, args: str) -> Draft:
    parts = args.strip().replace(":", " : ", 1).split(None, 1)
    code = parse_code(parts[0]) if parts else None
    if code is None:
        raise Refusal(
            tr.gettext(
                "Write the indicator code first, e.g. /capnhat 1.5 70% đã sửa 3 công trình."
            )
        )
    rest = parts[1].lstrip(" :-") if len(parts) > 1 else ""
    percent, status, note = parse_percent_and_note(tr, rest)
    if status is None:
        status = "done" if percent == 100 else "in_progress"
    return Draft(code, status, percent, note)


# --- saving and confirming --------------------------------------------------------------------


def _save(
    turn: Turn, user: UserInfo, agency: Agency, draft: Draft, att: Attachment | None
) -> Reply:
    tr = turn.tr
    _check_note(tr, draft.note)
    _check_file(tr, att)
    role = _check_code(turn, agency, draft.code)
    active = turn.kb
    kept = None
    if att is not None and att.content is not None:
        try:
            kept = keep(turn.settings.data_dir, att.content, att.file_name)
        except EvidenceError as exc:
            raise Refusal(
                tr.gettext(
                    "I could not keep the file ({why}). Send it again, or put a link in the note."
                ).format(why=tr.gettext(str(exc)))
            ) from exc
    saved = store.add(
        turn.s,
        author_id=user.id,
        author_name=turn.msg.user_name or user.name or f"#{user.id}",
        agency_id=agency.id,
        agency_name=agency.name,
        plan_id=active.plan.id,
        indicator_code=draft.code,
        kb_version_id=active.version.id,
        status=draft.status,
        percent=draft.percent,
        note=draft.note,
        file_id=att.ref if att else None,
        file_name=att.file_name if att else None,
        file_kind=att.kind if att else None,
        file_path=kept.path if kept else None,
        file_size=kept.size if kept else None,
    )
    turn.clear_state()
    lines = [
        tr.gettext("Saved — indicator {code} “{name}”").format(
            code=saved.indicator_code, name=_short(role.indicator.name, 80)
        )
    ]
    lines.append(
        tr.gettext("Status: {status}").format(status=tr.gettext(STATUS_LABELS[saved.status]))
    )
    if saved.percent is not None:
        lines.append(tr.gettext("Done: {percent}%").format(percent=saved.percent))
    if saved.note:
        lines.append(tr.gettext("Note: {note}").format(note=saved.note))
    if saved.file_name:
        lines.append(tr.gettext("Evidence: {file}").format(file=saved.file_name))
    lines.append(
        tr.gettext("Agency: {agency} · by {author} · {time}").format(
            agency=saved.agency_name,
            author=saved.author_name,
            time=saved.created_at.astimezone(turn.conv.tz).strftime("%d/%m/%Y %H:%M"),
        )
    )
    lines.append(tr.gettext("You can undo this within 10 minutes."))
    return Reply("\n".join(lines), choices=[Choice(tr.gettext("Undo"), f"pu:undo:{saved.id}")])


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _refuse(exc: Refusal, toast: bool = False) -> Reply:
    return Reply(str(exc), toast=str(exc)[:190] if toast else None)


# --- entry points ------------------------------------------------------------------------------


def command(turn: Turn, args: str) -> Reply:
    try:
        user, agency = _member(turn)
        if fold(args) in ("huy", "undo", "hoan tac"):
            return _undo_last(turn, user)
        if args:
            return _save(turn, user, agency, parse_one_line(turn.tr, args), turn.msg.attachment)
        return _pick_indicator(turn, agency)
    except Refusal as exc:
        return _refuse(exc)


def looks_like_update(text: str) -> bool:
    """Plain text such as "cập nhật 2.4: hoàn thành" (a quick progress update, not a question)."""
    m = _QUICK.match(text or "")
    return bool(m and parse_code(m.group(1).split()[0].rstrip(":")) is not None)


def quick_text(turn: Turn, text: str) -> Reply | None:
    """Plain text such as "cập nhật 2.4: hoàn thành"."""
    if not looks_like_update(text):
        return None
    m = _QUICK.match(text)
    assert m is not None
    return command(turn, m.group(1).replace(":", " ", 1))


def _pick_indicator(turn: Turn, agency) -> Reply:
    tr = turn.tr
    roles = _button_roles(_roles(turn, agency))
    if not roles:
        return Reply(
            tr.gettext("{agency} has no indicator of its own in the current plan.").format(
                agency=agency.name
            )
        )
    choices = []
    for r in roles[:60]:
        mark = "★ " if r.role == LEAD else ""
        choices.append(
            Choice(
                _short(f"{mark}{r.indicator.code} {r.indicator.name}", 60),
                f"pu:i:{r.indicator.code}",
            )
        )
    turn.set_state(FLOW, {"step": "indicator"})
    return Reply(
        tr.gettext("Which indicator? (★ = {agency} leads it)").format(agency=agency.name),
        choices=choices,
    )


def callback(turn: Turn, rest: list[str]) -> Reply:
    tr = turn.tr
    try:
        user, agency = _member(turn)
        action = rest[0] if rest else ""
        if action == "undo":
            update_id = parse_id(rest[1] if len(rest) > 1 else "")
            if update_id is None:
                return Reply(
                    tr.gettext("That is not a valid update id."),
                    toast=tr.gettext("This button is no longer valid."),
                )
            return _undo(turn, user, update_id)
        if action == "start":  # "Post progress" under a reminder
            return _pick_indicator(turn, agency)
        data = turn.state(FLOW)
        if data is None:
            return Reply(
                tr.gettext("That step has expired; send /capnhat to start again."),
                toast=tr.gettext("This button is no longer valid."),
                silent=turn.msg.callback is not None,
            )
        if action == "i" and len(rest) > 1 and data.get("step") == "indicator":
            role = _check_code(turn, agency, rest[1])
            turn.set_state(FLOW, {"step": "status", "code": role.indicator.code})
            return Reply(
                tr.gettext("Indicator {code} “{name}”: what is its status?").format(
                    code=role.indicator.code, name=_short(role.indicator.name, 80)
                ),
                edit=True,
                choices=[Choice(tr.gettext(STATUS_LABELS[k]), f"pu:s:{k}") for k in STATUS_LABELS],
            )
        if (
            action == "s"
            and len(rest) > 1
            and rest[1] in STATUS_LABELS
            and data.get("step") == "status"
        ):
            turn.set_state(FLOW, {"step": "detail", "code": data["code"], "status": rest[1]})
            return Reply(
                tr.gettext(
                    "Send the percentage done and a short note, e.g. “70 đã sửa 3 công trình”; you"
                    " may attach a file or photo as evidence. Or choose Save."
                ),
                edit=True,
                choices=[Choice(tr.gettext("Save without a note"), "pu:save")],
            )
        if action == "save" and data.get("step") == "detail":
            return _save(turn, user, agency, Draft(data["code"], data["status"], None, None), None)
        return Reply("", toast=tr.gettext("This button is no longer valid."), silent=True)
    except Refusal as exc:
        return _refuse(exc, toast=True)


def typed(turn: Turn, state: dict) -> Reply | None:
    """Text (or a file) sent at the flow's last step: percentage, note, evidence."""
    if state.get("step") != "detail":
        return None
    try:
        user, agency = _member(turn)
        percent, status, note = parse_percent_and_note(turn.tr, turn.msg.text or "")
        draft = Draft(state["code"], status or state["status"], percent, note)
        return _save(turn, user, agency, draft, turn.msg.attachment)
    except Refusal as exc:
        return _refuse(exc)


def attachment_without_flow(turn: Turn) -> Reply:
    return Reply(
        turn.tr.gettext(
            "To keep a file as evidence, send it with the caption “/capnhat <code> <percent>%"
            " <note>”, or during /capnhat."
        )
    )


def _undo(turn: Turn, user: UserInfo, update_id: int) -> Reply:
    tr = turn.tr
    outcome, info = store.undo(turn.s, update_id, user.id, turn.now, UNDO_WINDOW)
    texts = {
        "ok": tr.gettext("Undone: the update on indicator {code} was withdrawn."),
        "not_found": tr.gettext("That update no longer exists."),
        "not_author": tr.gettext("Only the author of an update can undo it."),
        "already_undone": tr.gettext("That update was already undone."),
        "too_late": tr.gettext(
            "Updates can only be undone within 10 minutes; post a new update instead."
        ),
        "reviewed": tr.gettext(
            "The focal department has already reviewed this update, so it can no longer be undone;"
            " post a new update instead."
        ),
    }
    text = texts[outcome].format(code=info.indicator_code if info else "")
    return Reply(text, edit=outcome == "ok", toast=text[:190])


def _undo_last(turn: Turn, user: UserInfo) -> Reply:
    last = store.last_by_author(turn.s, user.id)
    if last is None:
        return Reply(turn.tr.gettext("You have no update to undo."))
    return _undo(turn, user, last.id)


def show(turn: Turn, args: str) -> Reply:
    """/tiendo: the latest status of each of the agency's indicators; /tiendo 1.5: one
    indicator's history."""
    tr = turn.tr
    try:
        _, agency = _member(turn)
    except Refusal as exc:
        return _refuse(exc)
    plan = turn.kb.plan
    tz = turn.conv.tz
    if args.strip():
        code = parse_code(args.strip().split()[0])
        if code is None:
            return Reply(tr.gettext("Write an indicator code, e.g. /tiendo 1.5."))
        try:
            role = _check_code(turn, agency, code)
        except Refusal as exc:
            return _refuse(exc)
        rows = store.history(turn.s, agency.id, plan.id, code)
        lines = [
            tr.gettext("History of indicator {code} “{name}” for {agency}:").format(
                code=code, name=_short(role.indicator.name, 70), agency=agency.name
            )
        ]
        if not rows:
            lines.append(tr.gettext("No update yet."))
        for p in rows:
            line = (
                f"• {p.created_at.astimezone(tz):%d/%m/%Y %H:%M} — {p.author_name} —"
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
            lines.append(line)
        return Reply("\n".join(lines))
    roles = _button_roles(_roles(turn, agency))
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
        lines.append(f"{mark} {r.indicator.code} {_short(r.indicator.name, 50)}: {state}")
    lines.append(tr.gettext("★ = lead. /tiendo 1.5 shows one indicator's history."))
    return Reply("\n".join(lines))
