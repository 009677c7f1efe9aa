"""End-to-end tests of the Telegram bot: PTB's real HTTP client talks to the fake Bot API on
127.0.0.1.

Every test builds its own services (a fresh SQLite database and a writable copy of the knowledge
base), starts the real application with long polling against
:class:`tests.support.fake_bot_api.FakeBotApi`, injects updates the way Telegram would deliver
them, and checks both what the bot sent to the Bot API and what storage holds. Expected texts are
built from the same gettext catalogs the bot uses, so the tests check which message was chosen, not
the wording of a translation.

A test that waits for "no reply" first sends a *sentinel* message from another user and waits for
its answer: PTB processes updates one at a time, so everything injected before has been handled by
then.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import inspect
import logging
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from functools import partial

import pytest
from telegram import Update
from telegram.ext import AIORateLimiter

import handlers.telegram.adapter as tg_handlers
from bot.app.i18n import Translations
from bot.app.services import Services, build_services
from bot.core.menu import COMMANDS
from bot.core.messages import PAGE, Incoming, pages
from bot.core.paging import HINT_ROOM
from handlers.telegram.app import build_application
from handlers.textsplit import split_text
from kb.loader import KbError, load, read_sources
from storage.conversation import dialogs
from storage.directory import groups, people
from storage.knowledge import kb_versions
from storage.tracking import progress as progress_store
from tests.support.clock import Clock
from tests.support.fake_bot_api import Call, FakeBotApi

ADMIN = 900_001  # in ADMIN_TELEGRAM_IDS
MEMBER = 100_001
OTHER = 100_002
STRANGER = 100_003
SENTINEL = 100_999  # only ever sends /help, to know that earlier updates were handled
GROUP = -4_000_000_001  # a basic group (negative id without -100)
GROUP_ADMIN = 100_010
PLAN = "plan-18-2026"
XD = ("so-xay-dung", "Sở Xây dựng")  # leads 1.5; has no role in 1.6
VT = ("vien-thong", "Viễn Thông Lạng Sơn")  # named in one cell only, so a KB copy can drop it

TR = Translations()
MESSAGE_METHODS = ("sendMessage", "editMessageText")


def T(lang: str, msgid: str, **fields) -> str:
    """The bot's message ``msgid`` in ``lang``, formatted like the bot formats it."""
    text = TR.get(lang).gettext(msgid)
    return text.format(**fields) if fields else text


def buttons(call: Call) -> dict[str, str]:
    """label -> callback_data of the inline keyboard a call sent."""
    markup = call.params.get("reply_markup") or {}
    return {
        b["text"]: b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row
    }


def shown(call: Call) -> str:
    """The text as Telegram shows it (HTML parsed by the fake server)."""
    return call.result["text"]


@dataclasses.dataclass
class Tg:
    api: FakeBotApi
    services: Services
    clock: Clock
    allowed_failures: set[int] = dataclasses.field(
        default_factory=set
    )  # HTTP statuses a test injects on purpose

    # --- waiting --------------------------------------------------------------------------------
    def mark(self) -> set[int]:
        return {id(c) for c in self.api.calls()}

    async def reply(
        self,
        mark: set[int],
        chat_id: int,
        methods: tuple[str, ...] = MESSAGE_METHODS,
        where: Callable[[Call], bool] = lambda c: True,
        timeout: float = 5.0,
    ) -> Call:
        """The first successful call after ``mark`` of one of ``methods`` to ``chat_id``."""
        return await self.api.awaited(
            lambda c: (
                id(c) not in mark
                and c.ok
                and c.method in methods
                and str(c.params.get("chat_id")) == str(chat_id)
                and where(c)
            ),
            timeout=timeout,
        )

    def since(
        self,
        mark: set[int],
        chat_id: int | None = None,
        methods: tuple[str, ...] = MESSAGE_METHODS,
    ) -> list[Call]:
        return [
            c
            for c in self.api.calls()
            if id(c) not in mark
            and c.ok
            and c.method in methods
            and (chat_id is None or str(c.params.get("chat_id")) == str(chat_id))
        ]

    async def settle(self) -> None:
        """Wait until every update injected so far has been handled (updates are processed in
        order)."""
        mark = self.mark()
        self.api.send_text(SENTINEL, "/help")
        await self.reply(mark, SENTINEL)

    # --- acting as users ------------------------------------------------------------------------
    async def say(self, user: int, text: str, chat_id: int | None = None, **kw) -> Call:
        """A user sends text; returns the bot's first answer in that chat."""
        mark = self.mark()
        self.api.send_text(user, text, chat_id=chat_id, **kw)
        return await self.reply(mark, user if chat_id is None else chat_id)

    async def press(self, user: int, message: Call, data: str, **kw) -> Call:
        """A user presses a button; returns the answerCallbackQuery call."""
        mark = self.mark()
        update = self.api.press_button(user, message, data, **kw)
        query_id = update["callback_query"]["id"]
        return await self.api.awaited(
            lambda c: (
                id(c) not in mark
                and c.method == "answerCallbackQuery"
                and c.params.get("callback_query_id") == query_id
            )
        )

    async def press_reply(
        self, user: int, message: Call, data: str, chat_id: int | None = None, **kw
    ) -> Call:
        """A user presses a button; returns the message the bot sent or edited in that chat."""
        mark = self.mark()
        self.api.press_button(user, message, data, **kw)
        return await self.reply(mark, message.params["chat_id"] if chat_id is None else chat_id)

    # --- storage
    # ----------------------------------------------------------------------------------
    def history(self, agency_id: str, code: str) -> list[progress_store.ProgressInfo]:
        with self.services.db.session() as s:
            return progress_store.history(s, agency_id, PLAN, code)

    def all_progress(self, agency_id: str) -> list[progress_store.ProgressInfo]:
        active = self.services.knowledge.current
        codes = active.index.indicators[PLAN]
        return [p for code in codes for p in self.history(agency_id, code)]

    def uid(self, tg_id: int) -> int | None:
        """The internal user id of a Telegram user (0 stands for no user, as in dialog states);
        None if never seen."""
        if tg_id == 0:
            return 0
        with self.services.db.session() as s:
            user = people.find_identity(s, "telegram", str(tg_id))
            return user.id if user else None

    def membership(self, user_id: int) -> people.MembershipInfo | None:
        """The active membership of a Telegram user."""
        uid = self.uid(user_id)
        with self.services.db.session() as s:
            return people.active_membership(s, uid) if uid is not None else None

    async def admin_note(self, mark: set[int]) -> Call:
        """The next request with Approve/Reject that reaches the admin (through the delivery
        ledger)."""
        return await self.reply(mark, ADMIN, where=lambda c: T("vi", "Approve") in buttons(c))

    # --- flows --------------------------------------------------------------------------------
    async def sign_up(
        self, user: int, typed: str, agency_name: str, first_name: str = "User"
    ) -> Call:
        """/start, type the agency, pick it if several match; returns the admin's notification
        (with Approve/Reject)."""
        await self.say(user, "/start", first_name=first_name)
        mark = self.mark()
        choices = await self.say(user, typed, first_name=first_name)
        if agency_name in buttons(
            choices
        ):  # one clear match is sent at once, without a list of one
            mark = self.mark()
            self.api.press_button(
                user, choices, buttons(choices)[agency_name], first_name=first_name
            )
        return await self.admin_note(mark)

    async def approved_member(
        self,
        user: int,
        agency: tuple[str, str] = XD,
        typed: str | None = None,
        first_name: str = "User",
    ) -> None:
        """A member of ``agency``, signed up and approved through the bot."""
        note = await self.sign_up(user, typed or agency[1], agency[1], first_name=first_name)
        mark = self.mark()
        self.api.press_button(ADMIN, note, buttons(note)[T("vi", "Approve")])
        await self.reply(mark, user)
        assert agency[0] == self.membership(user).agency_id

    async def bound_group(
        self, chat_id: int = GROUP, agency: tuple[str, str] = XD
    ) -> groups.BindingInfo:
        """A group bound to ``agency`` by one of its administrators and approved by the bot's
        admin."""
        self.api.set_admins(chat_id, [GROUP_ADMIN])
        mark = self.mark()
        choices = await self.say(
            GROUP_ADMIN, f"/dangky {agency[1]}", chat_id=chat_id, chat_type="group"
        )
        if agency[1] in buttons(choices):  # one clear match is sent at once, without a list of one
            mark = self.mark()
            self.api.press_button(GROUP_ADMIN, choices, buttons(choices)[agency[1]])
        note = await self.admin_note(mark)
        mark = self.mark()
        self.api.press_button(ADMIN, note, buttons(note)[T("vi", "Approve")])
        await self.reply(mark, chat_id)
        with self.services.db.session() as s:
            binding = groups.active_binding(s, "telegram", str(chat_id))
        assert agency[0] == binding.agency_id
        return binding


