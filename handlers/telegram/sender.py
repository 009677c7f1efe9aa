"""The Telegram side of the delivery ledger: sends one message and says how it went.

``LedgerRequest`` calls the dispatcher's hook right before the HTTP request leaves (after the rate
limiter let it through), so a message is marked in flight only when it is really going out.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from datetime import timedelta

from telegram import InlineKeyboardMarkup
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import AIORateLimiter
from telegram.request import HTTPXRequest

from bot.core.messages import Choice
from bot.delivery.worker import NotOwner, Outcome
from handlers.telegram.adapter import keyboard

_BEFORE: ContextVar[Callable[[], Awaitable[None]] | None] = ContextVar(
    "pgi_before_request", default=None
)
_GONE_HINTS = (
    "chat not found",
    "bot was kicked",
    "bot was blocked",
    "not a member",
    "user is deactivated",
    "have no rights to send",
    "group chat was deactivated",
)


_SEND_METHODS = ("sendmessage", "senddocument", "sendphoto", "copymessage", "forwardmessage")


class SendWindow:
    """Telegram's flood limits as sliding windows over the moments requests really leave.

    At most 30 messages in any 1.02 s overall and 20 in any 61 s per group: a little wider than
    Telegram's second and minute, for the time a request takes to arrive.
    """

    WINDOW, PER_WINDOW = 1.02, 30
    GROUP_WINDOW, PER_GROUP_WINDOW = 61.0, 20

    def __init__(self) -> None:
        self._sent: deque[float] = deque()
        self._group_sent: dict[int | str, deque[float]] = {}

    async def acquire(self, chat_id: int | str | None) -> None:
        loop = asyncio.get_running_loop()
        # a group's chat id: negative, or a public @username
        group = (
            chat_id
            if chat_id is not None and (isinstance(chat_id, str) or int(chat_id) < 0)
            else None
        )
        while True:
            now = loop.time()
            wait = self._wait(self._sent, now, self.PER_WINDOW, self.WINDOW)
            if group is not None:
                wait = max(
                    wait,
                    self._wait(
                        self._group_sent.setdefault(group, deque()),
                        now,
                        self.PER_GROUP_WINDOW,
                        self.GROUP_WINDOW,
                    ),
                )
            if wait <= 0:
                break
            await asyncio.sleep(wait)
        self._sent.append(now)
        if group is not None:
            self._group_sent[group].append(now)
            if len(self._group_sent) > 4096:  # forget groups that sent nothing within the window
                self._group_sent = {
                    g: q
                    for g, q in self._group_sent.items()
                    if q and q[-1] > now - self.GROUP_WINDOW
                }

    @staticmethod
    def _wait(sent: deque, now: float, limit: int, window: float) -> float:
        while sent and sent[0] <= now - window:
            sent.popleft()
        return 0.0 if len(sent) < limit else sent[0] + window - now + 0.001


class LedgerRequest(HTTPXRequest):
    """The HTTP layer: marks a ledger message in flight, then keeps every send inside Telegram's
    limits by the moment it really leaves (after any database write), then sends."""

    def __init__(self, *args, window: SendWindow | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.window = window or SendWindow()

    async def do_request(self, url, method, request_data=None, *args, **kwargs):
        hook = _BEFORE.get()
        if hook is not None:
            _BEFORE.set(None)  # once per message, even when the rate limiter retries after a 429
            await hook()
        if url.rsplit("/", 1)[-1].lower() in _SEND_METHODS:
            await self.window.acquire(
                request_data.parameters.get("chat_id") if request_data is not None else None
            )
        return await super().do_request(url, method, request_data, *args, **kwargs)


class SteadyRateLimiter(AIORateLimiter):
    """python-telegram-bot's AIORateLimiter (its 429 handling: wait retry_after, pause all
    requests, retry) with evenly spaced send slots instead of leaky buckets.

    A bucket that allows bursts exceeds Telegram's "30 a second / 20 a minute per group" right
    after a burst, and one without bursts loses a little time on every wake-up. Here each request
    books the next free slot at call time (29 a second overall, one per 3.08 s in a group) and
    sleeps until it; the hard limits are then kept by :class:`SendWindow` at the moment the request
    leaves.

    Group slots are booked by ledger deliveries (reminders, broadcasts), which can come in bursts;
    an official's own conversation in a group only takes global slots, so a reply is not held back
    seconds behind the previous one.
    """

    def __init__(
        self, per_second: float = 29.0, group_per_minute: float = 19.5, max_retries: int = 3
    ):
        super().__init__(
            overall_max_rate=0,
            overall_time_period=0,
            group_max_rate=0,
            group_time_period=0,
            max_retries=max_retries,
        )
        self._interval = 1.0 / per_second
        self._group_interval = 60.0 / group_per_minute
        self._next = 0.0
        self._group_next: dict[str | int, float] = {}

    async def _run_request(self, chat, group, allow_paid_broadcast, callback, args, kwargs):
        # after a 429 every request waits for the pause to end *before* booking a slot, so that the
        # requests held during the pause do not all leave at once when it ends
        await self._retry_after_event.wait()
        if chat and not allow_paid_broadcast:
            loop = asyncio.get_running_loop()
            group = group if _BEFORE.get() is not None else False
            now = loop.time()
            slot = max(now, self._next, self._group_next.get(group, 0.0) if group else 0.0)
            self._next = slot + self._interval
            if group:
                self._group_next[group] = slot + self._group_interval
                if len(self._group_next) > 4096:  # forget groups whose slots are long past
                    self._group_next = {g: t for g, t in self._group_next.items() if t > now}
            if slot > now:
                await asyncio.sleep(slot - now)
        return await callback(*args, **kwargs)


def rate_limiter() -> SteadyRateLimiter:
    return SteadyRateLimiter()


def _markup(choices: list[Choice]) -> InlineKeyboardMarkup | None:
    return keyboard(choices) if choices else None


def _seconds(value) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class TelegramChannel:
    numbered = False  # Telegram draws choices as buttons

    def __init__(self, bot):
        self.bot = bot

    async def send(
        self,
        chat_id: str,
        text: str,
        choices: list[Choice],
        before_request: Callable[[], Awaitable[None]],
    ) -> Outcome:
        token = _BEFORE.set(before_request)
        try:
            message = await self.bot.send_message(
                int(chat_id), text[:4096], reply_markup=_markup(choices)
            )
            return Outcome("sent", message_id=str(message.message_id))
        except RetryAfter as exc:
            return Outcome(
                "retry", retry_after=_seconds(exc.retry_after), reason=str(exc), throttled=True
            )
        except ChatMigrated as exc:
            return Outcome("migrated", new_chat_id=str(exc.new_chat_id), reason=str(exc))
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
