"""E-mail as a channel: reminders and broadcasts reach by e-mail an agency that no chat reaches,
through the same delivery ledger, exactly once, against a real SMTP server on 127.0.0.1 (aiosmtpd).

The world is tests/support/world.py's (the fake Bot API for Telegram, a clock moved by hand); the
e-mail sender is the bot's own (handlers/email_channel.py) talking SMTP to
tests/support/smtp_server.py.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.app.i18n import Translations
from bot.core.audience import Audience
from bot.delivery import recipients
from bot.delivery.reasons import reason_text
from bot.delivery.tick import make_dispatcher
from bot.flows.broadcasts import send_broadcast
from handlers.email_channel import EmailSender, subject_of
from handlers.telegram.app import build_application
from handlers.telegram.sender import TelegramChannel
from storage.delivery import ledger
from storage.directory import contacts, people
from tests.support.fake_bot_api import FakeBotApi
from tests.support.smtp_server import SmtpServer
from tests.support.world import (
    FOCAL,
    LEAD_15,
    MOMENTS,
    XD,
    XD_GROUP,
    XD_MISSING,
    YT,
    Clock,
    T,
    at,
    make_world,
    reminder_text,
)

XD_MAIL = "vanthu.sxd@langson.gov.vn"  # Sở Xây dựng's official address, in agencies.yaml
YT_MAIL = "vanthu.syt@langson.gov.vn"  # Sở Y tế's, set in the console
VI = Translations().get("vi")


def add_kb_address(kb_dir, agency_id: str, address: str) -> None:
    """``email:`` under the agency's id in the copy of agencies.yaml the services load."""
    path = kb_dir / "agencies.yaml"
    text = path.read_text(encoding="utf-8")
    head = f"  - id: {agency_id}\n"
    assert head in text
    path.write_text(text.replace(head, head + f'    email: "{address}"\n', 1), encoding="utf-8")


@pytest.fixture
def smtp():
    with SmtpServer() as server:
        yield server


@pytest.fixture
def api():
    with FakeBotApi() as server:
        yield server


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request):
    return request.getfixturevalue("postgres_url") if request.param == "postgres" else None


def email_settings(settings, smtp: SmtpServer, **changes):
    return replace(
        settings,
        smtp_host=smtp.host,
        smtp_port=smtp.port,
        smtp_security="none",
        smtp_from="Trợ lý PGI <pgi-bot@snnmt.langson.gov.vn>",
        smtp_rate=50.0,
        public_url="https://pgi.example.vn",
        **changes,
    )


@pytest.fixture
def world(settings, kb_dir, api, smtp, db_url):
    add_kb_address(kb_dir, XD[0], XD_MAIL)
    w = make_world(
        email_settings(settings, smtp, database_url=db_url), api, Clock(at(2026, 11, 30, 9, 0))
    )
    w.conv.channels = ("telegram", "email")  # as the runner sets them when SMTP_HOST is set
    yield w
    w.services.close()


@pytest.fixture
async def app(world):
    application = build_application(world.services, tick=None)
    application.bot_data.dispatcher.channels["email"] = EmailSender(
        world.services.settings, world.db, world.services.translations
    )
    async with application:
        yield application


def rows(world, channel: str = "email") -> list:
    return [r for r in world.rows() if r.channel == channel]


async def test_reminder_reaches_an_agency_that_never_wrote_by_email_exactly_once(world, app, smtp):
    """Sở Xây dựng has no group and no member: its reminder goes to its official address, once,
    even when the tick runs twice and a second worker drains the ledger at the same time."""
    world.deadline(LEAD_15)
    world.clock.now = MOMENTS[14]
    await app.bot_data.cycle()
    second = make_dispatcher(
        world.services,
        {
            "telegram": TelegramChannel(app.bot),
            "email": EmailSender(world.services.settings, world.db),
        },
    )
    await asyncio.gather(app.bot_data.cycle(), second.drain())
    world.clock.now = MOMENTS[14] + timedelta(minutes=5)
    await app.bot_data.cycle()
    [message] = smtp.received(XD_MAIL)
    [row] = [r for r in rows(world) if r.kind == "reminder"]
    assert (ledger.SENT, XD_MAIL, XD[0]) == (row.status, row.chat_id, row.agency_id)
    assert reminder_text(XD[1], XD_MISSING, 14) in message.get_body(("plain",)).get_content()
    assert subject_of(VI, row.text) == message["Subject"]
    assert "vi" == message["Content-Language"]


