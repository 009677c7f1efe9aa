"""Zalo updates as the bot reads them: one parser for polling and webhooks.

:func:`parse_update` accepts the update wrapped in ``{ok, result}`` or bare, infers a missing
``event_name`` from the content, and returns ``None`` instead of raising on a body it cannot read.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

EVENT_TEXT = "message.text.received"
EVENT_IMAGE = "message.image.received"
EVENT_STICKER = "message.sticker.received"
EVENT_VOICE = (  # voice_url to an .aac file, message_type CHAT_VOICE (captured payloads)
    "message.voice.received"
)
EVENT_UNSUPPORTED = "message.unsupported.received"
EVENTS = (EVENT_TEXT, EVENT_IMAGE, EVENT_STICKER, EVENT_VOICE, EVENT_UNSUPPORTED)

_MAX_ID = 128  # longer "ids" are not Zalo's: the update is refused
_MAX_NAME = 256


@dataclass(frozen=True)
class ZaloUpdate:
    """One incoming message, as the core needs it. ``raw`` is the update dict as Zalo sent it.

    ``update_key`` is stable across redeliveries of the same message (Zalo's ``message_id``, else a
    hash of the parsed fields), so a webhook retry or a poll after a crash can be de-duplicated.
    """

    update_key: str
    event: str
    chat_id: str
    chat_type: str  # "private" | "group"
    user_id: str
    display_name: str | None
    is_bot: bool
    text: str | None
    caption: str | None
    photo_url: str | None
    sticker: str | None
    date: datetime | None  # aware (UTC); None when Zalo sent no usable date
    raw: dict = field(compare=False, hash=False, repr=False)
    voice_url: str | None = None
    message_type: str | None = (
        None  # CHAT_PHOTO, CHAT_VOICE... (captured; not every update has one)
    )
    quote_id: str | None = (
        None  # the message a group quote-reply answers (its shape is not documented)
    )

    @property
    def is_group(self) -> bool:
        return self.chat_type == "group"


# ---------------------------------------------------------------------------------------- parsing
def read_id(value: Any) -> str | None:
    """Zalo ids are strings; an int is tolerated (JSON from elsewhere), anything else is not an
    id."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        value = str(value)
    if isinstance(value, str):
        value = value.strip()
        if 0 < len(value) <= _MAX_ID:
            return value
    return None


def read_str(value: Any, limit: int | None = None) -> str | None:
    if not isinstance(value, str):
        return None
    return value[:limit] if limit else value


def read_url(value: Any) -> str | None:
    """Only http(s) URLs: the bot downloads photo URLs, and must never be pointed at ``file:``
    or worse."""
    if isinstance(value, dict):
        value = value.get("url", value.get("photo_url"))
    elif isinstance(value, list) and value:
        return read_url(value[0])
    if (
        isinstance(value, str)
        and re.match(r"https?://[^\s/]", value, re.IGNORECASE)
        and len(value) <= 4096
    ):
        return value
    return None


