"""One update being handled, as every flow sees it: the message, the session, the translator, the
clock, the knowledge-base snapshot and the sender, resolved once by the dispatcher (:class:`Turn`);
and a question answered without a database (:class:`Ask`, what answering needs)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from bot.app.config import Settings
from bot.app.i18n import Translator
from bot.core.context import Context
from bot.core.knowledge import ActiveKb
from bot.core.messages import Address, Choice, Incoming, Reply
from bot.delivery.notices import notify_user, send_notice
from storage.conversation import dialogs
from storage.db import Session
from storage.directory.people import UserInfo


@dataclass
class Ask:
    """A question being answered: what answering reads, resolved once.

    ``s`` is None when nothing may be read from or written to the database: the command-line ask,
    and a question while the database is down (answered from the knowledge base in memory).
    """

    conv: Context
    msg: Incoming
    s: Session | None
    tr: Translator
    kb: ActiveKb
    now: datetime
    user: UserInfo | None  # the sender, None when anonymous

    @property
    def today(self) -> date:
        return self.msg.today or self.now.date()

    @property
    def settings(self) -> Settings:
        return self.conv.settings

    @property
    def user_id(self) -> int | None:
        return self.user.id if self.user else None


@dataclass
class Turn(Ask):
    """One update being handled in its unit of work: what a flow needs, resolved once."""

    s: Session  # the update's database session (its transaction is the unit of work)

    # --- flow state of this chat and user
    # ---------------------------------------------------------
    def state(self, flow: str | None = None) -> dict | None:
        st = self.flow_state()
        if st is None or (flow is not None and st[0] != flow):
            return None
        return st[1]

    def flow_state(self) -> tuple[str, dict] | None:
        return dialogs.get_state(self.s, self.msg.channel, self.msg.chat_id, self.user_id or 0)

    def set_state(self, flow: str, data: dict) -> None:
        dialogs.set_state(
            self.s, self.msg.channel, self.msg.chat_id, self.user_id or 0, flow, data
        )

    def clear_state(self) -> None:
        dialogs.clear_state(self.s, self.msg.channel, self.msg.chat_id, self.user_id or 0)

    # --- messages to other chats, through the delivery ledger ------------------------------------
    def send(
        self,
        to: Address,
        text: str,
        choices: list[Choice] | None = None,
        user_id: int | None = None,
    ) -> None:
        send_notice(self.s, to, text, choices, user_id)

    def notify_user(
        self,
        user_id: int,
        make_text: Callable[[Translator], str],
        make_choices: Callable[[Translator], list[Choice]] | None = None,
    ) -> bool:
        """Write to a person where they last wrote from, in their language; False when
        unreachable."""
        return notify_user(self.s, self.conv, user_id, make_text, make_choices)


Handler = Callable[[Turn, str], Reply]
ButtonHandler = Callable[[Turn, list[str]], Reply]
