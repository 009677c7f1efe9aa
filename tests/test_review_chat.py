"""The focal department's review from chat, end to end through the runner: the queue, confirm
and return by typed number, requests for explanation and their answers, and the report (files on
Telegram, one-time links on Zalo)."""

from __future__ import annotations

from dataclasses import replace

import httpx

from bot.app.i18n import Translations
from bot.app.services import build_services
from storage.tracking import explanations
from storage.tracking import progress as progress_store
from storage.tracking import review as review_store
from tests.support.fake_bot_api import FakeBotApi
from tests.support.review import FOCAL, MEMBER, TG_FOCAL, running
from tests.support.zalo import ask, said, wait_until

TR = Translations()


def T(msgid: str, **fields) -> str:
    text = TR.get("vi").gettext(msgid)
    return text.format(**fields) if fields else text


async def test_focal_department_confirms_and_returns_updates_by_number(settings, zalo):
    """/xetduyet lists what awaits; "1" confirms the first, "Trả lại" asks a reason; each author
    is told."""
    async with running(settings, zalo) as (services, focal, member):
        await ask(zalo, MEMBER, "/capnhat 1.6 40% đang khảo sát", "1.6")
        await ask(zalo, MEMBER, "/capnhat 2.11 20% mới bắt đầu", "2.11")
        listing = await ask(zalo, FOCAL, "/xetduyet", "#")
        assert (
            "1. " + T("Confirm #{id}", id=1) in listing
            and "4. " + T("Return #{id}", id=2) in listing
        )
        before = len(zalo.texts(MEMBER))
        await ask(
            zalo,
            FOCAL,
            "1",
            T(
                "Confirmed update #{id} ({agency}, {code}); the agency is told.",
                id=1,
                agency="Sở Công Thương",
                code="1.6",
            ),
        )
        await said(zalo, MEMBER, "1.6", after=before)
        await ask(zalo, FOCAL, "/tralai 2", "#2")
        await ask(
            zalo,
            FOCAL,
            "thiếu minh chứng",
            T(
                "Returned update #{id} ({agency}, {code}) with the reason; the agency is told.",
                id=2,
                agency="Sở Công Thương",
                code="2.11",
            ),
        )
        returned = await said(zalo, MEMBER, "thiếu minh chứng")
        again = await ask(zalo, FOCAL, "/xacnhan 2", "#2")
        with services.db.session() as s:
            states = {
                p.id: p.review_state for p in [progress_store.get(s, 1), progress_store.get(s, 2)]
            }
            queue = review_store.queue(s, "plan-18-2026")
    assert {1: "confirmed", 2: "returned"} == states
    assert [] == queue
    assert "/capnhat 2.11" in returned
    assert T("Update #{id} was already reviewed.", id=2) == again


async def test_undo_is_refused_after_review(settings, zalo):
    """Once the focal department confirmed an update, its author can no longer undo it."""
    refused = T(
        "The focal department has already reviewed this update, so it can no longer be undone;"
        " post a new update instead."
    )
    async with running(settings, zalo):
        await ask(zalo, MEMBER, "/capnhat 1.6 40%", "1.6")
        await ask(zalo, FOCAL, "/xacnhan 1", "#1")
        answer = await ask(zalo, MEMBER, "/capnhat huy", refused[:30])
    assert refused == answer


async def test_request_for_explanation_and_its_answer(settings, zalo):
    """The focal department asks Sở Công Thương about 2.11; the member answers; the answer lands
    in the history."""
    async with running(settings, zalo) as (services, focal, member):
        sent = await ask(
            zalo, FOCAL, "/giaitrinh 2.11 Sở Công Thương; Vì sao chưa cập nhật?; 15/12/2099", "#1"
        )
        request = await said(zalo, MEMBER, "Vì sao chưa cập nhật?")
        refused = await ask(zalo, "zstranger", "/giaitrinh 1 không liên quan", "")
        await ask(
            zalo,
            MEMBER,
            "/giaitrinh 1 Đang chờ số liệu của Cục Thống kê",
            T(
                "Thank you: your answer to request #{id} was "
                "sent to the focal department and kept in "
                "the indicator's history.",
                id=1,
            ),
        )
        told = await said(zalo, FOCAL, "Đang chờ số liệu")
        with services.db.session() as s:
            q = explanations.get(s, 1)
            history = review_store.indicator_history(s, "so-cong-thuong", "plan-18-2026", "2.11")
    assert "15/12/2099" in sent and "/giaitrinh 1" in request
    assert refused.endswith(
        T("Only approved members of {agency} can answer this request.", agency="Sở Công Thương")
    )
    assert ("Đang chờ số liệu của Cục Thống kê", member.id) == (q.answer, q.answered_by)
    assert any("Đang chờ số liệu" in (getattr(e, "text", "") or "") for e in history)
    assert "Sở Công Thương" in told


