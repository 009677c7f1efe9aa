"""The inbox, for every channel whose updates must be stored before they are processed.

Zalo's getUpdates forgets an update as it hands it out: the update is stored here first, the core's
transaction marks it processed together with the reply still to send, and the reply is marked sent
after. An update in hand that cannot be stored (the database is down) is kept in memory and its
insert tried again until it is stored; only a process that dies meanwhile, or is stopped and cannot
store it within ``STOP_GRACE`` seconds, loses it (and says so in the log).
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.orm import Session

from storage.conversation import inbox as inbox_store
from storage.conversation.inbox import InboxInfo
from storage.db import Database, Outage, unavailable

log = logging.getLogger(__name__)
STOP_GRACE = 10.0  # seconds a stopping process still tries to store the update in hand
BUG_TRIES = 3  # a store that fails for another reason than an outage (a bug) is not tried for ever


class Inbox:
    """One bot's inbox on one channel (``bot_id`` is known once the channel has started)."""

    def __init__(self, db: Database, channel: str, bot_id: str = ""):
        self.db, self.channel, self.bot_id = db, channel, bot_id
        self.outage = Outage(f"{channel} inbox", log)

    def write_check(self, s: Session, owner: str) -> None:
        """In the caller's transaction (the polling lease's): the inbox can be written."""
        inbox_store.write_check(s, self.channel, self.bot_id, owner)

    def store(self, update_key: str, chat_id: str, payload: dict) -> InboxInfo | None:
        """Store an update; None when it was stored already (a redelivery)."""
        with self.db.session() as s:
            return inbox_store.store_update(
                s, self.channel, self.bot_id, update_key, chat_id, payload
            )

    async def keep(
        self, update_key: str, chat_id: str, payload: dict, stop: asyncio.Event
    ) -> tuple[bool, InboxInfo | None]:
        """Store an update in hand, trying again while the database is down: (stored, row),
        where row is None for a redelivery. Gives up only after a stop (``STOP_GRACE``) or a bug.
        """
        loop = asyncio.get_running_loop()
        deadline: float | None = None
        bugs = 0
        while True:
            try:
                row = await asyncio.to_thread(self.store, update_key, chat_id, payload)
                self.outage.ok()
                return True, row
            except Exception as exc:  # noqa: BLE001 - logged once per outage; tried again
                pause = self.outage.failed(exc)
                bugs += 0 if unavailable(exc) else 1
            if stop.is_set() and deadline is None:
                deadline = loop.time() + STOP_GRACE
            if bugs >= BUG_TRIES or (deadline is not None and loop.time() >= deadline):
                log.error(
                    "%s: update %s from chat %s could not be stored and is lost",
                    self.channel,
                    update_key,
                    chat_id,
                )
                return False, None
            if deadline is not None:
                pause = min(pause, max(0.0, deadline - loop.time()))
            await asyncio.sleep(pause)

    def pending(self, limit: int = 1000) -> list[InboxInfo]:
        with self.db.session() as s:
            return inbox_store.inbox_pending(s, self.channel, self.bot_id, limit=limit)

    def fresh(self, inbox_id: int) -> InboxInfo | None:
        with self.db.session() as s:
            return inbox_store.inbox_get(s, inbox_id)

    def attempt(self, inbox_id: int, give_up_after: int) -> int:
        with self.db.session() as s:
            return inbox_store.inbox_attempt(s, inbox_id, give_up_after)

    def done(self, inbox_id: int) -> None:
        with self.db.session() as s:
            inbox_store.inbox_replied(s, inbox_id)
