"""Deadline reminders: the working-day calendar, the planner that writes the delivery ledger, and
the dispatcher that sends the ledger through python-telegram-bot's real HTTP stack to the fake Bot
API.

Every test builds its own services on a fresh SQLite database (or PostgreSQL where marked) with a
clock the test moves by hand, so "08:00 on the 1st of December" is a value, not a wait. Expected
texts are built from the same gettext catalogs the bot uses (the groups' language is Vietnamese),
so the tests check which message was chosen and what it names, not the wording of a translation.

Dates used throughout: a deadline on Tuesday 15/12/2026 has its reminders at 08:00 on Tue 01/12 (14
days), Tue 08/12 (7), Fri 11/12 (3: Saturday 12/12 moves back), Mon 14/12 (1) and Tue 15/12 (0).
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections import Counter
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

import bot.delivery.worker as delivery
from bot.app.services import build_services
from bot.delivery.calendar import ReminderCalendar
from handlers.telegram.app import build_application
from handlers.telegram.sender import TelegramChannel
from storage.delivery import ledger
from storage.delivery.ledger import DeliveryInfo
from storage.directory import groups
from storage.schedule import deadlines as deadline_store
from tests.support.fake_bot_api import FakeBotApi
from tests.support.world import (
    ADMIN,
    CAL,
    COMMUNE,
    COMMUNE_GROUP,
    CT,
    CT_GROUP,
    DUE,
    EVERYONE,
    FOCAL,
    GROUP_ADMIN,
    LEAD_15,
    MOMENTS,
    NNMT,
    NNMT_GROUP,
    NNMT_MEMBER,
    TITLE,
    TZ,
    XD,
    XD_GROUP,
    XD_MEMBER,
    XD_MISSING,
    YT,
    YT_GROUP,
    YT_INDICATORS,
    Clock,
    T,
    World,
    at,
    callback_data,
    chat_of,
    days_left,
    labels,
    make_world,
    reminder_text,
    sends_to,
)


@pytest.fixture
def api():
    with FakeBotApi() as server:
        yield server


@pytest.fixture
def clock() -> Clock:
    return Clock(at(2026, 11, 30, 9, 0))


@pytest.fixture
def world(settings, api, clock):
    w = make_world(settings, api, clock)
    yield w
    w.services.close()


@pytest.fixture
async def app(world):
    """The real PTB application (no polling, no job queue) talking to the fake Bot API."""
    application = build_application(world.services, tick=None)
    async with application:
        yield application


def test_reminders_are_at_eight_on_the_offset_days():
    """With no weekend in the way, each reminder is at 08:00 local time exactly 14, 7, 3, 1 and
    0 days before."""
    due = date(2026, 12, 18)  # Friday; 04/12, 11/12, 15/12, 17/12 and 18/12 are all working days
    expected = {
        14: at(2026, 12, 4),
        7: at(2026, 12, 11),
        3: at(2026, 12, 15),
        1: at(2026, 12, 17),
        0: at(2026, 12, 18),
    }
    assert expected == {o: CAL.reminder_at(due, o) for o in CAL.offsets}


def test_reminder_time_is_local_time_in_ho_chi_minh_city():
    """08:00 in Asia/Ho_Chi_Minh is 01:00 UTC."""
    assert datetime(2026, 12, 18, 1, 0, tzinfo=ZoneInfo("UTC")) == CAL.reminder_at(
        date(2026, 12, 18), 0
    )


def test_reminder_on_saturday_moves_to_friday():
    """The 3-day reminder of Tuesday 15/12/2026 would fall on Saturday 12/12; it goes out on
    Friday 11/12."""
    assert at(2026, 12, 11) == CAL.reminder_at(DUE, 3)


def test_reminder_on_sunday_moves_to_friday():
    """A deadline on Sunday 13/12/2026 has its on-the-day reminder on Friday 11/12."""
    assert at(2026, 12, 11) == CAL.reminder_at(date(2026, 12, 13), 0)


def test_reminder_on_a_holiday_moves_to_the_previous_working_day():
    """With 01/09 and 02/09/2026 (Tue, Wed) as holidays, the 1-day reminder of Thu 03/09 goes
    out on Mon 31/08."""
    cal = ReminderCalendar(
        TZ, time(8, 0), (14, 7, 3, 1, 0), frozenset({date(2026, 9, 1), date(2026, 9, 2)})
    )
    assert at(2026, 8, 31) == cal.reminder_at(date(2026, 9, 3), 1)


def test_holiday_on_a_friday_before_a_weekend_reminder_moves_to_thursday():
    """A Sunday reminder whose Friday is a holiday goes back to Thursday."""
    cal = ReminderCalendar(TZ, time(8, 0), (14, 7, 3, 1, 0), frozenset({date(2026, 12, 11)}))
    assert at(2026, 12, 10) == cal.reminder_at(date(2026, 12, 13), 0)


@pytest.mark.parametrize("offset", [14, 7, 3, 1, 0])
def test_current_reminder_changes_exactly_at_each_moment(offset):
    """One second before a reminder's moment the previous one is current (none before the
    first); at the moment it is this one."""
    order = [14, 7, 3, 1, 0]
    previous = order[order.index(offset) - 1] if offset != 14 else None
    moment = MOMENTS[offset]
    assert (previous, offset) == (
        CAL.current_reminder(DUE, moment - timedelta(seconds=1)),
        CAL.current_reminder(DUE, moment),
    )


def test_current_reminder_is_none_after_the_deadline_day():
    """The day after the deadline no reminder is current (overdue notices take over)."""
    assert (0, None) == (
        CAL.current_reminder(DUE, at(2026, 12, 15, 23, 59)),
        CAL.current_reminder(DUE, at(2026, 12, 16, 0, 1)),
    )


def test_current_reminder_accepts_utc_time():
    """Now given in UTC is compared in local time: 01:00 UTC is 08:00 in Vietnam."""
    assert 14 == CAL.current_reminder(DUE, datetime(2026, 12, 1, 1, 0, tzinfo=ZoneInfo("UTC")))


def test_after_five_days_of_downtime_the_latest_reminder_is_current():
    """Down from Mon 07/12 to Sat 12/12 (the 7- and 3-day moments passed): only the 3-day
    reminder is current."""
    assert 3 == CAL.current_reminder(DUE, at(2026, 12, 12, 9, 0))


def test_overdue_days_count_working_days_only():
    """Due Friday 18/12: the weekend does not count; Monday 21/12 08:00 is overdue day 1, Friday
    25/12 day 5."""
    due = date(2026, 12, 18)
    observed = [
        CAL.overdue_days_passed(due, when)
        for when in (
            at(2026, 12, 18, 17),
            at(2026, 12, 19, 9),
            at(2026, 12, 20, 9),
            at(2026, 12, 21, 7, 59),
            at(2026, 12, 21),
            at(2026, 12, 25),
        )
    ]
    assert [0, 0, 0, 0, 1, 5] == observed


def test_overdue_days_skip_holidays():
    """With Thursday 24/12 a holiday, Friday 25/12 is only overdue day 4 of a deadline on Friday
    18/12."""
    cal = ReminderCalendar(TZ, time(8, 0), (14, 7, 3, 1, 0), frozenset({date(2026, 12, 24)}))
    assert 4 == cal.overdue_days_passed(date(2026, 12, 18), at(2026, 12, 25))


# ================================================================================================
# the planner: who gets what, once
# ================================================================================================


def test_each_reminder_is_written_once_per_audience_group(world):
    """At each of the five moments, one row per bound group of the audience; ticks again at that
    time and later that day add nothing."""
    world.bind(XD_GROUP, XD)
    world.bind(NNMT_GROUP, NNMT)  # Sở NN&MT also leads 1.5
    d = world.deadline(LEAD_15)
    written = {}
    for offset, moment in MOMENTS.items():
        written[offset] = [
            world.plan(t)
            for t in (
                moment,
                moment,
                moment + timedelta(minutes=1),
                moment + timedelta(hours=4),
                moment + timedelta(hours=9),
            )
        ]
    rows = world.rows("reminder")
    assert {o: [2, 0, 0, 0, 0] for o in MOMENTS} == written
    assert {XD_GROUP: 5, NNMT_GROUP: 5} == Counter(chat_of(r) for r in rows)
    assert {d.key} == {r.deadline_key for r in rows}


def test_nothing_is_written_before_the_first_reminder(world):
    """Ticks in the days before the 14-day moment write no reminder."""
    world.bind(XD_GROUP, XD)
    world.deadline(LEAD_15)
    assert [0, 0, 0] == [
        world.plan(t) for t in (at(2026, 11, 30), at(2026, 11, 30, 17), at(2026, 12, 1, 7, 59))
    ]


def test_agencies_outside_the_audience_get_nothing(world):
    """For "chủ trì 1.5", the groups of Sở Y tế, Sở Công Thương and a commune get no reminder at
    any moment."""
    for chat, agency in ((XD_GROUP, XD), (YT_GROUP, YT), (CT_GROUP, CT), (COMMUNE_GROUP, COMMUNE)):
        world.bind(chat, agency)
    world.deadline(LEAD_15)
    for moment in MOMENTS.values():
        world.plan(moment)
    assert {XD_GROUP} == {chat_of(r) for r in world.rows("reminder")}


def test_audience_everyone_reaches_every_bound_group(world):
    """ "tất cả": every active binding gets the 14-day reminder, communes included."""
    chats = {XD_GROUP: XD, YT_GROUP: YT, CT_GROUP: CT, COMMUNE_GROUP: COMMUNE}
    for chat, agency in chats.items():
        world.bind(chat, agency)
    world.deadline(EVERYONE)
    world.plan(MOMENTS[14])
    assert sorted(chats) == sorted(chat_of(r) for r in world.rows("reminder"))


def test_audience_communes_reaches_commune_groups_only(world):
    """ "xã phường": the group bound to UBND xã Tân Thanh is a commune; department groups get
    nothing."""
    for chat, agency in ((XD_GROUP, XD), (YT_GROUP, YT), (COMMUNE_GROUP, COMMUNE)):
        world.bind(chat, agency)
    world.deadline({"kind": "communes"})
    world.plan(MOMENTS[14])
    assert [COMMUNE_GROUP] == [chat_of(r) for r in world.rows("reminder")]


def test_audience_named_agencies(world):
    """Named agencies (Sở Y tế, Sở Công Thương): exactly their groups."""
    for chat, agency in ((XD_GROUP, XD), (YT_GROUP, YT), (CT_GROUP, CT), (COMMUNE_GROUP, COMMUNE)):
        world.bind(chat, agency)
    world.deadline({"kind": "agencies", "ids": [YT[0], CT[0]], "names": [YT[1], CT[1]]})
    world.plan(MOMENTS[14])
    assert sorted([YT_GROUP, CT_GROUP]) == sorted(chat_of(r) for r in world.rows("reminder"))


def test_unbound_audience_writes_nothing(world):
    """An audience none of whose agencies has a bound group writes no row."""
    world.bind(YT_GROUP, YT)
    world.deadline(LEAD_15)
    assert 0 == world.plan(MOMENTS[14])


def test_inactive_binding_gets_no_reminder(world):
    """A group whose binding became inactive (the bot was removed) is no longer in any audience."""
    world.bind(XD_GROUP, XD)
    world.bind(YT_GROUP, YT)
    with world.db.session() as s:
        groups.deactivate(s, "telegram", str(YT_GROUP), "kicked")
    world.deadline(EVERYONE)
    world.plan(MOMENTS[14])
    assert [XD_GROUP] == [chat_of(r) for r in world.rows("reminder")]


def add_kb_deadline(world: World, did: str, due: date, title: str, audience: list[str]) -> None:
    """Add a deadline to the writable KB copy (plan_pgi_2024_ubnd.yaml) and reload it."""
    path = world.services.settings.kb_dir / "plan_pgi_2024_ubnd.yaml"
    source = path.read_text(encoding="utf-8")
    assert 1 == source.count("\ndeadlines:\n")
    entry = (
        f'  - id: "{did}"\n    date: {due.isoformat()}\n    title:'
        f" {json.dumps(title, ensure_ascii=False)}\n    audience:"
        f' {json.dumps(audience, ensure_ascii=False)}\n    source: "test"\n'
    )
    path.write_text(
        source.replace("\ndeadlines:\n", "\ndeadlines:\n" + entry, 1), encoding="utf-8"
    )
    result = world.services.knowledge.load_from(world.services.settings.kb_dir, created_by="test")
    assert (True, []) == (result.ok, result.problems)


def test_kb_deadline_reaches_its_audience(world):
    """A future KB deadline for "Các Sở, ban, ngành" reaches the department groups (through the
    group), not the commune."""
    for chat, agency in ((XD_GROUP, XD), (YT_GROUP, YT), (COMMUNE_GROUP, COMMUNE)):
        world.bind(chat, agency)
    add_kb_deadline(world, "test-kb-2026", DUE, "Báo cáo PGI của các sở", ["Các Sở, ban, ngành"])
    world.plan(MOMENTS[14])
    rows = world.rows("reminder")
    assert (sorted([XD_GROUP, YT_GROUP]), {"kb:test-kb-2026"}) == (
        sorted(chat_of(r) for r in rows),
        {r.deadline_key for r in rows},
    )


def test_kb_deadline_for_a_named_agency(world):
    """A KB deadline naming Sở Y tế reaches only Sở Y tế's group; its text names the KB title."""
    world.bind(XD_GROUP, XD)
    world.bind(YT_GROUP, YT)
    add_kb_deadline(world, "test-kb-yt", DUE, "Số liệu y tế môi trường", ["Sở Y tế"])
    world.plan(MOMENTS[7])
    rows = world.rows("reminder")
    assert [
        (YT_GROUP, reminder_text(YT[1], YT_INDICATORS, 7, title="Số liệu y tế môi trường"))
    ] == [(chat_of(r), r.text) for r in rows]


