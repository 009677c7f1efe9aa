"""Recurring deadlines and extension requests through the core, the planner and the board, on
SQLite and PostgreSQL, with a clock the test moves (as tests/test_reminders.py).

The deadline of tests/support/world.py is due Tuesday 15/12/2026 for the lead agencies of 1.5 (Sở
Xây dựng and Sở Nông nghiệp và Môi trường); its reminders are at 08:00 on 01/12, 08/12, 11/12,
14/12, 15/12.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta

import pytest

from bot.reporting.board import load_board
from bot.reporting.status import StatusRules
from storage.delivery import ledger
from storage.schedule import deadlines as deadline_store
from storage.schedule import extensions as extension_store
from tests.support.fake_bot_api import FakeBotApi
from tests.support.world import (
    DUE,
    FOCAL,
    LEAD_15,
    MOMENTS,
    NNMT,
    NNMT_GROUP,
    TITLE,
    TZ,
    XD,
    XD_GROUP,
    XD_MEMBER,
    YT,
    Clock,
    T,
    World,
    at,
    chat_of,
    make_world,
)

YT_MEMBER = 100_002
STRANGER = 100_099  # signed up nowhere
MONTHLY_20 = "hằng tháng ngày 20"


@pytest.fixture
def api():
    with FakeBotApi() as server:
        yield server


@pytest.fixture
def clock() -> Clock:
    return Clock(at(2026, 11, 30, 9, 0))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def world(request, settings, api, clock):
    if request.param == "postgres":
        settings = replace(settings, database_url=request.getfixturevalue("postgres_url"))
    w = make_world(settings, api, clock)
    w.bind(XD_GROUP, XD)
    w.bind(NNMT_GROUP, NNMT)
    w.member(XD_MEMBER, XD)
    w.member(YT_MEMBER, YT)
    yield w
    w.services.close()


def add_series(
    world: World,
    rule: str = MONTHLY_20,
    audience: str = "chủ trì 1.5",
    title: str = "Báo cáo tháng",
) -> int:
    """/themhan with a recurrence, confirmed; the new deadline's id."""
    world.say(FOCAL, f"/themhan {rule}; {title}; {audience}")
    world.press(FOCAL, "dl:ok")
    with world.db.session() as s:
        return max(d.id for d in deadline_store.active(s))


def reminders_by_key(world: World) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for r in world.rows("reminder"):
        out.setdefault(r.key.rsplit(":", 1)[0], []).append(chat_of(r))
    return {k: sorted(v) for k, v in out.items()}


# ================================================================================================
# recurring deadlines
# ================================================================================================


def test_themhan_with_a_recurrence_previews_the_next_dates_and_saves_the_rule(world):
    """The preview names the rule and the next three dates (20/12/2026 is a Sunday: marked, date
    kept); the saved deadline is monthly on the 20th from today."""
    preview = world.say(FOCAL, f"/themhan {MONTHLY_20}; Báo cáo tháng; chủ trì 1.5")
    saved = world.press(FOCAL, "dl:ok")
    with world.db.session() as s:
        [d] = deadline_store.active(s)
    assert preview.text.startswith(
        T(
            "Repeats {rule}; next: {dates}",
            rule=T("monthly, on day {day}", day=20),
            dates="20/12/2026*, 20/01/2027, 20/02/2027*",
        )
    )
    assert (
        T(
            "* not a working day: the date is kept, and the reminders go out on the working day"
            " before."
        )
        in preview.text
    )
    assert ("monthly", 20, None, date(2026, 11, 30)) == (
        d.repeat,
        d.repeat_day,
        d.repeat_until,
        d.due_date,
    )
    assert saved.text == T(
        "Saved recurring deadline #{id}: {title}, {rule}; the first is {date}. Each one has its"
        " own reminders.",
        id=d.id,
        title="Báo cáo tháng",
        rule=T("monthly, on day {day}", day=20),
        date="20/12/2026",
    )


