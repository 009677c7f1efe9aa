"""Whether a chat can be written to, decided from the channel's answers over time, not from one.

A channel's answer that names the recipient ("blocked", "never wrote") is kept as a refusal; the
chat is judged unreachable after :data:`REFUSALS` of them spread over at least :data:`SPREAD`. A
message from the chat clears them (the person wrote again: the bot can write back).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from storage.db import affected
from storage.models.delivery import DeliveryRefusal

REFUSALS = 3
SPREAD = timedelta(days=1)


@dataclass(frozen=True)
class Verdict:
    refusals: int
    first_at: datetime
    last_at: datetime

    @property
    def unreachable(self) -> bool:
        return self.refusals >= REFUSALS and self.last_at - self.first_at >= SPREAD


def refused(s: Session, channel: str, chat_id: str, now: datetime, reason: str) -> Verdict:
    """Keep one refusal and say what all of this chat's refusals amount to."""
    s.add(DeliveryRefusal(channel=channel, chat_id=chat_id, at=now, reason=reason[:300]))
    s.flush()
    count, first, last = s.execute(
        select(func.count(), func.min(DeliveryRefusal.at), func.max(DeliveryRefusal.at)).where(
            DeliveryRefusal.channel == channel, DeliveryRefusal.chat_id == chat_id
        )
    ).one()
    return Verdict(count, first, last)


def wrote_again(s: Session, channel: str, chat_id: str) -> None:
    """The chat wrote to the bot: its refusals are forgotten."""
    s.execute(
        delete(DeliveryRefusal).where(
            DeliveryRefusal.channel == channel, DeliveryRefusal.chat_id == chat_id
        )
    )


def forget_since(s: Session, channel: str, since: datetime) -> int:
    """Refusals kept since ``since`` on ``channel`` do not count (they came during the channel's
    outage)."""
    result = s.execute(
        delete(DeliveryRefusal).where(
            DeliveryRefusal.channel == channel, DeliveryRefusal.at >= since
        )
    )
    return affected(result)


def refusals(s: Session, channel: str, chat_id: str) -> int:
    return (
        s.scalar(
            select(func.count())
            .select_from(DeliveryRefusal)
            .where(DeliveryRefusal.channel == channel, DeliveryRefusal.chat_id == chat_id)
        )
        or 0
    )