def _build(services: Services):
    """build_application without the reminder job (it is not what these tests are about)."""
    if "tick" in inspect.signature(build_application).parameters:
        return build_application(services, tick=None)
    return build_application(services)


@contextlib.asynccontextmanager
async def running_bot(settings) -> AsyncIterator[Tg]:
    """The real application polling the fake Bot API; stopped (before the server) at the end."""
    clock = Clock()
    with FakeBotApi() as api:
        configured = dataclasses.replace(
            settings,
            telegram_token="123456:TEST",
            api_base_url=api.base_url,
            admin_ids=frozenset({str(ADMIN)}),
        )
        services = build_services(configured, clock=clock)
        try:
            app = _build(services)
            async with app:
                await app.post_init(app)
                await app.start()
                await app.updater.start_polling(
                    poll_interval=0, timeout=1, allowed_updates=Update.ALL_TYPES
                )
                harness = Tg(api, services, clock)
                try:
                    yield harness
                finally:
                    await app.updater.stop()
                    await app.stop()
        finally:
            services.close()
        # whatever the test did, the bot never sent something Telegram would refuse (bad HTML, >
        # 4096 characters...); getUpdates is left out: stopping the updater cuts its long poll
        # short with a 409, as Telegram would
        refused = [
            c
            for c in api.calls()
            if not c.ok and c.status not in harness.allowed_failures and c.method != "getUpdates"
        ]
        assert [] == refused


@pytest.fixture
async def tg_real_limits(settings) -> AsyncIterator[Tg]:
    """The bot exactly as built, with its own rate limiter (one request every ~3 s per group
    chat)."""
    async with running_bot(settings) as harness:
        yield harness


@pytest.fixture
async def tg(settings, monkeypatch) -> AsyncIterator[Tg]:
    """The bot with PTB's stock AIORateLimiter (bursts allowed), so group conversations do not wait
    ~3 s a request.

    The bot's own limiter paces every request that names a group chat; the tests that are about the
    limiter (or want the real pacing) use ``tg_real_limits``.
    """
    import handlers.telegram.app as telegram_app

    if hasattr(telegram_app, "rate_limiter"):
        monkeypatch.setattr(telegram_app, "rate_limiter", lambda: AIORateLimiter(max_retries=3))
    async with running_bot(settings) as harness:
        yield harness


# ================================================================================================
# setup: the command menu
# ================================================================================================


async def test_commands_are_set_for_vietnamese_and_english(tg: Tg):
    """post_init sets the command menu for the default scope, for vi and for en, each from its
    catalog."""
    calls = tg.api.calls("setMyCommands")
    by_lang = {c.params.get("language_code"): c.params["commands"] for c in calls}
    expected = {
        lang: [{"command": n, "description": T(lang, d)} for n, d in COMMANDS]
        for lang in ("vi", "en")
    }
    assert {None, "vi", "en"} == set(by_lang)
    assert expected["vi"] == by_lang["vi"]
    assert expected["vi"] == by_lang[None]
    assert expected["en"] == by_lang["en"]


async def test_vietnamese_command_menu_is_in_vietnamese(tg: Tg):
    """The vi command descriptions are Vietnamese, not the English source strings."""
    by_lang = {
        c.params.get("language_code"): c.params["commands"] for c in tg.api.calls("setMyCommands")
    }
    same = [
        vi["command"]
        for vi, en in zip(by_lang["vi"], by_lang["en"], strict=True)
        if vi["description"] == en["description"]
    ]
    assert [] == same


# ================================================================================================
# the member's journey: /start -> sign-up -> approval -> question -> updates -> /tiendo -> undo
# ================================================================================================


async def test_member_journey_end_to_end(tg: Tg):
    """/start → sign-up → approval → question → /capnhat by buttons → one-line update → /tiendo
    → undo, in one go."""
    conv = tg.services.conversation
    note = await tg.sign_up(MEMBER, "Sở XD", XD[1], first_name="Lan")
    mark = tg.mark()
    tg.api.press_button(ADMIN, note, buttons(note)[T("vi", "Approve")])
    approved = await tg.reply(mark, MEMBER)
    assert (
        T(
            "vi",
            "Your membership of {agency} was approved. You can now post progress with /capnhat.",
            agency=XD[1],
        )
        == approved.text
    )

    question = await tg.say(MEMBER, "chỉ số 1.5 ai chủ trì?", first_name="Lan")
    assert (
        conv.answer(Incoming(text="chỉ số 1.5 ai chủ trì?", lang="vi", as_agency=XD[1])).text
        == question.text
    )

    menu = await tg.say(MEMBER, "/capnhat", first_name="Lan")
    await tg.press_reply(MEMBER, menu, "pu:i:1.12", first_name="Lan")
    await tg.press_reply(MEMBER, menu, "pu:s:blocked", first_name="Lan")
    await tg.press_reply(MEMBER, menu, "pu:save", first_name="Lan")
    one_line = await tg.say(MEMBER, "/capnhat 1.5 70% đã sửa 3 công trình", first_name="Lan")

    progress = await tg.say(MEMBER, "/tiendo", first_name="Lan")
    lines = shown(progress).split("\n")
    assert any(x.startswith("★ 1.5 ") and f": {T('vi', 'In progress')} 70% (" in x for x in lines)
    assert any(
        x.startswith("★ 1.12 ") and f": {T('vi', 'Having difficulties')} (" in x for x in lines
    )

    [row] = tg.history(XD[0], "1.5")
    mark = tg.mark()
    tg.api.press_button(MEMBER, one_line, f"pu:undo:{row.id}", first_name="Lan")
    undone = await tg.reply(mark, MEMBER)
    assert (
        T("vi", "Undone: the update on indicator {code} was withdrawn.", code="1.5") == undone.text
    )
    with tg.services.db.session() as s:
        latest = progress_store.latest_by_indicator(s, XD[0], PLAN)
    assert {"1.12": ("blocked", None, tg.uid(MEMBER))} == {
        k: (p.status, p.percent, p.author_id) for k, p in latest.items()
    }


async def test_start_greets_and_asks_for_the_agency(tg: Tg):
    """/start in a private chat greets the user, asks for the agency and remembers the user."""
    reply = await tg.say(MEMBER, "/start", first_name="Lan")
    assert (
        T(
            "vi",
            "Hello {name}! I am the assistant for Lạng Sơn's Provincial Green Index (PGI) plans.",
            name="Lan",
        )
        in reply.text
    )
    assert reply.text.endswith(
        T(
            "vi",
            "Which agency do you work for? Type its name, e.g. “{department}” or “{commune}”.",
            department="Sở Nông nghiệp và Môi trường",
            commune="UBND phường Tam Thanh",
        )
    )
    with tg.services.db.session() as s:
        assert "Lan" == people.find_identity(s, "telegram", str(MEMBER)).name
        assert "signup" == dialogs.get_state(s, "telegram", str(MEMBER), tg.uid(MEMBER))[0]


async def test_sign_up_sends_the_request_to_the_admins(tg: Tg):
    """Typing a name several agencies match offers buttons; picking one stores a pending request
    and notifies the admin."""
    await tg.say(MEMBER, "/start", first_name="Lan", username="lan_xd")
    choices = await tg.say(MEMBER, "/dangky Sở Xây", first_name="Lan", username="lan_xd")
    assert T("vi", "Which one is your agency?") == choices.text
    assert XD[1] in buttons(choices)
    mark = tg.mark()
    tg.api.press_button(
        MEMBER, choices, buttons(choices)[XD[1]], first_name="Lan", username="lan_xd"
    )
    note = await tg.admin_note(mark)
    thanks = await tg.reply(mark, MEMBER)
    with tg.services.db.session() as s:
        pending = people.pending_membership(s, tg.uid(MEMBER))
        assert (XD[0], "pending") == (pending.agency_id, pending.status)
        assert None is people.active_membership(s, tg.uid(MEMBER))
    assert "editMessageText" == thanks.method  # the choice message becomes the confirmation
    assert (
        T(
            "vi",
            "Thank you. Your request to join {agency} was sent to the admins; I will tell you when"
            " it is approved.",
            agency=XD[1],
        )
        == thanks.text
    )
    ref = f"m{pending.id}"
    assert (
        "\n".join(
            [
                T(
                    "vi",
                    "Sign-up request {ref}: {who} ({channel}) asks to join {agency}.",
                    ref=ref,
                    who="Lan (@lan_xd)",
                    channel="Telegram",
                    agency=XD[1],
                ),
                T("vi", "Answer with a choice, or type /duyet {ref} or /tuchoi {ref}.", ref=ref),
            ]
        )
        == note.text
    )
    assert {f"adm:m:{pending.id}:y", f"adm:m:{pending.id}:n"} == set(buttons(note).values())