def test_a_recurrence_may_follow_the_audience_as_a_fourth_part(world):
    """/themhan 20/12/2026; title; audience; hằng tháng: the date is the first, its day the
    rule's."""
    world.say(FOCAL, "/themhan 20/12/2026; Báo cáo tháng; tất cả; hằng tháng")
    world.press(FOCAL, "dl:ok")
    with world.db.session() as s:
        [d] = deadline_store.active(s)
    assert ("monthly", 20, date(2026, 12, 20)) == (d.repeat, d.repeat_day, d.due_date)


@pytest.mark.parametrize(
    ("rule", "msgid", "fields"),
    [
        (
            "hằng năm 31/02",
            "“{text}” is not a day of the year; write it as dd/mm, e.g. 31/12.",
            {"text": "31/02"},
        ),
        (
            "hằng tháng ngày 20 đến 31/12/9999",
            "{date} is outside the years {first}–{last}; check the year.",
            {"date": "31/12/9999", "first": 2000, "last": 2100},
        ),
    ],
)
def test_themhan_with_a_bad_recurrence_says_what_is_wrong_and_saves_nothing(
    world, rule, msgid, fields
):
    """A date of 31/02 or in year 9999 is named; no deadline and no flow state is kept."""
    reply = world.say(FOCAL, f"/themhan {rule}; Báo cáo; tất cả")
    with world.db.session() as s:
        assert [] == deadline_store.active(s)
    assert T(msgid, **fields) == reply.text


def test_step_by_step_the_date_may_be_a_recurrence(world):
    """/themhan, then "hang quy" (no diacritics), a title and an audience: a quarterly deadline."""
    world.say(FOCAL, "/themhan")
    world.say(FOCAL, "hang quy")
    world.say(FOCAL, "Báo cáo quý")
    world.press(FOCAL, "au:all")
    world.press(FOCAL, "dl:ok")
    with world.db.session() as s:
        [d] = deadline_store.active(s)
    assert ("quarterly", -1, 3) == (d.repeat, d.repeat_day, d.repeat_month)


def test_each_occurrence_has_its_own_reminders_once(world):
    """Monthly on the 20th: the 14-day reminders of 20/12 and of 20/01 are two keys, each
    written once per group however often the planner ticks."""
    did = add_series(world)
    # 20/12/2026 is a Sunday: its 14-day reminder is Sunday 06/12 -> Friday 04/12
    first = [world.plan(t) for t in (at(2026, 12, 4), at(2026, 12, 4, 9), at(2026, 12, 5))]
    second = [
        world.plan(t) for t in (at(2027, 1, 6), at(2027, 1, 6, 12))
    ]  # 20/01 - 14 = Wednesday 06/01
    keys = reminders_by_key(world)
    assert ([2, 0, 0], [2, 0]) == (first, second)
    assert {
        f"rem:db:{did}@2026-12-20:2026-12-20:14": sorted([XD_GROUP, NNMT_GROUP]),
        f"rem:db:{did}@2027-01-20:2027-01-20:14": sorted([XD_GROUP, NNMT_GROUP]),
    } == keys


def test_acknowledging_one_occurrence_does_not_acknowledge_the_next(world):
    """Sở Xây dựng acknowledges December's occurrence: its 7-day reminder for 20/12 is not sent,
    January's is."""
    did = add_series(world)
    world.plan(at(2026, 12, 4))
    world.press(XD_MEMBER, f"rem:ack:db:{did}@2026-12-20", chat_id=XD_GROUP)
    before = world.rows()
    world.plan(at(2026, 12, 11))  # 20/12 - 7 = Sunday 13/12 -> Friday 11/12
    december = sorted(chat_of(r) for r in world.new_rows(before, "reminder"))
    world.plan(at(2027, 1, 6))
    before = world.rows()
    world.plan(at(2027, 1, 13))
    january = sorted(chat_of(r) for r in world.new_rows(before, "reminder"))
    with world.db.session() as s:
        acked = (
            deadline_store.acknowledged_agencies(s, f"db:{did}@2026-12-20"),
            deadline_store.acknowledged_agencies(s, f"db:{did}@2027-01-20"),
        )
    assert ([NNMT_GROUP], sorted([XD_GROUP, NNMT_GROUP])) == (december, january)
    assert ({XD[0]}, set()) == acked