async def test_an_agency_with_a_bound_group_gets_no_email(world, app, smtp):
    """The group chat reaches Sở Xây dựng: its official address is not used."""
    world.bind(XD_GROUP, XD)
    world.deadline(LEAD_15)
    world.clock.now = MOMENTS[14]
    await app.bot_data.cycle()
    assert ([], []) == (smtp.received(XD_MAIL), rows(world))


async def test_a_member_whose_chat_blocked_the_bot_gets_it_at_their_own_address(world, app, smtp):
    """A member of Sở Y tế whose Telegram chat is unreachable, with an address of their own,
    gets the broadcast by e-mail there (and Sở Y tế's official address, set in the console, is
    not needed)."""
    world.member(555, YT)
    uid = world.user(555)
    with world.db.session() as s:
        people.set_reachable(s, "telegram", "555", False)
        assert "set" == people.set_email(s, uid, "lan.syt@langson.gov.vn")
        contacts.set_email(s, YT[0], YT_MAIL, None)
    bid, found = _broadcast(world, Audience.agencies([YT[0]], [YT[1]]), "Họp giao ban")
    await app.bot_data.cycle()
    assert [("lan.syt@langson.gov.vn", uid)] == [
        (t.address.chat_id, t.user_id) for t in found.targets
    ]
    assert 1 == len(smtp.received("lan.syt@langson.gov.vn"))
    assert [] == smtp.received(YT_MAIL)


async def test_an_official_address_set_in_the_console_replaces_the_knowledge_bases(
    world, app, smtp
):
    """The console's address is used instead of agencies.yaml's; an empty one means "no
    address"."""
    with world.db.session() as s:
        contacts.set_email(s, XD[0], "moi.sxd@langson.gov.vn", None)
        first = [
            t.address.chat_id
            for t in recipients.resolve(
                s,
                world.services.knowledge.current,
                Audience.agencies([XD[0]], [XD[1]]),
                world.conv.channels,
            ).targets
        ]
        contacts.set_email(s, XD[0], "", None)
        second = recipients.resolve(
            s,
            world.services.knowledge.current,
            Audience.agencies([XD[0]], [XD[1]]),
            world.conv.channels,
        ).targets
    assert (["moi.sxd@langson.gov.vn"], []) == (first, second)


def _broadcast(world, audience: Audience, text: str):
    focal = world.user(FOCAL)
    with world.db.session() as s:
        b, found = send_broadcast(
            s,
            world.conv,
            world.services.knowledge.current,
            text,
            audience,
            focal,
            "Focal",
            "telegram",
            str(FOCAL),
        )
    return b.id, found


