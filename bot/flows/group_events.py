"""Group-chat events that are not messages: the bot added or removed, a group upgraded."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.core.messages import Address, Reply
from storage.conversation import dialogs
from storage.directory import groups

if TYPE_CHECKING:
    from bot.core.context import Context

log = logging.getLogger(__name__)


def bot_added(conv: Context, title: str, lang: str | None) -> Reply:
    tr = conv.translator(lang)
    return Reply(
        tr.gettext(
            "Hello {title}! I answer questions about the PGI plans (send /help). A group"
            " administrator can bind this group to its agency with /dangky followed by the"
            " agency's name, so that deadline reminders are posted here."
        ).format(title=title or "")
    )


def bot_removed(conv: Context, chat: Address, reason: str) -> None:
    with conv.db.session() as s:
        gone = groups.deactivate(s, chat.channel, chat.chat_id, reason)
    if gone:
        log.info("bot %s from a %s chat: %d binding(s) inactive", reason, chat.channel, len(gone))


def chat_migrated(conv: Context, channel: str, old_chat_id: str, new_chat_id: str) -> None:
    with conv.db.session() as s:
        moved = groups.migrate_chat(s, channel, old_chat_id, new_chat_id)
        dialogs.migrate_chat(s, channel, old_chat_id, new_chat_id)
    log.info("a %s chat changed id: %d binding(s) moved", channel, moved)
