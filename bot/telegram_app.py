"""The Telegram channel: builds the python-telegram-bot application around the shared services."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from telegram import BotCommand, Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes

import handlers
from bot import focal, reminders
from bot.core import COMMANDS
from bot.delivery import Dispatcher
from bot.i18n import LANGUAGES
from handlers.telegram import AppContext, BotData
from handlers.telegram_sender import LedgerRequest, TelegramChannel, rate_limiter

log = logging.getLogger(__name__)
TICK = timedelta(seconds=60)


def api_urls(base: str) -> tuple[str, str]:
    """TELEGRAM_API_BASE_URL may be the server root or already end in /bot."""
    root = base.rstrip("/")
    if root.endswith("/bot"):
        root = root[: -len("/bot")]
    return f"{root}/bot", f"{root}/file/bot"


def build_application(services, tick: timedelta | None = TICK) -> Application:
    """The bot, its handlers, and (unless ``tick`` is None) the reminder job every ``tick``."""
    settings = services.settings
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_token)
        .context_types(ContextTypes(context=AppContext, bot_data=BotData))
        .post_init(_post_init)
        .request(LedgerRequest(connection_pool_size=64))
        .rate_limiter(rate_limiter())
    )
    if settings.api_base_url:
        base, files = api_urls(settings.api_base_url)
        builder = builder.base_url(base).base_file_url(files)
    app = builder.build()
    conv = services.conversation
    dispatcher = Dispatcher(
        services.db, TelegramChannel(app.bot), conv.now,
        on_gone=lambda row, reason, removed: _gone(conv, row, reason, removed),
        on_broadcast_done=lambda bid: focal.broadcast_report(conv, bid),
        lease=timedelta(seconds=settings.delivery_lease),
    )
    app.bot_data.services = services
    app.bot_data.dispatcher = dispatcher
    app.bot_data.cycle = lambda: run_cycle(services, dispatcher)
    handlers.register(app)
    if tick is not None:
        app.job_queue.run_repeating(_tick_job, interval=tick, first=min(tick, timedelta(seconds=5)), name="reminders")
    return app


def _gone(conv, row, reason: str, removed: list) -> None:
    if removed:  # a bound group removed or blocked the bot (a person blocking it needs no notice)
        reminders.notice_gone(conv, row.chat_id, removed[0].agency_name, reason, conv.today())


async def run_cycle(services, dispatcher: Dispatcher):
    """Write what is due into the ledger, then send everything pending."""
    conv = services.conversation
    written = 0
    try:  # what is already in the ledger is sent even when planning or pruning fails
        written = await asyncio.to_thread(reminders.plan, conv, conv.now())
        await asyncio.to_thread(_prune, services, conv.now())
    except Exception:  # noqa: BLE001 - logged; the next tick tries again
        log.exception("planning the reminders failed; sending what is already due")
    stats = await dispatcher.drain()
    if written or stats.sent or stats.failed or stats.gone:
        log.info("reminder cycle: %d new, %d sent, %d retried, %d failed, %d removed", written, stats.sent, stats.retried,
                 stats.failed, stats.gone)
    return stats


def _prune(services, now) -> None:
    """Redelivered updates come within minutes; ids older than a week are no longer needed."""
    from storage import dialogs

    with services.db.session() as s:
        dialogs.prune_processed(s, now - timedelta(days=7))


async def _tick_job(context: AppContext) -> None:
    await context.bot_data.cycle()


async def _post_init(app: Application) -> None:
    services = app.bot_data.services
    for lang in LANGUAGES:
        tr = services.translations.get(lang)
        commands = [BotCommand(name, tr.gettext(desc)[:256]) for name, desc in COMMANDS]
        await app.bot.set_my_commands(commands, language_code=lang)
        if lang == "vi":  # also the default for users whose app language has no list of its own
            await app.bot.set_my_commands(commands)
    await asyncio.to_thread(app.bot_data.dispatcher.recover)


def run_telegram(services) -> None:
    """Run until stopped; raises TokenRejected or BotApiUnreachable (bot/telegram_start.py) instead of starting."""
    from telegram.error import InvalidToken

    from bot.telegram_start import TokenRejected, wait_for_bot_api

    settings = services.settings
    wait_for_bot_api(settings)
    app = build_application(services)
    try:
        _run(app, settings)
    except InvalidToken:
        raise TokenRejected() from None  # revoked between the check and the start


def _run(app: Application, settings) -> None:
    if settings.webhook_url:
        log.info("starting in webhook mode on port %s", settings.port)
        app.run_webhook(listen="0.0.0.0", port=settings.port, url_path="telegram",
                        webhook_url=settings.webhook_url.rstrip("/") + "/telegram", allowed_updates=Update.ALL_TYPES)
    else:
        log.info("starting in long-polling mode")
        app.run_polling(allowed_updates=Update.ALL_TYPES)
