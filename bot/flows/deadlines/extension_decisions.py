"""Telling the focal department of an extension request, and its decision: recorded, the old date's
unsent reminders skipped on approval, and the agency told. Chat and web."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from bot.app.i18n import N_
from bot.core.messages import Address, Choice
from bot.delivery import recipients
from bot.delivery.notices import notify_user, send_notice
from storage.delivery import ledger
from storage.directory import groups
from storage.schedule import extensions as extension_store
from storage.schedule.extensions import ExtensionInfo

if TYPE_CHECKING:
    from bot.core.context import Context
    from bot.core.turn import Turn


STATUS_LABELS = {  # how the console names a request's state (the template translates them)
    extension_store.PENDING: N_("pending"),
    extension_store.APPROVED: N_("approved"),
    extension_store.REFUSED: N_("refused"),
}


def tell_focal(turn: Turn, x: ExtensionInfo) -> None:
    """Each chat of the focal department hears of a new request, with Approve and Refuse."""
    conv = turn.conv
    for address, _tag, uid in recipients.focal_chats(turn.s, turn.settings, conv.channels):
        tr = (
            conv.translator(conv.stored_language(turn.s, uid))
            if uid is not None
            else conv.translator("vi")
        )
        text = tr.gettext(
            "Extension request #{id} from {agency}: “{title}”, from {old} to {new}.\nReason:"
            " {reason}\nApprove or refuse (with a reason): /duyetgiahan {id}, /tuchoigiahan {id}"
            " <reason>."
        ).format(
            id=x.id,
            agency=x.agency_name,
            title=x.title,
            old=tr.date(x.old_date),
            new=tr.date(x.new_date),
            reason=x.reason,
        )
        turn.send(
            address,
            text,
            [
                Choice(tr.gettext("Approve"), f"gh:ok:{x.id}"),
                Choice(tr.gettext("Refuse"), f"gh:no:{x.id}"),
            ],
            user_id=uid,
        )


def decide_rows(
    s, conv: Context, xid: int, approve: bool, by: int | None, reason: str | None, now: datetime
) -> ExtensionInfo | None:
    """Approve or refuse a waiting request and tell the agency (None: no such request waits). Chat
    and web.

    On approval the old date's reminders written but not sent are skipped for that agency; the
    planner writes the new date's."""
    decided = extension_store.decide(s, xid, approve, by, reason, at=now)
    if decided is None:
        return None
    if approve:
        ledger.skip_pending(s, decided.deadline_key, "extended", agency_id=decided.agency_id)
    _tell_agency(s, conv, decided)
    return decided


def _tell_agency(s, conv: Context, x: ExtensionInfo) -> None:
    """The requester, and the agency's group chats, hear the decision."""

    def text(tr) -> str:
        if x.status == extension_store.APPROVED:
            return tr.gettext(
                "Extension approved: “{title}” is now due {new} for {agency} (was {old})."
            ).format(
                title=x.title,
                new=tr.date(x.new_date),
                agency=x.agency_name,
                old=tr.date(x.old_date),
            )
        return tr.gettext(
            "Extension refused: “{title}” stays due {old} for {agency}.\nReason: {reason}"
        ).format(
            title=x.title,
            old=tr.date(x.old_date),
            agency=x.agency_name,
            reason=x.decision_reason or "",
        )

    notify_user(s, conv, x.requested_by, text)
    vi = conv.translator("vi")
    for b in groups.active_for_agencies(s, [x.agency_id]):
        if b.channel in conv.channels:
            send_notice(s, Address(b.channel, b.chat_id), text(vi))
