"""Erasing a person's personal data on request (an admin confirms; see
bot/flows/people/privacy.py).

What goes: their name, their channel identities (the account ids), their memberships and leader
roles (a responsibility for an indicator then ends at the next tick, which tells the focal
department), their open dialogs and choices, the updates the Zalo inbox kept from their chat, the
refusals kept about it, and the chat id on the ledger rows already sent to them. What stays: the
progress they posted, under their agency, with the author's name removed (the author is an
anonymous user record from then on). The one message that tells them it was done is queued before,
and its ledger row keeps their chat id.
"""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from storage.directory import leaders
from storage.directory.people import private_chat
from storage.models.agencies import Membership
from storage.models.base import utcnow
from storage.models.conversation import DialogState, InboxUpdate, OpenChoices
from storage.models.delivery import Delivery, DeliveryRefusal
from storage.models.people import Identity, LinkCode, User
from storage.models.progress import ProgressUpdate

ERASED = "-"  # what an erased chat id becomes on the ledger rows that keep their history


def erase_person(s: Session, user_id: int) -> int:
    """Erase ``user_id``'s personal data; returns how many channel identities were removed."""
    user = s.get(User, user_id)
    if user is None:
        return 0
    chats = [
        (i.channel, private_chat(i.channel, i.external_id))
        for i in s.scalars(select(Identity).where(Identity.user_id == user_id))
    ]
    for channel, chat_id in chats:
        s.execute(
            delete(InboxUpdate).where(
                InboxUpdate.channel == channel, InboxUpdate.chat_id == chat_id
            )
        )
        s.execute(
            delete(OpenChoices).where(
                OpenChoices.channel == channel, OpenChoices.chat_id == chat_id
            )
        )
        s.execute(
            delete(DeliveryRefusal).where(
                DeliveryRefusal.channel == channel, DeliveryRefusal.chat_id == chat_id
            )
        )
        s.execute(
            update(Delivery)
            .where(
                Delivery.channel == channel,
                Delivery.chat_id == chat_id,
                Delivery.status.in_(("sent", "failed", "gone", "skipped", "uncertain")),
            )
            .values(chat_id=ERASED)
        )
    s.execute(delete(DialogState).where(DialogState.user_id == user_id))
    s.execute(delete(OpenChoices).where(OpenChoices.user_id == user_id))
    s.execute(delete(LinkCode).where(LinkCode.user_id == user_id))
    s.execute(delete(Membership).where(Membership.user_id == user_id))
    leaders.revoke_leader_roles_of(s, user_id, utcnow())
    s.execute(delete(Identity).where(Identity.user_id == user_id))
    s.execute(
        update(ProgressUpdate).where(ProgressUpdate.author_id == user_id).values(author_name="")
    )
    user.name, user.app_language, user.language, user.role = "", None, None, "user"
    s.flush()
    return len(chats)
