"""What a flow, a planner or a channel reads from the running application: the knowledge base, the
translations, the clock and time zone, the database, the settings and the channels messages can go
to.

:class:`~bot.core.dispatch.Conversation` extends it with the dispatch of updates; everything below
the dispatcher takes a :class:`Context`, so nothing imports the dispatcher back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.app.config import Settings
from bot.app.i18n import Translations, Translator
from bot.core.knowledge import KnowledgeService
from storage.db import Database, Session
from storage.directory import people


class Context:
    def __init__(
        self,
        knowledge: KnowledgeService,
        translations: Translations,
        timezone: str = "Asia/Ho_Chi_Minh",
        clock: Callable[[], datetime] | None = None,
        *,
        db: Database,
        settings: Settings | None = None,
    ):
        self.knowledge = knowledge
        self.translations = translations
        self.tz = ZoneInfo(timezone)
        self.clock = clock or (lambda: datetime.now(self.tz))
        self.db = db
        self.settings = settings or Settings()
        self.channels: tuple[str, ...] = (
            "telegram",
            "zalo",
            "terminal",
        )  # where messages can go; set at start
        self.channel_labels: dict[
            str, str
        ] = {}  # how people call each channel, supplied by the channel at start

    # --- time and language ---------------------------------------------------------------------
    def now(self) -> datetime:
        return self.clock().astimezone(self.tz)

    def today(self) -> date:
        return self.now().date()

    def channel_label(self, channel: str) -> str:
        """A channel's own name for itself ("Telegram"), for texts that speak of it."""
        return self.channel_labels.get(channel) or channel.capitalize()

    def translator(self, lang: str | None) -> Translator:
        return self.translations.get(lang)

    @staticmethod
    def stored_language(s: Session, user_id: int | None) -> str | None:
        user = people.get_user(s, user_id) if user_id is not None else None
        return (user.language or user.app_language) if user else None