async def test_sign_up_with_one_matching_agency_sends_the_request_at_once(tg: Tg):
    """Typing a name only one agency matches sends the request without a list of one to pick
    from."""
    await tg.say(MEMBER, "/start", first_name="Lan")
    mark = tg.mark()
    thanks = await tg.say(MEMBER, "sở xây dựng", first_name="Lan")
    note = await tg.admin_note(mark)
    with tg.services.db.session() as s:
        pending = people.pending_membership(s, tg.uid(MEMBER))
    assert (
        T(
            "vi",
            "Thank you. Your request to join {agency} was sent to the admins; I will tell you when"
            " it is approved.",
            agency=XD[1],
        )
        == thanks.text
    )
    assert ({}, XD[0]) == (buttons(thanks), pending.agency_id)
    assert {f"adm:m:{pending.id}:y", f"adm:m:{pending.id}:n"} == set(buttons(note).values())


async def test_sign_up_when_the_admin_cannot_be_reached(tg: Tg):
    """An admin who blocked the bot (403): the member is still thanked and the request waits in
    /choduyet."""
    tg.allowed_failures = {403}
    tg.api.block(ADMIN)
    await tg.say(MEMBER, "/start")
    thanks = await tg.say(MEMBER, XD[1])

    def request(
        c: Call,
    ) -> bool:  # the admin may also be sent the focal department's daily review digest
        return (
            c.method == "sendMessage"
            and c.params["chat_id"] == ADMIN
            and "adm:m:" in str(c.params.get("reply_markup"))
        )

    await tg.api.awaited(request)
    await tg.settle()
    assert thanks.text.startswith(
        T(
            "vi",
            "Thank you. Your request to join {agency} was sent to the admins; I will tell you "
            "when it is approved.",
            agency=XD[1],
        )
    )
    assert [403] == [c.status for c in tg.api.calls("sendMessage") if request(c)]
    with tg.services.db.session() as s:
        assert [(tg.uid(MEMBER), XD[0])] == [
            (r.user_id, r.agency_id) for r in people.pending_requests(s)
        ]


async def test_admin_approval_makes_a_member_and_tells_them(tg: Tg):
    """The admin's Approve button approves the request, edits the admin's message and notifies
    the member."""
    note = await tg.sign_up(MEMBER, XD[1], XD[1])
    mark = tg.mark()
    tg.api.press_button(ADMIN, note, buttons(note)[T("vi", "Approve")], first_name="Admin")
    told = await tg.reply(mark, MEMBER)
    # the admin may also be sent the focal department's daily review digest: the edit is looked for
    # among the messages
    edited = await tg.reply(mark, ADMIN, where=lambda c: c.method == "editMessageText")
    assert (
        T(
            "vi",
            "Your membership of {agency} was approved. You can now post progress with /capnhat.",
            agency=XD[1],
        )
        == told.text
    )
    assert str(note.result["message_id"]) == str(
        edited.params["message_id"]
    )  # the request's own message is edited
    assert f"{T('vi', 'Approved')}: {XD[1]} — Admin" == shown(edited)
    member = tg.membership(MEMBER)
    assert (XD[0], "approved", tg.uid(ADMIN)) == (
        member.agency_id,
        member.status,
        member.decided_by,
    )


async def test_member_question_is_answered_for_their_agency(tg: Tg):
    """An approved member's /chiso answers with their own agency's indicators."""
    await tg.approved_member(MEMBER)
    reply = await tg.say(MEMBER, "/chiso")
    conv = tg.services.conversation
    expected = conv.answer(
        Incoming(text="chỉ số của tôi phụ trách", lang="vi", as_agency=XD[1])
    ).text
    assert expected == reply.text
    assert XD[1] in reply.text


async def test_progress_update_by_buttons(tg: Tg):
    """/capnhat -> indicator button -> status button -> typed percentage and note: one update
    stored."""
    await tg.approved_member(MEMBER, first_name="Lan")
    menu = await tg.say(MEMBER, "/capnhat", first_name="Lan")
    assert T("vi", "Which indicator? (★ = {agency} leads it)", agency=XD[1]) == menu.text
    data = list(buttons(menu).values())
    assert "pu:i:1.5" == data[0]
    status = await tg.press_reply(MEMBER, menu, "pu:i:1.5", first_name="Lan")
    assert "editMessageText" == status.method
    assert "pu:s:in_progress" in buttons(status).values()
    detail = await tg.press_reply(MEMBER, menu, "pu:s:in_progress", first_name="Lan")
    assert ["pu:save"] == list(buttons(detail).values())
    saved = await tg.say(MEMBER, "60 đã lắp 2 trạm", first_name="Lan")
    name = tg.services.knowledge.current.index.indicators[PLAN]["1.5"].name
    assert (
        T("vi", "Saved — indicator {code} “{name}”", code="1.5", name=name)
        == saved.text.split("\n")[0]
    )
    [row] = tg.history(XD[0], "1.5")
    assert ("in_progress", 60, "đã lắp 2 trạm", tg.uid(MEMBER), "Lan", None) == (
        row.status,
        row.percent,
        row.note,
        row.author_id,
        row.author_name,
        row.undone_at,
    )
    assert [[f"pu:undo:{row.id}"]] == [
        [b["callback_data"] for b in r] for r in saved.params["reply_markup"]["inline_keyboard"]
    ]
    with tg.services.db.session() as s:
        assert None is dialogs.get_state(s, "telegram", str(MEMBER), tg.uid(MEMBER))


async def test_progress_update_in_one_line(tg: Tg):
    """/capnhat 1.5 70% note stores the update at once and confirms it in plain text."""
    await tg.approved_member(MEMBER, first_name="Lan")
    saved = await tg.say(MEMBER, "/capnhat 1.5 70% đã sửa 3 công trình", first_name="Lan")
    [row] = tg.history(XD[0], "1.5")
    assert ("in_progress", 70, "đã sửa 3 công trình") == (row.status, row.percent, row.note)
    assert "parse_mode" not in saved.params
    lines = shown(saved).split("\n")
    assert T("vi", "Done: {percent}%", percent=70) in lines
    assert T("vi", "Note: {note}", note="đã sửa 3 công trình") in lines


async def test_progress_update_typed_as_plain_text(tg: Tg):
    """ "cập nhật 2.4: hoàn thành" without the slash is a one-line update too."""
    await tg.approved_member(MEMBER, agency=("cong-an-tinh", "Công an tỉnh"))
    await tg.say(MEMBER, "cập nhật 2.4: hoàn thành")
    [row] = tg.history("cong-an-tinh", "2.4")
    assert ("done", None, None) == (row.status, row.percent, row.note)


async def test_tiendo_shows_the_latest_update_of_each_indicator(tg: Tg):
    """/tiendo lists the agency's indicators with the latest standing update."""
    await tg.approved_member(MEMBER)
    await tg.say(MEMBER, "/capnhat 1.5 40%")
    await tg.say(MEMBER, "/capnhat 1.5 80% gần xong")
    reply = await tg.say(MEMBER, "/tiendo")
    lines = shown(reply).split("\n")
    assert T("vi", "Progress of {agency} ({plan}):", agency=XD[1], plan="18/KH-UBND") == lines[0]
    [line] = [x for x in lines if x.startswith("★ 1.5 ")]
    assert f": {T('vi', 'In progress')} 80% (" in line
    assert any(x.startswith("★ 1.12 ") and x.endswith(T("vi", "no update yet")) for x in lines)