def test_past_kb_deadlines_write_nothing(world):
    """The shipped KB's deadlines (2023–2024) are long past: no reminder, notice or digest."""
    world.bind(XD_GROUP, XD)
    world.bind(YT_GROUP, YT)
    assert 0 == world.plan(MOMENTS[14])


def test_group_bound_through_the_core_gets_reminders(world):
    """/dangky by a group admin, the bot admin's Approve (adm:g:<id>:y): the group is in the
    audience at the next moment."""
    reply = world.say(
        GROUP_ADMIN,
        "/dangky Sở Xây dựng",
        chat_id=XD_GROUP,
        chat_title="Tổ PGI Sở XD",
        is_group_admin=True,
    )
    if (
        reply.choices
    ):  # several agencies match: the admin picks one (exactly one sends the request at once)
        pick = next(c.data for c in reply.choices if c.label == XD[1])
        world.press(
            GROUP_ADMIN, pick, chat_id=XD_GROUP, chat_title="Tổ PGI Sở XD", is_group_admin=True
        )
    [request] = [
        r for r in world.rows("notice") if chat_of(r) == ADMIN
    ]  # the request reaches the admin through the ledger
    approve = next(b["data"] for b in request.buttons if b["data"].endswith(":y"))
    world.press(ADMIN, approve)
    world.deadline(LEAD_15)
    world.plan(MOMENTS[14])
    assert [XD_GROUP] == [chat_of(r) for r in world.rows("reminder")]


