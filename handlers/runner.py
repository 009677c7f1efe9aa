"""`python -m bot run`: every channel whose token is set, in one process, on one database and one
delivery ledger, with one HTTP server for the webhooks and /healthz."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Iterator
from datetime import timedelta

import uvicorn
from starlette.applications import Starlette

from bot.app import metrics
from bot.app.services import Services
from bot.delivery.tick import make_dispatcher, run_cycle
from bot.delivery.worker import Dispatcher
from handlers.channels import (
    Channel,
    ChannelRejected,
    ChannelUnreachable,
    Loop,
    Runtime,
    configured,
)
from handlers.http import build_app, ops_routes
from handlers.polling import LeasePoller, sleep_or_stop
from handlers.web import build_web
from storage.db import Outage

log = logging.getLogger(__name__)
TICK = timedelta(seconds=60)
STOP_GRACE = (
    15.0  # seconds the pollers get, on a stop, to store what they hold and give back leases
)
__all__ = [
    "ChannelRejected",
    "ChannelUnreachable",
    "poll_with_lease",
    "run",
    "serve",
    "telegram_step",
]


async def serve(
    services: Services, stop: asyncio.Event | None = None, tick: timedelta = TICK
) -> None:
    """Start every configured channel (from the registry), the HTTP server and the tick; run
    until stopped."""
    settings = services.settings
    Outage.configure(settings.outage_retry_max)
    stop = stop or asyncio.Event()
    dispatcher = make_dispatcher(services)
    metrics.forget_beats()
    owner = dispatcher.owner
    rt = Runtime(
        services,
        dispatcher,
        lambda: run_cycle(services, dispatcher),
        lambda start, stop_polling, name, until: poll_with_lease(
            services, name, owner, start, stop_polling, until
        ),
    )
    running: list[Channel] = []
    routes: list = []
    try:
        for spec in configured(settings):
            channel = spec.build(rt)
            dispatcher.channels[channel.name] = (
                channel.sender
            )  # before start: stored updates may be answered then
            routes.extend(await channel.start())
            running.append(channel)
        await _run(services, rt, running, routes, stop, tick)
    finally:
        for channel in reversed(running):
            await channel.stop()


async def _run(
    services: Services,
    rt: Runtime,
    running: list[Channel],
    routes: list,
    stop: asyncio.Event,
    tick: timedelta,
) -> None:
    settings = services.settings
    enabled = [c.name for c in running]
    services.conversation.channels = tuple(enabled)
    services.conversation.channel_labels = {c.name: c.label for c in running}
    loops = {c.name: c.loops() for c in running}
    receiving = {
        name: "polling" if found else "webhook" for name, found in loops.items()
    }  # for /readyz
    for name, how in receiving.items():
        if how == "webhook":
            metrics.beat(name, "webhook")
    routes.append(build_web(services))  # the web console shares the server with the webhooks
    app = build_app(
        routes,
        ops_routes(
            services, lambda: receiving, rt.dispatcher.owner, lambda: {"channels": enabled}
        ),
    )
    server = _server(app, settings.host, settings.port)
    tasks = [
        asyncio.create_task(server.serve(), name="http"),
        asyncio.create_task(_ticks(services, rt.dispatcher, stop, tick, running), name="tick"),
    ]
    tasks += [
        asyncio.create_task(_receive(loop, stop), name=f"{name}-receive")
        for name, ls in loops.items()
        for loop in ls
    ]
    _stop_on_signals(stop)
    log.info(
        "running: %s; HTTP on %s port %s",
        ", ".join(enabled) or "no channel",
        settings.host,
        settings.port,
    )
    await _until_stopped(server, tasks, stop)


def _server(app: Starlette, host: str, port: int) -> QuietServer:
    return QuietServer(
        uvicorn.Config(
            app, host=host, port=port, log_level="warning", access_log=False, lifespan="off"
        )
    )


def _stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):
            pass


async def _until_stopped(
    server: QuietServer, tasks: list[asyncio.Task], stop: asyncio.Event
) -> None:
    """Runs until a stop (or a task ends), then stops the rest: the receive loops first, given
    STOP_GRACE to store what they hold and give their leases back; a task's failure is raised."""
    stopper = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait([stopper, *tasks], return_when=asyncio.FIRST_COMPLETED)
    stop.set()
    server.should_exit = True
    polling = [t for t in tasks if t.get_name().endswith("-receive") and t not in done]
    if polling:  # they store what they hold and give their leases back
        await asyncio.wait(polling, timeout=STOP_GRACE)
    for task in tasks:
        if task not in done:
            task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for finished in done:
        failure = finished.exception() if finished is not stopper else None
        if failure is not None:
            raise failure