async def test_tiendo_with_a_code_shows_its_history(tg: Tg):
    """/tiendo 1.5 lists every update of the indicator, newest first, marking undone ones."""
    await tg.approved_member(MEMBER, first_name="Lan")
    await tg.say(MEMBER, "/capnhat 1.5 40% bước 1", first_name="Lan")
    await tg.say(MEMBER, "/capnhat huy", first_name="Lan")
    await tg.say(MEMBER, "/capnhat 1.5 50% bước 2", first_name="Lan")
    reply = await tg.say(MEMBER, "/tiendo 1.5", first_name="Lan")
    lines = shown(reply).split("\n")
    assert 3 == len(lines)
    assert lines[1].endswith(f"— Lan — {T('vi', 'In progress')}, 50%: bước 2")
    assert lines[2].endswith(
        f"— Lan — {T('vi', 'In progress')}, 40%: bước 1 {T('vi', '(undone)')}"
    )


async def test_undo_within_ten_minutes(tg: Tg):
    """The Undo button withdraws the update within 10 minutes; /tiendo no longer counts it."""
    await tg.approved_member(MEMBER)
    saved = await tg.say(MEMBER, "/capnhat 1.5 70%")
    [row] = tg.history(XD[0], "1.5")
    tg.clock.offset = timedelta(minutes=9)
    mark = tg.mark()
    answer = await tg.press(MEMBER, saved, f"pu:undo:{row.id}")
    edited = await tg.reply(mark, MEMBER, ("editMessageText",))
    text = T("vi", "Undone: the update on indicator {code} was withdrawn.", code="1.5")
    assert text == answer.params.get("text")
    assert text == edited.text
    [row] = tg.history(XD[0], "1.5")
    assert row.undone_at is not None
    with tg.services.db.session() as s:
        assert {} == progress_store.latest_by_indicator(s, XD[0], PLAN)


async def test_undo_is_refused_after_ten_minutes(tg: Tg):
    """Eleven minutes later the Undo button is refused and the update stands."""
    await tg.approved_member(MEMBER)
    saved = await tg.say(MEMBER, "/capnhat 1.5 70%")
    [row] = tg.history(XD[0], "1.5")
    tg.clock.offset = timedelta(minutes=11)
    mark = tg.mark()
    answer = await tg.press(MEMBER, saved, f"pu:undo:{row.id}")
    await tg.reply(mark, MEMBER)
    await tg.settle()
    text = T("vi", "Updates can only be undone within 10 minutes; post a new update instead.")
    assert text == answer.params.get("text")
    assert [text] == [c.text for c in tg.since(mark, MEMBER)]
    assert [None] == [p.undone_at for p in tg.history(XD[0], "1.5")]


async def test_only_the_author_can_undo(tg: Tg):
    """In a group, another member pressing the author's Undo button is refused; the update
    stands."""
    await tg.approved_member(MEMBER)
    await tg.approved_member(OTHER)
    saved = await tg.say(MEMBER, "/capnhat 1.5 70%", chat_id=GROUP, chat_type="group")
    [row] = tg.history(XD[0], "1.5")
    mark = tg.mark()
    answer = await tg.press(OTHER, saved, f"pu:undo:{row.id}")
    await tg.reply(mark, GROUP)
    await tg.settle()
    text = T("vi", "Only the author of an update can undo it.")
    assert text == answer.params.get("text")
    assert [text] == [c.text for c in tg.since(mark, GROUP)]
    assert [None] == [p.undone_at for p in tg.history(XD[0], "1.5")]


async def test_undo_command_withdraws_the_last_update(tg: Tg):
    """/capnhat huy undoes the author's last standing update."""
    await tg.approved_member(MEMBER)
    await tg.say(MEMBER, "/capnhat 1.5 70%")
    reply = await tg.say(MEMBER, "/capnhat huy")
    assert (
        T("vi", "Undone: the update on indicator {code} was withdrawn.", code="1.5") == reply.text
    )
    assert [True] == [p.undone_at is not None for p in tg.history(XD[0], "1.5")]


# ================================================================================================
# evidence files
# ================================================================================================


async def test_document_with_capnhat_caption_is_stored_with_its_file(tg: Tg):
    """A PDF sent with the caption "/capnhat 1.5 60% biên bản" is stored with its file id and
    name."""
    await tg.approved_member(MEMBER)
    mark = tg.mark()
    update = tg.api.send_document(
        MEMBER,
        "bien_ban_nghiem_thu.pdf",
        "application/pdf",
        250_000,
        caption="/capnhat 1.5 60% biên bản",
    )
    saved = await tg.reply(mark, MEMBER)
    [row] = tg.history(XD[0], "1.5")
    file_id = update["message"]["document"]["file_id"]
    assert (60, "biên bản", file_id, "bien_ban_nghiem_thu.pdf", "document") == (
        row.percent,
        row.note,
        row.file_id,
        row.file_name,
        row.file_kind,
    )
    assert T("vi", "Evidence: {file}", file="bien_ban_nghiem_thu.pdf") in shown(saved).split("\n")


async def test_photo_during_the_button_flow_is_stored_as_evidence(tg: Tg):
    """At the detail step, a photo with a caption "80 ảnh hiện trường" is the evidence of the
    update."""
    await tg.approved_member(MEMBER)
    menu = await tg.say(MEMBER, "/capnhat")
    await tg.press_reply(MEMBER, menu, "pu:i:1.5")
    await tg.press_reply(MEMBER, menu, "pu:s:in_progress")
    mark = tg.mark()
    update = tg.api.send_photo(MEMBER, caption="80 ảnh hiện trường")
    await tg.reply(mark, MEMBER)
    [row] = tg.history(XD[0], "1.5")
    biggest = update["message"]["photo"][-1]
    assert (80, "ảnh hiện trường", biggest["file_id"], "photo") == (
        row.percent,
        row.note,
        row.file_id,
        row.file_kind,
    )


async def test_file_without_caption_outside_a_flow_is_explained(tg: Tg):
    """A file sent with no /capnhat caption and no flow is not stored; the bot says how to send
    evidence."""
    await tg.approved_member(MEMBER)
    mark = tg.mark()
    tg.api.send_document(MEMBER, "report.pdf", "application/pdf", 1000)
    reply = await tg.reply(mark, MEMBER)
    assert (
        T(
            "vi",
            "To keep a file as evidence, send it with the caption “/capnhat <code> <percent>%"
            " <note>”, or during /capnhat.",
        )
        == reply.text
    )
    assert [] == tg.all_progress(XD[0])


# ================================================================================================
# refusals (item 7): each says why, and nothing is stored
# ================================================================================================


async def test_unknown_indicator_code_is_refused(tg: Tg):
    """/capnhat 9.9 names no indicator of the current plan."""
    await tg.approved_member(MEMBER)
    reply = await tg.say(MEMBER, "/capnhat 9.9 50%")
    assert (
        T(
            "vi",
            "There is no indicator {code} in plan {plan}. Send /capnhat to pick one of yours.",
            code="9.9",
            plan="18/KH-UBND",
        )
        == reply.text
    )
    assert [] == tg.all_progress(XD[0])


async def test_percentage_outside_0_100_is_refused(tg: Tg):
    """/capnhat 1.5 150% is refused with the value written."""
    await tg.approved_member(MEMBER)
    reply = await tg.say(MEMBER, "/capnhat 1.5 150% xong")
    assert (
        T("vi", "The percentage must be between 0 and 100 (you wrote {value}%).", value=150)
        == reply.text
    )
    assert [] == tg.history(XD[0], "1.5")


async def test_note_over_500_characters_is_refused(tg: Tg):
    """A 501-character note is refused, telling the length and the limit."""
    await tg.approved_member(MEMBER)
    note = "x" * 501
    reply = await tg.say(MEMBER, f"/capnhat 1.5 50% {note}")
    assert (
        T(
            "vi",
            "The note is too long ({n} characters); keep it under {max} and send it again.",
            n=501,
            max=500,
        )
        == reply.text
    )
    assert [] == tg.history(XD[0], "1.5")


async def test_unsupported_file_type_is_refused(tg: Tg):
    """An .exe file as evidence is refused by name."""
    await tg.approved_member(MEMBER)
    mark = tg.mark()
    tg.api.send_document(
        MEMBER, "setup.exe", "application/octet-stream", 5000, caption="/capnhat 1.5 60% biên bản"
    )
    reply = await tg.reply(mark, MEMBER)
    assert (
        T(
            "vi",
            "I can't keep “{name}” as evidence: send a PDF, Word, Excel, PowerPoint, image or ZIP"
            " file.",
            name="setup.exe",
        )
        == reply.text
    )
    assert [] == tg.history(XD[0], "1.5")


