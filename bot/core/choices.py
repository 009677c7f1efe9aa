"""The choices a reply offers: kept in the database for the chat, and picked later by a button, a
typed number or a choice's own words."""

from __future__ import annotations

import re

from bot.core.messages import Choice, Reply
from bot.core.paging import MORE, MORE_WORDS
from bot.core.turn import Turn
from kb.normalize import fold
from storage.conversation import dialogs

PICK_NUMBER = re.compile(r"^\s*#?(\d{1,2})\s*[.)]?\s*$")


def typed_choice(turn: Turn, text: str) -> tuple[str | None, Reply | None]:
    """A number, or a choice's own words, typed in answer to the choices offered last."""
    msg = turn.msg
    own = (
        dialogs.get_choices(turn.s, msg.channel, msg.chat_id, turn.user_id)
        if turn.user_id is not None
        else None
    )  # None: a sender not known (the database read-only)
    open_list = own or (
        dialogs.get_choices(turn.s, msg.channel, msg.chat_id, 0) if not msg.private else None
    )
    number = PICK_NUMBER.match(text)
    if open_list is None:
        if fold(text) in MORE_WORDS:
            return MORE, None
        if number:
            return None, Reply(
                turn.tr.gettext(
                    "That list is no longer open. Ask your question again, or send /help."
                )
            )
        return None, None
    items = [Choice.from_dict(it) for it in open_list.items]
    if number:
        n = int(number.group(1))
        if not 1 <= n <= len(items):
            return None, Reply(
                turn.tr.ngettext(
                    "Reply with the number 1.",
                    "Reply with a number from 1 to {n}.",
                    len(items),
                ).format(n=len(items))
            )
        return items[n - 1].data, None
    folded = fold(text)
    if folded in MORE_WORDS and any(c.data == MORE for c in items):
        return MORE, None
    same = [c for c in items if folded and fold(c.label).strip(" ★·") == folded]
    if len(same) == 1:
        return same[0].data, None
    return None, None


def keep_choices(turn: Turn, reply: Reply) -> None:
    msg = turn.msg
    if msg.user_id is None and msg.private:
        return
    owner = turn.user_id or 0
    if reply.choices:
        dialogs.set_choices(
            turn.s,
            msg.channel,
            msg.chat_id,
            owner,
            [c.as_dict() for c in reply.choices],
            reply.choice_extra,
        )
    elif not reply.silent:
        dialogs.clear_choices(turn.s, msg.channel, msg.chat_id, owner)