# --- the reminder's text ------------------------------------------------------------------------


def test_reminder_text_names_deadline_date_days_left_and_missing_indicators(world):
    """The 14-day reminder names the title, 15/12/2026, "14 days left", the agency and its
    indicators without an update."""
    world.bind(XD_GROUP, XD)
    world.deadline(LEAD_15)
    world.plan(MOMENTS[14])
    assert [reminder_text(XD[1], XD_MISSING, 14)] == [r.text for r in world.rows("reminder")]


def test_reminder_on_the_day_says_due_today(world):
    """The offset-0 reminder says the deadline is today."""
    world.bind(XD_GROUP, XD)
    world.deadline(LEAD_15)
    world.plan(MOMENTS[0])
    assert [reminder_text(XD[1], XD_MISSING, 0)] == [r.text for r in world.rows("reminder")]


def test_reminder_carries_acknowledge_progress_and_extension_buttons(world):
    """Each reminder row has the choices rem:ack:<deadline key>, pu:start and gh:ask:<deadline
    key>."""
    world.bind(XD_GROUP, XD)
    d = world.deadline(LEAD_15)
    world.plan(MOMENTS[14])
    assert [[f"rem:ack:{d.key}", "pu:start", f"gh:ask:{d.key}"]] == [
        [b["data"] for b in r.buttons] for r in world.rows("reminder")
    ]


def test_progress_update_drops_the_indicator_from_the_next_reminder(world):
    """After one progress update on 1.5, the 7-day reminder lists Sở Xây dựng's other indicators
    only."""
    world.bind(XD_GROUP, XD)
    world.deadline(LEAD_15)
    world.plan(MOMENTS[14])
    world.progress(XD, "1.5")
    before = world.rows()
    world.plan(MOMENTS[7])
    assert [reminder_text(XD[1], [c for c in XD_MISSING if c != "1.5"], 7)] == [
        r.text for r in world.new_rows(before, "reminder")
    ]