def test_a_forged_occurrence_cannot_be_acknowledged(world):
    """rem:ack with a date the rule does not give (21/12) is refused as no longer valid."""
    did = add_series(world)
    reply = world.press(XD_MEMBER, f"rem:ack:db:{did}@2026-12-21", chat_id=XD_GROUP)
    assert T("This button is no longer valid.") == reply.toast


def test_an_end_date_stops_the_occurrences(world):
    """ "hằng tháng ngày 20 đến 31/12/2026": December's reminders, none for January."""
    add_series(world, "hằng tháng ngày 20 đến 31/12/2026")
    written = [world.plan(t) for t in (at(2026, 12, 4), at(2027, 1, 6), at(2027, 1, 20))]
    assert [2, 0, 0] == written


def test_cancelling_the_series_stops_future_occurrences_and_keeps_the_history(world):
    """Cancelled on 05/01/2027: January gets nothing, December's sent rows and acknowledgements
    stay, and the board still counts December's occurrence."""
    did = add_series(world)
    world.plan(at(2026, 12, 4))
    world.press(XD_MEMBER, f"rem:ack:db:{did}@2026-12-20", chat_id=XD_GROUP)
    world.clock.now = at(2027, 1, 5)
    world.say(FOCAL, f"/huyhan {did}")
    written = world.plan(at(2027, 1, 6))
    with world.db.session() as s:
        acked = deadline_store.acknowledged_agencies(s, f"db:{did}@2026-12-20")
        board = load_board(
            s, world.services.knowledge.current, StatusRules(), date(2027, 1, 6), TZ
        )
    assert (0, {XD[0]}) == (written, acked)
    assert 2 == len(
        [r for r in world.rows("reminder") if r.deadline_key == f"db:{did}@2026-12-20"]
    )
    assert f"db:{did}@2026-12-20" in {d.key for d in board.deadlines}
    assert f"db:{did}@2027-01-20" not in {d.key for d in board.deadlines}


def test_a_one_off_deadline_keeps_working_as_before(world):
    """A one-off deadline's keys have no occurrence part."""
    d = world.deadline(LEAD_15)
    world.plan(MOMENTS[14])
    assert {f"rem:db:{d.id}:2026-12-15:14": sorted([XD_GROUP, NNMT_GROUP])} == reminders_by_key(
        world
    )


# ================================================================================================
# extension requests
# ================================================================================================


def request_extension(
    world: World, did: int, new: str = "29/12/2026", reason: str = "chờ số liệu của Cục Thống kê"
):
    return world.say(XD_MEMBER, f"/giahan #{did} {new} {reason}")


def focal_notices(world: World) -> list:
    return [
        r
        for r in world.rows("notice")
        if r.chat_id == str(FOCAL)
        and r.text.startswith(
            T(
                "Extension request #{id} from {agency}: “{title}”, "
                "from {old} to {new}.\nReason: {reason}\nApprove or "
                "refuse (with a reason): /duyetgiahan {id}, "
                "/tuchoigiahan {id} <reason>.",
                id=1,
                agency=XD[1],
                title=TITLE,
                old="15/12/2026",
                new="29/12/2026",
                reason="chờ số liệu của Cục Thống kê",
            )[:20]
        )
    ]


def test_a_member_asks_and_the_focal_department_is_told_with_two_choices(world):
    """/giahan #id 29/12/2026 <reason> from a member of Sở Xây dựng: a pending request with both
    dates, and a notice to the focal department with Approve and Refuse."""
    d = world.deadline(LEAD_15)
    world.clock.now = at(2026, 12, 9, 9)
    reply = request_extension(world, d.id)
    with world.db.session() as s:
        [x] = extension_store.pending(s)
    [note] = focal_notices(world)
    assert (
        T(
            "Request #{id} sent: {agency} asks to move “{title}” from {old} to {new}. The focal"
            " department will decide; you will be told.",
            id=x.id,
            agency=XD[1],
            title=TITLE,
            old="15/12/2026",
            new="29/12/2026",
        )
        == reply.text
    )
    assert (f"db:{d.id}", XD[0], DUE, date(2026, 12, 29)) == (
        x.deadline_key,
        x.agency_id,
        x.old_date,
        x.new_date,
    )
    assert [f"gh:ok:{x.id}", f"gh:no:{x.id}"] == [b["data"] for b in note.buttons]


