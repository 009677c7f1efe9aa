"""What the focal department and the admins are told when delivery itself fails: a chat that can
no longer receive messages, a channel failing a whole fan-out."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from bot.app.i18n import Translator
from bot.core.access import admin_user_ids
from bot.core.messages import Address
from bot.delivery.reasons import reason_text
from bot.delivery.recipients import GROUP_LANGUAGE, notify_focal
from storage.delivery import ledger
from storage.directory import people

if TYPE_CHECKING:
    from bot.core.context import Context


def notice_gone(
    conv: Context, address: Address, agency_name: str, reason: str, today: date
) -> None:
    """Tell the focal department that a group removed the bot, or a member blocked it."""

    def text(tr: Translator) -> str:
        if address.channel == people.EMAIL:
            return tr.gettext(
                "The e-mail address {address} of {agency} was refused by its mail server"
                " ({reason}). Correct it in the web console (the agency's page) or ask the person"
                " to send /email with the right address; until then the agency is not reached by"
                " e-mail."
            ).format(address=address.chat_id, agency=agency_name, reason=reason_text(tr, reason))
        return tr.gettext(
            "The chat {chat} ({channel}) of {agency} can no longer receive messages ({reason});"
            " messages to it are stopped. Ask the agency to add the bot again (a group: bind it"
            " with /dangky; a person: write to the bot once)."
        ).format(
            chat=address.chat_id,
            channel=conv.channel_label(address.channel),
            agency=agency_name,
            reason=reason_text(tr, reason),
        )

    with conv.db.session() as s:
        notify_focal(
            s,
            conv,
            f"gone:{address.channel}:{address.chat_id}:{today.isoformat()}",
            text,
            language=GROUP_LANGUAGE,
        )


def notice_channel_failing(
    conv: Context, channel: str, failing: int, answered: int, now: datetime
) -> None:
    """Tell the admins, once per outage, that a channel fails a fan-out (on another channel when
    they have one)."""
    others = tuple(c for c in conv.channels if c != channel)
    with conv.db.session() as s:
        for user_id in admin_user_ids(s, conv.settings):
            ident = people.preferred_identity(s, user_id, others) or people.preferred_identity(
                s, user_id, conv.channels
            )
            if ident is None:
                continue
            tr = conv.translator(conv.stored_language(s, user_id))
            text = tr.gettext(
                "{channel} is failing: {failing} of {answered} messages just sent were refused or"
                " not answered. Sending on {channel} is paused and tried again every few minutes;"
                " nobody was marked unreachable."
            ).format(channel=conv.channel_label(channel), failing=failing, answered=answered)
            ledger.enqueue(
                s,
                key=f"failing:{channel}:{now:%Y%m%d%H%M}:u{user_id}",
                kind="notice",
                channel=ident.channel,
                chat_id=ident.private_chat,
                text=text,
                user_id=user_id,
            )