async def test_a_refused_address_is_final_and_reported(world, app, smtp):
    """The server answers 550 to Sở Xây dựng's address: the row is final (tried once, never
    again), the delivery report says the address was refused, and the focal department is told
    to correct it."""
    smtp.refused.add(XD_MAIL)
    bid, _ = _broadcast(world, Audience.agencies([XD[0]], [XD[1]]), "Họp giao ban PGI")
    await app.bot_data.cycle()
    world.clock.now = world.clock.now + timedelta(hours=9)
    await app.bot_data.cycle()
    [row] = [r for r in rows(world) if r.kind == "broadcast"]
    assert (ledger.GONE, 1) == (row.status, smtp.rcpts.count(XD_MAIL))
    assert row.error.startswith("address refused by the mail server: 550")
    texts = [c.text for c in world.api.sent_messages(FOCAL)]
    why = reason_text(VI, row.error)
    assert T("the mail server refused the e-mail address") == why
    report = next(
        t
        for t in texts
        if t.startswith(
            T(
                "Delivery report of broadcast #{id}: {sent} of {total} sent.",
                id=bid,
                sent=0,
                total=1,
            )
        )
    )
    assert (
        T(
            "• {agency}: the e-mail address {address} was refused: {why}",
            agency=XD[1],
            address=XD_MAIL,
            why=why,
        )
        in report.splitlines()
    )
    notice = T(
        "The e-mail address {address} of {agency} was refused by its mail server ({reason})."
        " Correct it in the web console (the agency's page) or ask the person to send /email with"
        " the right address; until then the agency is not reached by e-mail.",
        address=XD_MAIL,
        agency=XD[1],
        reason=why,
    )
    assert 1 == texts.count(notice)


async def test_the_delivery_report_says_sent_by_email(world, app, smtp):
    """A broadcast that reached Sở Xây dựng by e-mail says so in its delivery report."""
    bid, _ = _broadcast(world, Audience.agencies([XD[0]], [XD[1]]), "Họp giao ban PGI")
    await app.bot_data.cycle()
    report = next(
        c.text
        for c in world.api.sent_messages(FOCAL)
        if c.text.startswith(
            T(
                "Delivery report of broadcast #{id}: {sent} of {total} sent.",
                id=bid,
                sent=1,
                total=1,
            )
        )
    )
    assert (
        T("Sent by e-mail (no chat reaches them): {names}", names=f"{XD[1]} <{XD_MAIL}>")
        in report.splitlines()
    )


async def test_a_dropped_connection_is_retried_and_the_message_arrives_once(world, app, smtp):
    """The server cuts the connection at RCPT: nothing was taken, so the row is tried again
    later and arrives once."""
    smtp.drops = 1
    _broadcast(world, Audience.agencies([XD[0]], [XD[1]]), "Họp giao ban PGI")
    await app.bot_data.cycle()
    [row] = [r for r in rows(world) if r.kind == "broadcast"]
    assert (ledger.PENDING, [], 1) == (row.status, smtp.received(XD_MAIL), row.attempts)
    world.clock.now = world.clock.now + timedelta(minutes=1)
    await app.bot_data.cycle()
    await app.bot_data.cycle()
    [row] = [r for r in rows(world) if r.kind == "broadcast"]
    assert (ledger.SENT, 1, 2) == (
        row.status,
        len(smtp.received(XD_MAIL)),
        smtp.rcpts.count(XD_MAIL),
    )


async def test_a_deferred_recipient_is_retried(world, app, smtp):
    """451 on the recipient is temporary: the row waits and is sent when the server takes it."""
    smtp.deferred.add(XD_MAIL)
    _broadcast(world, Audience.agencies([XD[0]], [XD[1]]), "Họp giao ban PGI")
    await app.bot_data.cycle()
    assert [ledger.PENDING] == [r.status for r in rows(world)]
    smtp.deferred.clear()
    world.clock.now = world.clock.now + timedelta(minutes=1)
    await app.bot_data.cycle()
    assert ([ledger.SENT], 1) == ([r.status for r in rows(world)], len(smtp.received(XD_MAIL)))


async def test_the_html_part_escapes_what_people_wrote(world, app, smtp):
    """A broadcast's text is escaped in the HTML part (no markup of the sender's), and kept as
    written in the plain part."""
    _broadcast(
        world, Audience.agencies([XD[0]], [XD[1]]), '<script>alert("x")</script> & <b>đậm</b>'
    )
    await app.bot_data.cycle()
    [message] = smtp.received(XD_MAIL)
    page = message.get_body(("html",)).get_content()
    assert "<script>" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;đậm&lt;/b&gt;" in page
    assert '<script>alert("x")</script> & <b>đậm</b>' in message.get_body(("plain",)).get_content()


