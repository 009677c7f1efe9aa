"""One bad deadline stops nothing: every other deadline is planned, the focal department hears
of it once, and what is in the ledger is sent even when planning fails altogether."""

from __future__ import annotations

from datetime import date

import pytest

from bot.delivery import reminders
from bot.delivery import tick as cycle
from handlers.telegram.app import build_application
from storage.delivery import ledger
from tests.support.fake_bot_api import FakeBotApi
from tests.support.world import (
    FOCAL,
    LEAD_15,
    MOMENTS,
    XD,
    XD_GROUP,
    XD_MISSING,
    Clock,
    T,
    at,
    chat_of,
    make_world,
    reminder_text,
)

FAR = date(9999, 12, 31)


@pytest.fixture
def api():
    with FakeBotApi() as server:
        yield server


@pytest.fixture
def world(settings, api):
    w = make_world(settings, api, Clock(at(2026, 11, 30, 9, 0)))
    w.bind(XD_GROUP, XD)
    yield w
    w.services.close()


def planning_notice(title: str = "Hạn xa") -> str:
    return T(
        "The reminders of deadline “{title}” (due {date}) cannot be planned; the other deadlines"
        " are not affected. Check its date and audience (/dshan, /suahan) or the knowledge-base"
        " file.",
        title=title,
        date="31/12/9999",
    )


def test_deadline_in_year_9999_does_not_stop_the_others(world):
    """A deadline dated 31/12/9999 (stored before dates were checked) fails alone: the 14-day
    reminder of the other is written."""
    world.deadline(LEAD_15, due=FAR, title="Hạn xa")
    world.deadline(LEAD_15)
    world.plan(MOMENTS[14])
    assert [(XD_GROUP, reminder_text(XD[1], XD_MISSING, 14))] == [
        (chat_of(r), r.text) for r in world.rows("reminder")
    ]


def test_focal_department_is_told_once(world, caplog):
    """The focal department gets one notice for the bad deadline, not one per tick; the log has
    one error, without its title."""
    bad = world.deadline(LEAD_15, due=FAR, title="Hạn xa")
    world.plan(MOMENTS[14])
    world.plan(MOMENTS[14])
    world.plan(MOMENTS[7])
    notices = [r for r in world.rows("notice") if r.key.startswith("planerr:")]
    focal = world.user(FOCAL)  # keys name people by their internal user id
    assert [(FOCAL, planning_notice(), f"planerr:{bad.key}:9999-12-31:u{focal}")] == [
        (chat_of(r), r.text, r.key) for r in notices
    ]
    errors = [
        r for r in caplog.records if r.levelname == "ERROR" and r.name == "bot.delivery.reminders"
    ]
    assert 1 == len(errors)
    assert "Hạn xa" not in errors[0].getMessage()


async def test_sending_runs_even_when_planning_raises(world, api, monkeypatch):
    """A tick whose planning raises still sends what is already in the ledger."""
    with world.db.session() as s:
        ledger.enqueue(
            s,
            key="notice:test",
            kind="notice",
            channel="telegram",
            chat_id=str(FOCAL),
            text="Đã có trong sổ",
        )

    def broken(conv, now):
        raise OverflowError("date value out of range")

    monkeypatch.setattr(
        cycle,
        "PLANNERS",
        tuple(
            (what, broken if planner is reminders.plan else planner)
            for what, planner in cycle.PLANNERS
        ),
    )
    application = build_application(world.services, tick=None)
    async with application:
        await application.bot_data.cycle()
    assert ["Đã có trong sổ"] == [
        c.params["text"] for c in world.sent_except_review_digests(FOCAL)
    ]
