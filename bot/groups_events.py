"""Group-chat events that are not messages: the bot added or removed, a group upgraded."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.core import Reply
from storage import dialogs, groups

if TYPE_CHECKING:
    from bot.core import Conversation

log = logging.getLogger(__name__)


def bot_added(conv: Conversation, chat_id: int, title: str, lang: str | None) -> Reply:
    tr = conv.translator(lang)
    return Reply(tr.gettext("Hello {title}! I answer questions about the PGI plans (send /help). A group administrator can "
                            "bind this group to its agency with /dangky followed by the agency's name, so that deadline "
                            "reminders are posted here.").format(title=title or ""))


def bot_removed(conv: Conversation, chat_id: int, reason: str) -> None:
    with conv.db.session() as s:
        gone = groups.deactivate(s, chat_id, reason)
    if gone:
        log.info("bot %s from chat %s: %d binding(s) inactive", reason, chat_id, len(gone))


def chat_migrated(conv: Conversation, old_chat_id: int, new_chat_id: int) -> None:
    with conv.db.session() as s:
        moved = groups.migrate_chat(s, old_chat_id, new_chat_id)
        dialogs.migrate_chat(s, old_chat_id, new_chat_id)
    log.info("chat %s became %s: %d binding(s) moved", old_chat_id, new_chat_id, moved)
