"""`python -m bot run`: every channel whose token is set, in one process, on one database and one
delivery ledger, with one HTTP server for the webhooks and /healthz."""

from __future__ import annotations

import asyncio
import logging
import secrets
import signal
from datetime import timedelta

import uvicorn
from telegram import Update

from bot.app.redact import add_secret
from handlers.http import build_app, path_of, webhook_route
from handlers.polling import LeasePoller, sleep_or_stop
from handlers.telegram_start import TOKEN_REJECTED
from handlers.zalo import ZaloModeRefused, ZaloStartFailed
from storage.db import Outage

log = logging.getLogger(__name__)
TICK = timedelta(seconds=60)
STOP_GRACE = 15.0  # seconds the pollers get, on a stop, to store what they hold and give back leases
TELEGRAM_SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


async def serve(services, stop: asyncio.Event | None = None, tick: timedelta = TICK) -> None:
    from bot.delivery.tick import run_cycle
    from handlers.telegram_app import build_application, make_dispatcher

    settings = services.settings
    conv = services.conversation
    stop = stop or asyncio.Event()
    dispatcher = make_dispatcher(services, {})
    owner = dispatcher.owner
    routes = []
    enabled: list[str] = []
    tg_app = None
    telegram_polling = None
    zalo = None
    if settings.telegram_token:
        webhook = bool(settings.webhook_url)
        tg_app = build_application(services, tick=None, dispatcher=dispatcher, webhook=webhook)
        await tg_app.initialize()
        await tg_app.post_init(tg_app)
        await tg_app.start()
        if webhook:
            secret = settings.telegram_webhook_secret or secrets.token_urlsafe(32)  # a new one at each start
            add_secret(secret)  # never in the log, at any level
            path = path_of(settings.webhook_url, "/telegram")
            # a URL without a path is served at /telegram
            url = settings.webhook_url if path_of(settings.webhook_url, "") else settings.webhook_url.rstrip("/") + path

            async def accept_telegram(data: dict) -> bool:
                try:
                    update = Update.de_json(data, tg_app.bot)
                except Exception:  # noqa: BLE001 - JSON, but no update: refused (and logged) by the route
                    return False
                if update is None:
                    return False
                await tg_app.update_queue.put(update)
                return True

            routes.append(webhook_route(path, TELEGRAM_SECRET_HEADER, secret, accept_telegram))
            await tg_app.bot.set_webhook(url, secret_token=secret, allowed_updates=Update.ALL_TYPES)
            log.info("Telegram: webhook mode")
        else:
            hook = (await tg_app.bot.get_webhook_info()).url
            if hook and not settings.telegram_take_over_webhook:  # polling would delete it: the production bot's
                await tg_app.stop()
                await tg_app.shutdown()
                raise ChannelRejected(f"Telegram: this bot has a webhook ({hook}); long polling would take its updates "
                                      "away. Not started: stop here, or set TELEGRAM_TAKE_OVER_WEBHOOK=1 to remove it and poll")
            telegram_polling = tg_app
            log.info("Telegram: long-polling mode (a trial mode; production uses the webhook)")
        enabled.append("telegram")
    if settings.zalo_token:
        from handlers.zalo import ZaloBot
        from handlers.zalo_api import WEBHOOK_SECRET_HEADER, ZaloApi

        api = ZaloApi(settings.zalo_token, settings.zalo_api_base_url)
        zalo = ZaloBot(services, api, on_deliver=lambda: run_cycle(services, dispatcher))
        dispatcher.channels["zalo"] = zalo.channel
        webhook = bool(settings.zalo_webhook_url)
        await zalo.start(settings.zalo_webhook_url, settings.zalo_webhook_secret, settings.zalo_take_over_webhook)
        if webhook:
            routes.append(webhook_route(path_of(settings.zalo_webhook_url, "/zalo"), WEBHOOK_SECRET_HEADER,
                                        settings.zalo_webhook_secret, lambda data: zalo.receive(data, background=True)))
        enabled.append("zalo")
    conv.channels = tuple(enabled)
    from handlers.web import build_web

    routes.append(build_web(services))  # the web console shares the server with the webhooks
    app = build_app(routes, lambda: {"channels": enabled})
    server = uvicorn.Server(uvicorn.Config(app, host="0.0.0.0", port=settings.port, log_level="warning",
                                           access_log=False, lifespan="off"))
    server.install_signal_handlers = lambda: None  # this function handles the signals
    tasks = [asyncio.create_task(server.serve(), name="http"), asyncio.create_task(_ticks(services, dispatcher, stop, tick, zalo))]
    if zalo is not None and not settings.zalo_webhook_url:
        tasks.append(asyncio.create_task(zalo.poll_forever(stop), name="zalo-poll"))
    if telegram_polling is not None:
        tasks.append(asyncio.create_task(poll_telegram(services, telegram_polling, owner, stop),
                                         name="telegram-poll"))
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):
            pass
    log.info("running: %s; HTTP on port %s", ", ".join(enabled) or "no channel", settings.port)
    stopper = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait([stopper, *tasks], return_when=asyncio.FIRST_COMPLETED)
    stop.set()
    server.should_exit = True
    polling = [t for t in tasks if t.get_name().endswith("-poll") and t not in done]
    if polling:  # they store what they hold and give their leases back
        await asyncio.wait(polling, timeout=STOP_GRACE)
    for task in tasks:
        if task not in done:
            task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    if tg_app is not None:
        # stopped by poll_telegram, unless it failed
        if tg_app.updater is not None and tg_app.updater.running:
            await tg_app.updater.stop()
        await tg_app.stop()
        await tg_app.shutdown()
    if zalo is not None:
        await zalo.aclose()
        await zalo.api.aclose()
    for task in done:
        if task is not stopper and task.exception() is not None:
            raise task.exception()