def test_approval_moves_reminders_and_status_for_that_agency_only(world):
    """Approved on 09/12 to 29/12: Sở NN&MT still gets 11/12 and 15/12 (and is overdue on
    16/12); Sở Xây dựng's pending rows of the old date are skipped, its next reminder is the
    14-day one of 29/12 (on 15/12), and the board judges it by 29/12 while the history keeps
    both dates."""
    d = world.deadline(LEAD_15)
    world.plan(MOMENTS[7])  # 08/12: both groups
    world.clock.now = at(2026, 12, 9, 9)
    request_extension(world, d.id)
    decided = world.press(FOCAL, "gh:ok:1")
    before = world.rows()
    world.plan(MOMENTS[3])
    on_11 = sorted(chat_of(r) for r in world.new_rows(before, "reminder"))
    before = world.rows()
    world.plan(MOMENTS[0])
    on_15 = {chat_of(r): r.key for r in world.new_rows(before, "reminder")}
    before = world.rows()
    world.plan(at(2026, 12, 16))
    overdue_16 = sorted(chat_of(r) for r in world.new_rows(before, "overdue"))
    with world.db.session() as s:
        board = load_board(
            s, world.services.knowledge.current, StatusRules(), date(2026, 12, 16), TZ
        )
        history = extension_store.history(s, d.key)
    xd_pairs = [p for p in board.pairs if p.agency.id == XD[0] and p.indicator.code == "1.5"]
    nnmt_pairs = [p for p in board.pairs if p.agency.id == NNMT[0] and p.indicator.code == "1.5"]
    skipped = [r for r in world.rows("reminder") if r.status == ledger.SKIPPED]
    assert (
        T(
            "Approved: “{title}” is due {new} for {agency} (was {old}).",
            title=TITLE,
            new="29/12/2026",
            agency=XD[1],
            old="15/12/2026",
        )
        == decided.text
    )
    assert [NNMT_GROUP] == on_11
    assert {
        NNMT_GROUP: f"rem:db:{d.id}:2026-12-15:0:b2",
        XD_GROUP: f"rem:db:{d.id}:2026-12-29:14:b1",
    } == on_15
    assert [NNMT_GROUP] == overdue_16
    assert {XD_GROUP} == {chat_of(r) for r in skipped}
    assert (date(2026, 12, 29), DUE) == (
        xd_pairs[0].verdict.deadline.due,
        xd_pairs[0].verdict.deadline.extended_from,
    )
    assert ("overdue", DUE) == (nnmt_pairs[0].status, nnmt_pairs[0].verdict.deadline.due)
    assert [(DUE, date(2026, 12, 29), "approved")] == [
        (h.old_date, h.new_date, h.status) for h in history
    ]


def test_a_reminder_whose_moment_passed_before_the_approval_is_not_sent(world):
    """Approved on Monday 14/12 to Friday 18/12: the 7-day moment of 18/12 (11/12) was before
    the approval and is not sent; the 3-day one (15/12) is, once."""
    d = world.deadline(LEAD_15)
    world.clock.now = at(2026, 12, 14, 9)
    request_extension(world, d.id, "18/12/2026")
    world.press(FOCAL, "gh:ok:1")
    before = world.rows()
    world.plan(at(2026, 12, 14, 10))
    at_14 = [r.key for r in world.new_rows(before, "reminder") if chat_of(r) == XD_GROUP]
    before = world.rows()
    world.plan(MOMENTS[0])
    world.plan(MOMENTS[0] + timedelta(hours=2))
    at_15 = [r.key for r in world.new_rows(before, "reminder") if chat_of(r) == XD_GROUP]
    assert ([], [f"rem:db:{d.id}:2026-12-18:3:b1"]) == (at_14, at_15)


