"""Issue 15, item 6: the notice Zalo's terms (and decree 13/2023) ask for, on first contact and
on /quyenriengtu, and erasure on request (an admin confirms; progress stays with the agency, the
name goes). On Zalo through the real runner against the fake; on Telegram the same text through
the same core."""

from __future__ import annotations

from bot.app.i18n import Translations
from bot.core.messages import Incoming
from storage.delivery import ledger
from storage.directory import people
from storage.tracking import progress as progress_store
from tests.support.zalo import ADMIN, ask, running, said

TR = Translations()
PERSON = "zprivacy01"


def T(msgid: str, lang: str = "vi", **fields) -> str:
    text = TR.get(lang).gettext(msgid)
    return text.format(**fields) if fields else text


def notice(channel: str, lang: str = "vi") -> str:
    return T(
        "ℹ️ You are talking to automated software (a bot), run for the focal department of Lạng"
        " Sơn's PGI plans, Sở Nông nghiệp và Môi trường. It keeps your name, your agency, your"
        " {channel} account id and the updates you send, to answer you and to remind your agency,"
        " until you ask for them to be erased. Send /quyenriengtu to read this again or to ask for"
        " erasure; the bot's admins handle it.",
        lang,
        channel=channel,
    )


async def test_the_first_reply_to_a_new_person_starts_with_the_notice_and_only_the_first(
    settings, zalo
):
    """A new person's first reply begins with the notice (automated software, what is kept,
    until when, whom to ask); the second does not; /quyenriengtu repeats it with how to ask for
    erasure."""
    async with running(settings, zalo):
        first = await ask(zalo, PERSON, "ai chu tri chi so 1.5", "1.5")
        second = await ask(zalo, PERSON, "ai chu tri chi so 1.5", "1.5")
        again = await ask(zalo, PERSON, "/quyenriengtu", "/quyenriengtu xoa")
    assert first.startswith(notice("Zalo")) and "Sở Xây dựng" in first
    assert notice("Zalo") not in second
    assert again.startswith(notice("Zalo"))


def test_the_same_notice_on_telegram(services):
    """The core gives Telegram the same text (Vietnamese first; English for an English app)."""
    conv = services.conversation
    vi = conv.handle(
        Incoming("/start", channel="telegram", chat_id="5001", user_id="5001", user_name="A")
    )
    en = conv.handle(
        Incoming(
            "hello",
            channel="telegram",
            chat_id="5002",
            user_id="5002",
            user_name="B",
            language_code="en",
        )
    )
    later = conv.handle(
        Incoming("/help", channel="telegram", chat_id="5001", user_id="5001", user_name="A")
    )
    assert vi.text.startswith(notice("Telegram"))
    assert en.text.startswith(notice("Telegram", "en")) and notice("Telegram", "en") != notice(
        "Telegram"
    )
    assert notice("Telegram") not in later.text


async def test_erasure_on_request_confirmed_by_an_admin(settings, zalo):
    """/quyenriengtu xoa: the admins get numbered Erase/Keep; "1" erases: the name, the account
    and the membership go, the progress stays with the agency without the name, and the person
    was told first."""
    async with running(settings, zalo) as services:
        await ask(zalo, ADMIN, "xin chao")
        await ask(zalo, PERSON, "xin chao")
        with services.db.session() as s:
            user = people.find_identity(s, "zalo", PERSON)
            m = people.request_membership(s, user.id, "so-xay-dung", "Sở Xây dựng")
            people.decide_membership(s, m.id, True, user.id)
        await ask(zalo, PERSON, "/capnhat 1.5 40% đang làm", "1.5")
        before = len(zalo.texts(ADMIN))
        asked = await ask(zalo, PERSON, "/quyenriengtu xoa", "")
        request = await said(zalo, ADMIN, f"#{user.id}", after=before)
        done = await ask(zalo, ADMIN, "1", f"#{user.id}")
        told = await said(
            zalo,
            PERSON,
            T(
                "Your personal data was erased: the bot no longer knows your name or your "
                "accounts. The progress updates you posted stay with your agency, without "
                "your name. Write again any time to start anew."
            ),
        )
        with services.db.session() as s:
            gone = people.find_identity(s, "zalo", PERSON)
            erased = people.get_user(s, user.id)
            rows = progress_store.history(s, "so-xay-dung", "plan-18-2026", "1.5")
            sent_to_person = [
                r for r in ledger.all_rows(s) if r.chat_id == PERSON and r.status == ledger.SENT
            ]
    assert (
        T(
            "Your request to erase your personal data was sent to the admins. You will be told"
            " when it is done."
        )
        == asked
    )
    assert "1. " + T("Erase") in request and "2. " + T("Keep") in request
    assert T("Erased: user #{id}'s personal data.", id=user.id) == done and told
    assert gone is None and "" == erased.name
    assert [(40, user.id, "")] == [(r.percent, r.author_id, r.author_name) for r in rows]
    assert ["notice"] == [
        r.kind for r in sent_to_person
    ]  # only the message telling them, sent after the erasure


async def test_only_an_admin_can_erase(settings, zalo):
    """A person who is not an admin cannot use the erase choice."""
    async with running(settings, zalo) as services:
        await ask(zalo, PERSON, "xin chao")
        conv = services.conversation
        reply = conv.handle(
            Incoming("", channel="zalo", chat_id=PERSON, user_id=PERSON, callback="priv:erase:1")
        )
        with services.db.session() as s:
            still = people.find_identity(s, "zalo", PERSON)
    assert T("Only the bot's admins can do that.") in (reply.text or reply.toast)
    assert still is not None
