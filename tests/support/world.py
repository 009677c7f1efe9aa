"""A world of services for the reminder, deadline and access tests: people named by Telegram ids,
bound groups, deadlines, the ledger, and messages to the core."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import event

from bot.app.i18n import Translations
from bot.app.services import Services, build_services
from bot.core.messages import Incoming, Reply
from bot.delivery import reminders
from bot.delivery.calendar import ReminderCalendar
from storage.delivery import ledger
from storage.delivery.ledger import DeliveryInfo
from storage.directory import groups, people
from storage.schedule import deadlines as deadline_store
from storage.tracking import progress as progress_store
from tests.support.clock import Clock
from tests.support.fake_bot_api import FakeBotApi

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TOKEN = "123456:REMINDERS"
PLAN = "plan-18-2026"
ADMIN = 900_001  # in ADMIN_TELEGRAM_IDS
FOCAL = 900_002  # role "focal"
NNMT_MEMBER = 900_003  # approved member of Sở Nông nghiệp và Môi trường
GROUP_ADMIN = 100_010
XD_MEMBER = 100_001  # a member of the Sở Xây dựng group

XD_GROUP = -4_000_000_101  # Sở Xây dựng: leads 1.5
YT_GROUP = -4_000_000_102  # Sở Y tế: no role in 1.5
CT_GROUP = -4_000_000_103  # Sở Công Thương: no lead role in 1.5
COMMUNE_GROUP = -4_000_000_104  # UBND xã Tân Thanh
NNMT_GROUP = -4_000_000_105  # Sở Nông nghiệp và Môi trường (the focal department)

XD = ("so-xay-dung", "Sở Xây dựng")
YT = ("so-y-te", "Sở Y tế")
CT = ("so-cong-thuong", "Sở Công Thương")
COMMUNE = ("commune:tan-thanh", "UBND xã Tân Thanh")
NNMT = ("so-nnmt", "Sở Nông nghiệp và Môi trường")
XD_MISSING = [
    "1.5",
    "1.10",
    "1.12",
    "1.13",
    "3.1",
    "3.2",
]  # Sở Xây dựng's own indicators in plan 18
YT_INDICATORS = ["3.1", "3.2"]  # all of Sở Y tế's own indicators

DUE = date(2026, 12, 15)  # a Tuesday
TITLE = "Báo cáo kết quả thực hiện PGI năm 2026"
LEAD_15 = {"kind": "lead", "target": "1.5"}
EVERYONE = {"kind": "all"}


def at(y: int, m: int, d: int, hh: int = 8, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=TZ)


MOMENTS = {
    14: at(2026, 12, 1),
    7: at(2026, 12, 8),
    3: at(2026, 12, 11),
    1: at(2026, 12, 14),
    0: at(2026, 12, 15),
}

VI = Translations().get("vi")


def T(msgid: str, **fields) -> str:
    text = VI.gettext(msgid)
    return text.format(**fields) if fields else text


def days_left(n: int) -> str:
    return (
        T("due today") if n == 0 else VI.ngettext("{n} day left", "{n} days left", n).format(n=n)
    )


def reminder_text(
    agency: str, missing: list[str], left: int, title: str = TITLE, due: str = "15/12/2026"
) -> str:
    return "\n".join(
        [
            T("⏰ Reminder: {title}", title=title),
            T("Due: {date} ({left})", date=due, left=days_left(left)),
            T("For: {agency}", agency=agency),
            T(
                "Indicators of {agency} with no progress update yet: {codes}",
                agency=agency,
                codes=", ".join(missing),
            ),
            T(
                "Choose “Acknowledged” (or send /danhan) so the focal department knows you have"
                " seen this."
            ),
        ]
    )


# ================================================================================================
# harness
# ================================================================================================


@dataclass
class World:
    services: Services
    clock: Clock
    api: FakeBotApi

    @property
    def conv(self):
        return self.services.conversation

    @property
    def db(self):
        return self.services.db

    # --- people and groups ---------------------------------------------------------------------
    # People are named by their Telegram ids (as the fake Bot API knows them); the core's internal
    # user ids are looked up through their Telegram identity.
    def user(self, tg_id: int) -> int:
        """The internal user id of a Telegram user, who is created (as "User <id>") on first
        mention."""
        with self.db.session() as s:
            return people.identify(s, "telegram", str(tg_id), f"User {tg_id}").id

    def bind(
        self, chat_id: int, agency: tuple[str, str], title: str | None = None
    ) -> groups.BindingInfo:
        by, admin = self.user(GROUP_ADMIN), self.user(ADMIN)
        with self.db.session() as s:
            b = groups.request_binding(
                s, "telegram", str(chat_id), title or f"Nhóm {agency[1]}", agency[0], agency[1], by
            )
            return groups.decide_binding(s, b.id, True, admin)

    def role(self, tg_id: int, role: str) -> None:
        uid = self.user(tg_id)
        with self.db.session() as s:
            people.set_role(s, uid, role)

    def member(self, tg_id: int, agency: tuple[str, str]) -> None:
        uid, admin = self.user(tg_id), self.user(ADMIN)
        with self.db.session() as s:
            m = people.request_membership(s, uid, agency[0], agency[1])
            people.decide_membership(s, m.id, True, admin)

    def binding(self, chat_id: int) -> groups.BindingInfo | None:
        with self.db.session() as s:
            return groups.active_binding(s, "telegram", str(chat_id))

    def progress(self, agency: tuple[str, str], code: str, author: int = XD_MEMBER) -> None:
        uid = self.user(author)
        with self.db.session() as s:
            progress_store.add(
                s,
                author_id=uid,
                author_name="Lan",
                agency_id=agency[0],
                agency_name=agency[1],
                plan_id=PLAN,
                indicator_code=code,
                kb_version_id=self.services.knowledge.current.version.id,
                status="in_progress",
                percent=50,
            )

    # --- deadlines and the ledger ----------------------------------------------------------------
    def deadline(
        self, audience: dict, due: date = DUE, title: str = TITLE
    ) -> deadline_store.DeadlineInfo:
        focal = self.user(FOCAL)
        with self.db.session() as s:
            return deadline_store.add(s, title, due, audience, focal)

    def plan(self, when: datetime | None = None) -> int:
        if when is not None:
            self.clock.now = when
        return reminders.plan(self.conv, self.conv.now())

    def rows(self, kind: str | None = None) -> list[DeliveryInfo]:
        with self.db.session() as s:
            return ledger.all_rows(s, kind)

    def sent_except_review_digests(self, chat_id: int | None = None) -> list:
        """Messages that arrived, apart from the focal department's daily review digest (planned on
        every working day at the reminder time by bot/delivery/review_notices.py, next to the
        deadline reminders).
        """
        digests = {r.text for r in self.rows("digest") if r.key.startswith("rdig:")}
        return [c for c in self.api.sent_messages(chat_id) if c.text not in digests]

    def new_rows(self, before: list[DeliveryInfo], kind: str | None = None) -> list[DeliveryInfo]:
        """Rows written since ``before``; SQLite may give a row written after a deleted one the
        same id."""
        seen = {(r.id, r.key, r.text) for r in before}
        return [r for r in self.rows(kind) if (r.id, r.key, r.text) not in seen]

    # --- the conversation core -------------------------------------------------------------------
    def say(self, user_id: int, text: str = "", chat_id: int | None = None, **kw) -> Reply:
        """A Telegram message from ``user_id`` (a Telegram id) in a private chat, or in the
        group ``chat_id``."""
        chat = user_id if chat_id is None else chat_id
        return self.conv.handle(
            Incoming(
                text=text,
                channel="telegram",
                chat_id=str(chat),
                user_id=str(user_id),
                chat_type="private" if chat > 0 else "group",
                user_name=f"User {user_id}",
                **kw,
            )
        )

    def press(self, user_id: int, data: str, chat_id: int | None = None, **kw) -> Reply:
        return self.say(user_id, "", chat_id=chat_id, callback=data, **kw)


def make_world(settings, api: FakeBotApi, clock: Clock, **changes) -> World:
    configured = replace(
        settings,
        telegram_token=TOKEN,
        api_base_url=api.base_url,
        admin_ids=frozenset({str(ADMIN)}),
        **changes,
    )
    world = World(build_services(configured, clock=clock), clock, api)
    world.role(FOCAL, "focal")
    return world


def sends_to(api: FakeBotApi, chat_id: int) -> list:
    """Every sendMessage request to a chat, successful or not."""
    return [c for c in api.calls("sendMessage") if str(c.params.get("chat_id")) == str(chat_id)]


def chat_of(row: DeliveryInfo) -> int:
    """A ledger row's chat as the fake Bot API numbers it (rows keep chat ids as text)."""
    return int(row.chat_id)


def callback_data(call) -> list[list[str]]:
    return [
        [b["callback_data"] for b in row] for row in call.params["reply_markup"]["inline_keyboard"]
    ]


def labels(call) -> list[list[str]]:
    return [[b["text"] for b in row] for row in call.params["reply_markup"]["inline_keyboard"]]


# ================================================================================================
# the calendar
# ================================================================================================

CAL = ReminderCalendar(TZ, time(8, 0), (14, 7, 3, 1, 0))


def read_only_sqlite(world: World) -> None:
    """From now on the world's SQLite database refuses every write, as a read-only file would."""
    engine = world.db.engine

    @event.listens_for(engine, "connect")
    def _query_only(dbapi_conn, _record):
        dbapi_conn.execute("PRAGMA query_only=ON")

    engine.dispose()  # pooled connections were opened before: new ones are read-only