def test_refusal_needs_a_reason_and_the_requester_is_told(world):
    """ "Refuse" asks why; the typed reason is kept, the requester hears it, and the date stays."""
    d = world.deadline(LEAD_15)
    world.clock.now = at(2026, 12, 9, 9)
    request_extension(world, d.id)
    asked = world.press(FOCAL, "gh:no:1")
    done = world.say(FOCAL, "Đã quá thời hạn tổng hợp của tỉnh")
    with world.db.session() as s:
        x = extension_store.get(s, 1)
    told = [r for r in world.rows("notice") if r.chat_id == str(XD_MEMBER)]
    assert (
        T(
            "Why is request #{id} of {agency} refused? The agency is told. (/huy to cancel)",
            id=1,
            agency=XD[1],
        )
        == asked.text
    )
    assert ("refused", "Đã quá thời hạn tổng hợp của tỉnh") == (x.status, x.decision_reason)
    assert (
        T(
            "Refused: request #{id} of {agency}; they are told why. “{title}” stays due {old}.",
            id=1,
            agency=XD[1],
            title=TITLE,
            old="15/12/2026",
        )
        == done.text
    )
    assert [
        T(
            "Extension refused: “{title}” stays due {old} for {agency}.\nReason: {reason}",
            title=TITLE,
            old="15/12/2026",
            agency=XD[1],
            reason="Đã quá thời hạn tổng hợp của tỉnh",
        )
    ] == [r.text for r in told]


def test_a_request_for_an_earlier_date_a_duplicate_or_a_long_past_deadline_is_refused(world):
    """A date not after the current one, a second request while one waits, and a deadline past
    by more than 30 days each get a message naming the problem."""
    d = world.deadline(LEAD_15)
    world.clock.now = at(2026, 12, 9, 9)
    earlier = request_extension(world, d.id, "10/12/2026")
    request_extension(world, d.id)
    again = request_extension(world, d.id, "31/12/2026")
    world.clock.now = at(2027, 1, 20, 9)
    world.press(FOCAL, "gh:no:1")
    world.say(FOCAL, "không")
    late = request_extension(world, d.id, "31/01/2027")
    assert (
        T(
            "The new date {new} must be after the current one, {current}.",
            new="10/12/2026",
            current="15/12/2026",
        )
        == earlier.text
    )
    assert (
        T(
            "The request of {agency} to move “{title}” to {date} is still waiting for the focal"
            " department's decision.",
            agency=XD[1],
            title=TITLE,
            date="29/12/2026",
        )
        == again.text
    )
    assert (
        T(
            "“{title}” was due on {date}, more than {n} days ago; it can no longer be extended."
            " Write to the focal department.",
            title=TITLE,
            date="15/12/2026",
            n=30,
        )
        == late.text
    )


def test_only_a_member_of_an_audience_agency_may_ask(world):
    """Someone signed up nowhere, and a member of Sở Y tế (not a lead of 1.5), are told why not;
    nothing is kept."""
    d = world.deadline(LEAD_15)
    stranger = world.say(STRANGER, f"/giahan #{d.id} 29/12/2026 lý do")
    other = world.say(YT_MEMBER, f"/giahan #{d.id} 29/12/2026 lý do")
    in_group = world.say(YT_MEMBER, f"/giahan #{d.id} 29/12/2026 lý do", chat_id=XD_GROUP)
    with world.db.session() as s:
        assert [] == extension_store.pending(s)
    assert (
        T(
            "Only approved members of an agency can ask for an extension of its deadlines. Sign up"
            " with /dangky."
        )
        == stranger.text.split("\n\n")[-1]
    )
    assert T("“{title}” is not a deadline of {agency}.", title=TITLE, agency=YT[1]) == other.text
    assert (
        T(
            "Only members of {agency} can ask for an extension of its deadlines; ask in your own"
            " agency's group or in a private chat with the bot.",
            agency=XD[1],
        )
        == in_group.text
    )


