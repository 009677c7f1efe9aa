"""The errors of the Zalo Bot API, as one small taxonomy: callers decide retry / give up / stop
from the class, without reading descriptions (which Zalo does not document)."""

from __future__ import annotations

import re


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


def error_for(
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
