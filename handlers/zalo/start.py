"""Before the Zalo channel receives: the bot's identity (getMe, retried while Zalo cannot be
reached) and its mode: a webhook (production), or long polling (a trial) that never takes the
updates of a webhook it finds away unless told to."""

from __future__ import annotations

import asyncio
import logging

from bot.app.config import Settings
from handlers.zalo.api import ZaloApi, ZaloBotInfo
from handlers.zalo.errors import ZaloError, ZaloNetworkError, ZaloRateLimited, ZaloServerError

log = logging.getLogger(__name__)


class ZaloStartFailed(Exception):
    """The Zalo Bot API did not answer at start within the configured number of tries."""


class ZaloModeRefused(Exception):
    """The configured mode would harm another deployment, or is incomplete: not started (one
    line)."""


async def get_me(api: ZaloApi, settings: Settings) -> ZaloBotInfo:
    """getMe, retried with a doubling pause while Zalo cannot be reached; a rejected token is
    final."""
    pause, attempt = settings.start_backoff, 0
    while True:
        attempt += 1
        try:
            return (
                await api.get_me()
            )  # ZaloUnauthorized: the token is wrong, waiting will not help
        except (ZaloNetworkError, ZaloServerError, ZaloRateLimited) as exc:
            if settings.start_attempts and attempt >= settings.start_attempts:
                raise ZaloStartFailed(
                    f"cannot reach the Zalo Bot API after {attempt} tries; check the network "
                    "(or ZALO_API_BASE_URL) and start the bot again"
                ) from None
            log.warning(
                "cannot reach the Zalo Bot API (try %d): %s; trying again in %.1f s",
                attempt,
                exc.code or "network",
                pause,
            )
            await asyncio.sleep(pause)
            pause = min(60.0, pause * 2 if pause > 0 else 0)


async def set_mode(
    api: ZaloApi, webhook_url: str | None, secret: str | None, take_over: bool
) -> None:
    """Webhook mode when ``webhook_url`` and its ``secret`` are given, else long polling, which
    removes a webhook it finds only when ``take_over``."""
    if webhook_url and secret:
        await api.set_webhook(webhook_url, secret)
        log.info("Zalo: webhook mode")
        return
    try:
        hook = (await api.get_webhook_info()).url
    # safe to go on: polling removes nothing, and getUpdates fails while a webhook is set
    except ZaloError as exc:
        log.warning(
            "Zalo: could not check for a webhook before polling (%s)", exc.code or "network"
        )
        hook = ""
    if hook and not take_over:
        raise ZaloModeRefused(
            f"Zalo: this bot has a webhook ({hook}); long polling would take its updates"
            " away. Not started: stop here, or set ZALO_TAKE_OVER_WEBHOOK=1 to remove the"
            " webhook and poll"
        )
    if hook:
        await api.delete_webhook()
        log.warning("Zalo: the webhook %s was removed (ZALO_TAKE_OVER_WEBHOOK)", hook)
    log.info("Zalo: long-polling mode (a trial mode; production uses the webhook)")