def test_reminder_when_every_indicator_has_an_update(world):
    """An agency that updated all its indicators is told so instead of a list."""
    world.bind(YT_GROUP, YT)
    world.deadline(EVERYONE)
    for code in YT_INDICATORS:
        world.progress(YT, code)
    world.plan(MOMENTS[14])
    expected = "\n".join(
        [
            T("⏰ Reminder: {title}", title=TITLE),
            T("Due: {date} ({left})", date="15/12/2026", left=days_left(14)),
            T("For: {agency}", agency=YT[1]),
            T("Every indicator of {agency} has a progress update.", agency=YT[1]),
            T(
                "Choose “Acknowledged” (or send /danhan) so the focal department knows you have"
                " seen this."
            ),
        ]
    )
    assert [expected] == [r.text for r in world.rows("reminder")]


# --- downtime -----------------------------------------------------------------------------------


def test_after_downtime_only_the_latest_reminder_is_written(world):
    """Ticks until Thu 03/12, then down until Sat 12/12 09:00 (7- and 3-day moments missed): one
    row per group, the 3-day one."""
    world.bind(XD_GROUP, XD)
    world.bind(NNMT_GROUP, NNMT)
    world.deadline(LEAD_15)
    for day in (1, 2, 3):
        world.plan(at(2026, 12, day, 9))
    before = world.rows()
    written = world.plan(at(2026, 12, 12, 9))
    new = world.new_rows(before, "reminder")
    offsets = sorted(
        (chat_of(r), r.key.split(":")[-2]) for r in new
    )  # key: rem:<deadline>:<due>:<offset>:<binding tag>
    assert (2, sorted([(XD_GROUP, "3"), (NNMT_GROUP, "3")])) == (written, offsets)
    assert reminder_text(XD[1], XD_MISSING, 3) == next(
        r.text for r in new if chat_of(r) == XD_GROUP
    )


# --- acknowledgements ---------------------------------------------------------------------------


def test_acknowledge_button_is_recorded_for_the_group_agency(world):
    """A member pressing "Acknowledged" in the bound group records the group's agency for that
    deadline."""
    world.bind(XD_GROUP, XD)
    world.member(XD_MEMBER, XD)
    d = world.deadline(LEAD_15)
    reply = world.press(XD_MEMBER, f"rem:ack:{d.key}", chat_id=XD_GROUP)
    with world.db.session() as s:
        acked = deadline_store.acknowledged_agencies(s, d.key)
    assert (T("Recorded: {name} has seen this reminder.", name=f"User {XD_MEMBER}"), {XD[0]}) == (
        reply.toast,
        acked,
    )


def test_acknowledgement_stops_reminders_except_the_last(world):
    """Sở Xây dựng acknowledges after the 14-day reminder: it gets no 7/3/1-day reminder but the
    one on the day; Sở Y tế gets all."""
    world.bind(XD_GROUP, XD)
    world.bind(YT_GROUP, YT)
    world.member(XD_MEMBER, XD)
    d = world.deadline({"kind": "agencies", "ids": [XD[0], YT[0]], "names": [XD[1], YT[1]]})
    chats = {}
    for offset, moment in MOMENTS.items():
        before = world.rows()
        world.plan(moment)
        chats[offset] = sorted(chat_of(r) for r in world.new_rows(before, "reminder"))
        if offset == 14:
            world.press(XD_MEMBER, f"rem:ack:{d.key}", chat_id=XD_GROUP)
    both = sorted([XD_GROUP, YT_GROUP])
    assert {14: both, 7: [YT_GROUP], 3: [YT_GROUP], 1: [YT_GROUP], 0: both} == chats


def test_acknowledgement_of_a_kb_deadline_stops_its_reminders(world):
    """rem:ack:kb:<id> works for knowledge-base deadlines too."""
    world.bind(XD_GROUP, XD)
    world.member(XD_MEMBER, XD)
    add_kb_deadline(world, "test-kb-ack", DUE, "Báo cáo PGI", ["Sở Xây dựng"])
    world.plan(MOMENTS[14])
    world.press(XD_MEMBER, "rem:ack:kb:test-kb-ack", chat_id=XD_GROUP)
    assert 0 == world.plan(MOMENTS[7])


KHDT = (
    "so-khdt",
    "Sở Kế hoạch và Đầu tư",
)  # merged into Sở Tài chính (succeeded_by: so-tai-chinh)


def test_group_bound_to_a_merged_agency_is_reminded_as_its_successor(world):
    """A binding stored with a superseded agency id (made before the merger) follows the
    successor: it is in "Sở Tài chính"'s audience."""
    world.bind(XD_GROUP, KHDT)
    world.deadline({"kind": "agencies", "ids": ["so-tai-chinh"], "names": ["Sở Tài chính"]})
    world.plan(MOMENTS[14])
    assert [(XD_GROUP, "so-tai-chinh")] == [
        (chat_of(r), r.agency_id) for r in world.rows("reminder")
    ]


def test_acknowledgement_from_a_group_bound_to_a_merged_agency_stops_reminders(world):
    """The group bound to Sở Kế hoạch và Đầu tư acknowledges; the 7-day reminder of a deadline
    for Sở Tài chính is not sent to it."""
    world.bind(XD_GROUP, KHDT)
    world.member(XD_MEMBER, KHDT)
    d = world.deadline({"kind": "agencies", "ids": ["so-tai-chinh"], "names": ["Sở Tài chính"]})
    world.plan(MOMENTS[14])
    world.press(XD_MEMBER, f"rem:ack:{d.key}", chat_id=XD_GROUP)
    assert 0 == world.plan(MOMENTS[7])


