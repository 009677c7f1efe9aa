"""Work per event, counted with SQLAlchemy events: sessions opened and SQL statements run.

A question is one unit of work in the core (one session); the reminder tick plans in one session
per deadline (a batch of rows), not several per row. The figures are printed (``-s``) and recorded
in the README; the bounds below fail if the work per event grows back.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from bot.app.services import build_services
from bot.core.messages import Incoming
from bot.delivery import reminders
from handlers.zalo.api import ZaloApi
from handlers.zalo.bot import ZaloBot
from storage.directory import groups, people
from storage.schedule import deadlines as deadline_store
from tests.support.clock import Clock
from tests.support.fake_zalo_api import FakeZaloApi

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DUE = date(2026, 12, 15)
GROUPS = 21


@dataclass
class Count:
    sessions: int = 0
    statements: int = 0


@contextmanager
def counting(services):
    """Sessions opened through ``services.db`` and statements sent to the database meanwhile."""
    count = Count()
    db = services.db
    opened = db.session

    @contextmanager
    def session():
        count.sessions += 1
        with opened() as s:
            yield s

    def statement(*_args) -> None:
        count.statements += 1

    db.session = session
    event.listen(db.engine, "before_cursor_execute", statement)
    try:
        yield count
    finally:
        event.remove(db.engine, "before_cursor_execute", statement)
        db.session = opened


@pytest.fixture
def world(settings):
    clock = Clock(datetime(2026, 12, 1, 7, 0, tzinfo=TZ))
    services = build_services(replace(settings, admin_ids=frozenset({"1"})), clock=clock)
    yield services, clock
    services.close()


def _bind_groups(services, n: int) -> None:
    agencies = sorted(services.knowledge.current.kb.agencies.values(), key=lambda a: a.id)[:n]
    with services.db.session() as s:
        admin = people.identify(s, "telegram", "1", "Admin").id
        for i, agency in enumerate(agencies):
            b = groups.request_binding(
                s, "telegram", str(-100 - i), f"Nhóm {agency.name}", agency.id, agency.name, admin
            )
            groups.decide_binding(s, b.id, True, admin)
        deadline_store.add(s, "Báo cáo PGI", DUE, {"kind": "all"}, admin)


def _first_reminder_moment(services) -> datetime:
    cal = reminders.calendar_of(services.conversation)
    moment = datetime.combine(DUE - timedelta(days=20), services.settings.reminder_time, TZ)
    while cal.current_reminder(DUE, moment) is None:
        moment += timedelta(days=1)
    return moment


def test_a_reminder_tick_plans_in_one_session_per_deadline(world):
    services, clock = world
    _bind_groups(services, GROUPS)
    clock.now = _first_reminder_moment(services)
    conv = services.conversation
    with counting(services) as count:
        written = reminders.plan(conv, conv.now())
    print(
        f"\nplanning {written} reminder rows: {count.sessions} sessions, {count.statements}"
        " statements"
    )
    assert written >= GROUPS
    assert (
        count.sessions <= 3
    )  # the deadlines, then one per deadline (the KB's own ones have no group due now)
    assert count.statements <= 6 * written


def test_a_question_in_the_core_is_one_session(world):
    services, _clock = world
    msg = Incoming(
        "chỉ số 1.5 ai chủ trì?",
        "telegram",
        "42",
        "42",
        user_name="Lan",
        update_id="q-1",
        bot_id="b1",
    )
    services.conversation.handle(
        Incoming("/start", "telegram", "42", "42", user_name="Lan", update_id="q-0", bot_id="b1")
    )
    with counting(services) as count:
        reply = services.conversation.handle(msg)
    print(f"\na question in the core: {count.sessions} session, {count.statements} statements")
    assert reply is not None and reply.text
    assert 1 == count.sessions


async def test_a_zalo_question_through_the_inbox(world):
    """Zalo stores the update in its inbox first (it forgets what it hands out): the figure is
    recorded."""
    services, _clock = world
    with FakeZaloApi() as zalo:
        bot = ZaloBot(services, ZaloApi(zalo.token, zalo.base_url))
        bot.bot_id = "zb-1"
        await bot.receive(zalo.inject_text("zu-1", "/start"))
        with counting(services) as count:
            await bot.receive(zalo.inject_text("zu-1", "chỉ số 1.5 ai chủ trì?"))
        await bot.aclose()
        await bot.api.aclose()
        assert any("1.5" in (c.text or "") for c in zalo.sent("zu-1"))
    print(f"\na Zalo question: {count.sessions} sessions, {count.statements} statements")
    assert count.sessions <= 3  # stored, handled (with its processed mark), marked sent
