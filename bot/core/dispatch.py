"""The channel-independent conversation core: an incoming message in, a reply out.

Channels (the terminal chat, Telegram, Zalo) translate their own updates into :class:`Incoming` and
draw :class:`Reply`; nothing here knows about any of them. Each update is one unit of work: one
database transaction that marks the update processed, identifies the sender, runs the flow, keeps
the choices offered and writes any message to other chats into the delivery ledger. Flows get a
:class:`~bot.core.turn.Turn` with the session, the translator, the clock and the knowledge-base
snapshot, and never open sessions of their own.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from datetime import datetime

from bot.app import metrics
from bot.app.config import Settings
from bot.app.i18n import Translations, pick_language
from bot.core.choices import PICK_NUMBER, keep_choices, typed_choice
from bot.core.context import Context
from bot.core.knowledge import KnowledgeService
from bot.core.messages import Incoming, Reply
from bot.core.paging import MORE, more, paginate
from bot.core.turn import Ask, ButtonHandler, Handler, Turn
from bot.flows import admin, basics, broadcasts, questions
from bot.flows.deadlines import commands as deadlines
from bot.flows.deadlines import extensions
from bot.flows.people import email_address, leaders, privacy, responsible, signup
from bot.flows.progress import commands as progress
from bot.flows.review import commands as review
from storage.conversation import dialogs
from storage.db import Database, Session, failure_summary, unavailable
from storage.delivery import reachability
from storage.directory import people

log = logging.getLogger(__name__)

_COMMAND = re.compile(r"^/([A-Za-z_]+)(?:@\w+)?(?:\s+(.*))?$", re.S)
STORAGE_LOG_EVERY = 900  # seconds between two log lines about the same database failure


class _Unreadable(Exception):
    """The database cannot even be read (it is down, not just refusing writes)."""


class Conversation(Context):
    """The dispatcher: each update to the flow, the command or the button it is for."""

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
        super().__init__(knowledge, translations, timezone, clock, db=db, settings=settings)
        self._storage_logged: float | None = None  # when a database failure was last logged
        self.commands = _command_table()
        self.callbacks = _button_table()
        self.text_flows = _text_flow_table()

    # --- units of work -------------------------------------------------------------------------
    @metrics.counted_update
    def handle(
        self,
        msg: Incoming,
        on_done: Callable[[Session, Reply], None] | None = None,
        fallback: bool = True,
    ) -> Reply | None:
        """Handle one update in one transaction; None when the update was already processed.

        ``on_done(session, reply)`` runs inside the transaction (a channel's inbox marks the update
        processed there, with the reply it still has to send). When the database cannot write
        (read-only, disk full, connection lost) a question is still answered (from the database
        if it can be read, else from the knowledge base in memory) and anything else is told that
        nothing was saved; unless ``fallback`` is False (a channel whose inbox keeps the update for
        later), which gets the error.
        """
        try:
            return self._unit_of_work(msg, on_done)
        except Exception as exc:
            if not unavailable(exc) or not fallback:
                raise
            metrics.database_unavailable("update")
            now = time.monotonic()
            if self._storage_logged is None or now - self._storage_logged > STORAGE_LOG_EVERY:
                # once per outage (or per quarter of an hour while it lasts), not once per message
                log.error(
                    "the database cannot be written to; updates are refused until it can (%s)",
                    failure_summary(exc),
                )
                self._storage_logged = now
            reply = self._question_without_writing(msg)
            if reply is not None:
                return reply
            tr = self.translator(pick_language(msg.lang, msg.language_code))
            text = tr.gettext(
                "Sorry, this was not saved: the database cannot be written to right now. "
                "Please try again in a few minutes."
            )
            return Reply(text, toast=text[:190] if msg.callback is not None else None)

    def _question_without_writing(self, msg: Incoming) -> Reply | None:
        """A question while the database cannot be written: answered with what can still be read,
        or, when nothing can (the database is down), from the knowledge base in memory, for nobody
        in particular (no agency, no choices to pick later). None for what is not a question."""
        text = (msg.text or "").strip()
        if (
            msg.callback is not None
            or msg.attachment is not None
            or msg.edited
            or not text
            or text.startswith("/")
        ):
            return None
        try:
            return self._read_only_question(msg)
        except _Unreadable:
            pass  # the database is down: the knowledge base in memory answers
        except Exception as exc:
            if not unavailable(exc):
                raise
            return None  # it could be read, but the text wanted a write (a step of a flow)
        if PICK_NUMBER.match(text) or progress.looks_like_update(text):
            return None  # a pick from a list, or a progress update: both would have to be saved
        ask = Ask(
            self,
            msg,
            None,
            self.translator(pick_language(msg.lang, msg.language_code)),
            self.knowledge.current,
            self.now(),
            None,
        )
        reply = questions.ask(ask, text)
        reply.choices, reply.choice_extra = [], {}  # they could not be kept for the answer
        return reply

    def _unit_of_work(
        self, msg: Incoming, on_done: Callable[[Session, Reply], None] | None
    ) -> Reply | None:
        with self.db.session() as s:
            dialogs.lock_chat(s, msg.channel, msg.chat_id)
            if msg.update_id is not None and not dialogs.first_time(
                s, msg.channel, msg.bot_id, msg.update_id
            ):
                log.info("%s update %s was already processed; skipped", msg.channel, msg.update_id)
                return None
            user = None
            if msg.user_id is not None:
                user = people.identify(
                    s, msg.channel, msg.user_id, msg.user_name, msg.username, msg.language_code
                )
            reachability.wrote_again(
                s, msg.channel, msg.chat_id
            )  # whoever writes can be written to
            lang = pick_language(msg.lang, user.language if user else None, msg.language_code)
            turn = Turn(
                self, msg, s, self.translator(lang), self.knowledge.current, self.now(), user
            )
            reply = paginate(turn, self._dispatch(turn))
            if user is not None and user.new:
                reply = privacy.with_first_contact_notice(turn, reply)
            keep_choices(turn, reply)
            if on_done is not None:
                on_done(s, reply)
        return reply

    def _read_only_question(self, msg: Incoming) -> Reply | None:
        """Plain text while the database cannot be written: questions only read, so they are still
        answered.

        Nothing is recorded (the sender, the processed mark, the choices offered); a text that
        would write (a step of a flow, a quick progress update) fails again, and is told it was not
        saved.
        """
        read = False
        try:
            with self.db.session() as s:
                s.connection()
                user = (
                    people.find_identity(s, msg.channel, msg.user_id)
                    if msg.user_id is not None
                    else None
                )
                read = True
                lang = pick_language(msg.lang, user.language if user else None, msg.language_code)
                turn = Turn(
                    self, msg, s, self.translator(lang), self.knowledge.current, self.now(), user
                )
                return self._dispatch(turn)
        except Exception as exc:
            if unavailable(exc) and not read:
                raise _Unreadable from exc
            raise

    def answer(self, msg: Incoming) -> Reply:
        """A question from the command line: no sender, nothing stored."""
        tr = self.translator(pick_language(msg.lang))
        ask = Ask(self, msg, None, tr, self.knowledge.current, self.now(), None)
        return questions.ask(ask, msg.text, as_agency_name=msg.as_agency)

    # --- dispatch ------------------------------------------------------------------------------
    def _dispatch(self, turn: Turn) -> Reply:
        msg, tr = turn.msg, turn.tr
        if msg.edited:
            return Reply(
                tr.gettext(
                    "I don't apply edited messages; send the corrected text as a new message."
                )
            )
        if msg.attachment is not None and msg.attachment.kind == "voice":
            return Reply(
                tr.gettext("I cannot listen to voice messages; please type your question.")
            )
        callback = msg.callback
        text = (msg.text or "").strip()
        if callback is None and msg.user_id is not None and not text.startswith("/"):
            callback, stale = typed_choice(turn, text)
            if stale is not None:
                return stale
        if callback is not None:
            head, *rest = callback.split(":")
            handler = self.callbacks.get(head)
            if handler is None:
                return Reply("", toast=tr.gettext("This button is no longer valid."), silent=True)
            return handler(turn, rest)
        m = _COMMAND.match(text)
        if m:
            name, args = m.group(1).lower(), (m.group(2) or "").strip()
            handler_cmd = self.commands.get(name)
            if handler_cmd is None:
                return Reply(
                    tr.gettext("Unknown command /{name}. Send /help to see what I can do.").format(
                        name=name
                    )
                )
            return handler_cmd(turn, args)
        if turn.user is not None:
            state = turn.flow_state()
            if state is not None and state[0] in self.text_flows:
                reply = self.text_flows[state[0]](turn, state[1])
                if reply is not None:
                    return reply
        if msg.attachment is not None:
            return progress.attachment_without_flow(turn)
        quick = progress.quick_text(turn, text)
        if quick is not None:
            return quick
        return questions.ask(turn, text)


def _command_table() -> dict[str, Handler]:
    """Each command, by the name typed after "/", to its flow."""
    return {
        "start": signup.start,
        "dangky": signup.sign_up,
        "help": questions.help_command,
        "chiso": questions.my_indicators,
        "hanchot": questions.my_deadlines,
        "diem": questions.scores,
        "nhiemvu": questions.my_tasks,
        "ngonngu": basics.language,
        "capnhat": progress.command,
        "tiendo": progress.show,
        "reload": admin.reload,
        "kb": admin.show_kb,
        "capquyen": admin.grant,
        "choduyet": admin.pending,
        "duyet": admin.approve_typed,
        "tuchoi": admin.reject_typed,
        "lienket": signup.link,
        "themhan": deadlines.add_deadline,
        "dshan": deadlines.list_deadlines,
        "suahan": deadlines.edit_deadline,
        "huyhan": deadlines.cancel_deadline,
        "thongbao": broadcasts.broadcast,
        "danhan": deadlines.acknowledge_typed,
        "huy": basics.cancel_flow,
        "id": basics.whoami,
        "xetduyet": review.queue,
        "xacnhan": review.confirm,
        "tralai": review.return_update,
        "giaitrinh": review.explanation,
        "baocao": review.report,
        "web": review.web_link,
        "quyenriengtu": privacy.command,
        "email": email_address.command,
        "giahan": extensions.command,
        "duyetgiahan": extensions.approve_typed,
        "tuchoigiahan": extensions.refuse_typed,
        "phutrach": responsible.command,
        "lanhdao": leaders.command,
        "nguongtre": leaders.threshold,
    }


def _button_table() -> dict[str, ButtonHandler]:
    """Each button, by the prefix of its callback data ("su:12" → ``signup.pick_agency``)."""
    return {
        "pick": basics.pick,
        "lang": basics.language_button,
        "su": signup.pick_agency,
        "adm": signup.decide,
        "pu": progress.callback,
        "au": broadcasts.audience_button,
        "dl": deadlines.deadline_button,
        "bc": broadcasts.broadcast_button,
        "rem": deadlines.reminder_button,
        "cancel": basics.cancel_button,
        "rv": review.button,
        "gt": review.explanation_button,
        "priv": privacy.button,
        "gh": extensions.button,
        "rp": responsible.button,
        "ld": leaders.button,
        MORE: more,
    }


def _text_flow_table() -> dict[str, Callable[[Turn, dict], Reply | None]]:
    """The flows that take the next plain text while they are open, by the flow's name."""
    return {
        signup.FLOW: signup.typed_agency,
        progress.FLOW: progress.typed,
        deadlines.FLOW: broadcasts.typed,
        review.FLOW: review.typed,
        extensions.FLOW: extensions.typed,
    }