async def test_file_over_20_mb_is_refused(tg: Tg):
    """A 25 MB PDF is refused with its size."""
    await tg.approved_member(MEMBER)
    mark = tg.mark()
    tg.api.send_document(
        MEMBER,
        "scan.pdf",
        "application/pdf",
        25 * 1024 * 1024,
        caption="/capnhat 1.5 60% biên bản",
    )
    reply = await tg.reply(mark, MEMBER)
    assert (
        T(
            "vi",
            "The file is too large ({size} MB); send one of at most 20 MB, or a link in the note.",
            size=25.0,
        )
        == reply.text
    )
    assert [] == tg.history(XD[0], "1.5")


async def test_edited_message_is_not_applied(tg: Tg):
    """Editing a /capnhat message does not store anything; the bot asks for a new message."""
    await tg.approved_member(MEMBER)
    mark = tg.mark()
    sent = tg.api.send_text(MEMBER, "/capnhat 1.5 150%")  # refused: the percentage is out of range
    await tg.reply(mark, MEMBER)
    mark = tg.mark()
    tg.api.edited_text(MEMBER, sent["message"], "/capnhat 1.5 90% đã sửa")
    reply = await tg.reply(mark, MEMBER)
    assert (
        T("vi", "I don't apply edited messages; send the corrected text as a new message.")
        == reply.text
    )
    assert [] == tg.history(XD[0], "1.5")


async def test_sign_up_button_from_an_old_message_is_no_longer_valid(tg: Tg):
    """Two choice messages: after picking from the newer, the older one's button stores nothing
    more."""
    await tg.say(MEMBER, "/start")
    old = await tg.say(MEMBER, "/dangky Sở Xây")
    new = await tg.say(MEMBER, "/dangky Sở Xây")
    mark = tg.mark()
    tg.api.press_button(MEMBER, new, buttons(new)[XD[1]])
    await tg.admin_note(mark)
    mark = tg.mark()
    answer = await tg.press(MEMBER, old, buttons(old)[XD[1]])
    await tg.settle()
    assert T("vi", "This button is no longer valid.") == answer.params.get("text")
    assert [] == tg.since(mark, MEMBER)
    # no second request (the admin may meanwhile get the focal department's daily review digest,
    # which has no buttons)
    assert [] == [c for c in tg.since(mark, ADMIN) if buttons(c)]
    with tg.services.db.session() as s:
        assert 1 == len(people.pending_requests(s))


async def test_status_button_after_the_update_was_saved_is_no_longer_valid(tg: Tg):
    """After the update is saved, the flow's Save button does not store a second update."""
    await tg.approved_member(MEMBER)
    menu = await tg.say(MEMBER, "/capnhat")
    await tg.press_reply(MEMBER, menu, "pu:i:1.5")
    await tg.press_reply(MEMBER, menu, "pu:s:done")
    await tg.say(MEMBER, "100 xong")
    mark = tg.mark()
    answer = await tg.press(MEMBER, menu, "pu:save")
    await tg.settle()
    assert T("vi", "This button is no longer valid.") == answer.params.get("text")
    assert [] == tg.since(mark, MEMBER)
    assert 1 == len(tg.history(XD[0], "1.5"))


async def test_approve_button_pressed_twice_is_already_handled(tg: Tg):
    """The admin's Approve button pressed again says the request was already handled; nothing
    changes."""
    note = await tg.sign_up(MEMBER, XD[1], XD[1])
    await tg.press_reply(ADMIN, note, buttons(note)[T("vi", "Approve")], chat_id=MEMBER)
    mark = tg.mark()
    answer = await tg.press(ADMIN, note, f"adm:m:{tg.membership(MEMBER).id}:n")
    await tg.settle()
    assert T("vi", "Already handled.") == answer.params.get("text")
    assert [] == tg.since(mark, MEMBER)
    assert "approved" == tg.membership(MEMBER).status


async def test_user_who_is_not_approved_cannot_post(tg: Tg):
    """A user with no membership is told to sign up; nothing is stored."""
    reply = await tg.say(STRANGER, "/capnhat 1.5 50%")
    assert reply.text.endswith(
        T("vi", "Only approved members of an agency may post progress. Sign up with /dangky.")
    )  # after the first-contact notice
    assert [] == tg.history(XD[0], "1.5")


async def test_user_waiting_for_approval_cannot_post(tg: Tg):
    """A user whose request is pending is told it is still waiting."""
    await tg.sign_up(MEMBER, XD[1], XD[1])
    reply = await tg.say(MEMBER, "/capnhat 1.5 50%")
    assert (
        T(
            "vi",
            "Your request to join {agency} is still waiting for approval; you can post progress"
            " once an admin approves it.",
            agency=XD[1],
        )
        == reply.text
    )
    assert [] == tg.history(XD[0], "1.5")


async def test_indicator_not_assigned_to_the_agency_is_refused(tg: Tg):
    """Sở Xây dựng has no role in 1.6: the update is refused saying so."""
    await tg.approved_member(MEMBER)
    reply = await tg.say(MEMBER, "/capnhat 1.6 50%")
    assert (
        T(
            "vi",
            "{agency} is neither lead nor coordinator of indicator {code}, so it cannot post"
            " progress on it. Send /capnhat to see your indicators.",
            agency=XD[1],
            code="1.6",
        )
        == reply.text
    )
    assert [] == tg.history(XD[0], "1.6")


def _drop_vien_thong(kb_dir) -> None:
    """Remove Viễn Thông Lạng Sơn from the registry and from the one plan cell that names it."""
    agencies = kb_dir / "agencies.yaml"
    text = agencies.read_text(encoding="utf-8")
    block = text[
        text.index("  - id: vien-thong\n") : text.index("  - id: tram-cap-nuoc-van-quan\n")
    ]
    agencies.write_text(text.replace(block, ""), encoding="utf-8")
    plan = kb_dir / "plan_18_kh_ubnd_2026.yaml"
    cell = '          - {agency: "Viễn Thông Lạng Sơn", scope: "cung ứng dịch vụ viễn thông"}\n'
    assert cell in plan.read_text(encoding="utf-8")
    plan.write_text(plan.read_text(encoding="utf-8").replace(cell, ""), encoding="utf-8")


async def test_member_of_an_agency_removed_from_the_kb_cannot_post(tg: Tg, kb_dir):
    """After a reload without their agency, a member's /capnhat is refused: the agency is no
    longer in the KB."""
    await tg.approved_member(MEMBER, agency=VT)
    _drop_vien_thong(kb_dir)
    loaded = await tg.say(ADMIN, "/reload")
    assert f"• {T('vi', 'Agencies removed')} (1): {VT[1]}" in shown(loaded).split("\n")
    assert VT[0] not in tg.services.knowledge.current.kb.agencies
    reply = await tg.say(MEMBER, "/capnhat 1.13 50%")
    assert (
        T(
            "vi",
            "Your agency “{agency}” is no longer in the knowledge base. Ask an admin to update"
            " your sign-up (/dangky).",
            agency=VT[1],
        )
        == reply.text
    )
    assert [] == tg.all_progress(VT[0])


# ================================================================================================
# admin: reloading the knowledge base
# ================================================================================================


async def test_reload_with_a_broken_file_keeps_the_active_version(tg: Tg, kb_dir):
    """A broken file: /reload lists the problems (the first 15, then a count) and the active
    version stays."""
    plan = kb_dir / "plan_18_kh_ubnd_2026.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace('"Sở Xây dựng"', '"Sở Xây dựng mới"'),
        encoding="utf-8",
    )
    with pytest.raises(KbError) as broken:
        load(read_sources(kb_dir))
    problems = broken.value.problems
    reply = await tg.say(ADMIN, "/reload")
    n = len(problems)
    expected = [
        TR.get("vi")
        .ngettext(
            "Not loaded: {n} problem in the knowledge-base files. The active version is"
            " unchanged.",
            "Not loaded: {n} problems in the knowledge-base files. The active version is"
            " unchanged.",
            n,
        )
        .format(n=n)
    ]
    expected += ["• " + p.located(TR.get("vi").gettext) for p in problems[:15]]
    if n > 15:
        expected.append(
            T("vi", "…and {n} more; run `python -m bot kb check` for the full list.", n=n - 15)
        )
    assert expected == shown(reply).split("\n")
    assert any(
        "plan_18_kh_ubnd_2026.yaml" in line and "Sở Xây dựng mới" in line for line in expected
    )
    with tg.services.db.session() as s:
        assert 1 == kb_versions.active(s).id
    assert 1 == tg.services.knowledge.current.version.id


