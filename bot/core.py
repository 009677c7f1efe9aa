"""The channel-independent conversation core: an incoming message in, a reply out.

Channels (the terminal chat, Telegram, later Zalo) translate their own updates into
:class:`Incoming` and render :class:`Reply`; nothing here knows about any of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from kb.answers import Answer

from bot.i18n import Translations, Translator
from bot.knowledge import ActiveKb, KnowledgeService
from bot.render import render, to_json

PICK_PREFIX = "pick:"


@dataclass(frozen=True)
class Incoming:
    text: str
    channel: str = "terminal"
    chat_id: int = 0
    user_id: int | None = None
    lang: str | None = None
    as_agency: str | None = None
    today: date | None = None


@dataclass(frozen=True)
class Button:
    label: str
    data: str


@dataclass
class Reply:
    text: str
    buttons: list[list[Button]] = field(default_factory=list)
    answer: Answer | None = None
    json: dict | None = None


class Conversation:
    def __init__(self, knowledge: KnowledgeService, translations: Translations, timezone: str = "Asia/Ho_Chi_Minh",
                 clock: Callable[[], datetime] | None = None):
        self.knowledge = knowledge
        self.translations = translations
        self.tz = ZoneInfo(timezone)
        self.clock = clock or (lambda: datetime.now(self.tz))
        self._pending: dict[tuple[str, int], list[str]] = {}

    def today(self) -> date:
        return self.clock().astimezone(self.tz).date()

    def translator(self, lang: str | None) -> Translator:
        return self.translations.get(lang)

    def ask(self, msg: Incoming) -> Reply:
        """Answer a question with the engine, from one snapshot of the knowledge base."""
        active: ActiveKb = self.knowledge.current
        tr = self.translator(msg.lang)
        answer = active.engine.answer(msg.text, as_agency=msg.as_agency, today=msg.today or self.today())
        agencies = dict(active.kb.agencies)
        text = render(answer, tr, agencies)
        reply = Reply(text=text, answer=answer, json=to_json(answer, text, agencies))
        if answer.choices:
            self._pending[(msg.channel, msg.chat_id)] = [c.query for c in answer.choices]
            reply.buttons = [[Button(c.label[:60], f"{PICK_PREFIX}{i}")] for i, c in enumerate(answer.choices)]
        return reply

    def pick(self, msg: Incoming, data: str) -> Reply:
        """A clarifying choice was pressed (or typed as its number)."""
        queries = self._pending.get((msg.channel, msg.chat_id))
        try:
            i = int(data[len(PICK_PREFIX):])
        except ValueError:
            i = -1
        if not queries or not 0 <= i < len(queries):
            tr = self.translator(msg.lang)
            return Reply(tr.gettext("That choice has expired; please ask your question again."))
        del self._pending[(msg.channel, msg.chat_id)]
        return self.ask(Incoming(queries[i], msg.channel, msg.chat_id, msg.user_id, msg.lang, msg.as_agency, msg.today))

    def handle(self, msg: Incoming) -> Reply:
        text = (msg.text or "").strip()
        pending = self._pending.get((msg.channel, msg.chat_id))
        if pending and text.isdigit() and 1 <= int(text) <= len(pending):
            return self.pick(msg, f"{PICK_PREFIX}{int(text) - 1}")
        return self.ask(msg)
