"""Builds the application's parts in one place at start, and releases them at shutdown."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.config import Settings
from bot.core import Conversation
from bot.i18n import Translations
from bot.knowledge import KnowledgeService
from storage.db import Database, database_url


@dataclass
class Services:
    settings: Settings
    db: Database
    knowledge: KnowledgeService
    translations: Translations
    conversation: Conversation

    def close(self) -> None:
        self.db.dispose()


def build_services(settings: Settings, load_kb: bool = True, clock=None) -> Services:
    db = Database(database_url(settings.database_url, settings.data_dir))
    db.migrate()
    knowledge = KnowledgeService(db, settings.kb_dir)
    if load_kb:
        knowledge.start()
    translations = Translations()
    conversation = Conversation(knowledge, translations, settings.timezone, clock=clock, db=db, settings=settings)
    return Services(settings, db, knowledge, translations, conversation)


class RedactSecrets(logging.Filter):
    """Replaces the bot token in every log record, wherever a library might print it."""

    def __init__(self, *secrets: str | None):
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            message = record.getMessage()
            if any(s in message for s in self.secrets):
                for s in self.secrets:
                    message = message.replace(s, "***")
                record.msg, record.args = message, ()
        return True


def setup_logging(level: str, *secrets: str | None) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactSecrets(*secrets))
    # httpx logs request URLs, and Bot API URLs carry the token
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
