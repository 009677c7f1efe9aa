"""The Zalo side of the delivery ledger (and of replies): paced sends of numbered choices, and
what became of each."""

from __future__ import annotations

import asyncio

from bot.core.messages import Choice, numbered
from bot.delivery.worker import Outcome
from handlers.textsplit import split_text
from handlers.zalo.api import MAX_TEXT, ZaloApi, zalo_length
from handlers.zalo.errors import (
    ZaloBadRequest,
    ZaloError,
    ZaloNetworkError,
    ZaloRateLimited,
    ZaloRecipientRefused,
    ZaloServerError,
)


class Pacer:
    """At most ``rate`` messages a second to Zalo, whose quota is not published: a token bucket
    holding one second's worth, so an official's reply leaves at once while a fan-out is spread
    evenly."""

    def __init__(self, rate: float):
        self.rate = rate
        self.capacity = max(1.0, rate)
        self._tokens = self.capacity
        self._stamp: float | None = None
        self._paused_until = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:  # callers queue in order; each takes one token
            loop = asyncio.get_running_loop()
            while True:
                now = loop.time()
                if self._stamp is not None:
                    self._tokens = min(
                        self.capacity, self._tokens + (now - self._stamp) * self.rate
                    )
                self._stamp = now
                wait = max(
                    self._paused_until - now,
                    (1.0 - self._tokens) / self.rate if self._tokens < 1.0 else 0.0,
                )
                if wait <= 0:
                    self._tokens -= 1.0
                    return
                await asyncio.sleep(wait)

    def pause(self, seconds: float) -> None:
        """After a 429: nobody sends before the pause ends, and the bucket starts empty."""
        loop = asyncio.get_running_loop()
        self._paused_until = max(self._paused_until, loop.time() + seconds)
        self._tokens = 0.0


def draw(text: str, choices: list[Choice], hint: str) -> list[str]:
    """A reply as Zalo shows it: choices numbered under the text, in pieces of at most 2000
    characters."""
    body = numbered(text, choices)
    if choices:
        body += "\n" + hint
    return split_text(body, MAX_TEXT - 50, measure=zalo_length)


class ZaloChannel:
    """The Zalo side of the delivery ledger (and of replies): sends one message, says how it
    went."""

    numbered = True

    def __init__(self, api: ZaloApi, rate: float, hint: str):
        self.api = api
        self.pacer = Pacer(rate)
        self.hint = hint

    async def send_parts(self, chat_id: str, parts: list[str]) -> str | None:
        message_id = None
        for part in parts:
            await self.pacer.wait()
            message_id = await self.api.send_message(chat_id, part)
        return message_id

    async def send(
        self, chat_id: str, text: str, choices: list[Choice], before_request
    ) -> Outcome:
        parts = draw(text, choices, self.hint)
        await self.pacer.wait()
        await before_request()  # raises NotOwner: the row was taken over, nothing leaves
        try:
            message_id = await self.api.send_message(chat_id, parts[0])
            if len(parts) > 1:
                message_id = await self.send_parts(chat_id, parts[1:]) or message_id
            return Outcome("sent", message_id=message_id)
        except ZaloRateLimited as exc:
            wait = exc.retry_after or 5.0
            self.pacer.pause(wait)
            return Outcome("retry", retry_after=wait, reason="rate limited (429)", throttled=True)
        except (
            ZaloServerError,
            ZaloNetworkError,
        ) as exc:  # 403 is Zalo's internal error, 408 a timeout: transient
            return Outcome("retry", reason=f"Zalo unavailable: {exc.code or 'network'}")
        except (
            ZaloRecipientRefused
        ) as exc:  # the answer names the recipient; the ledger decides after several
            return Outcome(
                "refused", reason=f"Zalo refused this chat ({exc.code}): {exc.description[:150]}"
            )
        except ZaloBadRequest as exc:
            return Outcome("failed", reason=f"refused by Zalo ({exc.code})")
        except ZaloError as exc:
            return Outcome("failed", reason=f"Zalo error {exc.code}")
