"""A thin async client for the Zalo Bot Platform API (``bot-api.zaloplatforms.com``), on httpx.

A channel library: it knows Zalo's wire format and nothing of the bot, so it imports only the
standard library and httpx. What it settles once for every caller:

* **The token is a secret in the URL** (``/bot<id:secret>/<method>``). No exception text, repr or
  log record of this module carries it: error descriptions are redacted, httpx errors are re-raised
  without their chain, and a filter on the ``httpx`` logger redacts the request lines httpx writes
  at INFO (so a forgotten ``setLevel(WARNING)`` does not leak it).
* **Zalo answers** ``{ok, result}`` or ``{ok: false, error_code, description}``, sometimes with
  HTTP 200 for an error, and a proxy in front of it may answer an HTML page. The body decides when
  it is JSON; the HTTP status only when it is not. Errors become one small taxonomy (``ZaloError``
  and its subclasses) so callers decide retry / give up / stop without reading descriptions.
* **getUpdates hands out one update per call and forgets it** (no offset). An empty wait is an
  error 408, which :meth:`ZaloApi.get_updates` turns into ``None``. The read timeout of that call
  is the long-poll timeout plus a margin, or httpx would cut every empty wait short.
* **One parser for polling and webhooks**: :func:`parse_update` accepts the update wrapped in
  ``{ok, result}`` or bare, and returns ``None`` instead of raising on a body it cannot read.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx

DEFAULT_BASE_URL = "https://bot-api.zaloplatforms.com"
MAX_TEXT = 2000  # characters per message (text and photo caption); Zalo answers 400 past it
SECRET_MIN, SECRET_MAX = 8, 256  # setWebhook's secret_token length
WEBHOOK_SECRET_HEADER = "X-Bot-Api-Secret-Token"
POLL_GRACE = 10.0  # seconds the read timeout of getUpdates exceeds its long-poll timeout

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
_REDACTED = "<redacted>"

log = logging.getLogger(__name__)


# ---------------------------------------------------------------------------------------- errors
class ZaloError(Exception):
    """An answer of Zalo (or of the way to it) that is not a success.

    ``code`` is Zalo's ``error_code`` (else the HTTP status, else None), ``description`` its text
    with every secret redacted; ``method`` the API method called. ``str()`` never holds the token.
    """

    def __init__(self, code: int | None, description: str, method: str | None = None):
        self.code, self.description, self.method = code, description, method
        where = f"Zalo {method}" if method else "Zalo"
        super().__init__(
            f"{where}: {description}" if code is None else f"{where}: error {code}: {description}"
        )


class ZaloUnauthorized(ZaloError):
    """401 or "invalid token": the token is wrong or revoked. Retrying will not help; fix the
    setting."""


class ZaloBadRequest(ZaloError):
    """400: the request itself is wrong (text too long or empty, bad chat id, bad URL). Do not
    retry as is."""


class ZaloRecipientRefused(ZaloError):
    """An answer whose description names the recipient: the user blocked the bot, never wrote to
    it, or the chat does not exist (whatever the code). One such answer proves nothing lasting
    (Zalo's descriptions are not documented); the caller decides "unreachable" only after several,
    spread out.
    """


ZaloForbidden = (
    ZaloRecipientRefused  # the name callers used before 403 turned out to be Zalo's internal error
)


class ZaloRateLimited(ZaloError):
    """429: the quota is exceeded (Zalo publishes no numbers). ``retry_after`` in seconds when a
    hint came."""

    def __init__(
        self,
        code: int | None,
        description: str,
        method: str | None = None,
        retry_after: float | None = None,
    ):
        super().__init__(code, description, method)
        self.retry_after = retry_after


class ZaloServerError(ZaloError):
    """Transient, worth retrying later: Zalo's 403 (*internal server error* in its error table),
    a 408 outside getUpdates, any 5xx, or an answer that is not Zalo's JSON."""


class ZaloNetworkError(ZaloError):
    """The request did not get an answer: connection refused or reset, DNS, TLS, timeout. Worth
    retrying."""


# Descriptions that name the recipient (Zalo publishes none; these are the wordings integrators
# met, and the fake's). "Forbidden" alone is not one: Zalo's 403 is its internal error.
_RECIPIENT_HINTS = re.compile(
    r"blocked|not (?:a )?follower|has not (?:yet )?(?:sent|written|messaged|interacted)|not (?:yet"
    r" )?interact|"
    r"never (?:sent|wrote|messaged)|(?:user|chat|recipient|group)(?: id)? (?:is )?(?:not"
    r" found|does not exist|invalid)|"
    r"chưa (?:nhắn|tương tác|gửi)|đã chặn",
    re.IGNORECASE,
)
_RATE_HINTS = re.compile(r"quota|rate.?limit|too many requests", re.IGNORECASE)
_AUTH_HINTS = re.compile(
    r"invalid (?:bot )?token|unauthori[sz]ed|token (?:is )?(?:invalid|expired|revoked)",
    re.IGNORECASE,
)
_RETRY_AFTER = re.compile(r"retry (?:after|in) (\d+(?:\.\d+)?)", re.IGNORECASE)


def _error(
    code: int | None, description: str, method: str, retry_after: float | None = None
) -> ZaloError:
    """The error class for a code and description, after Zalo's error table
    (docs.zaloplatforms.com, Bot API v2.5.0): 400 and 404 (*invalid request*) are the request's
    fault; 403 (*internal server error*), 408 and 5xx are transient; 429 is the unpublished
    quota. Only a description naming the recipient makes a :class:`ZaloRecipientRefused`."""
    if code == 401 or _AUTH_HINTS.search(description):
        return ZaloUnauthorized(code, description, method)
    if code == 429 or _RATE_HINTS.search(description):
        if retry_after is None and (m := _RETRY_AFTER.search(description)):
            retry_after = float(m.group(1))
        return ZaloRateLimited(code, description, method, retry_after)
    if code != 408 and _RECIPIENT_HINTS.search(description):
        return ZaloRecipientRefused(code, description, method)
    if code in (403, 408) or (code is not None and 500 <= code <= 599):
        return ZaloServerError(code, description, method)
    if code in (400, 404):
        return ZaloBadRequest(code, description, method)
    return ZaloError(code, description, method)


# ----------------------------------------------------------------------------------------
# redaction
class _Redactor(logging.Filter):
    """Replaces registered secrets in log records (httpx writes each request URL at INFO)."""

    def __init__(self) -> None:
        super().__init__("zalo-token-redactor")
        self._secrets: Counter[str] = Counter()

    def add(self, secrets: list[str]) -> None:
        self._secrets.update(secrets)

    def remove(self, secrets: list[str]) -> None:
        self._secrets.subtract(secrets)
        self._secrets += Counter()  # drops the ones no client uses any more

    def redact(self, text: str) -> str:
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, _REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if self._secrets:
            try:
                message = record.getMessage()
            except (TypeError, ValueError):
                return True
            clean = self.redact(message)
            if clean != message:
                record.msg, record.args = clean, ()
        return True


_REDACTOR = _Redactor()
_REDACTED_LOGGERS = ("httpx",)


def _secret_forms(secret: str) -> list[str]:
    """The secret as it may appear in text: as is, URL-quoted, and (for ``id:secret``) its
    secret half."""
    forms = {secret, quote(secret, safe=""), quote(secret)}
    if ":" in secret and len(part := secret.split(":", 1)[1]) >= 8:
        forms.update((part, quote(part, safe="")))
    return sorted(f for f in forms if f)


def check_webhook_secret(expected: str, received: str | None) -> bool:
    """Whether a webhook request carries our secret in ``X-Bot-Api-Secret-Token`` (constant-time
    compare)."""
    if not expected or not isinstance(received, str):
        return False
    return hmac.compare_digest(expected.encode(), received.encode())


def zalo_length(text: str) -> int:
    """Length as a UTF-16 based server counts it (an emoji counts 2); never less than
    ``len(text)``.

    Zalo does not say how it counts its 2000 characters; counting UTF-16 units is the safe reading
    (Vietnamese letters in NFC count 1 either way). Split long replies with this, not ``len``.
    """
    return len(text.encode("utf-16-le")) // 2


# ---------------------------------------------------------------------------------------- data
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


@dataclass(frozen=True)
class ZaloBotInfo:
    """What ``getMe`` says about the bot."""

    id: str
    account_name: str | None
    account_type: str | None
    can_join_groups: bool
    raw: dict = field(compare=False, hash=False, repr=False)


@dataclass(frozen=True)
class ZaloWebhookInfo:
    """The webhook Zalo has on record: ``url`` is "" when none is set."""

    url: str
    updated_at: datetime | None
    raw: dict = field(compare=False, hash=False, repr=False)


# ---------------------------------------------------------------------------------------- parsing
def _id(value: Any) -> str | None:
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


def _str(value: Any, limit: int | None = None) -> str | None:
    if not isinstance(value, str):
        return None
    return value[:limit] if limit else value


def _url(value: Any) -> str | None:
    """Only http(s) URLs: the bot downloads photo URLs, and must never be pointed at ``file:``
    or worse."""
    if isinstance(value, dict):
        value = value.get("url", value.get("photo_url"))
    elif isinstance(value, list) and value:
        return _url(value[0])
    if (
        isinstance(value, str)
        and re.match(r"https?://[^\s/]", value, re.IGNORECASE)
        and len(value) <= 4096
    ):
        return value
    return None


def _date(value: Any) -> datetime | None:
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
    if _url(message.get("photo_url")) or _url(message.get("photo")):
        return EVENT_IMAGE
    if message.get("sticker") is not None:
        return EVENT_STICKER
    if _url(message.get("voice_url")):
        return EVENT_VOICE
    return EVENT_UNSUPPORTED


def _quote_id(message: dict) -> str | None:
    """The id of the quoted message: Zalo documents no shape, so the usual names are accepted."""
    for key in ("quote", "reply_to_message", "quoted_message", "reply_to"):
        value = message.get(key)
        if isinstance(value, dict):
            return _id(value.get("message_id", value.get("id")))
        if isinstance(value, str | int):
            return _id(value)
    return None


def _parse(body: Any) -> ZaloUpdate | None:
    update = _unwrap(body)
    if update is None:
        return None
    message = update.get("message")
    if not isinstance(message, dict):
        message = update if ("chat" in update or "from" in update) else None
    if message is None:
        return None
    raw_sender, raw_chat = message.get("from"), message.get("chat")
    sender: dict[str, Any] = raw_sender if isinstance(raw_sender, dict) else {}
    chat: dict[str, Any] = raw_chat if isinstance(raw_chat, dict) else {}
    user_id, chat_id = _id(sender.get("id")), _id(chat.get("id"))
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
            if (n := _str(sender.get(k), _MAX_NAME))
        ),
        None,
    )
    event = _event(update, message)
    sticker = message.get("sticker")
    sticker = _id(sticker) if not isinstance(sticker, dict) else _id(sticker.get("id"))
    is_bot, text, caption = (
        sender.get("is_bot") is True,
        _str(message.get("text")),
        _str(message.get("caption")),
    )
    photo_url, sent_at = (
        _url(message.get("photo_url")) or _url(message.get("photo")),
        _date(message.get("date")),
    )
    message_id = _id(message.get("message_id"))
    if message_id:
        key = f"zalo:{message_id}"
    # the parsed fields, as they have always been hashed (a redelivery keeps its key across
    # versions)
    else:
        fields = {
            "event": event,
            "chat_id": chat_id,
            "chat_type": chat_type,
            "user_id": user_id,
            "display_name": name,
            "is_bot": is_bot,
            "text": text,
            "caption": caption,
            "photo_url": photo_url,
            "sticker": sticker,
            "date": sent_at,
        }
        digest = json.dumps(
            {k: str(v) for k, v in fields.items()}, sort_keys=True, ensure_ascii=False
        )
        key = (
            "zalo-sha256:"
            + hashlib.sha256(digest.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        )
    return ZaloUpdate(
        update_key=key,
        event=event,
        chat_id=chat_id,
        chat_type=chat_type,
        user_id=user_id,
        display_name=name,
        is_bot=is_bot,
        text=text,
        caption=caption,
        photo_url=photo_url,
        sticker=sticker,
        date=sent_at,
        raw=update,
        voice_url=_url(message.get("voice_url")),
        message_type=_str(message.get("message_type"), 40),
        quote_id=_quote_id(message),
    )


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


# ---------------------------------------------------------------------------------------- client
def _retry_after(response: httpx.Response, body: dict | None) -> float | None:
    candidates = [response.headers.get("Retry-After")]
    if body:
        params = body.get("parameters")
        candidates += [
            params.get("retry_after") if isinstance(params, dict) else None,
            body.get("retry_after"),
        ]
    for value in candidates:
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            continue
        if math.isfinite(seconds) and seconds >= 0:
            return seconds
    return None


def _json_body(response: httpx.Response) -> dict | None:
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) and "ok" in body else None


