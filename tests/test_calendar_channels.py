"""An extension asked for and granted through a channel: the reminder's "Ask for an extension"
button pressed on Telegram (python-telegram-bot's real stack against the fake Bot API), the
focal department's Approve button, and the agency told."""

from __future__ import annotations

import pytest
from telegram import Update

from handlers.telegram.app import build_application
from storage.schedule import extensions as extension_store
from tests.support.fake_bot_api import FakeBotApi
from tests.support.world import (
    FOCAL,
    LEAD_15,
    MOMENTS,
    XD,
    XD_GROUP,
    XD_MEMBER,
    Clock,
    T,
    at,
    callback_data,
    make_world,
)


@pytest.fixture
def api():
    with FakeBotApi() as server:
        yield server


@pytest.fixture
def world(settings, api):
    w = make_world(settings, api, Clock(at(2026, 11, 30, 9, 0)))
    w.bind(XD_GROUP, XD)
    w.member(XD_MEMBER, XD)
    yield w
    w.services.close()


@pytest.fixture
async def app(world):
    application = build_application(world.services, tick=None)
    async with application:
        yield application


async def _handle(app, update: dict) -> None:
    """An update the fake Bot API queued, handled by the application as polling would hand it
    over."""
    await app.process_update(Update.de_json(update, app.bot))


async def test_extension_through_telegram_buttons(world, app, api):
    """Reminder → "Ask for an extension" → the date and reason typed in the group → the focal
    department's Approve button → the member and the group hear the new date."""
    d = world.deadline(LEAD_15)
    world.clock.now = MOMENTS[14]
    await app.bot_data.cycle()
    [reminder] = api.sent_messages(XD_GROUP)
    assert [f"gh:ask:{d.key}"] in callback_data(reminder)
    await _handle(app, api.press_button(XD_MEMBER, reminder, f"gh:ask:{d.key}", chat_id=XD_GROUP))
    asked = api.sent_messages(XD_GROUP)[-1]
    prompt = asked.params["text"]
    # in a group the answer is a reply to the bot's message (other chatter does not reach the bot)
    await _handle(
        app,
        api.send_text(
            XD_MEMBER,
            "29/12/2026 chờ số liệu",
            chat_id=XD_GROUP,
            chat_type="group",
            reply_to_message=asked.result,
        ),
    )
    sent = api.sent_messages(XD_GROUP)[-1].params["text"]
    await app.bot_data.cycle()
    [note] = [
        c for c in api.sent_messages(FOCAL) if "gh:ok:1" in str(c.params.get("reply_markup"))
    ]
    await _handle(app, api.press_button(FOCAL, note, "gh:ok:1"))
    await app.bot_data.cycle()
    with world.db.session() as s:
        decided = extension_store.get(s, 1)
    approved = T(
        "Extension approved: “{title}” is now due {new} for {agency} (was {old}).",
        title=d.title,
        new="29/12/2026",
        agency=XD[1],
        old="15/12/2026",
    )
    assert prompt.startswith(
        T(
            "Extension for {agency}: “{title}”, due {date}. Write the new date and the reason,"
            " e.g. “31/12/2026 chờ số liệu của Cục Thống kê”. (/huy to cancel)",
            agency=XD[1],
            title=d.title,
            date="15/12/2026",
        )[:25]
    )
    assert sent == T(
        "Request #{id} sent: {agency} asks to move “{title}” from {old} to {new}. The focal"
        " department will decide; you will be told.",
        id=1,
        agency=XD[1],
        title=d.title,
        old="15/12/2026",
        new="29/12/2026",
    )
    assert "approved" == decided.status
    assert [approved] == [c.params["text"] for c in api.sent_messages(XD_MEMBER)][-1:]
    assert approved == api.sent_messages(XD_GROUP)[-1].params["text"]


# --- Zalo: the same by numbered choices (no buttons), through the real runner and the fake Zalo
# API -----


@pytest.fixture
def zalo():
    from tests.support.fake_zalo_api import FakeZaloApi

    with FakeZaloApi(poll_wait=0.2) as api:
        yield api


async def test_extension_refused_through_zalo_numbered_choices(settings, zalo):
    """On Zalo: /giahan lists the deadline as "1.", "1" then the date and reason make the
    request; the admin (focal) answers "2" (Refuse) and a reason; the member is told why."""
    from datetime import date, timedelta

    from storage.schedule import deadlines as deadline_store
    from tests.support import zalo as z

    async with z.running(settings, zalo) as services:
        await z.ask(
            zalo, z.ADMIN, "xin chao"
        )  # the focal department (an admin) has written to the bot once
        await z._member(services, zalo)
        due = date.today() + timedelta(days=20)
        new = due + timedelta(days=10)
        with services.db.session() as s:
            deadline_store.add(
                s,
                "Báo cáo quý",
                due,
                {"kind": "agencies", "ids": ["so-xay-dung"], "names": ["Sở Xây dựng"]},
                None,
            )
        listed = await z.ask(zalo, z.MEMBER, "/giahan", "1. ")
        await z.ask(zalo, z.MEMBER, "1", "31/12/2026")
        before = len(zalo.texts(z.ADMIN))
        sent = await z.ask(zalo, z.MEMBER, f"{new:%d/%m/%Y} chờ số liệu", "#1")
        note = await z.said(zalo, z.ADMIN, "/duyetgiahan 1", after=before)
        await z.ask(zalo, z.ADMIN, "2", "#1")
        await z.ask(zalo, z.ADMIN, "Không đủ căn cứ", "#1")
        told = await z.said(zalo, z.MEMBER, "Không đủ căn cứ")
    assert f"1. {due:%d/%m/%Y} — Báo cáo quý" in listed
    assert sent.startswith(
        z.T(
            "Request #{id} sent: {agency} asks to move “{title}” from {old} to {new}. The focal "
            "department will decide; you will be told.",
            id=1,
            agency="Sở Xây dựng",
            title="Báo cáo quý",
            old=f"{due:%d/%m/%Y}",
            new=f"{new:%d/%m/%Y}",
        )
    )
    assert "1. " + z.T("Approve") in note and "2. " + z.T("Refuse") in note
    assert told == z.T(
        "Extension refused: “{title}” stays due {old} for {agency}.\nReason: {reason}",
        title="Báo cáo quý",
        old=f"{due:%d/%m/%Y}",
        agency="Sở Xây dựng",
        reason="Không đủ căn cứ",
    )
