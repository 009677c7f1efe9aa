"""The Zalo bot: updates in (long polling or webhook), replies out.

Zalo's getUpdates forgets an update as it hands it out, so every update is stored in the inbox
before anything else happens; the core's transaction marks it processed together with the reply it
still has to send, and the reply is marked sent after. A crash at any point loses nothing: on start
the inbox is worked through again. Zalo has no buttons: choices are drawn as a numbered list
(handlers.zalo.sender), which the core keeps so a typed number (or the choice's words) picks one.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections import defaultdict
from datetime import timedelta

import httpx

from bot.app import metrics
from bot.app.config import ZALO_WEBHOOK_WITHOUT_SECRET
from bot.app.links import photo_link
from bot.app.services import Services
from bot.core.messages import Incoming, Reply, clean_payload
from handlers.inbox import Inbox
from handlers.polling import LeasePoller
from handlers.zalo import CHANNEL
from handlers.zalo.api import ZaloApi
from handlers.zalo.errors import ZaloError, ZaloRateLimited, ZaloUnauthorized
from handlers.zalo.incoming import to_incoming
from handlers.zalo.sender import ZaloChannel, draw
from handlers.zalo.start import ZaloModeRefused, get_me, set_mode
from handlers.zalo.updates import ZaloUpdate, parse_update
from storage.conversation import inbox as inbox_store
from storage.db import Outage, unavailable

log = logging.getLogger(__name__)
POLL_TIMEOUT = 30
POLL_LEASE = timedelta(seconds=90)
STANDBY = 10.0  # seconds between two tries to take the polling lease while another one holds it
GIVE_UP_AFTER = 5  # processing attempts of one update before it is set aside (and logged)
TYPING_AFTER = 0.7  # seconds of work before "typing…" is shown
TYPING_EVERY = (
    5.0  # seconds between two typing indicators while the work lasts (Zalo's fades after a few)
)


class ZaloBot:
    """Receives Zalo updates, hands them to the core one at a time per chat, and sends the
    replies."""

    def __init__(
        self,
        services: Services,
        api: ZaloApi,
        on_deliver=None,
        http: httpx.AsyncClient | None = None,
    ):
        self.services = services
        self.api = api
        tr = services.translations.get(None)
        self.channel = ZaloChannel(
            api, services.settings.zalo_rate, tr.gettext("(Reply with the number of your choice.)")
        )
        self.on_deliver = on_deliver  # coroutine function: send the ledger now
        self.inbox = Inbox(services.db, CHANNEL)
        self.account_name = ""
        self.names: tuple[
            str, ...
        ] = ()  # how people @mention the bot in a group: display name, account name
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._http = http or httpx.AsyncClient(timeout=30, follow_redirects=True)
        self._chat_locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._tasks: set[asyncio.Task] = set()
        self._stop = asyncio.Event()  # the runner's, once polling
        self._backoff = 1.0  # seconds before the next getUpdates after a failed one
        self._recover_needed = False
        self._outage = Outage("Zalo: processing stored updates", log)

    @property
    def bot_id(self) -> str:
        return self.inbox.bot_id

    @bot_id.setter
    def bot_id(self, value: str) -> None:
        self.inbox.bot_id = value

    async def start(
        self, webhook_url: str | None = None, secret: str | None = None, take_over: bool = False
    ) -> None:
        """Webhook mode (production) when ``webhook_url`` is given, else long polling (a trial).

        Polling never removes a webhook it finds (that would take the production bot's updates
        away) unless ``take_over``; a webhook URL without its secret does not start at all.
        """
        if webhook_url and not secret:
            raise ZaloModeRefused(ZALO_WEBHOOK_WITHOUT_SECRET)
        me = await get_me(self.api, self.services.settings)
        self.bot_id, self.account_name = me.id, me.account_name or ""
        self.names = tuple(n for n in (_raw_str(me.raw, "display_name"), me.account_name) if n)
        await set_mode(self.api, webhook_url, secret, take_over)
        await self.recover()

    async def aclose(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await self._http.aclose()

    # --- receiving --------------------------------------------------------------------------
    async def poll_forever(self, stop: asyncio.Event) -> None:
        """Long polling, by one process at a time (a lease in the database). getUpdates is called
        only right after the lease's renewal and an inbox write committed; the update in hand is
        kept in memory until it is stored. A database outage pauses polling (Zalo keeps the
        messages meanwhile)."""
        self._stop = stop
        await self.poller().run(stop, self._poll_step)

    def poller(self) -> LeasePoller:
        """The polling lease, whose renewal also checks that the inbox can be written."""
        return LeasePoller(
            self.services.db,
            f"poll:{CHANNEL}:{self.bot_id}",
            self.owner,
            self.services.conversation.now,
            POLL_LEASE,
            check=lambda s: self.inbox.write_check(s, self.owner),
        )

    async def _poll_step(self, held: bool) -> float:
        """One getUpdates while this process holds the lease; the seconds to wait before the
        next."""
        if not held:
            metrics.beat(CHANNEL, "standby")  # another process polls: this one's sign of life
            return STANDBY
        if self._recover_needed:  # updates stored while their processing could not finish
            self._recover_needed = False
            await self.recover()
        try:
            update = await self._get_update()
        except ZaloUnauthorized:
            log.error("Zalo rejected the bot token; check ZALO_BOT_TOKEN")
            raise
        except ZaloError as exc:
            wait, self._backoff = self._backoff, min(self._backoff * 2, 60)
            log.warning(
                "Zalo getUpdates failed (%s); retrying in %.0f s", exc.code or "network", wait
            )
            return wait
        metrics.beat(CHANNEL, "polling")
        self._backoff = 1.0
        if update is not None:
            stored, row = await self.inbox.keep(
                update.update_key, update.chat_id, clean_payload(update.raw), self._stop
            )
            if stored and row is not None:
                await self.process(row)
        return 0.0

    async def _get_update(self) -> ZaloUpdate | None:
        """getUpdates, given up when the process stops meanwhile (not to keep it waiting 30 s)."""
        poll = asyncio.ensure_future(self.api.get_updates(POLL_TIMEOUT))
        stopping = asyncio.ensure_future(self._stop.wait())
        try:
            await asyncio.wait({poll, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopping.cancel()
            if not poll.done():
                poll.cancel()
        return poll.result() if poll.done() and not poll.cancelled() else None

    async def receive(self, body: dict, background: bool = False) -> bool:
        """Store an update, then process it (now, or in the background for a webhook). False if
        unreadable."""
        update = parse_update(body)
        if update is None:
            log.warning("Zalo: an update that cannot be read was dropped")
            return False
        stored = await asyncio.to_thread(
            self.inbox.store, update.update_key, update.chat_id, clean_payload(update.raw)
        )
        if stored is None:
            return True  # a redelivery of an update already stored
        if background:
            task = asyncio.create_task(self.process(stored, just_stored=True))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        else:
            await self.process(stored, just_stored=True)
        return True

    async def recover(self) -> None:
        """Work through stored updates not finished: after a stop, or after a failure (each is
        tried up to GIVE_UP_AFTER times); replies processed but not yet sent are sent. A chat's
        lock keeps its order, and an update handled meanwhile is recognised by the core."""
        rows = await asyncio.to_thread(self.inbox.pending)
        if rows:
            log.debug("Zalo: %d stored update(s) to finish", len(rows))
        for row in rows:
            await self.process(row)

    async def process(self, row, just_stored: bool = False) -> None:
        """Process one stored update; a failure (a database outage, logged once) leaves it stored,
        to be processed when the database is back, or by the next tick."""
        try:
            await self._process(row, just_stored)
            self._outage.ok()
        except Exception as exc:  # noqa: BLE001 - the update stays stored; the loops go on
            if not unavailable(exc):
                log.exception(
                    "Zalo: processing update %s failed; the next tick tries again", row.id
                )
                return
            self._outage.failed(exc)
            self._recover_needed = True

    async def _process(self, row, just_stored: bool = False) -> None:
        async with self._chat_locks[row.chat_id]:  # one chat's messages in order
            # another task may have finished it meanwhile: read it again, unless it was stored just
            # now (then it was only received, and the core's processed mark stops a second
            # handling)
            if not just_stored:
                row = await asyncio.to_thread(self.inbox.fresh, row.id)
            if row is None or row.status in ("replied", "failed"):
                return
            if row.status == "processed":  # handled before a stop; only the reply is left to send
                await self._send_reply(row.id, row.chat_id, Reply.from_dict(row.reply or {}))
                return
            update = parse_update(row.payload)
            msg = (
                await to_incoming(update, self.bot_id, self.names, self.services, self._http)
                if update is not None
                else None
            )
            if msg is None:
                await asyncio.to_thread(self.inbox.done, row.id)
                return
            conv = self.services.conversation
            try:
                reply = await self._typing_while(
                    row.chat_id,
                    asyncio.to_thread(
                        conv.handle,
                        msg,
                        lambda s, r: inbox_store.inbox_processed(s, row.id, r.as_dict()),
                        fallback=False,
                    ),
                )
            except Exception as exc:  # noqa: BLE001 - one bad update must not stop the others
                if unavailable(exc):
                    raise  # stays "received": processed again when the database is back
                log.exception("Zalo: handling update %s failed", row.id)
                attempts = await asyncio.to_thread(self.inbox.attempt, row.id, GIVE_UP_AFTER)
                if attempts >= GIVE_UP_AFTER:
                    log.error("Zalo: update %s set aside after %d attempts", row.id, attempts)
                await self._apologise(msg)
                return
            if reply is None:  # processed before (another process, or a webhook retry)
                await asyncio.to_thread(self.inbox.done, row.id)
                return
            await self._send_reply(row.id, row.chat_id, reply)

    async def _typing_while(self, chat_id: str, work):
        """Zalo's "typing…" (sendChatAction) when the answer takes noticeable time (the report,
        a long search), shown again while it lasts; a failure to show it is of no consequence.
        """
        task = asyncio.ensure_future(work)
        while True:
            done, _ = await asyncio.wait({task}, timeout=TYPING_AFTER)
            if done:
                return task.result()
            try:
                await self.api.send_chat_action(chat_id, "typing")
            except ZaloError as exc:
                log.debug("Zalo: typing indicator not shown (%s)", exc.code)
            done, _ = await asyncio.wait({task}, timeout=TYPING_EVERY - TYPING_AFTER)
            if done:
                return task.result()

    async def _send_reply(self, inbox_id: int, chat_id: str, reply: Reply) -> None:
        text = reply.text if not reply.silent else ""
        if not text and reply.toast:
            text = reply.toast  # no buttons on Zalo: a button's notice becomes a message
        if reply.file_links:  # Zalo bots cannot send files: one-time links instead
            text = f"{text}\n\n{reply.file_links}" if text else reply.file_links
        photo = await asyncio.to_thread(self._photo_url, reply.files)
        if photo:  # the chart as a photo beside the summary (the links stay in the text)
            try:
                await self.channel.pacer.wait()
                await self.api.send_photo(chat_id, photo)
            except ZaloError as exc:
                log.warning(
                    "Zalo: the chart of update %s could not be sent as a photo (%s)",
                    inbox_id,
                    exc.code,
                )
        if text:
            try:
                await self.channel.send_parts(
                    chat_id, draw(text, reply.choices, self.channel.hint)
                )
            except ZaloRateLimited as exc:
                await asyncio.sleep(exc.retry_after or 2.0)
                await self.channel.send_parts(
                    chat_id, draw(text, reply.choices, self.channel.hint)
                )
            except ZaloError as exc:
                log.warning(
                    "Zalo: the reply to update %s could not be sent (%s)", inbox_id, exc.code
                )
        await asyncio.to_thread(self.inbox.done, inbox_id)
        if reply.deliver_now and self.on_deliver is not None:
            task = asyncio.create_task(self.on_deliver())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def _photo_url(self, files: list[str]) -> str | None:
        """A signed, expiring URL of the reply's chart, when PGI_PUBLIC_URL is HTTPS (Zalo
        fetches photos by URL)."""
        chart = next((f for f in files if f.endswith(".png")), None)
        if chart is None:
            return None
        with self.services.db.session() as s:
            return photo_link(s, self.services.settings, chart, self.services.conversation.now())

    async def _apologise(self, msg: Incoming) -> None:
        tr = self.services.translations.get(msg.language_code)
        try:
            await self.channel.send_parts(
                msg.chat_id,
                [
                    tr.gettext(
                        "Sorry, something went wrong on my side. Please try again in a moment."
                    )
                ],
            )
        except ZaloError:
            log.warning("Zalo: could not send the apology")


def _raw_str(raw: dict, key: str) -> str | None:
    value = raw.get(key) if isinstance(raw, dict) else None
    return value.strip() if isinstance(value, str) and value.strip() else None
