"""The Telegram channel as the runner starts it: the python-telegram-bot application
(handlers.telegram.app) in webhook mode (``WEBHOOK_URL``) or long polling by one process at a
time, the start check (handlers.telegram.start) and the ledger sender
(handlers.telegram.sender)."""

from __future__ import annotations

import logging
import secrets

from starlette.routing import BaseRoute
from telegram import Update
from telegram.error import InvalidToken

from bot.app.redact import add_secret
from handlers.channels import ChannelRejected, ChannelSpec, ChannelUnreachable, Loop, Runtime
from handlers.http import path_of, webhook_route
from handlers.telegram.app import build_application
from handlers.telegram.start import (
    TOKEN_REJECTED,
    BotApiUnreachable,
    TokenRejected,
    wait_for_bot_api,
)

log = logging.getLogger(__name__)
TELEGRAM_SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class TelegramAdapter:
    """Telegram as one running channel: webhook (``WEBHOOK_URL``) or long polling by one process
    at a time."""

    name = "telegram"
    label = "Telegram"
    message_limit = 4096
    numbered = False  # inline keyboards

    def __init__(self, rt: Runtime):
        self.rt = rt
        settings = rt.services.settings
        self.webhook = bool(settings.webhook_url)
        self.app = build_application(
            rt.services, tick=None, dispatcher=rt.dispatcher, webhook=self.webhook
        )
        self.sender = rt.dispatcher.channels["telegram"]

    async def start(self) -> list[BaseRoute]:
        app, settings = self.app, self.rt.services.settings
        await app.initialize()
        if (
            app.post_init is not None
        ):  # build_application sets it; run_polling would call it, start() does not
            await app.post_init(app)
        await app.start()
        webhook_url = settings.webhook_url if self.webhook else None
        if not webhook_url:
            hook = (await app.bot.get_webhook_info()).url
            if (
                hook and not settings.telegram_take_over_webhook
            ):  # polling would delete it: the production bot's
                await app.stop()
                await app.shutdown()
                raise ChannelRejected(
                    f"Telegram: this bot has a webhook ({hook}); long polling would take its"
                    " updates away. Not started: stop here, or set TELEGRAM_TAKE_OVER_WEBHOOK=1"
                    " to remove it and poll"
                )
            log.info("Telegram: long-polling mode (a trial mode; production uses the webhook)")
            return []
        secret = settings.telegram_webhook_secret or secrets.token_urlsafe(
            32
        )  # a new one at each start
        add_secret(secret)  # never in the log, at any level
        path = path_of(webhook_url, "/telegram")
        # a URL without a path is served at /telegram
        url = webhook_url if path_of(webhook_url, "") else webhook_url.rstrip("/") + path

        async def accept(data: dict) -> bool:
            try:
                update = Update.de_json(data, app.bot)
            except Exception:  # noqa: BLE001 - JSON, but no update: refused (and logged) by the route
                return False
            if update is None:
                return False
            await app.update_queue.put(update)
            return True

        route = webhook_route(path, TELEGRAM_SECRET_HEADER, secret, accept, "telegram")
        await app.bot.set_webhook(url, secret_token=secret, allowed_updates=Update.ALL_TYPES)
        log.info("Telegram: webhook mode")
        return [route]

    def loops(self) -> list[Loop]:
        if self.webhook:
            return []
        app, updater = self.app, self.app.updater
        if updater is None:  # only a webhook application has none
            raise RuntimeError("Telegram: long polling needs the application's updater")
        return [
            lambda stop: self.rt.poll_with_lease(
                lambda: updater.start_polling(allowed_updates=Update.ALL_TYPES),
                updater.stop,
                f"poll:telegram:{app.bot.id}",
                stop,
            )
        ]

    async def recover(self) -> None:
        return None  # Telegram redelivers an update whose handling failed

    async def stop(self) -> None:
        app = self.app
        if (
            app.updater is not None and app.updater.running
        ):  # stopped by the polling loop unless it failed
            await app.updater.stop()
        await app.stop()
        await app.shutdown()


def _start_errors(exc: BaseException) -> Exception | None:
    if isinstance(exc, (TokenRejected, InvalidToken)):
        return ChannelRejected(TOKEN_REJECTED)
    if isinstance(exc, BotApiUnreachable):
        return ChannelUnreachable(str(exc))
    return None


SPEC = ChannelSpec(
    "telegram",
    "Telegram",
    lambda settings: bool(settings.telegram_token),
    TelegramAdapter,
    check=wait_for_bot_api,
    errors=_start_errors,
)