class QuietServer(uvicorn.Server):
    """uvicorn's server without its own signal handlers: the runner's handle SIGINT and SIGTERM
    (the receive loops store what they hold and give back their leases before HTTP stops).

    uvicorn installs its handlers in ``capture_signals`` around ``serve`` (with ``signal.signal``,
    replacing the event loop's); the ``install_signal_handlers`` this runner used to replace is
    gone.
    """

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


async def _receive(loop: Loop, stop: asyncio.Event) -> None:
    """A channel's receive loop as a coroutine (``create_task`` takes no other awaitable)."""
    await loop(stop)


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
                log.warning(
                    "Telegram: polling could not start; trying again in %.0f s",
                    every,
                    exc_info=True,
                )
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


async def poll_with_lease(
    services: Services,
    name: str,
    owner: str,
    start,
    stop_polling,
    stop: asyncio.Event,
    every: float = POLL_RENEW,
) -> None:
    """Long polling by a library that polls by itself (python-telegram-bot's updater), by one
    process at a time: the lease ``name`` is renewed every ``every`` seconds and given back on a
    graceful stop. While the database is down the updater keeps polling: questions are answered
    from memory.
    """
    channel = name.split(":")[1] if ":" in name else name
    poller = LeasePoller(services.db, name, owner, services.conversation.now, POLL_LEASE)
    step, on_stop = telegram_step(start, stop_polling, every)

    async def beating(held: bool) -> float:
        if (
            not held
        ):  # standing by while another process polls is this one's sign of life (/readyz);
            metrics.beat(
                channel, "standby"
            )  # a poll that is answered beats in the library's request
        return await step(held)

    await poller.run(stop, beating, on_stop)


async def _ticks(
    services: Services,
    dispatcher: Dispatcher,
    stop: asyncio.Event,
    tick: timedelta,
    channels: list[Channel],
) -> None:
    """Plan reminders and send the ledger every tick, and let each channel try again the updates
    whose handling failed. A failing cycle does not stop the next: a database outage is logged
    once, and the cycle is tried again sooner (1 s, doubling up to the tick) until the database
    is back."""
    outage = Outage("the reminder and delivery tick", log, longest=tick.total_seconds())
    recovered = False
    while not stop.is_set():
        wait = tick.total_seconds()
        try:
            if not recovered:  # rows a stopped process left claimed
                await asyncio.to_thread(dispatcher.recover)
                recovered = True
            await run_cycle(services, dispatcher)
            for channel in channels:
                await channel.recover()
            outage.ok()
        except Exception as exc:  # noqa: BLE001 - logged once per outage; the next tick tries again
            wait = min(wait, outage.failed(exc))
        await sleep_or_stop(stop, wait)


def run(services: Services) -> int:
    """Run until stopped. A rejected token is one line (no traceback: a library's text may hold
    the token)."""
    specs = configured(services.settings)
    try:
        for spec in specs:
            if spec.check is not None:
                spec.check(services.settings)
        asyncio.run(serve(services))
    except Exception as exc:
        for spec in specs:
            mapped = spec.errors(exc)
            if mapped is not None:
                raise mapped from None
        raise
    return 0
