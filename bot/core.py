"""The channel-independent conversation core: an incoming message in, a reply out.

Channels (the terminal chat, Telegram, later Zalo) translate their own updates into
:class:`Incoming` and render :class:`Reply`; nothing here knows about any of them. Multi-step
flows (sign-up, progress updates) keep their state in storage, so a restart loses nothing.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.i18n import N_, Translations, Translator, pick_language
from bot.knowledge import ActiveKb, KnowledgeService
from bot.render import render, to_json
from kb.answers import Answer

log = logging.getLogger(__name__)

PICK_PREFIX = "pick:"
STORAGE_LOG_EVERY = 900  # seconds between two log lines about the same database failure
MAX_PENDING_CHOICES = 10_000  # open clarifying questions kept in memory, one per chat
_COMMAND = re.compile(r"^/([A-Za-z_]+)(?:@\w+)?(?:\s+(.*))?$", re.S)

# (command, description) for the command menu, in menu order; descriptions go through gettext.
COMMANDS: list[tuple[str, str]] = [
    ("start", N_("Start and sign up")),
    ("help", N_("What I can answer")),
    ("chiso", N_("My indicators")),
    ("hanchot", N_("My deadlines")),
    ("capnhat", N_("Post a progress update")),
    ("tiendo", N_("Progress of my indicators")),
    ("diem", N_("PGI scores and targets")),
    ("nhiemvu", N_("My tasks in the plan")),
    ("dangky", N_("Sign up (or bind a group) to an agency")),
    ("ngonngu", N_("Language: Tiếng Việt / English")),
    ("themhan", N_("Focal department: add a deadline")),
    ("dshan", N_("Focal department: list, edit or cancel deadlines")),
    ("thongbao", N_("Focal department: broadcast to agency groups")),
]


@dataclass(frozen=True)
class Attachment:
    kind: str  # "document" | "photo"
    file_id: str
    file_name: str
    mime_type: str | None = None
    size: int | None = None


@dataclass(frozen=True)
class Incoming:
    text: str
    channel: str = "terminal"
    chat_id: int = 0
    user_id: int | None = None
    lang: str | None = None  # language fixed by the caller (CLI); otherwise chosen from the user
    as_agency: str | None = None  # agency to answer "tôi" questions for, when the caller fixes it
    today: date | None = None
    chat_type: str = "private"  # "private" | "group"
    chat_title: str = ""
    user_name: str = ""
    username: str | None = None
    language_code: str | None = None  # what the channel says the user's app language is
    callback: str | None = None  # data of a pressed button
    attachment: Attachment | None = None
    is_group_admin: bool = False  # the sender administers this group chat
    edited: bool = False


@dataclass(frozen=True)
class Button:
    label: str
    data: str


@dataclass(frozen=True)
class Outgoing:
    """A message to another chat (an admin's, a member's), sent along with the reply."""

    chat_id: int
    text: str
    buttons: list[list[Button]] = field(default_factory=list)
    html: bool = False


@dataclass
class Reply:
    text: str
    buttons: list[list[Button]] = field(default_factory=list)
    answer: Answer | None = None
    json: dict | None = None
    html: bool = False  # text is HTML with every user-typed part escaped
    edit: bool = False  # replace the message whose button was pressed
    toast: str | None = None  # short notice for a pressed button
    outbox: list[Outgoing] = field(default_factory=list)
    silent: bool = False  # nothing to send (e.g. a group message not addressed to the bot)
    deliver_now: bool = False  # the delivery ledger has new rows: the channel should send them now


Handler = Callable[["Conversation", Incoming, Translator, str], Reply]


class Conversation:
    def __init__(self, knowledge: KnowledgeService, translations: Translations, timezone: str = "Asia/Ho_Chi_Minh",
                 clock: Callable[[], datetime] | None = None, db=None, settings: Settings | None = None):
        self.knowledge = knowledge
        self.translations = translations
        self.tz = ZoneInfo(timezone)
        self.clock = clock or (lambda: datetime.now(self.tz))
        self.db = db
        self.settings = settings or Settings()
        self._pending: dict[tuple[str, int], list[str]] = {}
        self._storage_logged: float | None = None  # when a database failure was last logged
        from bot import admin, focal, progress, signup  # the flows register their commands and buttons

        self.commands: dict[str, Handler] = {
            "start": signup.start, "dangky": signup.sign_up, "help": _help, "chiso": _my_indicators,
            "hanchot": _my_deadlines, "diem": _scores, "nhiemvu": _my_tasks, "ngonngu": _language,
            "capnhat": progress.command, "tiendo": progress.show, "reload": admin.reload, "kb": admin.show_kb,
            "capquyen": admin.grant, "choduyet": admin.pending, "themhan": focal.add_deadline, "dshan": focal.list_deadlines,
            "suahan": focal.edit_deadline, "huyhan": focal.cancel_deadline, "thongbao": focal.broadcast,
        }
        self.callbacks: dict[str, Callable[[Conversation, Incoming, Translator, list[str]], Reply]] = {
            "pick": _pick_callback, "lang": _language_callback, "su": signup.pick_agency, "adm": signup.decide,
            "pu": progress.callback, "au": focal.audience_button, "dl": focal.deadline_button, "bc": focal.broadcast_button,
            "rem": focal.reminder_button,
        }
        self.text_flows: dict[str, Callable[[Conversation, Incoming, Translator, dict], Reply | None]] = {
            "signup": signup.typed_agency, "progress": progress.typed, "focal": focal.typed,
        }

    # --- time and language ---------------------------------------------------------------------
    def now(self) -> datetime:
        return self.clock().astimezone(self.tz)

    def today(self) -> date:
        return self.now().date()

    def translator(self, lang: str | None) -> Translator:
        return self.translations.get(lang)

    def language_of(self, msg: Incoming) -> str:
        if msg.lang:
            return pick_language(msg.lang)
        stored = None
        if self.db is not None and msg.user_id is not None:
            from storage import people

            with self.db.session() as s:
                user = people.get_user(s, msg.user_id)
                stored = user.language if user else None
        return pick_language(stored, msg.language_code)

    # --- questions -----------------------------------------------------------------------------
    def ask(self, msg: Incoming, as_agency: str | None = None) -> Reply:
        """Answer a question with the engine, from one snapshot of the knowledge base."""
        active: ActiveKb = self.knowledge.current
        tr = self.translator(self.language_of(msg))
        answer = active.engine.answer(msg.text, as_agency=as_agency or msg.as_agency, today=msg.today or self.today())
        agencies = dict(active.kb.agencies)
        text = render(answer, tr, agencies)
        reply = Reply(text=text, answer=answer, json=to_json(answer, text, agencies))
        if answer.choices:
            if len(self._pending) >= MAX_PENDING_CHOICES:  # forget the oldest open question
                self._pending.pop(next(iter(self._pending)))
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
            tr = self.translator(self.language_of(msg))
            return Reply(tr.gettext("That choice has expired; please ask your question again."),
                         toast=tr.gettext("This button is no longer valid."))
        del self._pending[(msg.channel, msg.chat_id)]
        return self.ask(_with_text(msg, queries[i]), as_agency=self.member_agency_name(msg))

    def member_agency_name(self, msg: Incoming) -> str | None:
        """The agency a signed-up user belongs to, used for 'tôi / đơn vị mình' questions."""
        if msg.as_agency or self.db is None or msg.user_id is None:
            return msg.as_agency
        from bot.access import member_agency

        found = member_agency(self, msg.user_id)
        return found.name if found else None

    # --- dispatch ------------------------------------------------------------------------------
    def handle(self, msg: Incoming) -> Reply:
        """Answer one message. When the database cannot write (read-only, disk full, connection lost) the
        user is told that nothing was saved; questions, which only read, keep working."""
        from storage.db import failure_summary, unavailable

        try:
            reply = self._dispatch(msg)
        except Exception as exc:
            if not unavailable(exc):
                raise
            now = time.monotonic()
            if self._storage_logged is None or now - self._storage_logged > STORAGE_LOG_EVERY:
                # once per outage (or per quarter of an hour while it lasts), not once per message
                log.error("the database cannot be written to; updates are refused until it can (%s)", failure_summary(exc))
                self._storage_logged = now
            tr = self.translator(pick_language(msg.lang, msg.language_code))
            text = tr.gettext("Sorry, this was not saved: the database cannot be written to right now. "
                              "Please try again in a few minutes.")
            return Reply(text, toast=text[:190] if msg.callback is not None else None)
        return reply

    def _dispatch(self, msg: Incoming) -> Reply:
        lang = self.language_of(msg)
        tr = self.translator(lang)
        if msg.edited:
            return Reply(tr.gettext("I don't apply edited messages; send the corrected text as a new message."))
        if msg.callback is not None:
            head, *rest = msg.callback.split(":")
            handler = self.callbacks.get(head)
            if handler is None:
                return Reply("", toast=tr.gettext("This button is no longer valid."), silent=True)
            return handler(self, msg, tr, rest)
        text = (msg.text or "").strip()
        m = _COMMAND.match(text)
        if m:
            name, args = m.group(1).lower(), (m.group(2) or "").strip()
            handler_cmd = self.commands.get(name)
            if handler_cmd is None:
                return Reply(tr.gettext("Unknown command /{name}. Send /help to see what I can do.").format(name=name))
            return handler_cmd(self, msg, tr, args)
        if msg.user_id is not None and self.db is not None:
            from storage import dialogs

            with self.db.session() as s:
                state = dialogs.get_state(s, msg.chat_id, msg.user_id)
            if state is not None and state[0] in self.text_flows:
                reply = self.text_flows[state[0]](self, msg, tr, state[1])
                if reply is not None:
                    return reply
        from bot import progress  # the flow modules import this one

        if msg.attachment is not None:
            return progress.attachment_without_flow(self, msg, tr)
        quick = progress.quick_text(self, msg, tr, text)
        if quick is not None:
            return quick
        pending = self._pending.get((msg.channel, msg.chat_id))
        if pending and text.isdigit() and 1 <= int(text) <= len(pending):
            return self.pick(msg, f"{PICK_PREFIX}{int(text) - 1}")
        return self.ask(msg, as_agency=self.member_agency_name(msg))


def _with_text(msg: Incoming, text: str) -> Incoming:
    from dataclasses import replace

    return replace(msg, text=text, callback=None)


def _pick_callback(conv: Conversation, msg: Incoming, tr: Translator, rest: list[str]) -> Reply:
    return conv.pick(msg, PICK_PREFIX + (rest[0] if rest else ""))


def _help(conv: Conversation, msg: Incoming, tr: Translator, args: str) -> Reply:
    reply = conv.ask(_with_text(msg, "help"))
    lines = [reply.text, "", tr.gettext("Commands:")]
    lines.extend(f"/{name} — {tr.gettext(desc)}" for name, desc in COMMANDS)
    reply.text = "\n".join(lines)
    return reply


def _ask_as_member(conv: Conversation, msg: Incoming, tr: Translator, question: str) -> Reply:
    agency = conv.member_agency_name(msg)
    if agency is None:
        return Reply(tr.gettext("I don't know your agency yet. Sign up with /dangky, or ask with the agency's name, "
                                "e.g. “Sở Xây dựng chủ trì chỉ số nào?”."))
    return conv.ask(_with_text(msg, question), as_agency=agency)


def _my_indicators(conv: Conversation, msg: Incoming, tr: Translator, args: str) -> Reply:
    if args:
        return conv.ask(_with_text(msg, f"{args} phụ trách chỉ số nào"), as_agency=conv.member_agency_name(msg))
    return _ask_as_member(conv, msg, tr, "chỉ số của tôi phụ trách")


def _my_deadlines(conv: Conversation, msg: Incoming, tr: Translator, args: str) -> Reply:
    return conv.ask(_with_text(msg, f"hạn chót {args}".strip()), as_agency=conv.member_agency_name(msg))


def _my_tasks(conv: Conversation, msg: Incoming, tr: Translator, args: str) -> Reply:
    if args:
        return conv.ask(_with_text(msg, f"{args} có nhiệm vụ gì"), as_agency=conv.member_agency_name(msg))
    return _ask_as_member(conv, msg, tr, "nhiệm vụ của tôi")


def _scores(conv: Conversation, msg: Incoming, tr: Translator, args: str) -> Reply:
    return conv.ask(_with_text(msg, f"điểm {args}".strip()))


def _language(conv: Conversation, msg: Incoming, tr: Translator, args: str) -> Reply:
    choice = args.strip().lower()
    if choice in ("vi", "en"):
        return _set_language(conv, msg, choice)
    return Reply(tr.gettext("Choose your language:"),
                 buttons=[[Button("Tiếng Việt", "lang:vi"), Button("English", "lang:en")]])


def _language_callback(conv: Conversation, msg: Incoming, tr: Translator, rest: list[str]) -> Reply:
    choice = rest[0] if rest else ""
    if choice not in ("vi", "en"):
        return Reply("", toast=tr.gettext("This button is no longer valid."), silent=True)
    reply = _set_language(conv, msg, choice)
    reply.edit = True
    return reply


def _set_language(conv: Conversation, msg: Incoming, lang: str) -> Reply:
    if conv.db is not None and msg.user_id is not None:
        from storage import people

        with conv.db.session() as s:
            people.upsert_user(s, msg.user_id, msg.user_name, msg.username, msg.language_code)
            people.set_language(s, msg.user_id, lang)
    tr = conv.translator(lang)
    return Reply(tr.gettext("I will answer you in English from now on."))
