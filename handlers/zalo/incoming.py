"""Zalo updates as the core's incoming messages: the bot's own echoes dropped, a group's leading
@mention of the bot taken off, a quote-reply to a message with choices read as that choice, and a
photo fetched at once (Zalo's photo URLs expire)."""

from __future__ import annotations

import asyncio
import logging

import httpx

from bot.app.services import Services
from bot.core.messages import GROUP, PRIVATE, Attachment, Incoming
from handlers.fetch import FetchRefused, fetch
from handlers.zalo import CHANNEL
from handlers.zalo.updates import EVENT_IMAGE, EVENT_TEXT, EVENT_VOICE, ZaloUpdate
from kb.normalize import fold
from storage.db import Database
from storage.delivery import ledger

log = logging.getLogger(__name__)
MAX_PHOTO = 20 * 1024 * 1024


async def to_incoming(
    update: ZaloUpdate,
    bot_id: str,
    names: tuple[str, ...],
    services: Services,
    http: httpx.AsyncClient,
) -> Incoming | None:
    """None for updates that are not for the core: the bot's own (echoed back, from its own id).

    In a group the platform passes on only messages that @mention the bot or quote-reply to one
    of its messages, so every group message that arrives is for the bot: a leading mention of its
    ``names`` is taken off, and a quote-reply to a message with choices (a reminder) answers it."""
    if update.is_bot or (bot_id and update.user_id == bot_id):
        return None
    text = (update.text if update.event == EVENT_TEXT else update.caption) or ""
    group = update.is_group
    if group:
        text = without_mention(text, names)
    callback = (
        await asyncio.to_thread(quoted_choice, services.db, update, text)
        if update.quote_id
        else None
    )
    attachment = None
    if update.event == EVENT_IMAGE and update.photo_url:
        attachment = await download_photo(
            update.photo_url, http, services.settings.test_fetch_from_loopback
        )
    elif update.event == EVENT_VOICE:
        attachment = Attachment("voice", update.voice_url or "", "voice.aac", "audio/aac")
    elif update.event not in (EVENT_TEXT, EVENT_IMAGE):
        text = text or "/help"  # a sticker or an unsupported message: show what the bot can do
    return Incoming(
        text=text,
        channel=CHANNEL,
        chat_id=update.chat_id,
        user_id=update.user_id,
        chat_type=GROUP if group else PRIVATE,
        user_name=update.display_name or "",
        attachment=attachment,
        callback=callback,
        # Zalo tells the bot nothing of group roles; binding a group still needs an admin's
        # approval
        is_group_admin=group,
        update_id=update.update_key,
        bot_id=bot_id,
    )


def without_mention(text: str, names: tuple[str, ...]) -> str:
    """The text without a leading "@<display name>" or "@<account name>" of the bot (getMe's)."""
    stripped = text.lstrip()
    for name in sorted(names, key=len, reverse=True):
        mention = "@" + name
        if stripped[: len(mention)].casefold() == mention.casefold():
            return stripped[len(mention) :].lstrip(" ,:;\u00a0")
    return text


def quoted_choice(db: Database, update: ZaloUpdate, text: str) -> str | None:
    """A quote-reply to a sent message with choices: the choice its text names (a number, or a
    label)."""
    with db.session() as s:
        row = ledger.by_message_id(s, CHANNEL, update.chat_id, update.quote_id or "")
    buttons = row.buttons if row is not None else []
    if not buttons:
        return None
    said = fold(text).strip(" .!")
    if said.isdigit() and 1 <= int(said) <= len(buttons):
        return buttons[int(said) - 1]["data"]
    return next((b["data"] for b in buttons if fold(b["label"]).strip(" ★·") == said), None)


async def download_photo(url: str, http: httpx.AsyncClient, allow_loopback: bool) -> Attachment:
    """Zalo's photo URLs expire: the image is fetched now, to be kept as evidence (over https
    from a public address only, bounded in size and time: handlers/fetch.py)."""
    name = "photo.jpg"
    try:
        got = await fetch(url, max_bytes=MAX_PHOTO, client=http, allow_loopback=allow_loopback)
    except FetchRefused as exc:
        log.warning("Zalo: a photo was not downloaded: %s", exc)
        return Attachment("photo", url, name, "image/jpeg", None)
    except httpx.HTTPError:
        log.warning("Zalo: a photo could not be downloaded")
        return Attachment("photo", url, name, "image/jpeg", None)
    if got.too_large:
        return Attachment("photo", url, name, "image/jpeg", got.size)
    return Attachment("photo", url, name, got.content_type, got.size, got.content)
