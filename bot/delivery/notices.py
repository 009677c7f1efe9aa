"""Messages to one chat or one person, written into the delivery ledger and sent once by the
worker."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from bot.core.messages import Address, Choice
from storage.delivery import ledger
from storage.directory import people

if TYPE_CHECKING:
    from bot.core.context import Context


def send_notice(
    s, to: Address, text: str, choices: list[Choice] | None = None, user_id: int | None = None
) -> None:
    """A message to one chat, written into the delivery ledger (sent once, by the dispatcher)."""
    ledger.enqueue(
        s,
        key=f"n:{uuid.uuid4().hex}",
        kind="notice",
        channel=to.channel,
        chat_id=to.chat_id,
        text=text,
        buttons=[c.as_dict() for c in choices or []],
        user_id=user_id,
    )


def notify_user(s, conv: Context, user_id: int, make_text, make_choices=None) -> bool:
    """Write to a person where they last wrote from, in their language, through the ledger;
    False when they cannot be reached."""
    ident = people.preferred_identity(s, user_id, conv.channels)
    if ident is None:
        return False
    tr = conv.translator(conv.stored_language(s, user_id))
    send_notice(
        s,
        Address(ident.channel, ident.private_chat),
        make_text(tr),
        make_choices(tr) if make_choices else None,
        user_id=user_id,
    )
    return True
