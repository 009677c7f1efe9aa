"""The Zalo channel as the runner starts it: the bot (handlers.zalo.bot: the inbox, numbered
choices, pacing) on the Zalo Bot API client (handlers.zalo.api), by webhook
(``ZALO_WEBHOOK_URL`` and its secret) or long polling."""

from __future__ import annotations

from starlette.routing import BaseRoute

from bot.delivery.worker import Channel as Sender
from handlers.channels import ChannelRejected, ChannelSpec, ChannelUnreachable, Loop, Runtime
from handlers.http import path_of, webhook_route
from handlers.zalo import CHANNEL
from handlers.zalo.api import MAX_TEXT, WEBHOOK_SECRET_HEADER, ZaloApi
from handlers.zalo.bot import ZaloBot
from handlers.zalo.errors import ZaloUnauthorized
from handlers.zalo.start import ZaloModeRefused, ZaloStartFailed


class ZaloAdapter:
    """Zalo as one running channel."""

    name = CHANNEL
    label = "Zalo"
    message_limit = MAX_TEXT
    numbered = True  # no buttons: choices are a numbered list

    def __init__(self, rt: Runtime):
        settings = rt.services.settings
        if not settings.zalo_token:  # SPEC.configured: built only when it is set
            raise ChannelRejected("Zalo: ZALO_BOT_TOKEN is not set")
        self.bot = ZaloBot(
            rt.services,
            ZaloApi(settings.zalo_token, settings.zalo_api_base_url),
            on_deliver=rt.deliver_now,
        )
        self.sender: Sender = self.bot.channel
        self.webhook = bool(settings.zalo_webhook_url)
        self.settings = settings

    async def start(self) -> list[BaseRoute]:
        s = self.settings
        url, secret = s.zalo_webhook_url, s.zalo_webhook_secret
        await self.bot.start(url, secret, s.zalo_take_over_webhook)
        if (
            not self.webhook or not url or not secret
        ):  # (bot.start refused a webhook URL without its secret)
            return []
        return [
            webhook_route(
                path_of(url, "/zalo"),
                WEBHOOK_SECRET_HEADER,
                secret,
                lambda data: self.bot.receive(data, background=True),
                "zalo",
            )
        ]

    def loops(self) -> list[Loop]:
        return [] if self.webhook else [self.bot.poll_forever]

    async def recover(self) -> None:
        await self.bot.recover()

    async def stop(self) -> None:
        await self.bot.aclose()
        await self.bot.api.aclose()


def _start_errors(exc: BaseException) -> Exception | None:
    if isinstance(exc, ZaloUnauthorized):
        return ChannelRejected("Zalo rejected the bot token; check ZALO_BOT_TOKEN")
    if isinstance(exc, ZaloStartFailed):
        return ChannelUnreachable(str(exc))
    if isinstance(exc, ZaloModeRefused):
        return ChannelRejected(str(exc))
    return None


SPEC = ChannelSpec(
    CHANNEL, "Zalo", lambda settings: bool(settings.zalo_token), ZaloAdapter, errors=_start_errors
)
