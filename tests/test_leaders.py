"""The responsible official (cán bộ phụ trách) of an agency's indicator and the agency's leader
(lãnh đạo đơn vị): naming and removing in chat, who may, reminders to the responsible official
first, the end of a responsibility when its official leaves, the leader role, and the leaders'
digest on the working-day calendar — on SQLite and PostgreSQL, with a clock the test moves by hand.

Dates: the deadline is Tuesday 15/12/2026 (tests/support/world.py). Its working days overdue, at
08:00: Wed 16/12 is 1, Thu 17/12 is 2, Fri 18/12 is 3, Mon 21/12 is 4, Tue 22/12 is 5.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot.delivery import leader_digest, review_notices, tick
from handlers.telegram.app import build_application
from storage.directory import leaders, linking, people
from storage.models.agencies import ResponsibleOfficial
from storage.ops import erasure
from storage.tracking import explanations
from storage.tracking import progress as progress_store
from storage.tracking import review as review_store
from tests.support.fake_bot_api import FakeBotApi
from tests.support.world import (
    ADMIN,
    DUE,
    FOCAL,
    LEAD_15,
    MOMENTS,
    NNMT_MEMBER,
    PLAN,
    TITLE,
    VI,
    XD,
    XD_GROUP,
    XD_MEMBER,
    YT,
    Clock,
    T,
    at,
    make_world,
)

COLLEAGUE = 100_020  # a second member of Sở Xây dựng
YT_MEMBER = 100_030  # a member of Sở Y tế
PLAIN = 100_040  # wrote to the bot, member of nothing
BOSS = 100_050  # the leader of Sở Xây dựng


@pytest.fixture
def api():
    with FakeBotApi() as server:
        yield server


@pytest.fixture
def clock() -> Clock:
    return Clock(at(2026, 11, 30, 9, 0))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def world(request, settings, api, clock):
    extra = (
        {"database_url": request.getfixturevalue("postgres_url")}
        if request.param == "postgres"
        else {}
    )
    w = make_world(settings, api, clock, **extra)
    w.member(XD_MEMBER, XD)
    w.member(COLLEAGUE, XD)
    w.member(YT_MEMBER, YT)
    w.member(NNMT_MEMBER, ("so-nnmt", "Sở Nông nghiệp và Môi trường"))
    w.user(PLAIN)
    w.user(BOSS)
    yield w
    w.services.close()


def uid(world, tg_id: int) -> int:
    return world.user(tg_id)


def current(world, agency_id: str = XD[0], code: str = "1.5"):
    with world.db.session() as s:
        return leaders.responsible_for(s, agency_id, PLAN, code)


def make_leader(world, tg_id: int = BOSS, agency=XD) -> None:
    reply = world.say(ADMIN, f"/lanhdao {uid(world, tg_id)} {agency[1]}")
    assert uid(world, tg_id) in {r.user_id for r in all_leaders(world)}, reply.text


def all_leaders(world):
    with world.db.session() as s:
        return leaders.leaders(s)


def leader_rows(world):
    return [r for r in world.rows("digest") if r.key.startswith("lead:")]


def digest_plan(world, when) -> int:
    world.clock.now = when
    return leader_digest.plan(world.conv, world.conv.now())


# ================================================================================================
# naming and removing a responsible official
# ================================================================================================


def test_a_member_names_a_colleague_by_name(world):
    """/phutrach 1.5 <name> from a member of Sở Xây dựng names the colleague, who is told in
    their chat."""
    reply = world.say(XD_MEMBER, f"/phutrach 1.5 User {COLLEAGUE}")
    assert (
        T(
            "{name} is now the official responsible for indicator {code} of {agency}; reminders"
            " about it go to them first.",
            name=f"User {COLLEAGUE}",
            code="1.5",
            agency=XD[1],
        )
        == reply.text
    )
    assert uid(world, COLLEAGUE) == current(world).user_id
    told = [r for r in world.rows("notice") if r.chat_id == str(COLLEAGUE)]
    assert 1 == len(told) and "1.5" in told[0].text


def test_an_ambiguous_name_offers_choices_and_a_choice_names(world):
    """ "User" matches both members of Sở Xây dựng: one choice each; pressing one names that
    person."""
    reply = world.say(XD_MEMBER, "/phutrach 1.5 User")
    wanted = f"rp:set:1.5:{uid(world, COLLEAGUE)}"
    assert {f"rp:set:1.5:{uid(world, XD_MEMBER)}", wanted} == {c.data for c in reply.choices}
    world.press(XD_MEMBER, wanted)
    assert uid(world, COLLEAGUE) == current(world).user_id


def test_naming_someone_else_replaces_the_former_official(world):
    """A second naming ends the first (kept as "replaced") and tells the former official."""
    world.say(XD_MEMBER, f"/phutrach 1.5 User {COLLEAGUE}")
    world.say(XD_MEMBER, f"/phutrach 1.5 User {XD_MEMBER}")
    assert uid(world, XD_MEMBER) == current(world).user_id
    told = [r.text for r in world.rows("notice") if r.chat_id == str(COLLEAGUE)]
    assert any(
        T(
            "{name} is now the official responsible for indicator {code} of {agency}, instead of"
            " you.",
            name=f"User {XD_MEMBER}",
            code="1.5",
            agency=XD[1],
        )
        == t
        for t in told
    )


def test_the_focal_department_names_a_member_of_any_agency(world):
    """The focal department names the member of Sở Y tế for 3.1 (one of Sở Y tế's indicators)."""
    world.say(FOCAL, f"/phutrach 3.1 User {YT_MEMBER}")
    assert uid(world, YT_MEMBER) == current(world, YT[0], "3.1").user_id


def test_the_list_shows_the_current_officials(world):
    """/phutrach lists each agency's responsible officials; a member sees their own agency."""
    world.say(XD_MEMBER, f"/phutrach 1.5 User {COLLEAGUE}")
    world.say(FOCAL, f"/phutrach 3.1 User {YT_MEMBER}")
    mine = world.say(XD_MEMBER, "/phutrach").text
    everyone = world.say(FOCAL, "/phutrach").text
    assert f"• 1.5 — User {COLLEAGUE}" in mine and YT[1] not in mine
    assert f"• 1.5 — User {COLLEAGUE}" in everyone and f"• 3.1 — User {YT_MEMBER}" in everyone


def test_removing_ends_the_responsibility(world):
    """/phutrach 1.5 bỏ ends it; the list then says nobody is named."""
    world.say(XD_MEMBER, f"/phutrach 1.5 User {COLLEAGUE}")
    reply = world.say(XD_MEMBER, "/phutrach 1.5 bỏ")
    assert (
        T(
            "{name} is no longer the official responsible for indicator {code} of {agency}.",
            name=f"User {COLLEAGUE}",
            code="1.5",
            agency=XD[1],
        )
        == reply.text
    )
    assert current(world) is None
    assert world.say(XD_MEMBER, "/phutrach").text.startswith(
        T("No responsible official is named yet.")
    )


# ================================================================================================
# who may: refusals with a clear message
# ================================================================================================


def test_a_member_of_another_agency_cannot_name_for_an_indicator_it_does_not_hold(world):
    """A member of Sở Y tế naming for 1.5 (not a Sở Y tế indicator) is told so; nothing is
    stored."""
    reply = world.say(YT_MEMBER, f"/phutrach 1.5 User {COLLEAGUE}")
    assert (
        T(
            "Indicator {code} is not among the indicators of your agency (or of an agency with"
            " members yet).",
            code="1.5",
        )
        == reply.text
    )
    assert current(world) is None


def test_a_plain_user_is_refused(world):
    """Someone who is no member, leader or focal official is told who may, and how to sign up."""
    reply = world.say(PLAIN, f"/phutrach 1.5 User {COLLEAGUE}")
    assert (
        T(
            "Only the focal department, an agency's approved members and its leaders may name the"
            " agency's responsible officials. Sign up with /dangky."
        )
        == reply.text
    )
    assert current(world) is None


def test_a_forged_button_for_another_agency_is_refused(world):
    """A member of Sở Y tế pressing a made-up rp:set for a Sở Xây dựng member is refused;
    nothing is stored."""
    reply = world.press(YT_MEMBER, f"rp:set:1.5:{uid(world, COLLEAGUE)}")
    expected = T(
        "You may not name the responsible officials of {agency}: only the focal department, the"
        " agency's members and its leaders may.",
        agency=XD[1],
    )
    assert expected in (reply.text, reply.toast)
    assert current(world) is None


def test_a_forged_button_naming_a_non_member_is_refused(world):
    """A member pressing a made-up rp:set for someone who is no member is told so."""
    reply = world.press(XD_MEMBER, f"rp:set:1.5:{uid(world, PLAIN)}")
    assert T("That person is not an approved member of an agency any more.") in (
        reply.text,
        reply.toast,
    )
    assert current(world) is None


def test_a_forged_removal_by_another_agency_is_refused(world):
    """rp:del of a Sở Xây dựng responsibility pressed by a member of Sở Y tế changes nothing."""
    world.say(XD_MEMBER, f"/phutrach 1.5 User {COLLEAGUE}")
    reply = world.press(YT_MEMBER, f"rp:del:{current(world).id}")
    assert T(
        "You may not name the responsible officials of {agency}: only the focal department, the"
        " agency's members and its leaders may.",
        agency=XD[1],
    ) in (reply.text, reply.toast)
    assert uid(world, COLLEAGUE) == current(world).user_id


def test_a_leader_who_is_no_member_names_for_their_agency(world):
    """The leader of Sở Xây dựng (not a member) names a member responsible."""
    make_leader(world)
    world.say(BOSS, f"/phutrach 1.5 User {COLLEAGUE}")
    assert uid(world, COLLEAGUE) == current(world).user_id


# ================================================================================================
# reminders go to the responsible official first, once
# ================================================================================================


def test_reminders_go_to_the_responsible_official_first_and_to_the_group(world):
    """With a bound group, the 14-day reminder of "chủ trì 1.5" goes to the responsible
    official's private chat (written first, saying so) and to the group; a second tick adds
    nothing."""
    world.bind(XD_GROUP, XD)
    world.say(XD_MEMBER, f"/phutrach 1.5 User {COLLEAGUE}")
    world.deadline(LEAD_15)
    world.plan(MOMENTS[14])
    assert 0 == world.plan(MOMENTS[14] + timedelta(minutes=5))
    rows = [r for r in world.rows("reminder") if r.agency_id == XD[0]]  # Sở NN&MT also leads 1.5
    assert [str(COLLEAGUE), str(XD_GROUP)] == [r.chat_id for r in rows]
    line = VI.ngettext(
        "You are the official responsible for indicator {codes} of {agency}.",
        "You are the official responsible for indicators {codes} of {agency}.",
        1,
    ).format(codes="1.5", agency=XD[1])
    assert line in rows[0].text and line not in rows[1].text


def test_a_responsible_member_without_a_group_gets_one_reminder(world):
    """No group: members are reached in private; the responsible official gets one row (its
    own), not two."""
    world.say(XD_MEMBER, f"/phutrach 1.5 User {COLLEAGUE}")
    world.deadline(LEAD_15)
    world.plan(MOMENTS[14])
    to_colleague = [r for r in world.rows("reminder") if r.chat_id == str(COLLEAGUE)]
    assert 1 == len(to_colleague)
    assert "1.5" in to_colleague[0].text.split("\n")[3]


def test_a_deadline_about_another_indicator_does_not_go_to_the_official(world):
    """Responsible for 1.10 only: a deadline for the leads of 1.5 reaches the group, not them in
    private."""
    world.bind(XD_GROUP, XD)
    world.say(XD_MEMBER, f"/phutrach 1.10 User {COLLEAGUE}")
    world.deadline(LEAD_15)
    world.plan(MOMENTS[14])
    assert [str(XD_GROUP)] == [r.chat_id for r in world.rows("reminder") if r.agency_id == XD[0]]


def test_explanation_reminders_go_to_the_responsible_official_first(world):
    """A request for explanation about 1.5 is reminded to the official responsible for 1.5, then
    the group."""
    world.bind(XD_GROUP, XD)
    world.say(XD_MEMBER, f"/phutrach 1.5 User {COLLEAGUE}")
    with world.db.session() as s:
        q = explanations.create(
            s,
            agency_id=XD[0],
            agency_name=XD[1],
            plan_id=PLAN,
            indicator_code="1.5",
            text="Vì sao?",
            due_date=DUE,
            requested_by=uid(world, FOCAL),
            now=at(2026, 11, 30),
        )
    world.clock.now = MOMENTS[14]
    review_notices.plan_explanations(world.conv, world.conv.now())
    review_notices.plan_explanations(world.conv, world.conv.now())
    assert [str(COLLEAGUE), str(XD_GROUP)] == [
        r.chat_id for r in world.rows("reminder") if r.deadline_key == q.key
    ]


def test_an_official_who_leaves_stops_being_responsible_and_the_focal_department_is_told(world):
    """The official joins Sở Y tế (their Sở Xây dựng membership is revoked): the next tick ends the
    responsibility, tells the focal department once, and later reminders skip them."""
    world.bind(XD_GROUP, XD)
    world.say(XD_MEMBER, f"/phutrach 1.5 User {COLLEAGUE}")
    world.member(COLLEAGUE, YT)
    world.deadline(LEAD_15)
    world.clock.now = MOMENTS[14]
    tick.plan_all(world.conv, world.conv.now())
    tick.plan_all(world.conv, world.conv.now() + timedelta(minutes=1))
    assert current(world) is None
    with world.db.session() as s:
        assert ["left"] == [r.end_reason for r in s.scalars(select(ResponsibleOfficial))]
    notices = [r for r in world.rows("notice") if r.key.startswith("rpleft:")]
    text = T(
        "{name} is no longer a member of {agency}, so no longer the official responsible for"
        " indicator {code}. Name another with /phutrach {code} <name>.",
        name=f"User {COLLEAGUE}",
        agency=XD[1],
        code="1.5",
    )
    assert notices and {text} == {r.text for r in notices}
    assert len(notices) == len({r.chat_id for r in notices})  # once per focal chat
    assert str(COLLEAGUE) not in {r.chat_id for r in world.rows("reminder")}


# ================================================================================================
# the leader role
# ================================================================================================


def test_an_admin_grants_and_revokes_the_leader_role(world):
    """/lanhdao <id> <agency> grants (the person is told); /lanhdao bỏ <id> revokes."""
    boss = uid(world, BOSS)
    reply = world.say(ADMIN, f"/lanhdao {boss} Sở Xây dựng")
    assert (
        T(
            "{name} (#{id}) is now a leader of {agency}: they get a digest when the agency falls"
            " behind.",
            name=f"User {BOSS}",
            id=boss,
            agency=XD[1],
        )
        == reply.text
    )
    assert [(XD[0], boss)] == [(r.agency_id, r.user_id) for r in all_leaders(world)]
    assert any(r.chat_id == str(BOSS) for r in world.rows("notice"))
    world.say(ADMIN, f"/lanhdao bỏ {boss}")
    assert [] == all_leaders(world)


def test_a_members_own_agency_is_taken_when_left_out(world):
    """/lanhdao <id> for a member makes them a leader of their own agency."""
    world.say(ADMIN, f"/lanhdao {uid(world, XD_MEMBER)}")
    assert [XD[0]] == [r.agency_id for r in all_leaders(world)]


def test_only_admins_grant_the_leader_role(world):
    """The focal department and members are refused; a forged revoke button too."""
    make_leader(world)
    for who in (FOCAL, XD_MEMBER, PLAIN):
        assert (
            T("Only the bot's admins can do that.")
            == world.say(who, f"/lanhdao {uid(world, who)} Sở Y tế").text
        )
    forged = world.press(XD_MEMBER, f"ld:rv:{all_leaders(world)[0].id}")
    assert T("Only the bot's admins can do that.") in (forged.text, forged.toast)
    assert 1 == len(all_leaders(world))


def test_bad_input_to_lanhdao_says_what_to_do(world):
    """An unknown user id, an unknown agency."""
    assert (
        T("There is no user #{id}; they must write to the bot first.", id=987654)
        == world.say(ADMIN, "/lanhdao 987654 Sở Xây dựng").text
    )
    assert world.say(ADMIN, f"/lanhdao {uid(world, BOSS)} Sở Không Có").text.startswith(
        T(
            "Unknown agency: {names}. Write the names as in the plan, separated by commas.",
            names="Sở Không Có",
        )
    )


def test_the_focal_department_sets_the_threshold(world):
    """/nguongtre 5 is stored; 0 and letters are refused with the range; a member may not set
    it."""
    world.say(FOCAL, "/nguongtre 5")
    with world.db.session() as s:
        assert 5 == leaders.leader_after_days(s)
    for bad in ("0", "abc", "61"):
        assert (
            T("Write a whole number of working days from 1 to {max}, e.g. /nguongtre 3.", max=60)
            == world.say(FOCAL, f"/nguongtre {bad}").text
        )
    world.say(XD_MEMBER, "/nguongtre 1")
    with world.db.session() as s:
        assert 5 == leaders.leader_after_days(s)


# ================================================================================================
# the leaders' digest
# ================================================================================================


def test_the_digest_comes_once_after_more_than_n_working_days_and_not_before(world):
    """N = 3 (the default): nothing on Fri 18/12 (3 days), nor on Mon 21/12 before 08:00; one
    digest on Mon 21/12 at 08:00, whatever the ticks that day; a new one on Tue 22/12 while still
    not reported.
    """
    make_leader(world)
    world.deadline(LEAD_15)
    assert 0 == digest_plan(world, at(2026, 12, 18, 9))
    assert 0 == digest_plan(world, at(2026, 12, 21, 7, 59))
    assert [1, 0, 0] == [
        digest_plan(world, t)
        for t in (at(2026, 12, 21), at(2026, 12, 21, 8, 1), at(2026, 12, 21, 16))
    ]
    rows = leader_rows(world)
    assert [(f"lead:2026-12-21:u{uid(world, BOSS)}", str(BOSS))] == [
        (r.key, r.chat_id) for r in rows
    ]
    overdue = VI.ngettext(
        "“{title}” (due {date}) is {n} working day overdue; not reported: {codes}",
        "“{title}” (due {date}) is {n} working days overdue; not reported: {codes}",
        4,
    ).format(title=TITLE, date="15/12/2026", n=4, codes="1.5")
    assert "• " + overdue in rows[0].text.split("\n")
    assert 1 == digest_plan(world, at(2026, 12, 22))


def test_the_threshold_is_the_focal_departments_choice(world):
    """With /nguongtre 2 the digest comes on Fri 18/12 (3 working days overdue), not on Thu
    17/12."""
    make_leader(world)
    world.say(FOCAL, "/nguongtre 2")
    world.deadline(LEAD_15)
    assert [0, 1] == [digest_plan(world, at(2026, 12, 17)), digest_plan(world, at(2026, 12, 18))]


def test_holidays_do_not_count_as_working_days(world, settings, api, clock):
    """With Monday 21/12 a holiday, no digest comes that day; Tue 22/12 is the 4th working day
    overdue."""
    holiday = make_world(settings, api, clock, holidays=frozenset({date(2026, 12, 21)}))
    try:
        holiday.member(XD_MEMBER, XD)
        holiday.user(BOSS)
        make_leader(holiday)
        holiday.deadline(LEAD_15)
        assert [0, 1] == [
            digest_plan(holiday, at(2026, 12, 21, 9)),
            digest_plan(holiday, at(2026, 12, 22)),
        ]
        assert "4" in leader_rows(holiday)[0].text
    finally:
        holiday.services.close()


def test_no_digest_once_the_agency_has_reported(world):
    """A progress update on 1.5 before Mon 21/12: nothing overdue to tell the leader."""
    make_leader(world)
    world.deadline(LEAD_15)
    world.progress(XD, "1.5")
    assert 0 == digest_plan(world, at(2026, 12, 21))


def _return(world, times: int, code: str = "1.10") -> None:
    focal = uid(world, FOCAL)
    for i in range(times):
        with world.db.session() as s:
            u = progress_store.add(
                s,
                author_id=uid(world, XD_MEMBER),
                author_name="Lan",
                agency_id=XD[0],
                agency_name=XD[1],
                plan_id=PLAN,
                indicator_code=code,
                kb_version_id=world.services.knowledge.current.version.id,
                status="in_progress",
                percent=10 + i,
            )
            review_store.return_update(s, u.id, focal, world.conv.now(), "thiếu minh chứng")


def test_an_item_returned_twice_is_in_the_digest(world):
    """Returned once: no digest; returned a second time: the next working-day digest names the
    indicator."""
    make_leader(world)
    world.clock.now = at(2026, 12, 1, 9)
    _return(world, 1)
    assert 0 == digest_plan(world, at(2026, 12, 1, 10))
    _return(world, 1)
    assert 1 == digest_plan(world, at(2026, 12, 1, 11))
    line = VI.ngettext(
        "Indicator {code}: the update was returned {n} time by the focal department and is not"
        " corrected yet",
        "Indicator {code}: updates were returned {n} times by the focal department; not"
        " corrected yet",
        2,
    ).format(code="1.10", n=2)
    assert "• " + line in leader_rows(world)[0].text.split("\n")


def test_an_explanation_open_past_its_date_is_in_the_digest(world):
    """A request for explanation due Fri 04/12, still open on Mon 07/12: in that day's digest."""
    make_leader(world)
    with world.db.session() as s:
        q = explanations.create(
            s,
            agency_id=XD[0],
            agency_name=XD[1],
            plan_id=PLAN,
            indicator_code="1.5",
            text="Vì sao chậm?",
            due_date=date(2026, 12, 4),
            requested_by=uid(world, FOCAL),
            now=at(2026, 12, 1),
        )
    assert 0 == digest_plan(world, at(2026, 12, 4, 9))
    assert 1 == digest_plan(world, at(2026, 12, 7, 9))
    line = T(
        "Request for explanation #{id} on indicator {code}: not answered, due {date}",
        id=q.id,
        code="1.5",
        date="04/12/2026",
    )
    assert "• " + line in leader_rows(world)[0].text.split("\n")


def test_a_leader_who_is_a_member_and_leads_two_agencies_gets_one_digest(world):
    """A member of Sở Xây dựng who leads it and Sở Y tế: one digest a day, naming both agencies;
    the group reminders are not a second digest."""
    world.bind(XD_GROUP, XD)
    make_leader(world, XD_MEMBER, XD)
    make_leader(world, XD_MEMBER, YT)
    world.deadline({"kind": "all"})
    world.clock.now = at(2026, 12, 21)
    tick.plan_all(world.conv, world.conv.now())
    tick.plan_all(world.conv, world.conv.now())
    rows = leader_rows(world)
    assert [str(XD_MEMBER)] == [r.chat_id for r in rows]
    assert XD[1] + ":" in rows[0].text.split("\n") and YT[1] + ":" in rows[0].text.split("\n")
    assert 0 == len(
        [
            r
            for r in world.rows("digest")
            if r.chat_id == str(XD_MEMBER) and not r.key.startswith("lead:")
        ]
    )


def test_a_revoked_leader_gets_no_digest(world):
    """Revoked before the day: nothing."""
    make_leader(world)
    world.say(ADMIN, f"/lanhdao bỏ {uid(world, BOSS)}")
    world.deadline(LEAD_15)
    assert 0 == digest_plan(world, at(2026, 12, 21))


# ================================================================================================
# the channel: the digest arrives in the leader's private Telegram chat
# ================================================================================================


async def test_the_digest_arrives_in_the_leaders_private_telegram_chat(world):
    """Planned by the tick, sent through python-telegram-bot's real HTTP stack to the fake Bot
    API: the leader's private chat gets the digest, once, though the tick runs twice."""
    make_leader(world)
    world.deadline(LEAD_15)
    application = build_application(world.services, tick=None)
    async with application:
        world.clock.now = at(2026, 12, 21)
        tick.plan_all(world.conv, world.conv.now())
        await application.bot_data.dispatcher.drain()
        tick.plan_all(world.conv, world.conv.now())
        await application.bot_data.dispatcher.drain()
    got = [
        c.text
        for c in world.api.sent_messages(BOSS)
        if c.text.startswith(T("📋 Digest for the agency's leader, {day}", day="21/12/2026"))
    ]
    assert 1 == len(got)
    assert TITLE in got[0]


def test_people_move_with_their_roles_when_two_accounts_are_linked(world):
    """Linking a second account into the leader keeps the role on the one person."""
    make_leader(world)
    boss = uid(world, BOSS)
    with world.db.session() as s:
        other = people.identify(s, "zalo", "z-boss", "Boss on Zalo")
        linking.merge_users(s, keep=other.id, gone=boss)
    assert [other.id] == [r.user_id for r in all_leaders(world)]


def test_id_tells_a_person_their_leader_roles_and_responsibilities(world):
    """/id names the agencies one leads and the indicators one is responsible for."""
    make_leader(world, COLLEAGUE, XD)
    world.say(XD_MEMBER, f"/phutrach 1.5 User {COLLEAGUE}")
    lines = world.say(COLLEAGUE, "/id").text.split("\n")
    assert T("Leader of: {agencies}", agencies=XD[1]) in lines
    assert T("Responsible official for: {items}", items=f"1.5 ({XD[1]})") in lines


def test_linking_two_accounts_that_both_lead_an_agency_keeps_one_role(world):
    """Both accounts lead Sở Xây dựng: after linking, the person holds the role once."""
    make_leader(world)
    with world.db.session() as s:
        other = people.identify(s, "zalo", "z-boss", "Boss on Zalo")
    reply = world.say(ADMIN, f"/lanhdao {other.id} Sở Xây dựng")
    assert 2 == len(all_leaders(world)), reply.text
    boss = uid(world, BOSS)
    with world.db.session() as s:
        linking.merge_users(s, keep=other.id, gone=boss)
    assert [other.id] == [r.user_id for r in all_leaders(world)]


def test_two_current_officials_for_one_indicator_cannot_be_stored(world):
    """The database itself keeps one current official per agency and indicator (a partial unique
    index)."""
    from sqlalchemy.exc import IntegrityError

    colleague, member = uid(world, COLLEAGUE), uid(world, XD_MEMBER)
    with world.db.session() as s:
        leaders.name_responsible(
            s,
            agency_id=XD[0],
            agency_name=XD[1],
            plan_id=PLAN,
            code="1.5",
            user_id=colleague,
            by=None,
            now=at(2026, 12, 1),
        )
    with pytest.raises(IntegrityError), world.db.session() as s:
        s.add(
            ResponsibleOfficial(
                agency_id=XD[0],
                agency_name=XD[1],
                plan_id=PLAN,
                indicator_code="1.5",
                user_id=member,
                named_at=at(2026, 12, 1),
            )
        )
        s.flush()


def test_a_leader_the_bot_cannot_reach_is_reported_to_the_focal_department(world):
    """The leader blocked the bot: no digest can go, and the focal department is told once that
    week."""
    make_leader(world)
    with world.db.session() as s:
        people.set_reachable(s, "telegram", str(BOSS), False)
    world.deadline(LEAD_15)
    digest_plan(world, at(2026, 12, 21))
    digest_plan(world, at(2026, 12, 22))
    assert [] == leader_rows(world)
    told = [r for r in world.rows("notice") if r.key.startswith("leadnone:")]
    assert told and len(told) == len({r.chat_id for r in told})
    assert f"User {BOSS}" in told[0].text


def test_erasing_a_responsible_leader_ends_both_roles(world):
    """Erasure revokes the leader role at once; the responsibility ends at the next tick, and
    the focal department is told."""
    make_leader(world, COLLEAGUE, XD)
    world.say(XD_MEMBER, f"/phutrach 1.5 User {COLLEAGUE}")
    colleague = uid(world, COLLEAGUE)
    with world.db.session() as s:
        erasure.erase_person(s, colleague)
    assert [] == all_leaders(world)
    leader_digest.plan_departures(world.conv, at(2026, 12, 1))
    assert current(world) is None
    assert [r for r in world.rows("notice") if r.key.startswith("rpleft:")]