async def test_choices_are_named_with_where_to_answer_them(world, app, smtp):
    """A reminder's choices cannot be pressed in an e-mail: the message names them and links to
    the console."""
    world.deadline(LEAD_15)
    world.clock.now = MOMENTS[14]
    await app.bot_data.cycle()
    [message] = smtp.received(XD_MAIL)
    plain = message.get_body(("plain",)).get_content()
    assert (
        T(
            "This message offers these choices: {choices}.",
            choices="; ".join(
                f"“{T(label)}”"
                for label in ("Acknowledged", "Post progress", "Ask for an extension")
            ),
        )
        in plain
    )
    assert "https://pgi.example.vn/web/" in plain
    assert '<a href="https://pgi.example.vn/web/">' in message.get_body(("html",)).get_content()


def test_a_persons_addresses_are_their_chats_first_then_email(world):
    """reachable_identities: the chat used last, then other chats, then the e-mail address; an
    unreachable one is left out; the e-mail address alone when no chat is reachable."""
    uid = world.user(777)
    with world.db.session() as s:
        people.set_email(s, uid, "an@langson.gov.vn")
        first = [
            (i.channel, i.external_id)
            for i in people.reachable_identities(s, uid, ("telegram", "email"))
        ]
        people.set_reachable(s, "telegram", "777", False)
        second = [
            (i.channel, i.external_id)
            for i in people.reachable_identities(s, uid, ("telegram", "email"))
        ]
        third = people.reachable_identities(s, uid, ("telegram",))
    assert [("telegram", "777"), ("email", "an@langson.gov.vn")] == first
    assert ([("email", "an@langson.gov.vn")], []) == (second, third)


async def test_every_email_says_where_to_answer(world, app, smtp):
    """A message without choices (a broadcast) still ends with the console's address, and that
    replies are not read."""
    _broadcast(world, Audience.agencies([XD[0]], [XD[1]]), "Họp giao ban PGI")
    await app.bot_data.cycle()
    [message] = smtp.received(XD_MAIL)
    plain = message.get_body(("plain",)).get_content()
    assert (
        T("To answer or post progress: the web console, {url}", url="https://pgi.example.vn/web/")
        in plain
    )
    sender = T(
        "Sent automatically by the PGI assistant of Sở Nông nghiệp và Môi trường Lạng Sơn; replies"
        " to this e-mail are not read by the bot."
    )
    assert sender == plain.rstrip().splitlines()[-2]


async def test_a_leader_no_chat_reaches_gets_the_digest_by_email(world, app, smtp):
    """The agency's leader blocked the bot on Telegram but gave an address: when Sở Xây dựng's
    item is more than N working days overdue, the leader's digest arrives by e-mail, once."""
    from bot.delivery import leader_digest
    from tests.support.world import ADMIN

    boss, address = 100_050, "giamdoc.sxd@langson.gov.vn"
    uid = world.user(boss)
    world.say(ADMIN, f"/lanhdao {uid} {XD[1]}")
    with world.db.session() as s:
        people.set_email(s, uid, address)
        people.set_reachable(s, "telegram", str(boss), False)
    world.deadline(LEAD_15)
    world.clock.now = at(2026, 12, 21, 9, 0)  # 15/12 due: four working days overdue (N = 3)
    assert 1 == leader_digest.plan(world.conv, world.conv.now())
    await app.bot_data.cycle()
    leader_digest.plan(world.conv, world.conv.now() + timedelta(hours=2))  # a later tick that day
    await app.bot_data.cycle()
    [message] = smtp.received(address)
    [row] = [r for r in rows(world) if r.key.startswith("lead:")]
    assert (ledger.SENT, address) == (row.status, row.chat_id)
    assert "1.5" in message.get_body(("plain",)).get_content()
