"""The focal department's flows through the conversation core: /themhan, /dshan, /huyhan and
/thongbao with its delivery report.

Commands and button presses go through ``Conversation.handle`` exactly as a channel would send
them; broadcasts are then sent by the real python-telegram-bot application (its dispatcher, no
polling) against the fake Bot API. The harness (a movable clock, bindings, the ledger) is the one
of tests/test_reminders.py; expected texts come from the bot's own gettext catalog (Vietnamese, the
default for a user whose language is unknown).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from handlers.telegram.app import build_application
from storage.conversation import dialogs
from storage.delivery import ledger
from storage.models.delivery import Broadcast
from storage.schedule import deadlines as deadline_store
from tests.support.fake_bot_api import FakeBotApi
from tests.support.world import (
    ADMIN,
    CT,
    CT_GROUP,
    FOCAL,
    NNMT,
    NNMT_GROUP,
    VI,
    XD,
    XD_GROUP,
    XD_MEMBER,
    YT,
    YT_GROUP,
    Clock,
    T,
    World,
    at,
    chat_of,
    make_world,
)

TITLE = "Báo cáo kết quả PGI quý IV"
NOTICE = "Họp giao ban PGI lúc 14h thứ Sáu 04/12/2026 tại Sở NN&MT"
LEAD_15_TEXT = T("the lead agencies of {what}", what=T("indicator {code}", code="1.5"))


@pytest.fixture
def api():
    with FakeBotApi() as server:
        yield server


@pytest.fixture
def world(settings, api):
    """Monday 30/11/2026 09:00; groups of Sở Xây dựng and Sở NN&MT (both lead 1.5), Sở Y tế and
    Sở Công Thương."""
    w = make_world(settings, api, Clock(at(2026, 11, 30, 9, 0)))
    for chat, agency in ((XD_GROUP, XD), (NNMT_GROUP, NNMT), (YT_GROUP, YT), (CT_GROUP, CT)):
        w.bind(chat, agency)
    w.member(XD_MEMBER, XD)
    yield w
    w.services.close()


@pytest.fixture
async def app(world):
    application = build_application(world.services, tick=None)
    async with application:
        yield application


AUDIENCE_CHOICES = ["au:all", "au:communes", "au:lead", "au:coord", "au:names"]


def data(reply) -> list[str]:
    return [c.data for c in reply.choices]


def deadlines(world: World) -> list[deadline_store.DeadlineInfo]:
    with world.db.session() as s:
        return deadline_store.active(s)


def broadcasts(world: World) -> int:
    with world.db.session() as s:
        return s.scalar(select(func.count()).select_from(Broadcast))


def reach(groups: int) -> str:
    """How many chats a preview says a message reaches: here Telegram groups only (no member is
    reached in private)."""
    text = VI.ngettext("{n} chat", "{n} chats", groups).format(n=groups)
    return (
        text + f" ({T('{channel} groups').format(channel='Telegram')}: {groups})"
        if groups
        else text
    )


def deadline_preview(
    n: int, title: str = TITLE, when: str = "15/12/2026", audience: str = LEAD_15_TEXT
) -> str:
    return T(
        "Deadline {date}: {title}\nFor: {audience}\nReminders will go to {reach}.\nSave it?",
        date=when,
        title=title,
        audience=audience,
        reach=reach(n),
    )


def to_deadline_preview(world: World):
    """/themhan step by step up to the preview: date, title, "Lead agencies of…", 1.5."""
    world.say(FOCAL, "/themhan")
    world.say(FOCAL, "15/12/2026")
    world.say(FOCAL, TITLE)
    world.press(FOCAL, "au:lead")
    return world.say(FOCAL, "1.5")


# ================================================================================================
# /themhan
# ================================================================================================


def test_themhan_step_by_step_asks_date_title_and_audience(world):
    """/themhan asks for the date, then the title, then offers the five audience buttons, then
    asks for the indicator."""
    replies = [
        world.say(FOCAL, "/themhan"),
        world.say(FOCAL, "15/12/2026"),
        world.say(FOCAL, TITLE),
        world.press(FOCAL, "au:lead"),
    ]
    assert [
        T(
            "New deadline. What is the date (dd/mm/yyyy)? For a recurring one write how it"
            " repeats, e.g. “hằng tháng ngày 20”, “hằng quý”, “hằng năm 31/12 đến 31/12/2027”."
            " (/huy to cancel)"
        ),
        T("Title of the deadline (what is due)?"),
        T("Who is it for?"),
        T("Type an indicator code (1.5) or a component index (CSTP 2)."),
    ] == [r.text for r in replies]
    assert AUDIENCE_CHOICES == data(replies[2])


def test_themhan_preview_counts_the_bound_groups_of_the_audience(world):
    """The preview shows date, title and audience and says reminders go to the 2 bound groups
    leading 1.5, with Confirm/Cancel."""
    reply = to_deadline_preview(world)
    assert (deadline_preview(2), ["dl:ok", "dl:no"]) == (reply.text, data(reply))


def test_themhan_confirm_saves_the_deadline(world):
    """Confirm saves the deadline with its date, title and audience, and says so."""
    to_deadline_preview(world)
    reply = world.press(FOCAL, "dl:ok")
    [saved] = deadlines(world)
    assert (
        T(
            "Saved deadline #{id}: {date} — {title}. Reminders will follow the schedule.",
            id=saved.id,
            date="15/12/2026",
            title=TITLE,
        )
        == reply.text
    )
    assert (date(2026, 12, 15), TITLE, {"kind": "lead", "target": "1.5"}, world.user(FOCAL)) == (
        saved.due_date,
        saved.title,
        saved.audience,
        saved.created_by,
    )


def test_saved_deadline_is_reminded_to_its_audience(world):
    """The deadline saved through the flow gets its 14-day reminder in both lead groups at 08:00
    on 01/12."""
    to_deadline_preview(world)
    world.press(FOCAL, "dl:ok")
    world.plan(at(2026, 12, 1))
    assert sorted([XD_GROUP, NNMT_GROUP]) == sorted(chat_of(r) for r in world.rows("reminder"))


def test_themhan_in_one_line(world):
    """/themhan 15/12/2026; title; chủ trì 1.5 goes straight to the same preview; Confirm saves
    it."""
    reply = world.say(FOCAL, f"/themhan 15/12/2026; {TITLE}; chủ trì 1.5")
    world.press(FOCAL, "dl:ok")
    assert (
        deadline_preview(2),
        [(date(2026, 12, 15), TITLE, {"kind": "lead", "target": "1.5"})],
    ) == (reply.text, [(d.due_date, d.title, d.audience) for d in deadlines(world)])


def test_themhan_in_one_line_for_named_agencies(world):
    """Named agencies are resolved to their ids; the preview counts their groups."""
    reply = world.say(FOCAL, f"/themhan 15/12/2026; {TITLE}; Sở Y tế, Sở Công Thương")
    world.press(FOCAL, "dl:ok")
    assert deadline_preview(2, audience=f"{YT[1]}; {CT[1]}") == reply.text
    assert [YT[0], CT[0]] == deadlines(world)[0].audience["ids"]


def test_themhan_audience_everyone_and_communes_buttons(world):
    """ "Everyone" counts all 4 bound groups; "All communes and wards" counts none here."""
    world.say(FOCAL, "/themhan")
    world.say(FOCAL, "15/12/2026")
    world.say(FOCAL, TITLE)
    everyone = world.press(FOCAL, "au:all")
    world.say(FOCAL, "/themhan")
    world.say(FOCAL, "15/12/2026")
    world.say(FOCAL, TITLE)
    communes = world.press(FOCAL, "au:communes")
    assert [
        deadline_preview(4, audience=T("everyone")),
        deadline_preview(0, audience=T("all commune and ward People's Committees")),
    ] == [everyone.text, communes.text]


def test_themhan_audience_typed_at_the_audience_step(world):
    """At “Who is it for?”, typing “chủ trì 1.5” (the one-line syntax) instead of pressing a
    button gives the preview."""
    world.say(FOCAL, "/themhan")
    world.say(FOCAL, "15/12/2026")
    world.say(FOCAL, TITLE)
    assert deadline_preview(2) == world.say(FOCAL, "chủ trì 1.5").text


def test_themhan_lead_button_then_typed_chu_tri(world):
    """After “Lead agencies of…”, typing “chủ trì 1.5” is understood like “1.5”."""
    world.say(FOCAL, "/themhan")
    world.say(FOCAL, "15/12/2026")
    world.say(FOCAL, TITLE)
    world.press(FOCAL, "au:lead")
    assert deadline_preview(2) == world.say(FOCAL, "chủ trì 1.5").text


def test_themhan_cancel_saves_nothing(world):
    """Cancel on the preview saves nothing."""
    to_deadline_preview(world)
    reply = world.press(FOCAL, "dl:no")
    assert (T("Cancelled; nothing was saved."), []) == (reply.text, deadlines(world))


def test_themhan_confirm_pressed_twice_saves_once(world):
    """An old Confirm pressed again is refused with a toast; there is still one deadline."""
    to_deadline_preview(world)
    world.press(FOCAL, "dl:ok")
    again = world.press(FOCAL, "dl:ok")
    assert ((T("This button is no longer valid."), True), 1) == (
        (again.toast, again.silent),
        len(deadlines(world)),
    )


@pytest.mark.parametrize("typed", ["mai", "2026-12-15"])
def test_themhan_bad_date_is_refused(world, typed):
    """A date that is not dd/mm/yyyy is refused with an example; nothing is saved."""
    reply = world.say(FOCAL, f"/themhan {typed}; {TITLE}; tất cả")
    assert (
        T("“{text}” is not a date; write it as dd/mm/yyyy, e.g. 15/12/2026.", text=typed),
        [],
    ) == (reply.text, reply.choices)
    assert [] == deadlines(world)


@pytest.mark.parametrize(
    "typed, month, year, days",
    [
        ("31/02/2027", 2, 2027, 28),
        ("30/02/2028", 2, 2028, 29),
        ("31/04/2027", 4, 2027, 30),
        ("29/02/2027", 2, 2027, 28),
    ],
)
def test_themhan_date_that_does_not_exist_is_called_so(world, typed, month, year, days):
    """31 February, 30 February, 31 April, 29 February of a common year: refused as days the
    calendar does not have (with the month's length), not as a wrong format (issue 19); nothing
    is saved."""
    reply = world.say(FOCAL, f"/themhan {typed}; {TITLE}; tất cả")
    expected = T(
        "“{text}” does not exist: month {month:02d}/{year} has {days} days; check the day.",
        text=typed,
        month=month,
        year=year,
        days=days,
    )
    assert (expected, []) == (reply.text, reply.choices)
    assert [] == deadlines(world)


def test_themhan_month_that_does_not_exist_is_called_so(world):
    """15/13/2026: there is no month 13."""
    reply = world.say(FOCAL, f"/themhan 15/13/2026; {TITLE}; tất cả")
    assert (
        T(
            "“{text}” does not exist: there is no month {month}; write the date as dd/mm/yyyy,"
            " e.g. 15/12/2026.",
            text="15/13/2026",
            month=13,
        )
        == reply.text
    )


def test_themhan_bad_date_in_the_step_flow_asks_again(world):
    """In the step flow a bad date is refused and the next good date is taken."""
    world.say(FOCAL, "/themhan")
    bad = world.say(FOCAL, "32/12/2026")
    good = world.say(FOCAL, "15/12/2026")
    assert (
        T(
            "“{text}” does not exist: month {month:02d}/{year} has {days} days; check the day.",
            text="32/12/2026",
            month=12,
            year=2026,
            days=31,
        )
        in bad.text
    )
    assert T("Title of the deadline (what is due)?") == good.text


def test_themhan_past_date_is_refused(world):
    """Yesterday (29/11/2026) is refused as past."""
    reply = world.say(FOCAL, f"/themhan 29/11/2026; {TITLE}; tất cả")
    assert T("{date} is in the past; give a date from today on.", date="29/11/2026") == reply.text


def test_themhan_today_is_accepted(world):
    """Today (30/11/2026) is not in the past."""
    reply = world.say(FOCAL, f"/themhan 30/11/2026; {TITLE}; tất cả")
    assert deadline_preview(4, when="30/11/2026", audience=T("everyone")) == reply.text


def test_themhan_unknown_agency_is_refused(world):
    """An audience naming an unknown agency is refused, naming it; no preview, nothing to
    confirm."""
    reply = world.say(FOCAL, f"/themhan 15/12/2026; {TITLE}; Sở Không Tồn Tại")
    with world.db.session() as s:
        state = dialogs.get_state(s, "telegram", str(FOCAL), world.user(FOCAL))
    assert (True, [], None) == ("Sở Không Tồn Tại" in reply.text, reply.choices, state)


def test_themhan_unknown_indicator_is_refused(world):
    """“chủ trì 9.9” names no indicator of the current plan: refused, nothing to confirm."""
    reply = world.say(FOCAL, f"/themhan 15/12/2026; {TITLE}; chủ trì 9.9")
    assert (True, []) == ("9.9" in reply.text, reply.choices)


def test_themhan_with_two_parts_explains_the_syntax(world):
    """A one-line command without the three parts explains how to write it."""
    reply = world.say(FOCAL, "/themhan 15/12/2026; chỉ có tiêu đề")
    assert (
        T(
            "Write: /themhan dd/mm/yyyy; title; audience — the audience is “tất cả”, “xã phường”,"
            " “chủ trì 1.5”, “phối hợp CSTP 2” or agency names separated by commas. For a"
            " recurring deadline write the recurrence instead of the date (or after the audience):"
            " “hằng tháng ngày 20”, “hằng quý”, “hằng năm 31/12 đến 31/12/2027”."
        )
        == reply.text
    )


@pytest.mark.parametrize(
    "command",
    [
        "/themhan",
        f"/themhan 15/12/2026; {TITLE}; tất cả",
        "/dshan",
        "/huyhan 1",
        "/suahan 1 20/12/2026",
        "/thongbao",
        f"/thongbao {NOTICE}",
    ],
)
def test_non_focal_user_is_refused(world, command):
    """A member of Sở Xây dựng (role "user") may not add, list, edit or cancel deadlines, nor
    broadcast."""
    reply = world.say(XD_MEMBER, command)
    assert (
        T("Only the focal department (Sở Nông nghiệp và Môi trường) and admins can do that.")
        == reply.text
    )


def test_non_focal_user_cannot_press_confirm(world):
    """A non-focal user pressing a Confirm button gets a refusal toast and nothing is saved or
    sent."""
    replies = [world.press(XD_MEMBER, "dl:ok"), world.press(XD_MEMBER, "bc:ok")]
    assert [T("Only the focal department can do that.")] * 2 == [r.toast for r in replies]
    assert ([], 0, []) == (deadlines(world), broadcasts(world), world.rows())


def test_admin_may_add_deadlines(world):
    """A bot admin (ADMIN_TELEGRAM_IDS) is allowed like the focal department."""
    world.say(ADMIN, f"/themhan 15/12/2026; {TITLE}; chủ trì 1.5")
    world.press(ADMIN, "dl:ok")
    assert [world.user(ADMIN)] == [d.created_by for d in deadlines(world)]


# ================================================================================================
# /dshan, /huyhan
# ================================================================================================


def test_dshan_lists_deadlines_with_cancel_buttons(world):
    """Each active deadline is listed with id, date, title and audience, and has a “Cancel #id”
    button."""
    a = world.deadline({"kind": "lead", "target": "1.5"}, due=date(2026, 12, 15), title=TITLE)
    b = world.deadline({"kind": "all"}, due=date(2026, 12, 31), title="Tổng kết năm")
    reply = world.say(FOCAL, "/dshan")
    expected = "\n".join(
        [
            T(
                "Deadlines added in chat (edit: /suahan <id> dd/mm/yyyy or /suahan <id> new title;"
                " cancel: /huyhan <id>):"
            ),
            f"#{a.id} 15/12/2026 — {TITLE} ({LEAD_15_TEXT})",
            f"#{b.id} 31/12/2026 — Tổng kết năm ({T('everyone')})",
        ]
    )
    assert expected == reply.text
    assert [
        (T("Cancel #{id}", id=a.id), f"dl:cancel:{a.id}"),
        (T("Cancel #{id}", id=b.id), f"dl:cancel:{b.id}"),
    ] == [(c.label, c.data) for c in reply.choices]


def test_dshan_without_deadlines(world):
    """With no deadline added in chat, /dshan says how to add one."""
    assert (
        T("No deadline was added in chat. Add one with /themhan.")
        == world.say(FOCAL, "/dshan").text
    )


def test_cancel_button_of_dshan_cancels_the_deadline(world):
    """Pressing “Cancel #id” cancels it (the list message is edited) and /dshan no longer shows
    it."""
    d = world.deadline({"kind": "all"}, title=TITLE)
    reply = world.press(FOCAL, f"dl:cancel:{d.id}")
    assert (
        T(
            "Deadline #{id} “{title}” is cancelled; no more reminders will be sent for it.",
            id=d.id,
            title=TITLE,
        ),
        True,
        [],
    ) == (reply.text, reply.edit, deadlines(world))


def test_cancel_of_an_unknown_deadline(world):
    """/huyhan of an id that does not exist (or was cancelled already) says so."""
    d = world.deadline({"kind": "all"}, title=TITLE)
    world.say(FOCAL, f"/huyhan {d.id}")
    again = world.say(FOCAL, f"/huyhan {d.id}")
    assert T("There is no active deadline #{id}; see /dshan.", id=d.id) == again.text


# ================================================================================================
# /thongbao
# ================================================================================================


def broadcast_text(sender: str = f"User {FOCAL}", text: str = NOTICE) -> str:
    return T("📢 From the focal department ({sender}):", sender=sender) + "\n" + text


def to_broadcast_preview(world: World, names: str = "Sở Xây dựng, Sở Y tế, Sở Công Thương"):
    world.say(FOCAL, "/thongbao")
    world.say(FOCAL, NOTICE)
    world.press(FOCAL, "au:names")
    return world.say(FOCAL, names)


def test_thongbao_asks_for_the_text_then_the_audience(world):
    """/thongbao asks for the message, then offers the audience buttons."""
    first, second = world.say(FOCAL, "/thongbao"), world.say(FOCAL, NOTICE)
    assert [T("Type the message to broadcast. (/huy to cancel)"), T("Who is it for?")] == [
        first.text,
        second.text,
    ]
    assert AUDIENCE_CHOICES == data(second)


def test_thongbao_preview_says_how_many_groups(world):
    """The preview names the audience, the number of chats (3 Telegram groups) and the text,
    with Confirm/Cancel."""
    reply = to_broadcast_preview(world)
    expected = T(
        "Broadcast to {audience} — {reach}:\n\n{text}\n\nSend it?",
        audience=f"{XD[1]}; {YT[1]}; {CT[1]}",
        reach=reach(3),
        text=NOTICE,
    )
    assert (expected, ["bc:ok", "bc:no"]) == (reply.text, data(reply))


def test_thongbao_with_text_in_the_command(world):
    """/thongbao <text> skips the text step; "Everyone" previews all 4 groups."""
    world.say(FOCAL, f"/thongbao {NOTICE}")
    reply = world.press(FOCAL, "au:all")
    assert (
        T(
            "Broadcast to {audience} — {reach}:\n\n{text}\n\nSend it?",
            audience=T("everyone"),
            reach=reach(4),
            text=NOTICE,
        )
        == reply.text
    )


def test_thongbao_confirm_writes_one_ledger_row_per_group(world):
    """Confirm writes one pending row per group of the audience with the signed text, and asks
    the channel to send now."""
    to_broadcast_preview(world)
    reply = world.press(FOCAL, "bc:ok")
    rows = world.rows("broadcast")
    sending = VI.ngettext(
        "Sending to {n} chat; you will get a delivery report when it is done.",
        "Sending to {n} chats; you will get a delivery report when it is done.",
        3,
    ).format(n=3)
    assert (sending, True) == (reply.text, reply.deliver_now)
    assert sorted(
        (chat, broadcast_text(), ledger.PENDING) for chat in (XD_GROUP, YT_GROUP, CT_GROUP)
    ) == sorted((chat_of(r), r.text, r.status) for r in rows)


def test_thongbao_old_confirm_pressed_again_is_refused(world):
    """The Confirm of an already sent broadcast, pressed again, is refused: no second broadcast,
    no new rows."""
    to_broadcast_preview(world)
    world.press(FOCAL, "bc:ok")
    again = world.press(FOCAL, "bc:ok")
    assert ((T("This button is no longer valid."), True), 1, 3) == (
        (again.toast, again.silent),
        broadcasts(world),
        len(world.rows()),
    )


def test_thongbao_cancel_sends_nothing(world):
    """Cancel on the preview writes nothing."""
    to_broadcast_preview(world)
    reply = world.press(FOCAL, "bc:no")
    assert (T("Cancelled; nothing was sent."), 0, []) == (
        reply.text,
        broadcasts(world),
        world.rows(),
    )


def test_thongbao_to_an_audience_without_groups(world):
    """Confirming a broadcast whose audience no chat reaches says nothing was sent."""
    world.say(FOCAL, f"/thongbao {NOTICE}")
    world.press(FOCAL, "au:communes")
    reply = world.press(FOCAL, "bc:ok")
    assert (T("No chat of that audience can be reached; nothing was sent."), []) == (
        reply.text,
        world.rows(),
    )


def test_thongbao_too_long_is_refused(world):
    """A message over 1800 characters (one Zalo message with the sender line) is refused before
    the audience is asked."""
    world.say(FOCAL, "/thongbao")
    reply = world.say(FOCAL, "x" * 1801)
    assert (
        T("The message is too long ({n} characters); keep it under {max}.", n=1801, max=1800)
        == reply.text
    )


async def test_broadcast_arrives_once_in_each_group(world, app):
    """After Confirm, a drain delivers the signed text exactly once to each of the 3 groups."""
    to_broadcast_preview(world)
    world.press(FOCAL, "bc:ok")
    await app.bot_data.dispatcher.drain()
    await app.bot_data.dispatcher.drain()
    received = Counter(
        (int(c.params["chat_id"]), c.text)
        for c in world.api.sent_messages()
        if c.params["chat_id"] != FOCAL
    )
    assert {(chat, broadcast_text()): 1 for chat in (XD_GROUP, YT_GROUP, CT_GROUP)} == dict(
        received
    )


async def test_sender_gets_a_delivery_report(world, app):
    """The sender's chat gets one report: 1 of 3 sent, the failure with its reason, and the
    group that removed the bot."""
    to_broadcast_preview(world)
    world.press(FOCAL, "bc:ok")
    [b] = {r.broadcast_id for r in world.rows("broadcast")}
    world.api.kick(YT_GROUP)
    world.api.fail_next(
        "sendMessage", 400, "Bad Request: message thread not found", chat_id=CT_GROUP
    )
    await app.bot_data.dispatcher.drain()
    await app.bot_data.dispatcher.drain()
    expected = "\n".join(
        [
            T(
                "Delivery report of broadcast #{id}: {sent} of {total} sent.",
                id=b,
                sent=1,
                total=3,
            ),
            "Telegram: 1",
            T(
                "• Not sent to chat {chat}: {why}",
                chat=f"{CT[1]} (Telegram)",
                why=T("the group's topic no longer exists"),
            ),
            T(
                "• Chat {chat} has removed or blocked the bot: {why}",
                chat=f"{YT[1]} (Telegram)",
                why=T("the bot was removed from the group"),
            ),
        ]
    )
    reports = [
        c.text
        for c in world.api.sent_messages(FOCAL)
        if c.text.startswith(expected.splitlines()[0])
    ]
    assert [expected] == reports


async def test_report_is_sent_only_when_every_row_is_final(world, app):
    """While a row waits for a retry the broadcast is not reported; once it is sent, the report
    says 3 of 3."""
    to_broadcast_preview(world)
    world.press(FOCAL, "bc:ok")
    [b] = {r.broadcast_id for r in world.rows("broadcast")}
    world.api.fail_next(
        "sendMessage", 502, "Bad Gateway", chat_id=CT_GROUP
    )  # a network error: retried later
    await app.bot_data.dispatcher.drain()
    before = [c.text for c in world.api.sent_messages(FOCAL)]
    world.clock.now += timedelta(minutes=1)
    await app.bot_data.dispatcher.drain()
    after = [c.text for c in world.api.sent_messages(FOCAL)]
    assert (
        [],
        [
            T("Delivery report of broadcast #{id}: {sent} of {total} sent.", id=b, sent=3, total=3)
            + "\nTelegram: 3"
        ],
    ) == (before, after)


async def test_report_after_a_crash_in_the_middle_of_the_last_message(world, app):
    """A process sent 2 of 3 rows and died during the third; after restart the sender still gets
    the report (2 of 3, one unknown)."""
    to_broadcast_preview(world)
    world.press(FOCAL, "bc:ok")
    [b] = {r.broadcast_id for r in world.rows("broadcast")}
    dead, now = "dead-host:1:cafe", world.clock.now
    with world.db.session() as s:
        rows = ledger.claim(s, dead, now, 50)
        for row in rows:
            ledger.mark_in_flight(s, row.id, dead, now)
        for row in rows[:2]:
            ledger.mark_sent(s, row.id, "1", now)
    world.clock.now += timedelta(seconds=61)
    await app.bot_data.dispatcher.drain()
    reports = [c.text for c in world.api.sent_messages(FOCAL)]
    uncertain = next(r for r in world.rows("broadcast") if r.status == ledger.UNCERTAIN)
    name = {XD_GROUP: XD[1], YT_GROUP: YT[1], CT_GROUP: CT[1]}[chat_of(uncertain)]
    assert [
        "\n".join(
            [
                T(
                    "Delivery report of broadcast #{id}: {sent} of {total} sent.",
                    id=b,
                    sent=2,
                    total=3,
                ),
                "Telegram: 2",
                T(
                    "• {chat}: may have been sent — could not be confirmed",
                    chat=f"{name} (Telegram)",
                ),
            ]
        )
    ] == reports


async def test_report_is_in_the_senders_language_without_english_inside(world, app):
    """A sender who chose English gets the report in English; a Vietnamese report holds no
    English reason."""
    world.say(FOCAL, "/ngonngu en")
    to_broadcast_preview(world)
    world.press(FOCAL, "bc:ok")
    [b] = {r.broadcast_id for r in world.rows("broadcast")}
    world.api.fail_next("sendMessage", 400, "Bad Request: message is too long", chat_id=CT_GROUP)
    await app.bot_data.dispatcher.drain()
    await app.bot_data.dispatcher.drain()
    expected = (
        f"Delivery report of broadcast #{b}: 2 of 3 sent.\nTelegram: 2\n"
        f"• Not sent to chat {CT[1]} (Telegram): the message's text was refused"
    )
    assert [expected] == [
        c.text for c in world.api.sent_messages(FOCAL) if c.text.startswith("Delivery report")
    ]
