"""Before the Telegram channel starts: is the token accepted, and is the Bot API reachable?

A rejected token (401 or 404 from ``getMe``) cannot get better by waiting: it ends the start with
one line and no traceback (python-telegram-bot's own error would carry the token in its text). An
unreachable Bot API (network down at boot, a proxy not up yet, Telegram blocked for a while) is
retried with a doubling pause, each try logged, until it answers, the process is stopped, or
``PGI_START_ATTEMPTS`` tries have failed: by default the bot keeps trying, because a process
supervisor restarting a bot that gave up would do the same with less to show in the log, and
reminders resume by themselves once the network is back.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from telegram import Bot
from telegram.error import InvalidToken, RetryAfter, TelegramError

from bot.app.config import Settings

log = logging.getLogger(__name__)
BACKOFF_MAX = 60.0  # seconds between two tries at most
TOKEN_REJECTED = "Telegram rejected the bot token; check TELEGRAM_BOT_TOKEN"


class TokenRejected(Exception):
    def __init__(self) -> None:
        super().__init__(TOKEN_REJECTED)


class BotApiUnreachable(Exception):
    """The Bot API did not answer within the configured number of tries."""


def _bot(settings: Settings) -> Bot:
    from handlers.telegram.app import api_urls

    if settings.api_base_url:
        base, files = api_urls(settings.api_base_url)
        return Bot(settings.telegram_token or "", base_url=base, base_file_url=files)
    return Bot(settings.telegram_token or "")


async def _probe(settings: Settings) -> None:
    bot = _bot(settings)
    try:
        await bot.get_me()
    finally:
        await bot.shutdown()


def delays(first: float, maximum: float = BACKOFF_MAX):
    """The pauses between tries: first, twice that, … up to ``maximum``."""
    delay = first
    while True:
        yield delay
        delay = min(maximum, delay * 2 if delay > 0 else 0)


def wait_for_bot_api(settings: Settings, sleep: Callable[[float], None] = time.sleep) -> None:
    """Return once ``getMe`` answers; raise :class:`TokenRejected` or
    :class:`BotApiUnreachable`."""
    attempts = settings.start_attempts
    pauses = delays(settings.start_backoff)
    attempt = 0
    while True:
        attempt += 1
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(_probe(settings))
            return
        except InvalidToken:
            raise TokenRejected() from None  # the library's text holds the token
        except RetryAfter as exc:
            reason, pause = (
                "asked to wait",
                max(
                    (
                        exc.retry_after
                        if isinstance(exc.retry_after, (int, float))
                        else exc.retry_after.total_seconds()
                    ),
                    next(pauses),
                ),
            )
        except TelegramError as exc:
            reason, pause = f"{type(exc).__name__}: {exc}", next(pauses)
        except OSError as exc:
            reason, pause = f"{type(exc).__name__}: {exc}", next(pauses)
        finally:
            loop.close()
        if attempts and attempt >= attempts:
            log.error(
                "cannot reach the Telegram Bot API (try %d of %d): %s; giving up",
                attempt,
                attempts,
                reason,
            )
            raise BotApiUnreachable(
                f"cannot reach the Telegram Bot API after {attempt} tries; check the network "
                "(or TELEGRAM_API_BASE_URL) and start the bot again"
            )
        total = f" of {attempts}" if attempts else ""
        log.warning(
            "cannot reach the Telegram Bot API (try %d%s): %s; trying again in %.1f s",
            attempt,
            total,
            reason,
            pause,
        )
        sleep(pause)
