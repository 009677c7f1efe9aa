"""End-to-end tests of the Zalo channel: the real runner, its httpx client and HTTP server,
against the fake Zalo Bot API on 127.0.0.1 (one update per getUpdates, removal on read, 408 when
empty, 2000 characters, no buttons: numbered choices)."""

from __future__ import annotations

import httpx

from storage.directory import people
from storage.tracking import progress as progress_store
from tests.support.zalo import ADMIN, MEMBER, STRANGER, T, _member, ask, free_port, running, said


async def test_question_is_answered_in_a_private_chat(settings, zalo):
    """An official's question on Zalo gets the engine's answer, within 2000 characters."""
    async with running(settings, zalo):
        zalo.inject_text(MEMBER, "ai chu tri chi so 1.5")
        text = await said(zalo, MEMBER, "1.5")
    assert "Sở Xây dựng" in text
    assert all(len(t) <= 2000 for t in zalo.texts(MEMBER))


async def test_long_reply_comes_a_screen_at_a_time(settings, zalo):
    """A long reply comes in pages of a phone screen, each well below Zalo's 2,000 characters; a
    typed "thêm" brings the next until the end (its source line)."""
    async with running(settings, zalo):
        await ask(zalo, MEMBER, "xin chào")  # the first reply carries the privacy notice
        start = len(zalo.texts(MEMBER))
        text = await ask(zalo, MEMBER, "so nong nghiep va moi truong phu trach chi so nao", "thêm")
        for _ in range(10):
            if "Nguồn" in text:
                break
            text = await ask(zalo, MEMBER, "thêm")
    texts = zalo.texts(MEMBER)[start:]
    assert len(texts) >= 2 and "Nguồn" in texts[-1]
    assert all(0 < len(t) <= 1300 for t in texts)


async def test_sign_up_and_approval_by_numbered_choice(settings, zalo):
    """Sign-up on Zalo: the admin gets numbered choices, answers "1", and the member is told."""
    async with running(settings, zalo) as services:
        await ask(zalo, ADMIN, "xin chao")  # an admin must have written to the bot once
        before = len(zalo.texts(ADMIN))
        await ask(zalo, MEMBER, "/dangky Sở Xây dựng", "Sở Xây dựng")
        notice = await said(zalo, ADMIN, "/duyet m", after=before)
        assert "1. " + T("Approve") in notice and "2. " + T("Reject") in notice
        zalo.inject_text(ADMIN, "1")
        await said(
            zalo,
            MEMBER,
            T(
                "Your membership of {agency} was approved. You can now post progress with"
                " /capnhat.",
                agency="Sở Xây dựng",
            ),
        )
        with services.db.session() as s:
            user = people.find_identity(s, "zalo", MEMBER)
            membership = people.active_membership(s, user.id)
    assert "so-xay-dung" == membership.agency_id


async def test_progress_by_one_line_then_undo_by_number(settings, zalo):
    """/capnhat in one line is saved; answering "1" (Undo) withdraws it."""
    async with running(settings, zalo) as services:
        user = await _member(services, zalo)
        saved = await ask(zalo, MEMBER, "/capnhat 1.5 70% đã sửa 3 công trình", "1.5")
        assert "1. " + T("Undo") in saved
        await ask(
            zalo,
            MEMBER,
            "1",
            T("Undone: the update on indicator {code} was withdrawn.", code="1.5"),
        )
        with services.db.session() as s:
            rows = progress_store.history(s, "so-xay-dung", "plan-18-2026", "1.5")
    assert [(70, user.id)] == [(r.percent, r.author_id) for r in rows]
    assert rows[0].undone_at is not None


async def test_progress_by_numbered_choices(settings, zalo):
    """The progress picker works by numbers: indicator, status, then the note."""
    async with running(settings, zalo) as services:
        await _member(services, zalo)
        picker = await ask(zalo, MEMBER, "/capnhat", "1.5")
        number = next(line.split(".")[0] for line in picker.splitlines() if " 1.5 " in line)
        status = await ask(zalo, MEMBER, number, T("Done"))
        done = next(line.split(".")[0] for line in status.splitlines() if line.endswith(T("Done")))
        await ask(zalo, MEMBER, done, "70")
        await ask(zalo, MEMBER, "100 đã xong", T("Done: {percent}%", percent=100))
        progress = await ask(zalo, MEMBER, "/tiendo", "100%")
    assert "1.5" in progress


async def test_stale_number_is_explained(settings, zalo):
    """A number typed when no list is open says so instead of guessing."""
    async with running(settings, zalo):
        text = await ask(zalo, STRANGER, "3")
    assert text.endswith(
        T("That list is no longer open. Ask your question again, or send /help.")
    )  # after the notice


async def test_forged_webhook_is_refused_and_changes_nothing(settings, zalo):
    """In webhook mode a POST without the right X-Bot-Api-Secret-Token gets 403 and nothing is
    stored."""
    secret = "s3cret-webhook-token"
    port = free_port()
    async with running(
        settings,
        zalo,
        port_=port,
        zalo_webhook_url=f"http://127.0.0.1:{port}/zalo/hook",
        zalo_webhook_secret=secret,
    ) as services:
        body = {
            "event_name": "message.text.received",
            "message": {
                "from": {"id": ADMIN, "display_name": "x", "is_bot": False},
                "chat": {"id": ADMIN, "chat_type": "PRIVATE"},
                "message_id": "forged-1",
                "date": 1_700_000_000_000,
                "text": "/capquyen 1 admin",
            },
        }
        async with httpx.AsyncClient() as client:
            none = await client.post(
                f"http://127.0.0.1:{services.settings.port}/zalo/hook", json=body
            )
            wrong = await client.post(
                f"http://127.0.0.1:{services.settings.port}/zalo/hook",
                json=body,
                headers={"X-Bot-Api-Secret-Token": "wrong-secret-value"},
            )
        zalo.inject_text(
            MEMBER, "ai chu tri chi so 1.5"
        )  # the real one, through Zalo's webhook call
        await said(zalo, MEMBER, "1.5")
        with services.db.session() as s:
            forged = people.find_identity(s, "zalo", STRANGER)
            admins = people.users_with_role(s, "admin")
    assert (403, 403) == (none.status_code, wrong.status_code)
    assert (None, []) == (forged, admins)