def read_date(value: Any) -> datetime | None:
    """Zalo dates are epoch milliseconds; a value that can only be seconds is read as seconds."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        value = float(value)
    except (ValueError, OverflowError):
        return None
    if not math.isfinite(value) or value <= 0:
        return None
    seconds = value / 1000 if value >= 1e11 else value
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _unwrap(body: Any) -> dict | None:
    """The update dict inside ``{ok, result}`` (result an update or a list of one), or the body
    itself."""
    if isinstance(body, dict) and "result" in body and ("ok" in body or "event_name" not in body):
        if body.get("ok") is False:
            return None
        body = body["result"]
    if isinstance(body, list):
        body = body[0] if len(body) == 1 else None
    return body if isinstance(body, dict) else None


def _event(update: dict, message: dict) -> str:
    name = update.get("event_name", message.get("event_name"))
    if isinstance(name, str) and name in EVENTS:
        return name
    if isinstance(name, str) and name.startswith("message."):
        return EVENT_UNSUPPORTED
    # the documented getUpdates sample has no event_name: infer it from the content
    if isinstance(message.get("text"), str):
        return EVENT_TEXT
    if read_url(message.get("photo_url")) or read_url(message.get("photo")):
        return EVENT_IMAGE
    if message.get("sticker") is not None:
        return EVENT_STICKER
    if read_url(message.get("voice_url")):
        return EVENT_VOICE
    return EVENT_UNSUPPORTED


def _quote_id(message: dict) -> str | None:
    """The id of the quoted message: Zalo documents no shape, so the usual names are accepted."""
    for key in ("quote", "reply_to_message", "quoted_message", "reply_to"):
        value = message.get(key)
        if isinstance(value, dict):
            return read_id(value.get("message_id", value.get("id")))
        if isinstance(value, str | int):
            return read_id(value)
    return None


def _message(update: dict) -> dict | None:
    """The message of an update: under ``message``, or the update itself when it names a chat or
    a sender."""
    message = update.get("message")
    if isinstance(message, dict):
        return message
    return update if ("chat" in update or "from" in update) else None


@dataclass(frozen=True)
class _Who:
    """Who wrote, and in which chat."""

    chat_id: str
    chat_type: str
    user_id: str
    display_name: str | None
    is_bot: bool


def _who(message: dict) -> _Who | None:
    """The chat and the sender; one id stands for the other when missing (None without both)."""
    raw_sender, raw_chat = message.get("from"), message.get("chat")
    sender: dict[str, Any] = raw_sender if isinstance(raw_sender, dict) else {}
    chat: dict[str, Any] = raw_chat if isinstance(raw_chat, dict) else {}
    user_id, chat_id = read_id(sender.get("id")), read_id(chat.get("id"))
    either = chat_id or user_id
    if either is None:
        return None
    chat_id, user_id = chat_id or either, user_id or either
    kind = chat.get("chat_type")
    if isinstance(kind, str) and kind.upper() in ("PRIVATE", "GROUP"):
        chat_type = kind.lower()
    else:
        chat_type = "private" if chat_id == user_id else "group"
    name = next(
        (
            n
            for k in ("display_name", "name", "first_name")
            if (n := read_str(sender.get(k), _MAX_NAME))
        ),
        None,
    )
    return _Who(chat_id, chat_type, user_id, name, sender.get("is_bot") is True)


# the parsed fields a key without Zalo's message id is hashed from, as they have always been
# hashed (a redelivery keeps its key across versions)
_HASHED = (
    "event",
    "chat_id",
    "chat_type",
    "user_id",
    "display_name",
    "is_bot",
    "text",
    "caption",
    "photo_url",
    "sticker",
    "date",
)


def _update_key(message_id: str | None, update: ZaloUpdate) -> str:
    """Zalo's message id, else a hash of the parsed fields."""
    if message_id:
        return f"zalo:{message_id}"
    fields = {k: str(getattr(update, k)) for k in _HASHED}
    digest = json.dumps(fields, sort_keys=True, ensure_ascii=False)
    return (
        "zalo-sha256:" + hashlib.sha256(digest.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    )


def _parse(body: Any) -> ZaloUpdate | None:
    update = _unwrap(body)
    message = _message(update) if update is not None else None
    who = _who(message) if message is not None else None
    if update is None or message is None or who is None:
        return None
    sticker = message.get("sticker")
    parsed = ZaloUpdate(
        update_key="",
        event=_event(update, message),
        chat_id=who.chat_id,
        chat_type=who.chat_type,
        user_id=who.user_id,
        display_name=who.display_name,
        is_bot=who.is_bot,
        text=read_str(message.get("text")),
        caption=read_str(message.get("caption")),
        photo_url=read_url(message.get("photo_url")) or read_url(message.get("photo")),
        sticker=read_id(sticker.get("id") if isinstance(sticker, dict) else sticker),
        date=read_date(message.get("date")),
        raw=update,
        voice_url=read_url(message.get("voice_url")),
        message_type=read_str(message.get("message_type"), 40),
        quote_id=_quote_id(message),
    )
    return replace(parsed, update_key=_update_key(read_id(message.get("message_id")), parsed))


def parse_update(body: Any) -> ZaloUpdate | None:
    """The update in a getUpdates result or a webhook body, wrapped in ``{ok, result}`` or bare.

    Accepts ``{"event_name", "message": {...}}``, the message itself, and a result that is a list
    of one; infers a missing ``event_name`` from the content. Returns ``None`` for anything it
    cannot read (no chat and no sender id, wrong types, an ``ok: false`` answer); never raises.
    """
    try:
        return _parse(body)
    except (
        TypeError,
        ValueError,
        AttributeError,
        KeyError,
        RecursionError,
        OverflowError,
        UnicodeError,
    ):
        return None
