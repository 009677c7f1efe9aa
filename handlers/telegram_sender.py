"""The Telegram side of the delivery ledger: sends one message and says how it went.

``LedgerRequest`` calls the dispatcher's hook right before the HTTP request leaves (after the rate
limiter let it through), so a message is marked in flight only when it is really going out.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import AIORateLimiter
from telegram.request import HTTPXRequest

from bot.delivery import NotOwner, Outcome

_BEFORE: ContextVar[Callable[[], Awaitable[None]] | None] = ContextVar("pgi_before_request", default=None)
_GONE_HINTS = ("chat not found", "bot was kicked", "bot was blocked", "not a member", "user is deactivated",
               "have no rights to send", "group chat was deactivated")


class LedgerRequest(HTTPXRequest):
    async def do_request(self, url, method, request_data=None, *args, **kwargs):  # type: ignore[override]
        hook = _BEFORE.get()
        if hook is not None:
            _BEFORE.set(None)  # once per message, even when the rate limiter retries after a 429
            await hook()
        return await super().do_request(url, method, request_data, *args, **kwargs)


def rate_limiter() -> AIORateLimiter:
    """Telegram's limits without bursts: 29 messages a second overall, one every 3.05 s per group (< 20 a minute).

    A leaky bucket that allowed bursts would exceed a sliding-window limit right after the burst.
    """
    return AIORateLimiter(overall_max_rate=1, overall_time_period=1 / 29, group_max_rate=1, group_time_period=3.05,
                          max_retries=3)


def _markup(buttons: list) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(b["label"], callback_data=b["data"]) for b in row] for row in buttons])


def _seconds(value) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class TelegramChannel:
    def __init__(self, bot):
        self.bot = bot

    async def send(self, chat_id: int, text: str, buttons: list, before_request: Callable[[], Awaitable[None]]) -> Outcome:
        token = _BEFORE.set(before_request)
        try:
            message = await self.bot.send_message(chat_id, text[:4096], reply_markup=_markup(buttons))
            return Outcome("sent", message_id=message.message_id)
        except RetryAfter as exc:
            return Outcome("retry", retry_after=_seconds(exc.retry_after), reason=str(exc))
        except ChatMigrated as exc:
            return Outcome("migrated", new_chat_id=exc.new_chat_id, reason=str(exc))
        except Forbidden as exc:
            return Outcome("gone", reason=exc.message)
        except BadRequest as exc:
            if any(h in exc.message.lower() for h in _GONE_HINTS):
                return Outcome("gone", reason=exc.message)
            return Outcome("failed", reason=exc.message)
        except TimedOut as exc:
            return Outcome("retry", reason=f"timed out: {exc.message}")
        except NetworkError as exc:
            if isinstance(exc.__cause__, NotOwner):
                raise exc.__cause__ from None
            return Outcome("retry", reason=f"network error: {exc.message}")
        except TelegramError as exc:
            return Outcome("failed", reason=exc.message)
        finally:
            _BEFORE.reset(token)