async def test_reload_with_a_good_file_activates_a_new_version(tg: Tg, kb_dir):
    """A valid change: /reload stores and activates version 2 and lists what changed."""
    _drop_vien_thong(kb_dir)
    reply = await tg.say(ADMIN, "/reload")
    lines = shown(reply).split("\n")
    counts = tg.services.knowledge.current.version.counts
    assert (
        T(
            "vi",
            "Loaded version {id}: {documents} documents, {indicators} indicators, {agencies}"
            " agencies, {deadlines} deadlines.",
            id=2,
            **{k: counts.get(k, 0) for k in ("documents", "indicators", "agencies", "deadlines")},
        )
        == lines[0]
    )
    assert f"• {T('vi', 'Agencies removed')} (1): {VT[1]}" in lines
    with tg.services.db.session() as s:
        assert 2 == kb_versions.active(s).id


async def test_reload_after_a_broken_file_is_fixed(tg: Tg, kb_dir):
    """Broken, then fixed: the first /reload changes nothing, the second loads the fixed files."""
    good = (kb_dir / "agencies.yaml").read_text(encoding="utf-8")
    (kb_dir / "agencies.yaml").write_text(
        good.replace("  - id: so-y-te\n", "  - id: so-y-te\n    bogus_key: 1\n", 1),
        encoding="utf-8",
    )
    await tg.say(ADMIN, "/reload")
    assert 1 == tg.services.knowledge.current.version.id
    (kb_dir / "agencies.yaml").write_text(good, encoding="utf-8")
    _drop_vien_thong(kb_dir)
    await tg.say(ADMIN, "/reload")
    with tg.services.db.session() as s:
        assert 2 == kb_versions.active(s).id


async def test_reload_is_for_admins_only(tg: Tg, kb_dir):
    """A non-admin's /reload is refused and loads nothing."""
    _drop_vien_thong(kb_dir)
    reply = await tg.say(STRANGER, "/reload")
    assert reply.text.endswith(
        T("vi", "Only the bot's admins can do that.")
    )  # after the first-contact notice
    assert 1 == tg.services.knowledge.current.version.id


# ================================================================================================
# questions and clarifying buttons
# ================================================================================================


async def test_clarifying_buttons_answer_the_chosen_meaning(tg: Tg):
    """An ambiguous "Sở Tài" offers buttons; pressing one answers about that agency."""
    conv = tg.services.conversation
    choices = conv.answer(Incoming(text="Sở Tài", lang="vi")).answer.choices
    question = await tg.say(STRANGER, "Sở Tài")
    assert [c.label for c in choices] == list(buttons(question))
    assert ["pick:0", "pick:1"] == list(buttons(question).values())
    answer = await tg.press_reply(STRANGER, question, "pick:0")
    assert pages(conv.answer(Incoming(text=choices[0].query, lang="vi")).text, PAGE - HINT_ROOM)[
        0
    ] == first_page(answer.text)


async def test_clarifying_choice_typed_as_its_number(tg: Tg):
    """Typing "2" after the clarifying question picks the second meaning."""
    conv = tg.services.conversation
    choices = conv.answer(Incoming(text="Sở Tài", lang="vi")).answer.choices
    await tg.say(STRANGER, "Sở Tài")
    answer = await tg.say(STRANGER, "2")
    assert pages(conv.answer(Incoming(text=choices[1].query, lang="vi")).text, PAGE - HINT_ROOM)[
        0
    ] == first_page(answer.text)


async def test_clarifying_button_pressed_again_has_expired(tg: Tg):
    """A clarifying button already used says the choice has expired."""
    question = await tg.say(STRANGER, "Sở Tài")
    await tg.press_reply(STRANGER, question, "pick:0")
    mark = tg.mark()
    answer = await tg.press(STRANGER, question, "pick:1")
    reply = await tg.reply(mark, STRANGER)
    assert T("vi", "This button is no longer valid.") == answer.params.get("text")
    assert T("vi", "That choice has expired; please ask your question again.") == reply.text


async def test_long_answer_is_split_into_parts_below_the_limit(tg: Tg, monkeypatch):
    """An answer longer than the split limit arrives as several messages, each within it, that
    together are the answer."""
    monkeypatch.setattr(tg_handlers, "split_text", partial(split_text, limit=300))
    first = Incoming(text="/help", channel="telegram", chat_id=STRANGER, user_id=STRANGER)
    tg.services.conversation.handle(
        first
    )  # the first reply to a new person starts with the privacy notice
    full = tg.services.conversation.handle(first).text
    parts = split_text(full, limit=300)
    assert len(parts) >= 2
    mark = tg.mark()
    tg.api.send_text(STRANGER, "/help")
    await tg.reply(mark, STRANGER, where=lambda c: c.text == parts[-1])
    sent = [c.text for c in tg.since(mark, STRANGER)]
    assert parts == sent
    assert all(len(t) <= 300 for t in sent)
    assert full == "\n".join(sent)


async def test_longest_answers_stay_below_4096_characters(tg: Tg):
    """Answers that would be longest (an agency's every task) are sent within Telegram's 4096
    characters."""
    mark = tg.mark()
    for question in (
        "Sở Nông nghiệp có nhiệm vụ gì",
        "UBND các xã, phường có nhiệm vụ gì",
        "hạn chót",
        "/help",
    ):
        tg.api.send_text(STRANGER, question)
    await tg.settle()
    sent = tg.since(mark, STRANGER)
    assert len(sent) >= 4
    assert [] == [len(c.text) for c in sent if len(c.text) > 4096]
    assert [] == [c for c in tg.api.calls("sendMessage") if not c.ok]


def first_page(text: str) -> str:
    """A long answer's first page, without the line that says how to see the rest."""
    return text.split("\n— ")[0]


async def test_split_keeps_buttons_on_the_last_part(tg: Tg, monkeypatch):
    """With a small split limit, the clarifying buttons come with the last part only."""
    monkeypatch.setattr(tg_handlers, "split_text", partial(split_text, limit=40))
    mark = tg.mark()
    tg.api.send_text(STRANGER, "UBND xã Tân phụ trách chỉ số nào")
    await tg.reply(mark, STRANGER, where=lambda c: bool(c.params.get("reply_markup")))
    sent = tg.since(mark, STRANGER)
    assert len(sent) >= 2
    assert all(len(c.text) <= 40 for c in sent)
    assert [False] * (len(sent) - 1) + [True] == [bool(c.params.get("reply_markup")) for c in sent]


# ================================================================================================
# groups
# ================================================================================================


async def test_group_admin_binds_the_group_to_an_agency(tg: Tg):
    """A group administrator's /dangky + button + the bot admin's approval binds the group; the
    group is told."""
    tg.api.set_admins(GROUP, [GROUP_ADMIN])
    choices = await tg.say(GROUP_ADMIN, "/dangky Sở Xây", chat_id=GROUP, chat_type="group")
    assert choices.text.endswith(
        T("vi", "Which agency is this group for?")
    )  # after the first-contact notice
    mark = tg.mark()
    tg.api.press_button(GROUP_ADMIN, choices, buttons(choices)[XD[1]])
    note = await tg.admin_note(mark)
    with tg.services.db.session() as s:
        assert None is groups.active_binding(s, "telegram", str(GROUP))
    mark = tg.mark()
    tg.api.press_button(ADMIN, note, buttons(note)[T("vi", "Approve")])
    told = await tg.reply(mark, GROUP)
    assert (
        T(
            "vi",
            "This group is now bound to {agency}: its reminders will be posted here.",
            agency=XD[1],
        )
        == told.text
    )
    with tg.services.db.session() as s:
        binding = groups.active_binding(s, "telegram", str(GROUP))
    assert (XD[0], "active", tg.uid(GROUP_ADMIN), tg.uid(ADMIN)) == (
        binding.agency_id,
        binding.status,
        binding.requested_by,
        binding.decided_by,
    )


async def test_group_member_who_is_not_admin_cannot_bind(tg: Tg):
    """/dangky from an ordinary group member is refused; nothing is requested."""
    tg.api.set_admins(GROUP, [GROUP_ADMIN])
    reply = await tg.say(OTHER, f"/dangky {XD[1]}", chat_id=GROUP, chat_type="group")
    assert reply.text.endswith(
        T("vi", "Only an administrator of this group can bind it to an agency.")
    )  # after the first-contact notice
    with tg.services.db.session() as s:
        assert None is groups.active_binding(s, "telegram", str(GROUP))
        assert None is dialogs.get_state(s, "telegram", str(GROUP), tg.uid(OTHER))