def test_acknowledged_agency_gets_the_last_reminder_of_a_weekend_deadline(world):
    """Due Sunday 13/12/2026: the last reminder goes out Friday 11/12, also to an agency that
    acknowledged earlier."""
    world.bind(XD_GROUP, XD)
    world.member(XD_MEMBER, XD)
    d = world.deadline(LEAD_15, due=date(2026, 12, 13))
    world.plan(at(2026, 11, 30))  # 14 days before is Sunday 29/11 -> Friday 27/11
    world.press(XD_MEMBER, f"rem:ack:{d.key}", chat_id=XD_GROUP)
    before = world.rows()
    world.plan(at(2026, 12, 11, 9))
    assert [XD_GROUP] == [chat_of(r) for r in world.new_rows(before, "reminder")]


# --- overdue notices and the focal department's digest ------------------------------------------


def test_overdue_notice_once_to_agencies_that_have_not_reported(world):
    """From the first working day after the deadline, Sở Xây dựng (no updates) gets one overdue
    notice; Sở Y tế (all updated) none."""
    world.bind(XD_GROUP, XD)
    world.bind(YT_GROUP, YT)
    world.deadline({"kind": "agencies", "ids": [XD[0], YT[0]], "names": [XD[1], YT[1]]})
    for code in YT_INDICATORS:
        world.progress(YT, code)
    for day in range(15, 24):
        world.plan(at(2026, 12, day, 9))
    expected = "\n".join(
        [
            T("⚠️ Overdue: {title} (due {date})", title=TITLE, date="15/12/2026"),
            T(
                "Indicators of {agency} with no progress update yet: {codes}",
                agency=XD[1],
                codes=", ".join(XD_MISSING),
            ),
            T("Please post your progress now (/capnhat)."),
        ]
    )
    assert [(XD_GROUP, expected)] == [(chat_of(r), r.text) for r in world.rows("overdue")]


def test_no_overdue_notice_on_the_deadline_day(world):
    """On the deadline day itself (even late in the evening) nothing is overdue."""
    world.bind(XD_GROUP, XD)
    world.deadline(LEAD_15)
    world.plan(at(2026, 12, 15, 23, 30))
    assert ([], []) == (world.rows("overdue"), world.rows("digest"))


@pytest.fixture
def holiday_world(settings, api, clock):
    """Thursday 17/12/2026 is a configured holiday."""
    w = make_world(settings, api, clock, holidays=frozenset({date(2026, 12, 17)}))
    yield w
    w.services.close()


def test_digest_each_overdue_working_day_to_the_focal_department(holiday_world):
    """The focal user, a member of Sở NN&MT and a group bound to it get one digest per working
    day for 5 working days."""
    world = holiday_world
    world.member(NNMT_MEMBER, NNMT)
    world.bind(NNMT_GROUP, NNMT)
    world.bind(XD_GROUP, XD)
    world.deadline({"kind": "agencies", "ids": [XD[0]], "names": [XD[1]]})
    for day in range(15, 32):
        for hh in (8, 12):
            world.plan(at(2026, 12, day, hh))
    digests: dict[int, list[str]] = {}
    for r in world.rows("digest"):
        digests.setdefault(chat_of(r), []).append(r.text.splitlines()[0])
    days = [
        "16/12/2026",
        "18/12/2026",
        "21/12/2026",
        "22/12/2026",
        "23/12/2026",
    ]  # 17/12 holiday, 19–20/12 weekend
    heads = [
        T("Digest of {day}: “{title}”, due {date}", day=d, title=TITLE, date="15/12/2026")
        for d in days
    ]
    assert {FOCAL: heads, NNMT_MEMBER: heads, NNMT_GROUP: heads} == digests


def test_digest_lists_who_has_not_reported(world):
    """The digest counts the audience and lists each agency with indicators lacking an update."""
    world.bind(XD_GROUP, XD)
    world.bind(YT_GROUP, YT)
    world.deadline({"kind": "agencies", "ids": [XD[0], YT[0]], "names": [XD[1], YT[1]]})
    for code in YT_INDICATORS:
        world.progress(YT, code)
    world.plan(at(2026, 12, 16, 9))
    expected = "\n".join(
        [
            T(
                "Digest of {day}: “{title}”, due {date}",
                day="16/12/2026",
                title=TITLE,
                date="15/12/2026",
            ),
            T("{n} of {total} agencies have not reported:", n=1, total=2),
            T("• {agency}: {n} indicator(s) without an update", agency=XD[1], n=len(XD_MISSING)),
        ]
    )
    assert [(FOCAL, expected)] == [(chat_of(r), r.text) for r in world.rows("digest")]


def test_digest_says_when_everyone_has_reported(world):
    """When every agency of the audience has reported, the digest says so and no overdue notice
    is written."""
    world.bind(YT_GROUP, YT)
    world.deadline({"kind": "agencies", "ids": [YT[0]], "names": [YT[1]]})
    for code in YT_INDICATORS:
        world.progress(YT, code)
    world.plan(at(2026, 12, 16, 9))
    expected = "\n".join(
        [
            T(
                "Digest of {day}: “{title}”, due {date}",
                day="16/12/2026",
                title=TITLE,
                date="15/12/2026",
            ),
            T("All {n} agencies in the audience have reported.", n=1),
        ]
    )
    assert ([(FOCAL, expected)], []) == (
        [(chat_of(r), r.text) for r in world.rows("digest")],
        world.rows("overdue"),
    )


# --- cancelled and edited deadlines -------------------------------------------------------------


