"""Who may post progress on what, and what an update may carry: the sender's agency, the
indicators it may update (one rule for the picker, /capnhat and /tiendo), the note and the evidence
file; a refusal says why not and what to do."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.app.i18n import Translator
from bot.core.access import member_status
from bot.core.messages import Attachment
from kb.ask.answers import LEAD, Role
from kb.codes import code_key

if TYPE_CHECKING:
    from bot.core.turn import Turn
    from kb.model import Agency
    from storage.directory.people import UserInfo


MAX_NOTE = 500
MAX_FILE_BYTES = 20 * 1024 * 1024  # the largest file a bot can download from Telegram
ALLOWED_EXTENSIONS = frozenset(
    "pdf doc docx xls xlsx ppt pptx odt ods jpg jpeg png zip rar 7z txt".split()
)


class Refusal(Exception):
    """A progress update that cannot be stored; the message says why and what to do."""


def member(turn: Turn) -> tuple[UserInfo, Agency]:
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


def updatable_roles(turn: Turn, agency) -> dict[str, Role]:
    """The indicators the agency may post progress on: one rule (kb.queries.updatable_rule) for the
    picker, /capnhat and /tiendo alike."""
    return {r.indicator.code: r for r in turn.kb.engine.updatable_indicators(agency)}


def button_roles(roles: dict[str, Role]) -> list[Role]:
    return sorted(
        roles.values(),
        key=lambda r: (r.role != LEAD, r.via is not None, code_key(r.indicator.code)),
    )


def check_code(turn: Turn, agency, code: str) -> Role:
    tr = turn.tr
    active = turn.kb
    plan = active.plan
    if code not in active.index.indicators.get(plan.id, {}):
        raise Refusal(
            tr.gettext(
                "There is no indicator {code} in plan {plan}. Send /capnhat to pick one of yours."
            ).format(code=code, plan=plan.number or plan.title)
        )
    role = updatable_roles(turn, agency).get(code)
    if role is None:
        raise Refusal(
            tr.gettext(
                "{agency} is neither lead nor coordinator of indicator {code}, so it cannot post"
                " progress on it. Send /capnhat to see your indicators."
            ).format(agency=agency.name, code=code)
        )
    return role


def check_file(tr: Translator, att: Attachment | None) -> None:
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


def check_note(tr: Translator, note: str | None) -> None:
    if note and len(note) > MAX_NOTE:
        raise Refusal(
            tr.gettext(
                "The note is too long ({n} characters); keep it under {max} and send it again."
            ).format(n=len(note), max=MAX_NOTE)
        )