async def test_anonymous_admin_binds_the_group(tg: Tg):
    """An anonymous group admin's /dangky offers the choice; their button press sends the
    binding request."""
    tg.api.set_admins(GROUP, [GROUP_ADMIN])
    mark = tg.mark()
    tg.api.anonymous_admin_message(GROUP, "/dangky Sở Xây", title="Tổ PGI")
    choices = await tg.reply(mark, GROUP)
    assert T("vi", "Which agency is this group for?") == choices.text
    mark = tg.mark()
    tg.api.press_button(
        GROUP_ADMIN, choices, buttons(choices)[XD[1]]
    )  # callback queries carry the real user
    note = await tg.reply(
        mark, ADMIN, where=lambda c: T("vi", "Approve") in buttons(c), timeout=2.0
    )
    tg.api.press_button(ADMIN, note, buttons(note)[T("vi", "Approve")])
    await tg.reply(
        mark, GROUP, where=lambda c: XD[1] in (c.text or "") and c.method == "sendMessage"
    )
    with tg.services.db.session() as s:
        assert XD[0] == groups.active_binding(s, "telegram", str(GROUP)).agency_id


async def test_anonymous_admin_command_is_accepted_as_an_admin(tg: Tg):
    """An anonymous admin's /dangky (no getChatMember possible) is treated as an
    administrator's."""
    mark = tg.mark()
    tg.api.anonymous_admin_message(GROUP, "/dangky Sở Xây", title="Tổ PGI")
    reply = await tg.reply(mark, GROUP)
    assert T("vi", "Which agency is this group for?") == reply.text
    assert XD[1] in buttons(reply)
    assert [] == tg.api.calls("getChatMember")


async def test_group_answers_commands_mentions_and_replies_only(tg: Tg):
    """In a group: a command, an @mention and a reply to the bot are answered; other chatter is
    not."""
    conv = tg.services.conversation
    expected = conv.answer(Incoming(text="nước sạch", lang="vi")).text
    mark = tg.mark()
    tg.api.send_text(OTHER, "chào cả nhà, nước sạch thế nào?", chat_id=GROUP, chat_type="group")
    await tg.settle()
    assert [] == tg.since(mark, GROUP)
    mentioned = await tg.say(OTHER, "@pgi_test_bot nước sạch", chat_id=GROUP, chat_type="group")
    assert mentioned.text.endswith(expected)  # after the first-contact notice
    replied = await tg.say(
        OTHER, "nước sạch", chat_id=GROUP, chat_type="group", reply_to_message=mentioned.result
    )
    assert expected == replied.text
    command = await tg.say(OTHER, "/diem", chat_id=GROUP, chat_type="group")
    assert conv.answer(Incoming(text="điểm", lang="vi")).text == command.text
    mark = tg.mark()
    tg.api.send_text(
        OTHER,
        "nước sạch",
        chat_id=GROUP,
        chat_type="group",
        reply_to_message={
            "message_id": 1,
            "from": {"id": OTHER + 1, "is_bot": False, "first_name": "Bình"},
            "chat": {"id": GROUP, "type": "group"},
            "date": 0,
            "text": "hỏi gì đó",
        },
    )
    await tg.settle()
    assert [] == tg.since(mark, GROUP)


async def test_group_command_for_another_bot_is_ignored(tg: Tg):
    """ "/help@other_bot" in a group is for another bot: no reply."""
    mark = tg.mark()
    tg.api.send_text(OTHER, "/help@other_bot", chat_id=GROUP, chat_type="group")
    await tg.settle()
    assert [] == tg.since(mark, GROUP)


async def test_group_mention_in_other_letter_case_is_understood(tg: Tg):
    """Usernames are case-insensitive: “@PGI_TEST_BOT nước sạch” is answered like “nước sạch”."""
    reply = await tg.say(OTHER, "@PGI_TEST_BOT nước sạch", chat_id=GROUP, chat_type="group")
    assert reply.text.endswith(
        tg.services.conversation.answer(Incoming(text="nước sạch", lang="vi")).text
    )  # after the first-contact notice


async def test_group_conversation_with_the_bots_own_rate_limiter(tg_real_limits: Tg):
    """With the bot's real limiter (requests to a group are paced), a group admin's /dangky and
    button still work."""
    tg = tg_real_limits
    tg.api.set_admins(GROUP, [GROUP_ADMIN])
    mark = tg.mark()
    tg.api.send_text(GROUP_ADMIN, "/dangky Sở Xây", chat_id=GROUP, chat_type="group")
    choices = await tg.reply(mark, GROUP, timeout=10.0)
    mark = tg.mark()
    tg.api.press_button(GROUP_ADMIN, choices, buttons(choices)[XD[1]])
    thanks = await tg.reply(mark, GROUP, timeout=10.0)
    assert (
        T(
            "vi",
            "Thank you. The request to bind this group to {agency} was sent to the admins.",
            agency=XD[1],
        )
        == thanks.text
    )
    note = await tg.reply(
        mark, ADMIN, where=lambda c: T("vi", "Approve") in buttons(c), timeout=10.0
    )
    binding_id = int(buttons(note)[T("vi", "Approve")].split(":")[2])
    with tg.services.db.session() as s:
        binding = groups.get_binding(s, binding_id)
    assert ("pending", str(GROUP), XD[0]) == (binding.status, binding.chat_id, binding.agency_id)


async def test_channel_posts_are_ignored(tg: Tg):
    """A channel post, even a command, gets no answer and stores nothing."""
    mark = tg.mark()
    tg.api.channel_post(-1_001_234_567_890, "/start")
    await tg.settle()
    assert [] == tg.since(mark, -1_001_234_567_890)
    with tg.services.db.session() as s:
        assert None is dialogs.get_state(s, "telegram", str(-1_001_234_567_890), tg.uid(0))


async def test_bot_added_to_a_group_greets_it(tg: Tg):
    """Being added to a group, the bot says hello and explains /dangky."""
    mark = tg.mark()
    tg.api.bot_added_to_group(GROUP, "Tổ PGI", by_user_id=GROUP_ADMIN)
    reply = await tg.reply(mark, GROUP)
    assert reply.text.startswith(
        T(
            "vi",
            "Hello {title}! I answer questions about the PGI plans (send /help). A group "
            "administrator can bind this group to its agency with /dangky followed by the "
            "agency's name, so that deadline reminders are posted here.",
            title="Tổ PGI",
        )
    )


async def test_bot_removed_from_a_group_makes_its_binding_inactive(tg: Tg):
    """Kicked from a bound group: the binding becomes inactive with the reason."""
    bound = await tg.bound_group()
    tg.api.bot_removed_from_group(GROUP, by_user_id=GROUP_ADMIN)
    await tg.settle()
    with tg.services.db.session() as s:
        assert None is groups.active_binding(s, "telegram", str(GROUP))
        after = groups.get_binding(s, bound.id)
    assert ("inactive", "kicked") == (after.status, after.inactive_reason)


async def test_group_migrated_to_supergroup_keeps_its_binding(tg: Tg):
    """A bound group upgraded to a supergroup keeps its binding under the new chat id."""
    await tg.bound_group()
    new_id = int(f"-100{abs(GROUP)}")
    tg.api.group_migrated(GROUP, new_id, by_user_id=GROUP_ADMIN)
    await tg.settle()
    with tg.services.db.session() as s:
        binding = groups.active_binding(s, "telegram", str(new_id))
        assert None is groups.active_binding(s, "telegram", str(GROUP))
    assert (XD[0], str(new_id)) == (binding.agency_id, binding.chat_id)
    reply = await tg.say(OTHER, "/diem", chat_id=new_id, chat_type="supergroup")
    assert str(new_id) == str(reply.params["chat_id"])


# ================================================================================================
# robustness: duplicates, errors, flood control, HTML, language
# ================================================================================================


async def test_update_delivered_twice_is_processed_once(tg: Tg):
    """The same update (same update_id) delivered again gets no second reply and stores nothing
    more."""
    await tg.approved_member(MEMBER)
    mark = tg.mark()
    update = tg.api.send_text(MEMBER, "/capnhat 1.5 70% lần một")
    await tg.reply(mark, MEMBER)
    tg.api.push_raw_update(copy.deepcopy(update))
    await tg.settle()
    assert 1 == len(tg.since(mark, MEMBER))
    assert 1 == len(tg.history(XD[0], "1.5"))