def test_cancelled_deadline_skips_pending_rows_and_writes_no_more(world):
    """/huyhan: the pending 14-day rows become "skipped" and no later moment writes anything."""
    world.bind(XD_GROUP, XD)
    world.bind(NNMT_GROUP, NNMT)
    d = world.deadline(LEAD_15)
    world.plan(MOMENTS[14])
    reply = world.say(FOCAL, f"/huyhan {d.id}")
    later = [world.plan(m) for m in (MOMENTS[7], MOMENTS[0], at(2026, 12, 16, 9))]
    assert (
        T(
            "Deadline #{id} “{title}” is cancelled; no more reminders will be sent for it.",
            id=d.id,
            title=TITLE,
        )
        == reply.text
    )
    assert ([0, 0, 0], [ledger.SKIPPED, ledger.SKIPPED]) == (
        later,
        [r.status for r in world.rows()],
    )


def test_cancelling_keeps_rows_already_sent(world):
    """Cancelling does not rewrite history: a reminder already sent stays "sent"."""
    world.bind(XD_GROUP, XD)
    d = world.deadline(LEAD_15)
    world.plan(MOMENTS[14])
    with world.db.session() as s:
        ledger.mark_sent(s, world.rows()[0].id, "77", world.clock.now)
    world.say(FOCAL, f"/huyhan {d.id}")
    assert [ledger.SENT] == [r.status for r in world.rows()]


def test_edited_date_drops_old_rows_and_reminders_follow_the_new_date(world):
    """/suahan <id> 22/12/2026: the unsent row of the 15/12 date is dropped (never sent); on
    08/12 the 14-day reminder of 22/12 is written (and not the 7-day reminder of the old date).
    """
    world.bind(XD_GROUP, XD)
    d = world.deadline(LEAD_15)
    world.plan(MOMENTS[14])
    old = world.rows()
    reply = world.say(FOCAL, f"/suahan {d.id} 22/12/2026")
    world.plan(at(2026, 12, 1, 9))
    world.plan(MOMENTS[7])
    assert (
        T("Deadline #{id} is now {date} — {title}.", id=d.id, date="22/12/2026", title=TITLE)
        == reply.text
    )
    assert [] == [r.key for r in world.rows() if r.key in {o.key for o in old}]
    assert [reminder_text(XD[1], XD_MISSING, 14, due="22/12/2026")] == [
        r.text for r in world.new_rows(old, "reminder")
    ]


def test_edited_title_rewrites_a_pending_reminder(world):
    """A reminder still pending when the title is corrected goes out with the new title at the
    next tick."""
    world.bind(XD_GROUP, XD)
    d = world.deadline(LEAD_15)
    world.plan(MOMENTS[14])
    old = world.rows()
    world.say(FOCAL, f"/suahan {d.id} Báo cáo PGI (sửa)")
    world.plan(at(2026, 12, 1, 8, 1))
    assert [reminder_text(XD[1], XD_MISSING, 14, title="Báo cáo PGI (sửa)")] == [
        r.text for r in world.new_rows(old, "reminder")
    ]


# ================================================================================================
# the dispatcher, through PTB's HTTP stack and the fake Bot API
# ================================================================================================


async def test_reminder_arrives_once_with_its_text(world, app):
    """Three cycles at and after 08:00 on 01/12: the group receives the 14-day reminder exactly
    once."""
    world.bind(XD_GROUP, XD)
    world.deadline(LEAD_15)
    for t in (MOMENTS[14], MOMENTS[14], MOMENTS[14] + timedelta(minutes=1)):
        world.clock.now = t
        await app.bot_data.cycle()
    assert [reminder_text(XD[1], XD_MISSING, 14)] == [
        c.text for c in world.api.sent_messages(XD_GROUP)
    ]


async def test_reminder_message_has_the_three_buttons(world, app):
    """The message carries "Acknowledged" (rem:ack:<key>), "Post progress" (pu:start) and "Ask
    for an extension" (gh:ask:<key>) as inline buttons, one a row."""
    world.bind(XD_GROUP, XD)
    d = world.deadline(LEAD_15)
    world.clock.now = MOMENTS[14]
    await app.bot_data.cycle()
    [call] = world.api.sent_messages(XD_GROUP)
    assert (
        [[f"rem:ack:{d.key}"], ["pu:start"], [f"gh:ask:{d.key}"]],
        [[T("Acknowledged")], [T("Post progress")], [T("Ask for an extension")]],
    ) == (callback_data(call), labels(call))


async def test_sent_row_records_the_message_id(world, app):
    """After sending, the ledger row is "sent" with Telegram's message id and one attempt."""
    world.bind(XD_GROUP, XD)
    world.deadline(LEAD_15)
    world.clock.now = MOMENTS[14]
    await app.bot_data.cycle()
    [call] = world.api.sent_messages(XD_GROUP)
    [row] = world.rows("reminder")
    assert (ledger.SENT, str(call.result["message_id"]), 1) == (
        row.status,
        row.message_id,
        row.attempts,
    )


async def test_flood_limit_429_is_honoured_and_the_reminder_arrives_once(world, app):
    """A 429 with retry_after=1 on sendMessage: the request is repeated after at least a second
    and the group gets one message."""
    world.bind(XD_GROUP, XD)
    world.deadline(LEAD_15)
    world.api.fail_next("sendMessage", 429, retry_after=1, chat_id=XD_GROUP)
    world.clock.now = MOMENTS[14]
    await app.bot_data.cycle()
    calls = sends_to(world.api, XD_GROUP)
    [row] = world.rows("reminder")
    assert ([429, 200], ledger.SENT, {}) == (
        [c.status for c in calls],
        row.status,
        world.api.duplicate_texts(),
    )
    assert calls[1].time - calls[0].time >= 1.0