def _code(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d{1,6}", value.strip()):
        return int(value)
    return None


class ZaloApi:
    """The Zalo Bot API for one bot token. Methods raise a :class:`ZaloError` subclass on failure.

    ``client`` lets the caller share an ``httpx.AsyncClient`` (it is then not closed here);
    ``timeout`` is the timeout of every call but getUpdates, whose read timeout is its long-poll
    timeout plus :data:`POLL_GRACE`.
    """

    def __init__(
        self,
        token: str,
        base_url: str = DEFAULT_BASE_URL,
        client: httpx.AsyncClient | None = None,
        timeout: float = 15.0,
    ):
        if not isinstance(token, str) or not token or re.search(r"[\s/?#%]", token):
            raise ValueError(
                "the Zalo bot token is empty or holds characters that cannot go in a URL path; "
                "check ZALO_BOT_TOKEN (the whole 'id:secret' string Zalo Bot Manager gave)"
            )
        self._token = token
        self._base = base_url.rstrip("/")
        self._timeout = timeout
        self._own_client = client is None
        self._client = client or httpx.AsyncClient(timeout=timeout)
        self._secrets = _secret_forms(token)
        _REDACTOR.add(self._secrets)
        for name in _REDACTED_LOGGERS:
            if _REDACTOR not in logging.getLogger(name).filters:
                logging.getLogger(name).addFilter(_REDACTOR)
        self._closed = False

    def __repr__(self) -> str:
        return f"ZaloApi(base_url={self._base!r}, token={_REDACTED!r})"

    async def __aenter__(self) -> ZaloApi:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Closes the HTTP client if this object made it. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        if self._own_client:
            await self._client.aclose()
        _REDACTOR.remove(self._secrets)

    def redact(self, text: str) -> str:
        """``text`` with this bot's token (and webhook secrets it set) replaced by
        ``<redacted>``."""
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, _REDACTED)
        return text

    # ------------------------------------------------------------------------------ transport
    async def _call(
        self, method: str, params: dict | None = None, read_timeout: float | None = None
    ) -> Any:
        """POSTs ``params`` as JSON and returns ``result`` (None when absent), or raises a
        ZaloError."""
        timeout = (
            httpx.Timeout(self._timeout, read=read_timeout)
            if read_timeout
            else httpx.Timeout(self._timeout)
        )
        try:
            response = await self._client.post(
                f"{self._base}/bot{self._token}/{method}", json=params or {}, timeout=timeout
            )
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            detail = self.redact(str(exc))[:300] or "no details"
            log.debug("Zalo %s: no answer (%s)", method, type(exc).__name__)
            # "from None": the httpx exception holds the request and its URL, the token with it
            raise ZaloNetworkError(None, f"{type(exc).__name__}: {detail}", method) from None
        body = _json_body(response)
        if body is None:
            snippet = self.redact(" ".join(response.text[:200].split()))
            log.debug("Zalo %s: HTTP %s without Zalo JSON", method, response.status_code)
            status = response.status_code
            error = _error(
                status,
                f"HTTP {status} without a Zalo JSON body: {snippet!r}",
                method,
                _retry_after(response, None),
            )
            if status < 300:  # a 2xx that is not Zalo's answer: a proxy or an outage page
                error = ZaloServerError(status, error.description, method)
            raise error
        if body.get("ok") is True:
            log.debug("Zalo %s: ok", method)
            return body.get("result")
        code = _code(body.get("error_code"))
        if code is None and response.status_code >= 300:
            code = response.status_code
        description = body.get("description")
        description = self.redact(
            description if isinstance(description, str) and description else "no description"
        )[:500]
        log.debug("Zalo %s: error %s (HTTP %s)", method, code, response.status_code)
        raise _error(code, description, method, _retry_after(response, body))

    # ------------------------------------------------------------------------------ methods
    async def get_me(self) -> ZaloBotInfo:
        """The bot's identity; also the cheapest check that the token works."""
        result = await self._call("getMe")
        result = result if isinstance(result, dict) else {}
        name = next(
            (
                v
                for k in ("account_name", "display_name", "name")
                if isinstance(v := result.get(k), str)
            ),
            None,
        )
        return ZaloBotInfo(
            id=_id(result.get("id")) or "",
            account_name=name,
            account_type=_str(result.get("account_type")),
            can_join_groups=result.get("can_join_groups") is True,
            raw=result,
        )

    async def get_updates(self, timeout: int = 30) -> ZaloUpdate | None:
        """Waits up to ``timeout`` seconds for ONE update; None when none came (Zalo's 408).

        Zalo removes the update from its queue as it answers: whatever the caller does next, this
        update will not come again, so persist it before acting on it.
        """
        try:
            result = await self._call(
                "getUpdates", {"timeout": str(int(timeout))}, read_timeout=timeout + POLL_GRACE
            )
        except ZaloError as exc:
            if exc.code == 408:
                return None
            raise
        if result is None or result == [] or result == {}:
            return None
        if isinstance(result, list) and len(result) > 1:
            log.warning(
                "Zalo getUpdates answered %d updates at once; only the first is used", len(result)
            )
            result = result[:1]
        update = parse_update({"ok": True, "result": result})
        if update is None:
            keys = sorted(result)[:10] if isinstance(result, dict) else type(result).__name__
            log.warning(
                "Zalo getUpdates answered an update this client cannot read (keys: %s); it is"
                " dropped",
                keys,
            )
        return update

    async def set_webhook(self, url: str, secret_token: str) -> ZaloWebhookInfo:
        """Makes Zalo POST every update to ``url`` with ``secret_token`` in
        ``X-Bot-Api-Secret-Token``."""
        if not isinstance(secret_token, str) or not SECRET_MIN <= len(secret_token) <= SECRET_MAX:
            raise ZaloBadRequest(
                None,
                f"secret_token must be {SECRET_MIN} to {SECRET_MAX} characters (not sent)",
                "setWebhook",
            )
        if _url(url) is None:
            raise ZaloBadRequest(None, "url must be an http(s) URL (not sent)", "setWebhook")
        forms = [f for f in _secret_forms(secret_token) if f not in self._secrets]
        self._secrets = sorted({*self._secrets, *forms})
        _REDACTOR.add(forms)
        return self._webhook_info(
            await self._call("setWebhook", {"url": url, "secret_token": secret_token})
        )

    async def delete_webhook(self) -> ZaloWebhookInfo:
        """Removes the webhook, so that getUpdates works again."""
        return self._webhook_info(await self._call("deleteWebhook"))

    async def get_webhook_info(self) -> ZaloWebhookInfo:
        return self._webhook_info(await self._call("getWebhookInfo"))

    @staticmethod
    def _webhook_info(result: Any) -> ZaloWebhookInfo:
        result = result if isinstance(result, dict) else {}
        return ZaloWebhookInfo(
            url=_str(result.get("url")) or "",
            updated_at=_date(result.get("updated_at")),
            raw=result,
        )

    async def send_message(self, chat_id: str, text: str) -> str | None:
        """Sends a plain text of 1 to :data:`MAX_TEXT` characters; returns Zalo's message id.

        A text out of bounds raises :class:`ZaloBadRequest` without a request (it would cost quota
        for a certain 400). The user must have written to the bot first, else (an answer naming the
        recipient) :class:`ZaloRecipientRefused`.
        """
        self._check_text(text, "sendMessage", "text")
        return self._message_id(
            await self._call("sendMessage", {"chat_id": chat_id, "text": text})
        )

    async def send_photo(
        self, chat_id: str, photo_url: str, caption: str | None = None
    ) -> str | None:
        """Sends the image at a public http(s) URL (Zalo fetches it; there is no upload)."""
        if _url(photo_url) is None:
            raise ZaloBadRequest(
                None, "photo must be a public http(s) URL (not sent)", "sendPhoto"
            )
        params = {"chat_id": chat_id, "photo": photo_url}
        if caption:
            self._check_text(caption, "sendPhoto", "caption")
            params["caption"] = caption
        return self._message_id(await self._call("sendPhoto", params))

    async def send_sticker(self, chat_id: str, sticker: str) -> str | None:
        """Sends a sticker by its id (from stickers.zaloapp.com)."""
        return self._message_id(
            await self._call("sendSticker", {"chat_id": chat_id, "sticker": sticker})
        )

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> None:
        """Shows "typing…" for a moment (``upload_photo`` is announced by Zalo as coming)."""
        await self._call("sendChatAction", {"chat_id": chat_id, "action": action})

    @staticmethod
    def _check_text(text: Any, method: str, name: str) -> None:
        if not isinstance(text, str) or not text:
            raise ZaloBadRequest(None, f"{name} must be a non-empty string (not sent)", method)
        if (length := zalo_length(text)) > MAX_TEXT:
            raise ZaloBadRequest(
                None,
                f"{name} is {length} characters, Zalo takes at most {MAX_TEXT} (not sent)",
                method,
            )

    @staticmethod
    def _message_id(result: Any) -> str | None:
        return _id(result.get("message_id")) if isinstance(result, dict) else None
