"""Nobody gets in where they should not, and what people type or press is checked where it enters.

/kb is for admins; a reminder is acknowledged only by the agency's own members (or the focal
department, or an admin) and only for a deadline that exists; ids out of range and dates far away
are answered with a clear sentence instead of an error from the database driver or the calendar.
The harness is the one of tests/test_reminders.py (commands and presses through
``Conversation.handle``).
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.validate_input import ROW_ID_MAX, USER_ID_MAX, parse_deadline_key, parse_id
from storage.schedule import deadlines as deadline_store
from tests.support.fake_bot_api import FakeBotApi
from tests.support.world import (
    ADMIN,
    DUE,
    FOCAL,
    LEAD_15,
    XD,
    XD_GROUP,
    XD_MEMBER,
    YT,
    Clock,
    T,
    at,
    make_world,
)

HUGE = "9" * 20  # beyond every integer column
YT_MEMBER = 100_002
STRANGER = 100_003


@pytest.fixture
def world(settings):
    with FakeBotApi() as api:
        w = make_world(settings, api, Clock(at(2026, 11, 30, 9, 0)))
        w.bind(XD_GROUP, XD)
        w.member(XD_MEMBER, XD)
        w.member(YT_MEMBER, YT)
        yield w
        w.services.close()


def acknowledged(world, key: str) -> set[str]:
    with world.db.session() as s:
        return deadline_store.acknowledged_agencies(s, key)


# --- /kb
# -------------------------------------------------------------------------------------------


def test_kb_is_refused_to_non_admins_without_ids_or_paths(world):
    """/kb from a member is refused, and the reply names neither who loaded the KB nor the
    server path."""
    reply = world.say(XD_MEMBER, "/kb")
    assert T("Only the bot's admins can do that.") == reply.text
    assert str(world.services.settings.kb_dir) not in reply.text


def test_kb_shows_the_version_to_admins(world):
    """An admin sees the version, who loaded it and from where."""
    reply = world.say(ADMIN, "/kb")
    assert str(world.services.settings.kb_dir) in reply.text


def test_kb_names_who_loaded_it_in_the_readers_language(world):
    """/kb says who loaded the version in Vietnamese: the shipped knowledge base is "hệ thống
    (cơ sở tri thức kèm theo)", not the English words it is stored under (issue 19)."""
    reply = world.say(ADMIN, "/kb")
    assert "hệ thống (cơ sở tri thức kèm theo)" in reply.text
    assert "system" not in reply.text and "shipped" not in reply.text


# --- acknowledging reminders
# -----------------------------------------------------------------------


def test_stranger_cannot_acknowledge_for_the_agency(world):
    """Someone in the group who is not an approved member of Sở Xây dựng gets a polite refusal;
    nothing is recorded."""
    d = world.deadline(LEAD_15)
    reply = world.press(STRANGER, f"rem:ack:{d.key}", chat_id=XD_GROUP)
    refusal = T(
        "Only approved members of this group's agency (or the focal department) can acknowledge"
        " its reminders. Sign up with /dangky."
    )
    assert refusal[:190] == reply.toast
    assert set() == acknowledged(world, d.key)


def test_member_of_another_agency_cannot_acknowledge(world):
    """A member of Sở Y tế pressing in the Sở Xây dựng group is refused."""
    d = world.deadline(LEAD_15)
    world.press(YT_MEMBER, f"rem:ack:{d.key}", chat_id=XD_GROUP)
    assert set() == acknowledged(world, d.key)


@pytest.mark.parametrize("who", [FOCAL, ADMIN])
def test_focal_department_and_admins_may_acknowledge(world, who):
    """The focal department and admins may acknowledge for the group's agency."""
    d = world.deadline(LEAD_15)
    world.press(who, f"rem:ack:{d.key}", chat_id=XD_GROUP)
    assert {XD[0]} == acknowledged(world, d.key)


@pytest.mark.parametrize(
    "key", ["anything", "db:999", "db:0", f"db:{HUGE}", "kb:no-such-deadline", "kb:", "db:1:extra"]
)
def test_acknowledgement_of_an_unknown_deadline_is_refused(world, key):
    """Only a key naming an existing KB deadline or an active chat deadline is accepted."""
    world.deadline(LEAD_15)  # db:1 exists
    reply = world.press(XD_MEMBER, f"rem:ack:{key}", chat_id=XD_GROUP)
    assert T("This button is no longer valid.") == reply.toast
    assert set() == acknowledged(world, key)


def test_acknowledgement_of_a_cancelled_deadline_is_refused(world):
    """A cancelled deadline has no reminders left to silence."""
    d = world.deadline(LEAD_15)
    world.say(FOCAL, f"/huyhan {d.id}")
    assert (
        T("This button is no longer valid.")
        == world.press(XD_MEMBER, f"rem:ack:{d.key}", chat_id=XD_GROUP).toast
    )