async def test_report_on_zalo_is_a_summary_with_one_time_links(settings, zalo):
    """/baocao on Zalo (which sends no files): the summary and three links — the report to UBND
    tỉnh (.docx), the workbook, the chart; a preview (HEAD, GET) shows the Download page and
    spends nothing; the button downloads once; a wrong token is refused."""
    async with running(settings, zalo) as (services, focal, member):
        text = await ask(zalo, FOCAL, "/baocao", "/web/download/")
        links = [w for w in text.split() if "/web/download/" in w]
        async with httpx.AsyncClient() as client:
            head = await client.head(links[0])  # a link preview
            preview = await client.get(links[0])
            first = await client.post(links[0])  # the Download button
            second = await client.post(links[0])
            wrong = await client.post(links[0][:-4] + "AAAA")
            workbook = await client.post(links[1])
            chart = await client.post(links[2])
    assert 3 == len(links)
    assert (200, 200) == (head.status_code, preview.status_code)
    assert (
        f'action="{links[0][links[0].index("/web/") :]}"' in preview.text
        and b"PK" not in preview.content[:2]
    )
    assert (200, 404, 404) == (first.status_code, second.status_code, wrong.status_code)
    assert first.content[:2] == b"PK"  # a .docx is a zip
    assert (
        "wordprocessingml" in first.headers["content-type"]
        and "spreadsheetml" in workbook.headers["content-type"]
    )
    assert chart.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(text) <= 2000 * 2


async def test_report_on_telegram_sends_the_official_report_the_workbook_and_the_chart_as_files(
    settings, zalo
):
    """/baocao on Telegram by the focal department: the report to UBND tỉnh (.docx), its
    appendix (.xlsx) and the chart arrive as documents; the .docx is the Decree 30 document and
    names the workbook sent with it. A plain user asking the same gets the refusal and no file.
    """
    from io import BytesIO

    from docx import Document

    with FakeBotApi() as tg:
        async with running(settings, zalo, tg):
            tg.send_text(TG_FOCAL + 1, "/baocao")  # a stranger: no role
            await tg.awaited(
                lambda c: c.method == "sendMessage" and c.params.get("chat_id") == TG_FOCAL + 1,
                timeout=30,
            )
            tg.send_text(TG_FOCAL, "/baocao")
            await wait_until(
                lambda: len([c for c in tg.calls("sendDocument") if c.ok]) >= 3, timeout=60
            )
        sent = {c.result["document"]["file_name"]: c for c in tg.calls("sendDocument") if c.ok}
        refusal = [
            c.params["text"]
            for c in tg.calls("sendMessage")
            if c.params.get("chat_id") == TG_FOCAL + 1
        ]
    assert {TG_FOCAL} == {c.params["chat_id"] for c in sent.values()}
    assert [".docx", ".png", ".xlsx"] == sorted(n[n.rindex(".") :] for n in sent)
    docx_name = next(n for n in sent if n.endswith(".docx"))
    xlsx_name = next(n for n in sent if n.endswith(".xlsx"))
    doc = Document(BytesIO(sent[docx_name].params["document"]["content"]))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "BÁO CÁO" in text and "Kính gửi: Ủy ban nhân dân tỉnh Lạng Sơn." in text
    assert f"bảng tổng hợp {xlsx_name} kèm theo" in text
    assert any(
        T("Only the focal department (Sở Nông nghiệp và Môi trường) and admins can do that.") in t
        for t in refusal
    )


async def test_a_returned_update_counts_as_not_reported_in_reminders(settings, zalo):
    """Reminders list an indicator whose only update was returned (and not corrected) as still
    missing."""
    from bot.delivery.reminders import missing_indicators

    async with running(settings, zalo) as (services, focal, member):
        await ask(zalo, MEMBER, "/capnhat 1.6 40%", "1.6")
        agency = services.knowledge.current.kb.agencies["so-cong-thuong"]
        before = missing_indicators(services.conversation, agency)
        await ask(zalo, FOCAL, "/tralai 1 thiếu minh chứng", "#1")
        after = missing_indicators(services.conversation, agency)
    assert ("1.6" not in before, "1.6" in after) == (True, True)


def test_download_link_expires_after_24_hours(tmp_path, kb_dir):
    """A report link not used within 24 hours no longer works; one used in time works once, by its
    Download button: opening the page (HEAD, GET: what link previews do) spends nothing."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from starlette.testclient import TestClient

    from bot.app.config import Settings
    from bot.app.links import download_link
    from handlers.web import web_app
    from tests.support.web import Clock

    clock = Clock(datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
    services = build_services(
        replace(Settings.from_env({}), data_dir=tmp_path / "data", kb_dir=kb_dir), clock=clock
    )
    (tmp_path / "data" / "reports").mkdir(parents=True)
    (tmp_path / "data" / "reports" / "r.xlsx").write_bytes(b"PK-test")
    with services.db.session() as s:
        late = download_link(s, services.settings, "reports/r.xlsx", None, clock())
        in_time = download_link(s, services.settings, "reports/r.xlsx", None, clock())
    client = TestClient(web_app(services))
    path = lambda link: link[link.index("/web/") :]  # noqa: E731
    clock.advance(hours=23)
    looks = [
        client.head(path(in_time)).status_code,
        client.get(path(in_time)).status_code,
        client.get(path(in_time)).status_code,
    ]  # previews, and the official opening the page
    first, again = client.post(path(in_time)), client.post(path(in_time))
    clock.advance(hours=2)
    expired, expired_page = client.post(path(late)), client.get(path(late))
    assert [200, 200, 200] == looks
    assert (200, b"PK-test", 404) == (first.status_code, first.content, again.status_code)
    assert (404, 404) == (expired.status_code, expired_page.status_code)
    services.close()