async def test_button_press_delivered_twice_is_processed_once(tg: Tg):
    """A callback query redelivered is not answered twice (Telegram would refuse the second
    answer)."""
    note = await tg.sign_up(MEMBER, XD[1], XD[1])
    mark = tg.mark()
    update = tg.api.press_button(ADMIN, note, buttons(note)[T("vi", "Approve")])
    await tg.reply(mark, MEMBER)
    tg.api.push_raw_update(copy.deepcopy(update))
    await tg.settle()
    assert 1 == len(tg.since(mark, MEMBER))
    assert 1 == len([c for c in tg.api.calls("answerCallbackQuery") if id(c) not in mark])


async def test_handler_error_is_logged_and_answered_with_an_apology(tg: Tg, monkeypatch, caplog):
    """When the core raises, the error is logged with the update and the user gets a short
    apology."""

    def broken(msg):
        raise RuntimeError("boom")

    monkeypatch.setattr(tg.services.conversation, "handle", broken)
    caplog.set_level(logging.ERROR, logger="handlers.telegram.adapter")
    mark = tg.mark()
    update = tg.api.send_text(STRANGER, "nước sạch")
    reply = await tg.reply(mark, STRANGER)
    assert (
        T("vi", "Sorry, something went wrong on my side. Please try again in a moment.")
        == reply.text
    )
    [record] = [
        r
        for r in caplog.records
        if r.name == "handlers.telegram.adapter" and r.levelno == logging.ERROR
    ]
    assert "boom" == str(record.exc_info[1])
    assert f"update {update['update_id']}" in record.getMessage()


async def test_handler_error_on_a_button_answers_it_and_apologises(tg: Tg, monkeypatch):
    """When the core raises on a pressed button, the query is answered (no endless spinner) and
    an apology is sent."""
    menu = await tg.say(STRANGER, "/ngonngu")

    def broken(msg):
        raise RuntimeError("boom")

    monkeypatch.setattr(tg.services.conversation, "handle", broken)
    mark = tg.mark()
    tg.api.press_button(STRANGER, menu, "lang:en")
    reply = await tg.reply(mark, STRANGER, ("sendMessage",))
    assert (
        T("vi", "Sorry, something went wrong on my side. Please try again in a moment.")
        == reply.text
    )
    assert [True] == [c.ok for c in tg.api.calls("answerCallbackQuery") if id(c) not in mark]
    with tg.services.db.session() as s:
        assert (
            None is people.find_identity(s, "telegram", str(STRANGER)).language
        )  # no language was stored


async def test_error_after_a_button_was_answered_still_apologises(tg: Tg):
    """A Bot API failure while editing the message of a pressed button still ends with an
    apology."""
    tg.allowed_failures = {400, 500}
    menu = await tg.say(STRANGER, "/ngonngu")
    tg.api.fail_next("editMessageText", 500, "Internal Server Error")
    mark = tg.mark()
    tg.api.press_button(STRANGER, menu, "lang:en")
    reply = await tg.reply(mark, STRANGER, ("sendMessage",), timeout=2.0)
    assert (
        T("en", "Sorry, something went wrong on my side. Please try again in a moment.")
        == reply.text
    )


async def test_flood_limit_429_is_retried_and_the_message_arrives_once(tg_real_limits: Tg):
    """A 429 with retry_after=1 on sendMessage is retried by the bot's rate limiter; the answer
    arrives once."""
    tg = tg_real_limits
    tg.allowed_failures = {429}
    tg.api.fail_next("sendMessage", 429, retry_after=1)
    mark = tg.mark()
    tg.api.send_text(STRANGER, "/diem")
    reply = await tg.reply(mark, STRANGER, timeout=6.0)
    attempts = [
        c
        for c in tg.api.calls("sendMessage")
        if id(c) not in mark and str(c.params["chat_id"]) == str(STRANGER)
    ]
    assert [429, 200] == [c.status for c in attempts]
    assert reply.text.endswith(
        tg.services.conversation.answer(Incoming(text="điểm", lang="vi")).text
    )  # after the first-contact notice
    assert {} == tg.api.duplicate_texts()


async def test_user_typed_html_is_shown_literally_in_the_confirmation(tg: Tg):
    """A note "<b>x</b> & y" (and a name with "<") is shown literally: replies are plain text,
    never parsed as HTML."""
    await tg.approved_member(MEMBER, first_name="Tom <&> Jerry")
    saved = await tg.say(MEMBER, "/capnhat 1.5 50% <b>x</b> & y", first_name="Tom <&> Jerry")
    assert "parse_mode" not in saved.params
    lines = shown(saved).split("\n")
    assert T("vi", "Note: {note}", note="<b>x</b> & y") in lines
    assert any("Tom <&> Jerry" in line for line in lines)
    assert [] == saved.result.get("entities", [])
    [row] = tg.history(XD[0], "1.5")
    assert ("<b>x</b> & y", "Tom <&> Jerry") == (row.note, row.author_name)
    history = await tg.say(MEMBER, "/tiendo 1.5", first_name="Tom <&> Jerry")
    assert shown(history).split("\n")[1].endswith(": <b>x</b> & y")


async def test_english_user_gets_english(tg: Tg):
    """A user whose Telegram app is in English gets English answers and English flow messages."""
    answer = await tg.say(STRANGER, "1.5", language_code="en")
    assert answer.text.endswith(
        tg.services.conversation.answer(Incoming(text="1.5", lang="en")).text
    )
    assert answer.text.startswith(
        "ℹ️ You are talking to automated software"
    )  # the first-contact notice, in English
    reply = await tg.say(STRANGER, "/start", first_name="Ann", language_code="en")
    expected = "\n".join(
        [
            T(
                "en",
                "Hello {name}! I am the assistant for Lạng Sơn's Provincial Green Index (PGI)"
                " plans.",
                name="Ann",
            ),
            T("en", "Anyone may ask me questions; to post progress for your agency, sign up."),
        ]
    )
    assert reply.text.startswith(expected)
    assert reply.text.startswith("Hello Ann!")


async def test_question_after_start_is_still_answered(tg: Tg):
    """After /start, a question that names no agency is answered, not taken for an agency name."""
    await tg.say(STRANGER, "/start")
    answer = await tg.say(STRANGER, "Ai chủ trì chỉ số 1.5?")
    assert (
        tg.services.conversation.answer(Incoming(text="Ai chủ trì chỉ số 1.5?", lang="vi")).text
        == answer.text
    )


async def test_language_switch_to_vietnamese_sticks(tg: Tg):
    """An English user who picks Tiếng Việt in /ngonngu gets Vietnamese afterwards, though the
    app says "en"."""
    menu = await tg.say(STRANGER, "/ngonngu", language_code="en")
    assert {"lang:vi", "lang:en"} == set(buttons(menu).values())
    await tg.press_reply(STRANGER, menu, "lang:vi", language_code="en")
    with tg.services.db.session() as s:
        assert "vi" == people.find_identity(s, "telegram", str(STRANGER)).language
    conv = tg.services.conversation
    answer = await tg.say(STRANGER, "1.5", language_code="en")
    assert conv.answer(Incoming(text="1.5", lang="vi")).text == answer.text
    assert conv.answer(Incoming(text="1.5", lang="en")).text != answer.text
    again = await tg.say(STRANGER, "/diem", language_code="en")
    assert conv.answer(Incoming(text="điểm", lang="vi")).text == again.text


async def test_language_command_with_argument(tg: Tg):
    """/ngonngu en switches at once and later answers are English."""
    await tg.say(STRANGER, "/ngonngu en")
    answer = await tg.say(STRANGER, "1.5")
    assert tg.services.conversation.answer(Incoming(text="1.5", lang="en")).text == answer.text


async def test_language_switch_to_vietnamese_is_confirmed_in_vietnamese(tg: Tg):
    """The confirmation of /ngonngu → Tiếng Việt is written in Vietnamese."""
    menu = await tg.say(STRANGER, "/ngonngu", language_code="en")
    confirmed = await tg.press_reply(STRANGER, menu, "lang:vi", language_code="en")
    assert T("vi", "I will answer you in English from now on.") == confirmed.text
    assert (
        "I will answer you in English from now on." != confirmed.text
    )  # the catalog has it: not the English source