# --- ids out of range
# ------------------------------------------------------------------------------

CAPQUYEN_USAGE = (
    "Usage: /capquyen <user id> admin|focal|user (the id is shown in sign-up requests and"
    " /choduyet)"
)


@pytest.mark.parametrize(
    "user,text,expected",
    [
        (
            ADMIN,
            f"/capquyen {HUGE} focal",
            T("“{id}” is not a valid user id.", id=HUGE) + "\n" + T(CAPQUYEN_USAGE),
        ),
        (
            FOCAL,
            f"/suahan {HUGE} 15/12/2026",
            T("“{id}” is not a valid deadline id; see /dshan.", id=HUGE),
        ),
        (
            FOCAL,
            f"/suahan {HUGE} Tiêu đề mới",
            T("“{id}” is not a valid deadline id; see /dshan.", id=HUGE),
        ),
        (FOCAL, f"/huyhan {HUGE}", T("Write: /huyhan <id>; see /dshan for the ids.")),
        (FOCAL, f"/huyhan {2**31}", T("Write: /huyhan <id>; see /dshan for the ids.")),
    ],
)
def test_commands_with_ids_out_of_range_say_so(world, user, text, expected):
    """A 20-digit id in a command is answered with what a valid id is, not an error from the
    database driver."""
    assert expected == world.say(user, text).text


@pytest.mark.parametrize(
    "user,data,expected",
    [
        (FOCAL, f"dl:cancel:{HUGE}", "That is not a valid deadline id; see /dshan."),
        (XD_MEMBER, f"pu:undo:{HUGE}", "That is not a valid update id."),
        (ADMIN, f"adm:m:{HUGE}:y", "That is not a valid request id; see /choduyet."),
        (ADMIN, f"adm:g:{HUGE}:n", "That is not a valid request id; see /choduyet."),
        (ADMIN, f"adm:g:{2**31}:y", "That is not a valid request id; see /choduyet."),
    ],
)
def test_buttons_with_ids_out_of_range_say_so(world, user, data, expected):
    """Forged button data with a 20-digit id is answered "not a valid … id"."""
    assert T(expected) == world.press(user, data).text


def test_parse_id_bounds():
    """Ids are positive and fit their column: 1..2**31-1 for rows, 1..2**63-1 for user ids."""
    assert [1, ROW_ID_MAX, None, None, None, 12, None, None] == [
        parse_id(x)
        for x in ["1", str(ROW_ID_MAX), str(ROW_ID_MAX + 1), "0", "-5", "#12", "1e3", "١٢"]
    ]
    assert [USER_ID_MAX, None] == [
        parse_id(str(USER_ID_MAX), USER_ID_MAX),
        parse_id(str(USER_ID_MAX + 1), USER_ID_MAX),
    ]
    assert [("db", 7), ("kb", "x-1"), None, None] == [
        parse_deadline_key(k) for k in ["db:7", "kb:x-1", "db:-7", "xx:1"]
    ]


# --- dates far away
# --------------------------------------------------------------------------------


def test_themhan_refuses_a_date_in_year_9999(world):
    """/themhan 31/12/9999 is refused as outside the years a deadline can have; nothing is
    saved."""
    reply = world.say(FOCAL, "/themhan 31/12/9999; Báo cáo; tất cả")
    assert (
        T(
            "{date} is outside the years {first}–{last}; check the year.",
            date="31/12/9999",
            first=2000,
            last=2100,
        )
        == reply.text
    )
    world.say(FOCAL, "/themhan")
    assert (
        T(
            "{date} is outside the years {first}–{last}; check the year.",
            date="01/01/2101",
            first=2000,
            last=2100,
        )
        in world.say(FOCAL, "01/01/2101").text
    )
    with world.db.session() as s:
        assert [] == deadline_store.active(s)


def test_suahan_refuses_a_date_in_year_9999(world):
    """/suahan <id> 31/12/9999 leaves the deadline as it was."""
    d = world.deadline(LEAD_15)
    reply = world.say(FOCAL, f"/suahan {d.id} 31/12/9999")
    assert (
        T(
            "{date} is outside the years {first}–{last}; check the year.",
            date="31/12/9999",
            first=2000,
            last=2100,
        )
        == reply.text
    )
    with world.db.session() as s:
        assert DUE == deadline_store.get(s, d.id).due_date


def test_themhan_still_refuses_past_dates(world):
    """A new deadline in the past is refused (today is 30/11/2026)."""
    reply = world.say(FOCAL, "/themhan 29/11/2026; Báo cáo; tất cả")
    assert T("{date} is in the past; give a date from today on.", date="29/11/2026") == reply.text
    assert date(2026, 11, 30) == world.conv.today()
