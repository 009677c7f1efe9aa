"""The Telegram channel: builds the python-telegram-bot application around the shared services."""

from __future__ import annotations

import logging

from telegram import BotCommand, Update
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes

import handlers
from bot.core import COMMANDS
from bot.i18n import LANGUAGES
from handlers.telegram import AppContext, BotData

log = logging.getLogger(__name__)


def api_urls(base: str) -> tuple[str, str]:
    """TELEGRAM_API_BASE_URL may be the server root or already end in /bot."""
    root = base.rstrip("/")
    if root.endswith("/bot"):
        root = root[: -len("/bot")]
    return f"{root}/bot", f"{root}/file/bot"


def build_application(services, rate_limiter: bool = True) -> Application:
    settings = services.settings
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_token)
        .context_types(ContextTypes(context=AppContext, bot_data=BotData))
        .post_init(_post_init)
    )
    if settings.api_base_url:
        base, files = api_urls(settings.api_base_url)
        builder = builder.base_url(base).base_file_url(files)
    if rate_limiter:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
    app = builder.build()
    app.bot_data.services = services
    handlers.register(app)
    return app


async def _post_init(app: Application) -> None:
    services = app.bot_data.services
    for lang in LANGUAGES:
        tr = services.translations.get(lang)
        commands = [BotCommand(name, tr.gettext(desc)[:256]) for name, desc in COMMANDS]
        # Vietnamese is also the default for users whose app language has no list of its own
        await app.bot.set_my_commands(commands, language_code=None if lang == "vi" else lang)
        if lang == "vi":
            await app.bot.set_my_commands(commands, language_code="vi")


def run_telegram(services) -> None:
    app = build_application(services)
    settings = services.settings
    if settings.webhook_url:
        log.info("starting in webhook mode on port %s", settings.port)
        app.run_webhook(listen="0.0.0.0", port=settings.port, url_path="telegram", webhook_url=settings.webhook_url.rstrip("/") + "/telegram",
                        allowed_updates=Update.ALL_TYPES)
    else:
        log.info("starting in long-polling mode")
        app.run_polling(allowed_updates=Update.ALL_TYPES)
