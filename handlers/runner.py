"""`python -m bot run`: every channel whose token is set, in one process, on one database and one
delivery ledger, with one HTTP server for the webhooks and /healthz."""

from __future__ import annotations

import asyncio
import logging
import signal
from datetime import timedelta

import uvicorn

from bot.app import metrics
from bot.delivery.tick import make_dispatcher, run_cycle
from handlers.channels import Channel, ChannelRejected, ChannelUnreachable, Runtime, configured
from handlers.http import build_app, ops_routes
from handlers.web import build_web
from handlers.zalo import sleep_or_stop
from storage import ledger

log = logging.getLogger(__name__)
TICK = timedelta(seconds=60)
__all__ = ["ChannelRejected", "ChannelUnreachable", "poll_with_lease", "run", "serve"]


async def serve(services, stop: asyncio.Event | None = None, tick: timedelta = TICK) -> None:
    """Start every configured channel (from the registry), the HTTP server and the tick; run until stopped."""
    settings = services.settings
    stop = stop or asyncio.Event()
    dispatcher = make_dispatcher(services)
    metrics.forget_beats()
    rt = Runtime(services, dispatcher, lambda: run_cycle(services, dispatcher),
                 lambda start, stop_polling, name, until: poll_with_lease(
                     start, stop_polling,
                     lambda: _standby_beat(name.split(":")[1] if ":" in name else name,
                                           asyncio.to_thread(_lease, services, name, dispatcher.owner)),
                     until))
    running: list[Channel] = []
    routes: list = []
    try:
        for spec in configured(settings):
            channel = spec.build(rt)
            dispatcher.channels[channel.name] = channel.sender  # before start: stored updates may be answered then
            routes.extend(await channel.start())
            running.append(channel)
        await _run(services, rt, running, routes, stop, tick)
    finally:
        for channel in reversed(running):
            await channel.stop()


async def _run(services, rt: Runtime, running: list[Channel], routes: list, stop: asyncio.Event, tick: timedelta) -> None:
    settings = services.settings
    enabled = [c.name for c in running]
    services.conversation.channels = tuple(enabled)
    services.conversation.channel_labels = {c.name: c.label for c in running}
    loops = {c.name: c.loops() for c in running}
    receiving = {name: "polling" if found else "webhook" for name, found in loops.items()}  # for /readyz
    for name, how in receiving.items():
        if how == "webhook":
            metrics.beat(name, "webhook")
    routes.append(build_web(services))  # the web console shares the server with the webhooks
    owner = rt.dispatcher.owner
    app = build_app(routes, ops_routes(services, lambda: receiving, owner, lambda: {"channels": enabled}))
    server = uvicorn.Server(uvicorn.Config(app, host=settings.host, port=settings.port, log_level="warning",
                                           access_log=False, lifespan="off"))
    server.install_signal_handlers = lambda: None  # this function handles the signals
    tasks = [asyncio.create_task(server.serve(), name="http"),
             asyncio.create_task(_ticks(services, rt.dispatcher, stop, tick, running), name="tick")]
    tasks += [asyncio.create_task(loop(stop), name=f"{name}-receive") for name, ls in loops.items() for loop in ls]
    loop_ = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop_.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):
            pass
    log.info("running: %s; HTTP on %s port %s", ", ".join(enabled) or "no channel", settings.host, settings.port)
    stopper = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait([stopper, *tasks], return_when=asyncio.FIRST_COMPLETED)
    stop.set()
    server.should_exit = True
    for task in tasks:
        if task not in done:
            task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for task in done:
        if task is not stopper and task.exception() is not None:
            raise task.exception()


POLL_LEASE = timedelta(seconds=60)
POLL_RENEW = 20.0  # seconds between two renewals of the polling lease


async def _standby_beat(channel: str, held) -> bool:
    """The polling lease's answer; standing by while another process polls is this one's sign of life."""
    if not await held:
        metrics.beat(channel, "standby")
        return False
    return True


def _lease(services, name: str, owner: str) -> bool:
    with services.db.session() as s:
        return ledger.acquire_lease(s, name, owner, services.conversation.now(), POLL_LEASE)


async def poll_with_lease(start, stop_polling, acquire, stop: asyncio.Event, every: float = POLL_RENEW) -> None:
    """Long polling by one process at a time: poll while this process holds the lease (renewed every
    ``every`` seconds), stand by while another one does, and take over when its lease lapses."""
    polling = False
    try:
        while not stop.is_set():
            held = await acquire()
            if held and not polling:
                await start()
                polling = True
            elif not held and polling:  # another process took over (this one was stalled past the lease)
                await stop_polling()
                polling = False
            await sleep_or_stop(stop, every)
    finally:
        if polling:
            await stop_polling()


async def _ticks(services, dispatcher, stop: asyncio.Event, tick: timedelta, channels: list[Channel]) -> None:
    """Plan reminders and send the ledger every tick, and let each channel try again the updates whose
    handling failed; one failing cycle does not stop the next."""
    await asyncio.to_thread(dispatcher.recover)
    while not stop.is_set():
        try:
            await run_cycle(services, dispatcher)
            for channel in channels:
                await channel.recover()
        except Exception:  # noqa: BLE001 - logged; the next tick tries again
            log.exception("reminder cycle failed")
        await sleep_or_stop(stop, tick.total_seconds())


def run(services) -> int:
    """Run until stopped. A rejected token is one line (no traceback: a library's text may hold the token)."""
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