def test_deciding_takes_the_focal_role_and_forged_callbacks_change_nothing(world):
    """A member pressing Approve, a forged id, a forged action and a forged deadline key leave
    the request pending; a decided request cannot be decided again."""
    d = world.deadline(LEAD_15)
    world.clock.now = at(2026, 12, 9, 9)
    request_extension(world, d.id)
    member = world.press(XD_MEMBER, "gh:ok:1")
    forged_id = world.press(FOCAL, "gh:ok:99")
    forged_action = world.press(FOCAL, "gh:yes:1")
    forged_key = world.press(XD_MEMBER, "gh:ask:db:99", chat_id=XD_GROUP)
    typed = world.say(XD_MEMBER, "/duyetgiahan 1")
    with world.db.session() as s:
        still = extension_store.get(s, 1).status
    world.press(FOCAL, "gh:ok:1")
    twice = world.press(FOCAL, "gh:no:1")
    assert extension_store.PENDING == still
    assert T("Only the focal department can do that.") == member.toast
    assert (
        T("That request was already decided, or does not exist; see /giahan.") == forged_id.toast
    )
    assert T("This button is no longer valid.") == forged_action.toast
    assert T("This button is no longer valid.") == forged_key.toast
    assert (
        T("Only the focal department (Sở Nông nghiệp và Môi trường) and admins can do that.")
        == typed.text
    )
    assert T("That request was already decided, or does not exist; see /giahan.") == twice.toast


def test_the_button_under_a_reminder_asks_for_the_date_and_reason(world):
    """ "Ask for an extension" (gh:ask:<key>) in the group, then "29/12/2026 <reason>": the
    request is made."""
    d = world.deadline(LEAD_15)
    world.clock.now = at(2026, 12, 9, 9)
    asked = world.press(XD_MEMBER, f"gh:ask:{d.key}", chat_id=XD_GROUP)
    done = world.say(XD_MEMBER, "29/12/2026 chờ số liệu", chat_id=XD_GROUP)
    with world.db.session() as s:
        [x] = extension_store.pending(s)
    assert asked.text.startswith(
        T(
            "Extension for {agency}: “{title}”, due {date}. Write the new date and the reason, "
            "e.g. “31/12/2026 chờ số liệu của Cục Thống kê”. (/huy to cancel)",
            agency=XD[1],
            title=TITLE,
            date="15/12/2026",
        )[:30]
    )
    assert ("chờ số liệu", date(2026, 12, 29)) == (x.reason, x.new_date)
    assert done.text.startswith(
        T(
            "Request #{id} sent: {agency} asks to move “{title}” from {old} to {new}. The focal "
            "department will decide; you will be told.",
            id=1,
            agency=XD[1],
            title=TITLE,
            old="15/12/2026",
            new="29/12/2026",
        )[:20]
    )


def test_one_occurrence_of_a_recurring_deadline_is_extended_alone(world):
    """Sở Xây dựng moves December's occurrence to 28/12; January's stays on 20/01 for everyone."""
    did = add_series(world)
    world.clock.now = at(2026, 12, 9, 9)
    reply = world.say(XD_MEMBER, f"/giahan #{did} 28/12/2026 chờ số liệu")
    world.press(FOCAL, "gh:ok:1")
    world.plan(at(2027, 1, 6))
    with world.db.session() as s:
        x = extension_store.get(s, 1)
        board = load_board(
            s, world.services.knowledge.current, StatusRules(), date(2026, 12, 21), TZ
        )
    january = {
        chat_of(r) for r in world.rows("reminder") if r.deadline_key == f"db:{did}@2027-01-20"
    }
    xd = [p for p in board.pairs if p.agency.id == XD[0] and p.indicator.code == "1.5"][0]
    assert reply.text.startswith(
        T(
            "Request #{id} sent: {agency} asks to move “{title}” from {old} to {new}. The "
            "focal department will decide; you will be told.",
            id=1,
            agency=XD[1],
            title="Báo cáo tháng",
            old="20/12/2026",
            new="28/12/2026",
        )[:20]
    )
    assert (f"db:{did}@2026-12-20", "approved") == (x.deadline_key, x.status)
    assert {XD_GROUP, NNMT_GROUP} == january
    assert date(2026, 12, 28) == xd.verdict.deadline.due


