"""Zalo: evidence images kept, accounts linked across channels, quota and outages retried,
blocked users reported."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.app.i18n import Translations
from handlers.zalo.bot import POLL_LEASE, ZaloBot
from storage.delivery import ledger
from storage.directory import people
from storage.tracking import progress as progress_store
from tests.support.zalo import MEMBER, PNG, _member, ask, running, said, wait_until

TR = Translations()


def T(msgid: str, **fields) -> str:
    text = TR.get("vi").gettext(msgid)
    return text.format(**fields) if fields else text


async def test_image_with_a_capnhat_caption_is_downloaded_and_kept(settings, zalo):
    """Zalo's photo URLs expire: the image is fetched and kept under the data directory, named
    by its hash."""
    async with running(settings, zalo) as services:
        await _member(services, zalo)
        before = len(zalo.texts(MEMBER))
        zalo.inject_image(MEMBER, content=PNG, caption="/capnhat 1.5 50% ảnh hiện trường")
        await said(zalo, MEMBER, T("Evidence: {file}", file=""), after=before)
        with services.db.session() as s:
            row = progress_store.history(s, "so-xay-dung", "plan-18-2026", "1.5")[0]
    kept = Path(services.settings.data_dir) / row.file_path
    assert (50, len(PNG), PNG) == (row.percent, row.file_size, kept.read_bytes())
    assert row.file_path.startswith("evidence/") and row.file_path.endswith(".jpg")


async def test_linking_joins_two_accounts_into_one_person(settings, zalo):
    """/lienket on one account gives a code; sent from the other account, both are one user with
    one membership."""
    async with running(settings, zalo) as services:
        member = await _member(services, zalo)
        answer = await ask(zalo, MEMBER, "/lienket", "/lienket ")
        code = answer.split("/lienket ")[1].split("”")[0].split()[0]
        other = "zother01"
        await ask(
            zalo,
            other,
            "/lienket " + code,
            T("Linked: this account and the one that asked for the code are now one person."),
        )
        reused = await ask(zalo, other, "/lienket " + code)
        with services.db.session() as s:
            joined = people.find_identity(s, "zalo", other)
            membership = people.active_membership(s, joined.id)
    assert member.id == joined.id
    assert "so-xay-dung" == membership.agency_id
    assert (
        T("That link code was already used. Send /lienket in your other account to get a new one.")
        == reused
    )


async def test_quota_and_server_errors_are_retried_and_the_message_arrives_once(settings, zalo):
    """A 429 and then a 500 from Zalo: the notice is sent again later, and arrives once."""
    async with running(settings, zalo) as services:
        await _member(services, zalo)
        with services.db.session() as s:
            user = people.find_identity(s, "zalo", MEMBER)
            ledger.enqueue(
                s,
                key="test:quota",
                kind="notice",
                channel="zalo",
                chat_id=MEMBER,
                text="Thông báo thử",
                user_id=user.id,
            )
        zalo.fail_next(429, times=1, method="sendMessage", retry_after=1)
        zalo.fail_next(500, times=1, method="sendMessage")
        await said(zalo, MEMBER, "Thông báo thử", timeout=30)

        # the row is marked sent once Zalo's answer is back, a moment after the fake received it
        def sent():
            with services.db.session() as s:
                row = ledger.by_key(s, "test:quota")
            return row if row.status != ledger.IN_FLIGHT else None

        row = await wait_until(sent)
    assert ledger.SENT == row.status
    assert 1 == sum("Thông báo thử" in t for t in zalo.texts(MEMBER))
    assert zalo.too_many_requests >= 1


# A user who blocked the bot: tests/test_zalo_reachability.py (unreachable only after refusals
# spread over a day).


def test_one_process_polls_zalo_at_a_time(services):
    """The polling lease: a second process does not poll while the first holds it, and takes
    over after it lapses."""
    first, second = ZaloBot(services, api=None).poller(), ZaloBot(services, api=None).poller()
    clock = services.conversation
    assert first.take() is True
    assert second.take() is False
    assert first.take() is True  # renewed by its holder
    later = clock.now() + POLL_LEASE + timedelta(seconds=1)
    services.conversation.clock = lambda: later
    assert second.take() is True
    first.release()  # no longer its own: the holder keeps it
    assert first.take() is False
    second.release()  # given back: taken at once, without waiting for it to lapse
    assert first.take() is True


async def test_an_update_whose_handling_failed_is_tried_again_by_the_tick(settings, zalo):
    """A fault while handling: the user gets an apology, and the stored update is handled on a
    later tick."""
    async with running(settings, zalo) as services:
        conv = services.conversation
        real, calls = conv.handle, []

        def flaky(msg, on_done=None, **kwargs):
            calls.append(msg.text)
            if len(calls) == 1:
                raise RuntimeError("a passing fault")
            return real(msg, on_done, **kwargs)

        conv.handle = flaky
        before = len(zalo.texts(MEMBER))
        zalo.inject_text(MEMBER, "ai chu tri chi so 1.5")
        apology = await said(zalo, MEMBER, "", after=before)
        answer = await said(zalo, MEMBER, "Sở Xây dựng", after=before)
    assert T("Sorry, something went wrong on my side. Please try again in a moment.") == apology
    assert "1.5" in answer and 2 == len(calls)
