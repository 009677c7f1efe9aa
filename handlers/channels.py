"""What the runner needs of a channel, and the registry of every channel the bot can run.

A channel is one module in ``handlers/`` that provides a :class:`ChannelSpec`: its name, whether
the settings configure it, a check before start (a token refused is final, an API that does not
answer is retried), and how to build a running :class:`Channel`. The runner starts every configured
channel from :data:`REGISTRY`, serves their webhook routes on the one HTTP server, runs their
receive loops (polling), sends the delivery ledger through their senders, and stops them in reverse
order.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Protocol

from starlette.routing import BaseRoute

from bot.app.config import Settings
from bot.delivery.worker import Channel as Sender
from bot.delivery.worker import Dispatcher

if TYPE_CHECKING:
    from bot.app.services import Services

Loop = Callable[[asyncio.Event], Awaitable[None]]  # a receive loop, run until the event is set
# (start polling, stop polling, lease name, stop event): poll while this process holds the lease
LeasePoller = Callable[
    [Callable[[], Awaitable[object]], Callable[[], Awaitable[object]], str, asyncio.Event],
    Awaitable[None],
]


class ChannelRejected(Exception):
    """A channel refused the bot's token, or the configured mode would harm another deployment:
    waiting will not help (exit code 2)."""


class ChannelUnreachable(Exception):
    """A channel's API did not answer within the configured number of tries (exit code 1)."""


class Channel(Protocol):
    """A running channel."""

    name: str  # the channel of its addresses and identities ("telegram", "zalo")
    label: str  # how people call it, in texts about it ("Telegram", "Zalo")
    message_limit: int  # characters in one message
    numbered: bool  # True: choices are drawn as a numbered list (no buttons); False: as buttons
    sender: Sender  # sends one ledger row, says how it went

    async def start(self) -> list[BaseRoute]:
        """Connect, set (or remove) the webhook; the webhook routes to serve (none when
        polling)."""

    def loops(self) -> list[Loop]:
        """The receive loops to run (polling); none in webhook mode."""

    async def recover(self) -> None:
        """Every tick: updates whose handling failed are tried again."""

    async def stop(self) -> None:
        """Release what :meth:`start` took."""


@dataclass(frozen=True)
class Runtime:
    """What the runner gives a channel it builds."""

    services: Services
    dispatcher: Dispatcher  # sends the ledger through every channel's sender
    deliver_now: Callable[
        [], Awaitable[object]
    ]  # plan and send the ledger now (after a reply asked for it)
    poll_with_lease: LeasePoller  # long polling by one process at a time


@dataclass(frozen=True)
class ChannelSpec:
    name: str
    label: str
    configured: Callable[[Settings], bool]
    build: Callable[[Runtime], Channel]
    check: Callable[[Settings], None] | None = (
        None  # before the event loop starts; raises what ``errors`` maps
    )
    errors: Callable[[BaseException], Exception | None] = lambda exc: (
        None
    )  # a start failure, as Rejected/Unreachable


# every channel the bot can run, by the module that provides its spec (imported only when
# configured)
REGISTRY: dict[str, str] = {
    "telegram": "handlers.telegram.channel",
    "zalo": "handlers.zalo.channel",
    "email": "handlers.email_channel",  # last: it only sends, where no chat reaches
}


def spec_of(name: str) -> ChannelSpec:
    return import_module(REGISTRY[name]).SPEC


def configured(settings: Settings) -> list[ChannelSpec]:
    """The channels whose settings are present, in registry order."""
    return [spec for spec in map(spec_of, REGISTRY) if spec.configured(settings)]
