"""Saving an update (with its evidence file) and the reply confirming it, and undoing one within
the undo window."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from bot.app.i18n import N_
from bot.core.messages import Attachment, Choice, Reply
from bot.flows.progress.parsing import STATUS_LABELS, Draft
from bot.flows.progress.rules import Refusal, check_code, check_file, check_note
from storage.tracking import progress as store
from storage.tracking.evidence import EvidenceError, keep

if TYPE_CHECKING:
    from bot.core.turn import Turn
    from kb.model import Agency
    from storage.directory.people import UserInfo


UNDO_WINDOW = timedelta(minutes=10)
EVIDENCE_ERRORS = (
    N_("the file is empty"),
    N_("the file is larger than 20 MB"),
)  # storage.evidence's reasons


def save(
    turn: Turn, user: UserInfo, agency: Agency, draft: Draft, att: Attachment | None
) -> Reply:
    tr = turn.tr
    check_note(tr, draft.note)
    check_file(tr, att)
    role = check_code(turn, agency, draft.code)
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
            code=saved.indicator_code, name=short(role.indicator.name, 80)
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


def short(text: str, width: int) -> str:
    """An indicator's name cut to fit a reply line or a choice."""
    return text if len(text) <= width else text[: width - 1] + "…"


def undo(turn: Turn, user: UserInfo, update_id: int) -> Reply:
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


def undo_last(turn: Turn, user: UserInfo) -> Reply:
    last = store.last_by_author(turn.s, user.id)
    if last is None:
        return Reply(turn.tr.gettext("You have no update to undo."))
    return undo(turn, user, last.id)