def add_kb_deadline(world: World, did: str, due: date, title: str, audience: list[str]) -> None:
    """A deadline in the writable KB copy (as tests/test_reminders.py does), reloaded."""
    path = world.services.settings.kb_dir / "plan_pgi_2024_ubnd.yaml"
    source = path.read_text(encoding="utf-8")
    entry = (
        f'  - id: "{did}"\n    date: {due.isoformat()}\n    title:'
        f" {json.dumps(title, ensure_ascii=False)}\n    audience:"
        f' {json.dumps(audience, ensure_ascii=False)}\n    source: "test"\n'
    )
    path.write_text(
        source.replace("\ndeadlines:\n", "\ndeadlines:\n" + entry, 1), encoding="utf-8"
    )
    assert world.services.knowledge.load_from(world.services.settings.kb_dir, created_by="test").ok


def test_a_knowledge_base_deadline_can_be_extended_and_an_old_one_cannot(world):
    """A KB deadline of 15/12/2026 is extended by its id; the KB's 2024 deadline is past by
    long."""
    add_kb_deadline(world, "test-kb-ext", DUE, "Báo cáo PGI", ["Sở Xây dựng"])
    world.clock.now = at(2026, 12, 9, 9)
    ok = world.say(XD_MEMBER, "/giahan test-kb-ext 29/12/2026 chờ số liệu")
    old = world.say(XD_MEMBER, "/giahan results-report-2024 29/12/2026 chờ số liệu")
    with world.db.session() as s:
        [x] = extension_store.pending(s)
    assert ("kb:test-kb-ext", date(2026, 12, 29)) == (x.deadline_key, x.new_date)
    assert ok.text.startswith(
        T(
            "Request #{id} sent: {agency} asks to move “{title}” from {old} to {new}. The "
            "focal department will decide; you will be told.",
            id=1,
            agency=XD[1],
            title="Báo cáo PGI",
            old="15/12/2026",
            new="29/12/2026",
        )[:20]
    )
    assert old.text.startswith(
        T(
            "“{title}” was due on {date}, more than {n} days ago; it can no longer be extended."
            " Write to the focal department.",
            title="x",
            date="x",
            n=30,
        )[:1]
    )
    assert "10/12/2024" in old.text


def test_the_workbook_keeps_both_dates_of_an_extension(world, tmp_path):
    """The report's "Gia hạn" sheet lists the approved request with the old and the new date."""
    from openpyxl import load_workbook

    from bot.reporting.report import load_report
    from bot.reporting.workbook import write_workbook

    d = world.deadline(LEAD_15)
    world.clock.now = at(2026, 12, 9, 9)
    request_extension(world, d.id)
    world.press(FOCAL, "gh:ok:1")
    with world.db.session() as s:
        data = load_report(
            s, world.services.knowledge.current, StatusRules(), date(2026, 12, 9), TZ
        )
    path = write_workbook(world.services.translations.get("vi"), data, tmp_path / "r.xlsx", TZ)
    rows = list(load_workbook(path)["Gia hạn"].iter_rows(min_row=2, values_only=True))
    assert [(XD[1], TITLE, DUE, date(2026, 12, 29), "đã đồng ý")] == [
        (r[0], r[1], r[2].date(), r[3].date(), r[5]) for r in rows
    ]


def test_hanchot_shows_the_next_occurrence_and_the_agencys_extended_date(world):
    """/hanchot of a member of Sở Xây dựng names a series by its next occurrence (20/12/2026, not
    its start), and a deadline extended for the agency by its new date; a member of Sở NN&MT still
    sees the old one.
    """
    add_series(world, title="Báo cáo tháng")
    d = world.deadline(LEAD_15)
    world.clock.now = at(2026, 12, 9, 9)
    request_extension(world, d.id)
    world.press(FOCAL, "gh:ok:1")
    world.member(900_004, NNMT)
    mine = world.say(XD_MEMBER, "/hanchot").text
    theirs = world.say(900_004, "/hanchot").text
    assert "20/12/2026" in mine and "30/11/2026" not in mine
    assert "29/12/2026" in mine and "15/12/2026" not in mine
    assert "15/12/2026" in theirs and "29/12/2026" not in theirs