async def test_kicked_group_row_is_gone_and_its_binding_inactive(world, app):
    """ "Forbidden: bot was kicked from the group chat": the row is "gone" with that reason and
    the binding is no longer active."""
    world.bind(XD_GROUP, XD)
    world.deadline(LEAD_15)
    world.api.kick(XD_GROUP)
    world.clock.now = MOMENTS[14]
    await app.bot_data.cycle()
    [row] = world.rows("reminder")
    assert (ledger.GONE, "Forbidden: bot was kicked from the group chat", None) == (
        row.status,
        row.error,
        world.binding(XD_GROUP),
    )


async def test_kicked_group_is_reported_to_the_focal_department(world, app):
    """The focal user receives (once) a notice naming the group's chat id and channel, its
    agency and the reason."""
    world.bind(XD_GROUP, XD)
    world.deadline(LEAD_15)
    world.api.kick(XD_GROUP)
    for t in (MOMENTS[14], MOMENTS[14] + timedelta(minutes=1)):
        world.clock.now = t
        await app.bot_data.cycle()
    expected = T(
        "The chat {chat} ({channel}) of {agency} can no longer receive messages ({reason});"
        " messages to it are stopped. Ask the agency to add the bot again (a group: bind it with"
        " /dangky; a person: write to the bot once).",
        chat=XD_GROUP,
        channel="Telegram",
        agency=XD[1],
        reason=T("the bot was removed from the group"),
    )
    assert ([expected], [ledger.SENT]) == (
        [c.text for c in world.sent_except_review_digests(FOCAL)],
        [r.status for r in world.rows("notice")],
    )


async def test_kicked_group_gets_no_later_reminders(world, app):
    """After the bot was kicked, the next reminder moments write nothing for that group."""
    world.bind(XD_GROUP, XD)
    world.deadline(LEAD_15)
    world.api.kick(XD_GROUP)
    world.clock.now = MOMENTS[14]
    await app.bot_data.cycle()
    world.clock.now = MOMENTS[7]
    await app.bot_data.cycle()
    assert 1 == len(sends_to(world.api, XD_GROUP))


NEW_XD = int(f"-100{abs(XD_GROUP)}")


async def test_migrated_group_is_followed_to_the_supergroup(world, app):
    """The group became a supergroup: the binding moves to the new id and the reminder arrives
    there once."""
    world.bind(XD_GROUP, XD)
    world.deadline(LEAD_15)
    world.api.migrate(XD_GROUP, NEW_XD)
    world.clock.now = MOMENTS[14]
    await app.bot_data.cycle()
    [row] = world.rows("reminder")
    assert [reminder_text(XD[1], XD_MISSING, 14)] == [
        c.text for c in world.api.sent_messages(NEW_XD)
    ]
    assert (NEW_XD, ledger.SENT) == (chat_of(row), row.status)
    assert (XD[0], None) == (world.binding(NEW_XD).agency_id, world.binding(XD_GROUP))


async def test_migrated_group_does_not_get_the_reminder_twice(world, app):
    """A later tick the same day after the migration does not send the 14-day reminder again."""
    world.bind(XD_GROUP, XD)
    world.deadline(LEAD_15)
    world.api.migrate(XD_GROUP, NEW_XD)
    world.clock.now = MOMENTS[14]
    await app.bot_data.cycle()
    world.clock.now = MOMENTS[14] + timedelta(minutes=1)
    await app.bot_data.cycle()
    assert (1, {}) == (len(world.api.sent_messages(NEW_XD)), world.api.duplicate_texts())


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_network_error_is_retried_on_a_later_drain(world, app):
    """A drain through a bot whose server is unreachable leaves the row pending with the error;
    a later drain sends it once."""
    world.bind(XD_GROUP, XD)
    world.deadline(LEAD_15)
    world.clock.now = MOMENTS[14]
    world.plan()
    unreachable = replace(
        world.services,
        settings=replace(
            world.services.settings, api_base_url=f"http://127.0.0.1:{closed_port()}/bot"
        ),
    )
    dead = build_application(unreachable, tick=None)  # not initialised: its getMe would fail too
    stats = await dead.bot_data.dispatcher.drain()
    [failed] = world.rows("reminder")
    soon = (
        await app.bot_data.dispatcher.drain()
    )  # the retry waits at least 2 s of the services' clock
    world.clock.now += timedelta(seconds=30)
    later = await app.bot_data.dispatcher.drain()
    [row] = world.rows("reminder")
    assert (1, ledger.PENDING, True) == (
        stats.retried,
        failed.status,
        (failed.error or "").startswith("network error"),
    )
    assert (0, 1) == (soon.sent, later.sent)
    assert (ledger.SENT, 1) == (row.status, len(world.api.sent_messages(XD_GROUP)))


async def test_retry_outcome_is_sent_on_a_later_drain(world, app, monkeypatch):
    """A channel reporting "retry" once (a network error): the row waits, then a later drain
    sends it exactly once."""
    world.bind(XD_GROUP, XD)
    world.deadline(LEAD_15)
    real_send = TelegramChannel.send
    failures = []

    async def flaky(self, chat_id, text, buttons, before_request):
        if not failures and chat_id == str(XD_GROUP):
            failures.append(chat_id)
            return delivery.Outcome("retry", reason="network error: connection reset")
        return await real_send(self, chat_id, text, buttons, before_request)

    monkeypatch.setattr(TelegramChannel, "send", flaky)
    world.clock.now = MOMENTS[14]
    first = await app.bot_data.cycle()
    world.clock.now += timedelta(minutes=1)
    second = await app.bot_data.cycle()
    # the first cycle also sends the focal department's daily review digest
    assert ((1, 1), (0, 1)) == ((first.retried, first.sent), (second.retried, second.sent))
    assert 1 == len(world.api.sent_messages(XD_GROUP))


# ================================================================================================
# restart safety, in one process
# ================================================================================================