POLL_LEASE = timedelta(seconds=60)
POLL_RENEW = 20.0  # seconds between two renewals of the polling lease


def telegram_step(start, stop_polling, every: float = POLL_RENEW):
    """The lease poller's step for a channel whose library polls by itself (python-telegram-bot's
    updater): polling starts when the lease is held and stops when another process took it over
    (this one was stalled past the lease). A failed start is tried again at the next renewal."""
    polling = False

    async def step(held: bool) -> float:
        nonlocal polling
        if held and not polling:
            try:
                await start()
            except Exception:  # noqa: BLE001 - the network or the Bot API; tried again soon
                log.warning("Telegram: polling could not start; trying again in %.0f s", every,
                            exc_info=True)
                return every
            polling = True
        elif not held and polling:
            await stop_polling()
            polling = False
        return every

    async def on_stop() -> None:
        if polling:
            await stop_polling()

    return step, on_stop


async def poll_telegram(services, app, owner: str, stop: asyncio.Event,
                        every: float = POLL_RENEW) -> None:
    """Telegram long polling by one process at a time, the lease given back on a graceful stop.
    While the database is down the updater keeps polling: questions are answered from memory."""
    poller = LeasePoller(services.db, f"poll:telegram:{app.bot.id}", owner,
                         services.conversation.now, POLL_LEASE)
    step, on_stop = telegram_step(
        lambda: app.updater.start_polling(allowed_updates=Update.ALL_TYPES), app.updater.stop, every)
    await poller.run(stop, step, on_stop)


async def _ticks(services, dispatcher, stop: asyncio.Event, tick: timedelta, zalo=None) -> None:
    """Plan reminders and send the ledger every tick, and try again the Zalo updates whose handling
    failed. A failing cycle does not stop the next: a database outage is logged once, and the cycle
    is tried again sooner (1 s, doubling up to the tick) until the database is back."""
    from bot.delivery.tick import run_cycle

    outage = Outage("the reminder and delivery tick", log, longest=tick.total_seconds())
    recovered = False
    while not stop.is_set():
        wait = tick.total_seconds()
        try:
            if not recovered:  # rows a stopped process left claimed
                await asyncio.to_thread(dispatcher.recover)
                recovered = True
            await run_cycle(services, dispatcher)
            if zalo is not None:
                await zalo.recover()
            outage.ok()
        except Exception as exc:  # noqa: BLE001 - logged once per outage; the next tick tries again
            wait = min(wait, outage.failed(exc))
        await sleep_or_stop(stop, wait)


class ChannelRejected(Exception):
    """A channel refused the bot's token, or the configured mode would harm another deployment: waiting will
    not help (exit code 2)."""


class ChannelUnreachable(Exception):
    """A channel's API did not answer within the configured number of tries (exit code 1)."""


def run(services) -> int:
    """Run until stopped. A rejected token is one line (no traceback: a library's text may hold the token)."""
    from telegram.error import InvalidToken

    from handlers.telegram_start import BotApiUnreachable, TokenRejected, wait_for_bot_api
    from handlers.zalo_api import ZaloUnauthorized

    settings = services.settings
    try:
        if settings.telegram_token:
            wait_for_bot_api(settings)
        asyncio.run(serve(services))
    except (TokenRejected, InvalidToken):
        raise ChannelRejected(TOKEN_REJECTED) from None
    except BotApiUnreachable as exc:
        raise ChannelUnreachable(str(exc)) from None
    except ZaloUnauthorized:
        raise ChannelRejected("Zalo rejected the bot token; check ZALO_BOT_TOKEN") from None
    except ZaloStartFailed as exc:
        raise ChannelUnreachable(str(exc)) from None
    except ZaloModeRefused as exc:
        raise ChannelRejected(str(exc)) from None
    return 0
