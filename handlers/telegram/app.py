"""The Telegram channel: builds the python-telegram-bot application around the shared services."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from telegram import BotCommand
from telegram.error import InvalidToken
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot.app import metrics
from bot.app.i18n import LANGUAGES
from bot.app.services import Services
from bot.core.menu import COMMANDS
from bot.delivery.tick import make_dispatcher, run_cycle
from bot.delivery.worker import Dispatcher
from handlers.telegram.adapter import (
    AppContext,
    BotData,
    on_callback,
    on_error,
    on_message,
    on_migrate,
    on_my_chat_member,
)
from handlers.telegram.sender import LedgerRequest, TelegramChannel, rate_limiter

log = logging.getLogger(__name__)
TICK = timedelta(seconds=60)


def api_urls(base: str) -> tuple[str, str]:
    """TELEGRAM_API_BASE_URL may be the server root or already end in /bot."""
    root = base.rstrip("/")
    if root.endswith("/bot"):
        root = root[: -len("/bot")]
    return f"{root}/bot", f"{root}/file/bot"


def build_application(
    services: Services,
    tick: timedelta | None = TICK,
    dispatcher: Dispatcher | None = None,
    webhook: bool = False,
) -> Application:
    """The bot, its handlers, and (unless ``tick`` is None) the reminder job every ``tick``.

    With a ``dispatcher`` (shared by every channel of the process) the ledger is sent through it;
    in webhook mode the application gets no updater: the HTTP server puts updates on its queue.
    """
    settings = services.settings
    if not settings.telegram_token:  # what python-telegram-bot's Bot raises for a missing token
        raise InvalidToken("TELEGRAM_BOT_TOKEN is not set")
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_token)
        .context_types(ContextTypes(context=AppContext, bot_data=BotData))
        .post_init(_post_init)
        .request(LedgerRequest(connection_pool_size=64))
        .rate_limiter(rate_limiter())
    )
    if webhook:
        builder = builder.updater(None)
    else:
        builder = builder.get_updates_request(PollRequest())
    if settings.api_base_url:
        base, files = api_urls(settings.api_base_url)
        builder = builder.base_url(base).base_file_url(files)
    app = builder.build()
    if dispatcher is None:
        dispatcher = make_dispatcher(services, {"telegram": TelegramChannel(app.bot)})
    else:
        dispatcher.channels["telegram"] = TelegramChannel(app.bot)
    app.bot_data.services = services
    app.bot_data.dispatcher = dispatcher
    app.bot_data.cycle = lambda: run_cycle(services, dispatcher)
    register(app)
    if tick is not None:
        if app.job_queue is None:  # python-telegram-bot without its "job-queue" extra
            raise RuntimeError(
                "python-telegram-bot's job queue is missing: install"
                " python-telegram-bot[job-queue]"
            )
        app.job_queue.run_repeating(
            _tick_job, interval=tick, first=min(tick, timedelta(seconds=5)), name="reminders"
        )
    return app


def register(app: Application) -> None:
    """The Telegram handlers, registered in one list, in order."""
    # a redelivered update is recognised by the core, inside the transaction that handles it
    app.add_handler(ChatMemberHandler(on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, on_migrate))
    app.add_handler(CallbackQueryHandler(on_callback))
    # every text, command, caption, document and photo (edited ones too) goes to the core;
    # channel posts are not matched and so are ignored
    app.add_handler(
        MessageHandler(
            (filters.TEXT | filters.CAPTION | filters.Document.ALL | filters.PHOTO)
            & (filters.UpdateType.MESSAGE | filters.UpdateType.EDITED_MESSAGE),
            on_message,
        )
    )
    app.add_error_handler(on_error)


class PollRequest(HTTPXRequest):
    """getUpdates' HTTP layer: each answered long poll is the channel's sign of life for
    /readyz."""

    async def do_request(self, *args, **kwargs):
        result = await super().do_request(*args, **kwargs)
        metrics.beat("telegram", "polling")
        return result


async def _tick_job(context: AppContext) -> None:
    cycle = context.bot_data.cycle
    if cycle is not None:  # set with the application, before the job is scheduled
        await cycle()


async def _post_init(app: Application) -> None:
    services = app.bot_data.services
    app.bot_data.bot_id = str(app.bot.id)
    for lang in LANGUAGES:
        tr = services.translations.get(lang)
        commands = [BotCommand(name, tr.gettext(desc)[:256]) for name, desc in COMMANDS]
        await app.bot.set_my_commands(commands, language_code=lang)
        if lang == "vi":  # also the default for users whose app language has no list of its own
            await app.bot.set_my_commands(commands)
    await asyncio.to_thread(app.bot_data.dispatcher.recover)