DEAD = "dead-host:4242:deadbeef"


def written_reminders(world: World) -> list[DeliveryInfo]:
    for chat, agency in ((XD_GROUP, XD), (YT_GROUP, YT), (CT_GROUP, CT)):
        world.bind(chat, agency)
    world.deadline(EVERYONE)
    world.plan(MOMENTS[14])
    return world.rows("reminder")


async def test_rows_claimed_by_a_dead_dispatcher_are_sent_once_after_the_lease(world, app):
    """Rows claimed by a process that died before sending go back to pending after the lease and
    are sent once."""
    written_reminders(world)
    with world.db.session() as s:
        ledger.claim(s, DEAD, world.clock.now, 50)
    world.clock.now += timedelta(seconds=61)
    dispatcher = app.bot_data.dispatcher
    recovered = dispatcher.recover()
    await dispatcher.drain()
    await dispatcher.drain()
    received = Counter(int(c.params["chat_id"]) for c in world.api.sent_messages())
    assert ((3, 0), {XD_GROUP: 1, YT_GROUP: 1, CT_GROUP: 1}) == (recovered, dict(received))
    assert [ledger.SENT] * 3 == [r.status for r in world.rows()]


async def test_rows_claimed_by_another_live_dispatcher_are_left_alone(world, app):
    """Within the lease, another process's claimed rows are neither recovered nor sent."""
    written_reminders(world)
    with world.db.session() as s:
        ledger.claim(s, DEAD, world.clock.now, 50)
    world.clock.now += timedelta(seconds=30)
    dispatcher = app.bot_data.dispatcher
    recovered = dispatcher.recover()
    stats = await dispatcher.drain()
    assert ((0, 0), 0, []) == (recovered, stats.sent, world.api.sent_messages())
    assert [ledger.CLAIMED] * 3 == [r.status for r in world.rows()]


async def test_rows_in_flight_when_the_dispatcher_died_become_uncertain_and_are_not_sent(
    world, app
):
    """A request that may have left before the crash is never repeated: the row becomes
    "uncertain"."""
    written_reminders(world)
    with world.db.session() as s:
        for row in ledger.claim(s, DEAD, world.clock.now, 50):
            ledger.mark_in_flight(s, row.id, DEAD, world.clock.now)
    world.clock.now += timedelta(seconds=61)
    dispatcher = app.bot_data.dispatcher
    recovered = dispatcher.recover()
    await dispatcher.drain()
    assert ((0, 3), [], [ledger.UNCERTAIN] * 3) == (
        recovered,
        world.api.sent_messages(),
        [r.status for r in world.rows()],
    )


async def test_uncertain_rows_are_not_written_again_by_the_planner(world, app):
    """The next tick of the same day does not write a new row for a reminder that became
    uncertain."""
    written_reminders(world)
    with world.db.session() as s:
        for row in ledger.claim(s, DEAD, world.clock.now, 50):
            ledger.mark_in_flight(s, row.id, DEAD, world.clock.now)
    world.clock.now += timedelta(seconds=61)
    app.bot_data.dispatcher.recover()
    await app.bot_data.cycle()
    assert (3, []) == (len(world.rows("reminder")), world.sent_except_review_digests())


# ================================================================================================
# two dispatchers sharing one database
# ================================================================================================

GROUPS_30 = [-1_001_000_000_000 - i for i in range(1, 31)]


async def two_dispatchers_broadcast(
    settings, api: FakeBotApi, monkeypatch, database_url: str | None
) -> None:
    """30 bound groups, a broadcast through the core, then two dispatchers (own services, app
    and owner) drain at once."""
    monkeypatch.setattr(
        delivery, "BATCH", 1
    )  # one row per claim, so that the two dispatchers' claims interleave
    clock = Clock(at(2026, 12, 1, 10))
    changes = {"database_url": database_url} if database_url else {}
    one = make_world(settings, api, clock, **changes)
    two = World(build_services(one.services.settings, clock=clock), clock, api)
    try:
        for chat in GROUPS_30:
            one.bind(chat, XD if chat % 2 else YT)
        one.say(FOCAL, "/thongbao Họp giao ban PGI lúc 14h thứ Sáu")
        one.press(FOCAL, "au:all")
        one.press(FOCAL, "bc:ok")
        app_one = build_application(one.services, tick=None)
        app_two = build_application(two.services, tick=None)
        async with app_one, app_two:
            assert app_one.bot_data.dispatcher.owner != app_two.bot_data.dispatcher.owner
            s1, s2 = await asyncio.gather(
                app_one.bot_data.dispatcher.drain(), app_two.bot_data.dispatcher.drain()
            )
        received = Counter(int(c.params["chat_id"]) for c in api.sent_messages())
        rows = one.rows("broadcast")
        assert {chat: 1 for chat in GROUPS_30} == {chat: received[chat] for chat in GROUPS_30}
        assert ({}, [ledger.SENT] * 30) == (api.duplicate_texts(), [r.status for r in rows])
        assert (1, 31) == (received[FOCAL], s1.sent + s2.sent)  # the delivery report, once
    finally:
        two.services.close()
        one.services.close()


async def test_two_dispatchers_on_sqlite_send_each_message_once(settings, api, monkeypatch):
    """Two dispatchers draining one SQLite ledger at once: every group gets the broadcast
    exactly once."""
    await two_dispatchers_broadcast(settings, api, monkeypatch, None)


@pytest.mark.postgres
async def test_two_dispatchers_on_postgres_send_each_message_once(
    settings, api, monkeypatch, postgres_url
):
    """Two dispatchers draining one PostgreSQL ledger at once: every group gets the broadcast
    exactly once."""
    await two_dispatchers_broadcast(settings, api, monkeypatch, postgres_url)
