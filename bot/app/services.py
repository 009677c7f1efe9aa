"""Builds the application's parts in one place at start, and releases them at shutdown."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.app.config import Settings
from bot.app.i18n import Translations
from bot.app.redact import Redactor, RedactSecrets, install
from bot.core.access import ensure_configured_admins
from bot.core.dispatch import Conversation
from bot.core.knowledge import KnowledgeService
from storage.db import Database, database_url

__all__ = ["RedactSecrets", "Services", "build_services", "setup_logging"]


@dataclass
class Services:
    settings: Settings
    db: Database
    knowledge: KnowledgeService
    translations: Translations
    conversation: Conversation

    def close(self) -> None:
        self.db.dispose()


def build_services(
    settings: Settings, load_kb: bool = True, clock: Callable[[], datetime] | None = None
) -> Services:
    db = Database(
        database_url(settings.database_url, settings.data_dir),
        hide_parameters=not settings.log_personal_data,
    )
    db.migrate()
    knowledge = KnowledgeService(db, settings.kb_dir)
    if load_kb:
        knowledge.start()
    translations = Translations()
    conversation = Conversation(
        knowledge, translations, settings.timezone, clock=clock, db=db, settings=settings
    )
    with (
        db.session() as s
    ):  # requests and notices reach a configured admin before they first write
        ensure_configured_admins(s, settings)
    return Services(settings, db, knowledge, translations, conversation)


LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(
    level: str, *secrets: str | None, personal_data: bool = False, json_lines: bool = False
) -> Redactor:
    """Logging for the whole process, with every secret masked in every output (see
    bot/app/redact.py); people's texts and names stay out of it unless ``personal_data``
    (PGI_LOG_PERSONAL_DATA=1); ``json_lines`` (LOG_FORMAT=json) writes one JSON object a line.
    """
    redactor = Redactor(secrets)
    install(redactor, LOG_FORMAT, level, personal_data, json_lines)
    # httpx logs request URLs, and Bot API URLs carry the token
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    return redactor
