"""A thin async client for the Zalo Bot Platform API (``bot-api.zaloplatforms.com``), on httpx.

A channel library: it knows Zalo's wire format and nothing of the bot, so it (with its errors,
its redaction and its update parser beside it) imports only the standard library and httpx. What
it settles once for every caller:

* **The token is a secret in the URL** (``/bot<id:secret>/<method>``). No exception text, repr or
  log record of this module carries it: error descriptions are redacted, httpx errors are re-raised
  without their chain, and a filter on the ``httpx`` logger (handlers.zalo.redaction) redacts the
  request lines httpx writes at INFO.
* **Zalo answers** ``{ok, result}`` or ``{ok: false, error_code, description}``, sometimes with
  HTTP 200 for an error, and a proxy in front of it may answer an HTML page. The body decides when
  it is JSON; the HTTP status only when it is not. Errors become one small taxonomy
  (handlers.zalo.errors).
* **getUpdates hands out one update per call and forgets it** (no offset). An empty wait is an
  error 408, which :meth:`ZaloApi.get_updates` turns into ``None``. The read timeout of that call
  is the long-poll timeout plus a margin, or httpx would cut every empty wait short. The update is
  read by the parser polling and webhooks share (handlers.zalo.updates).
"""

from __future__ import annotations

import hmac
import logging
import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx

from handlers.zalo.errors import (
    ZaloBadRequest,
    ZaloError,
    ZaloNetworkError,
    ZaloServerError,
    error_for,
)
from handlers.zalo.redaction import REDACTED, REDACTED_LOGGERS, REDACTOR, secret_forms
from handlers.zalo.updates import (
    ZaloUpdate,
    parse_update,
    read_date,
    read_id,
    read_str,
    read_url,
)

DEFAULT_BASE_URL = "https://bot-api.zaloplatforms.com"
MAX_TEXT = 2000  # characters per message (text and photo caption); Zalo answers 400 past it
SECRET_MIN, SECRET_MAX = 8, 256  # setWebhook's secret_token length
WEBHOOK_SECRET_HEADER = "X-Bot-Api-Secret-Token"
POLL_GRACE = 10.0  # seconds the read timeout of getUpdates exceeds its long-poll timeout

log = logging.getLogger(__name__)


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
        self._secrets = secret_forms(token)
        REDACTOR.add(self._secrets)
        for name in REDACTED_LOGGERS:
            if REDACTOR not in logging.getLogger(name).filters:
                logging.getLogger(name).addFilter(REDACTOR)
        self._closed = False

    def __repr__(self) -> str:
        return f"ZaloApi(base_url={self._base!r}, token={REDACTED!r})"

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
        REDACTOR.remove(self._secrets)

    def redact(self, text: str) -> str:
        """``text`` with this bot's token (and webhook secrets it set) replaced by
        ``<redacted>``."""
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, REDACTED)
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
            error = error_for(
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
        raise error_for(code, description, method, _retry_after(response, body))

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
            id=read_id(result.get("id")) or "",
            account_name=name,
            account_type=read_str(result.get("account_type")),
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
        if read_url(url) is None:
            raise ZaloBadRequest(None, "url must be an http(s) URL (not sent)", "setWebhook")
        forms = [f for f in secret_forms(secret_token) if f not in self._secrets]
        self._secrets = sorted({*self._secrets, *forms})
        REDACTOR.add(forms)
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
            url=read_str(result.get("url")) or "",
            updated_at=read_date(result.get("updated_at")),
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
        if read_url(photo_url) is None:
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
        return read_id(result.get("message_id")) if isinstance(result, dict) else None
