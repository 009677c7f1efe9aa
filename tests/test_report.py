"""The consolidated report: workbook cells, the headless chart, the chat summary, the focal
digest, the CLI, and the planners of explanation reminders and the daily digest."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from bot.app import cli
from bot.core.audience import Audience
from bot.delivery import review_notices as review_flow
from bot.reporting.chart import write_chart
from bot.reporting.report import (
    DigestCounts,
    digest_counts,
    load_report,
    review_digest_text,
    summary_text,
)
from bot.reporting.status import OVERDUE, StatusRules
from bot.reporting.workbook import write_workbook
from storage.delivery import ledger
from storage.directory import groups
from storage.schedule import deadlines as deadline_store
from storage.tracking import explanations, review
from storage.tracking import progress as progress_store

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
RULES = StatusRules()
TODAY = date(2026, 6, 10)  # a Wednesday
AT = datetime(2026, 6, 5, 3, 0, tzinfo=UTC)


@pytest.fixture
def seeded(services):
    """Sở Xây dựng: 1.5 confirmed at 60 % with evidence, 1.13 returned; a deadline for the leads
    of 1.13 passed on 01/06 (with one reminder sent and acknowledged); an open request for
    explanation on 1.5."""
    with services.db.session() as s:
        u = progress_store.add(
            s,
            author_id=1,
            author_name="Lan",
            agency_id="so-xay-dung",
            agency_name="Sở Xây dựng",
            plan_id="plan-18-2026",
            indicator_code="1.5",
            kb_version_id=1,
            status="in_progress",
            percent=60,
            note="đã sửa 3 công trình",
            file_id="F",
            file_name="bb.pdf",
            file_kind="document",
            created_at=AT,
        )
        review.confirm(s, u.id, 99, AT + timedelta(hours=1))
        v = progress_store.add(
            s,
            author_id=1,
            author_name="Lan",
            agency_id="so-xay-dung",
            agency_name="Sở Xây dựng",
            plan_id="plan-18-2026",
            indicator_code="1.13",
            kb_version_id=1,
            status="in_progress",
            percent=10,
            created_at=AT,
        )
        review.return_update(s, v.id, 99, AT + timedelta(hours=1), "thiếu minh chứng")
        progress_store.add(
            s,
            author_id=2,
            author_name="Hà",
            agency_id="so-cong-thuong",
            agency_name="Sở Công Thương",
            plan_id="plan-18-2026",
            indicator_code="1.6",
            kb_version_id=1,
            status="in_progress",
            percent=30,
            created_at=AT,
        )
        d = deadline_store.add(
            s, "Báo cáo chỉ số 1.13", date(2026, 6, 1), Audience.role("lead", "1.13").spec, 99
        )
        ledger.enqueue(
            s,
            key="r1",
            kind="reminder",
            channel="telegram",
            chat_id="-1",
            text="x",
            deadline_key=d.key,
            agency_id="so-xay-dung",
            status="sent",
        )
        deadline_store.acknowledge(s, d.key, "so-xay-dung", 1, "telegram", "-1")
        explanations.create(
            s,
            agency_id="so-xay-dung",
            agency_name="Sở Xây dựng",
            plan_id="plan-18-2026",
            indicator_code="1.5",
            text="Vì sao chậm?",
            due_date=date(2026, 6, 20),
            requested_by=99,
            now=AT,
        )
    return services


def _data(services):
    with services.db.session() as s:
        return load_report(s, services.knowledge.current, RULES, TODAY, TZ)


def _rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_workbook_summary_component_deadline_and_source_sheets(seeded, tmp_path):
    """Vietnamese headers; the summary counts per province, component and agency; one row per
    indicator with the latest confirmed progress; deadlines with reminders sent and acknowledged;
    the plan cited.
    """
    tr = seeded.translations.get("vi")
    path = write_workbook(tr, _data(seeded), tmp_path / "r.xlsx", TZ)
    wb = load_workbook(path)
    assert [
        "Tổng hợp",
        "CSTP 1",
        "CSTP 2",
        "CSTP 3",
        "CSTP 4",
        "Thời hạn",
        "Giải trình",
        "Gia hạn",
        "Nguồn",
    ] == wb.sheetnames

    summary = wb["Tổng hợp"]
    header = [c.value for c in summary[1]]
    assert [
        "Cấp",
        "Tên",
        "Số chỉ số được giao",
        "Đã báo cáo",
        "Đã xác nhận",
        "Có nguy cơ chậm",
        "Quá hạn",
    ] == header[:7]
    xd = next(r for r in _rows(summary) if r[1] == "Sở Xây dựng")
    # held 5 + 1 coordinate (README); reported: 1.5 only (1.13 was returned); confirmed 1; overdue
    # 1 (1.13)
    assert ("Cơ quan, đơn vị", 6, 1, 1, 1) == (xd[0], xd[2], xd[3], xd[4], xd[6])
    assert 1 == xd[9]  # the open request for explanation
    assert "A2" == summary.freeze_panes
    assert summary.auto_filter.ref.startswith("A1:")
    assert "landscape" == summary.page_setup.orientation
    assert str(summary.PAPERSIZE_A4) == str(summary.page_setup.paperSize)

    comp = wb["CSTP 1"]
    row = next(r for r in _rows(comp) if r[0] == "1.5")
    assert "Sở Xây dựng (nước sạch đô thị)" in row[2]
    # the row's status is its worst lead: Sở Nông nghiệp và Môi trường, the other lead of 1.5, has
    # not reported
    assert (
        60,
        datetime(2026, 6, 5),
        "Sở Xây dựng",
        "đã sửa 3 công trình",
        "Chưa báo cáo",
        1,
        1,
    ) == (row[4], row[5], row[6], row[7], row[8], row[10], row[11])
    date_cell = next(c for c in comp["F"] if c.value == datetime(2026, 6, 5))
    assert "DD/MM/YYYY" == date_cell.number_format
    late = next(r for r in comp.iter_rows(min_row=2) if r[0].value == "1.13")
    assert ("Quá hạn", "FFD9534F") == (late[8].value, late[8].fill.fgColor.rgb)  # red
    assert 15 == comp.max_row - 1  # component 1 has 15 indicators

    dl = wb["Thời hạn"]
    d = next(r for r in _rows(dl) if r[1] == "Báo cáo chỉ số 1.13")
    assert (datetime(2026, 6, 1), 1, 1) == (d[0], d[4], d[5])
    sources = [r[1] for r in _rows(wb["Nguồn"])]
    assert any("18/KH-UBND" in str(v) for v in sources)


def test_the_report_and_the_chat_give_the_same_numbers(seeded):
    """The summary text reads the same board: its totals equal the workbook's province row."""
    data = _data(seeded)
    tr = seeded.translations.get("vi")
    text = summary_text(tr, data.board)
    t = data.board.tally()
    assert f"🔴 Quá hạn {t.count(OVERDUE)}" in text
    assert "Sở Xây dựng — 1.13: Quá hạn (hạn 01/06/2026)" in text
    assert len(text) < 2000  # Zalo's limit


def test_chart_is_written_headless(seeded, tmp_path):
    path = write_chart(seeded.translations.get("vi"), _data(seeded).board, tmp_path / "r.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert path.stat().st_size > 10_000


def test_digest_counts_awaiting_returned_overdue_and_requests(seeded):
    with seeded.db.session() as s:
        counts = digest_counts(s, seeded.knowledge.current, RULES, TODAY, TZ)
    assert (1, 5, 1, 3, 3, 1, 0) == (
        counts.awaiting,
        counts.oldest_awaiting_days,
        counts.returned,
        counts.overdue,
        counts.overdue_agencies,
        counts.explanations_open,
        counts.explanations_overdue,
    )
    text = review_digest_text(seeded.translations.get("vi"), counts)
    assert "• 1 cập nhật chờ xác nhận (lâu nhất đã chờ 5 ngày)" in text
    assert "• 1 cập nhật bị trả lại chưa được chỉnh sửa" in text


def test_an_empty_digest_says_so(services):
    text = review_digest_text(
        services.translations.get("en"), DigestCounts(TODAY, 0, None, 0, 0, 0, 0, 0)
    )
    assert "Nothing awaits review, nothing was returned, nothing is overdue." in text


def test_cli_report_writes_workbook_and_chart(seeded, settings, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(cli.Settings, "from_env", classmethod(lambda cls, env=None: settings))
    xlsx, png = tmp_path / "out.xlsx", tmp_path / "out.png"
    assert 0 == cli.main(
        ["report", "--xlsx", str(xlsx), "--png", str(png), "--as-of", "10/06/2026"]
    )
    assert "Tổng hợp" in load_workbook(xlsx).sheetnames and png.exists()
    assert "tính đến ngày 10/06/2026" in capsys.readouterr().out


def test_cli_report_refuses_a_bad_date(capsys):
    with pytest.raises(SystemExit):
        cli.main(["report", "--xlsx", "x.xlsx", "--as-of", "2026-06-10"])
    assert "dd/mm/yyyy" in capsys.readouterr().err


# --- planners ---------------------------------------------------------------------------------


def _bind(services, agency_id, name, chat_id):
    with services.db.session() as s:
        b = groups.request_binding(s, "telegram", str(chat_id), "group", agency_id, name, 1)
        groups.decide_binding(s, b.id, True, 1)


def test_explanation_reminders_follow_the_deadline_calendar_once(seeded):
    """Due Sat 20/06: the 14-day reminder (Sat 06/06) moves back to Fri 05/06 at 08:00; planning
    twice writes once; after the due date, overdue notices; an answered request is no longer
    reminded."""
    _bind(seeded, "so-xay-dung", "Sở Xây dựng", -100)
    conv = seeded.conversation
    assert 0 == review_flow.plan_explanations(conv, datetime(2026, 6, 5, 7, 59, tzinfo=TZ))
    at = datetime(2026, 6, 5, 8, 0, tzinfo=TZ)
    assert 1 == review_flow.plan_explanations(conv, at)
    assert 0 == review_flow.plan_explanations(conv, at + timedelta(minutes=5))
    with seeded.db.session() as s:
        rows = [
            r for r in ledger.all_rows(s) if r.deadline_key and r.deadline_key.startswith("exp:")
        ]
    assert [("telegram", "-100")] == [(r.channel, r.chat_id) for r in rows]
    assert "Vì sao chậm?" in rows[0].text and "/giaitrinh" in rows[0].text
    assert 1 == review_flow.plan_explanations(
        conv, datetime(2026, 6, 22, 8, 0, tzinfo=TZ)
    )  # Monday after: overdue
    with seeded.db.session() as s:
        q = explanations.open_requests(s)[0]
        explanations.answer(s, q.id, "Do mưa lũ", 1, AT)
    assert 0 == review_flow.plan_explanations(conv, datetime(2026, 6, 23, 8, 0, tzinfo=TZ))


def test_review_digest_goes_out_on_working_days_once(seeded):
    """The focal department's digest: from 08:00 on working days, one per chat per day, none at
    weekends."""
    _bind(seeded, "so-nnmt", "Sở Nông nghiệp và Môi trường", -200)
    conv = seeded.conversation
    assert 0 == review_flow.plan_review_digest(
        conv, datetime(2026, 6, 13, 9, 0, tzinfo=TZ)
    )  # Saturday
    assert 0 == review_flow.plan_review_digest(conv, datetime(2026, 6, 10, 7, 0, tzinfo=TZ))
    assert 1 == review_flow.plan_review_digest(conv, datetime(2026, 6, 10, 8, 0, tzinfo=TZ))
    assert 0 == review_flow.plan_review_digest(conv, datetime(2026, 6, 10, 15, 0, tzinfo=TZ))
    with seeded.db.session() as s:
        row = ledger.by_key(s, "rdig:2026-06-10:b1")
    assert "cập nhật chờ xác nhận" in row.text


def test_review_notice_for_a_returned_update_gives_the_reason_and_invites_a_correction(seeded):
    with seeded.db.session() as s:
        returned = review.returned_uncorrected(s, "plan-18-2026")[0]
    text = review_flow.review_notice_text(seeded.translations.get("vi"), returned, "Nhận định", TZ)
    assert "Lý do: thiếu minh chứng" in text
    assert "/capnhat 1.13" in text


def test_history_lines_include_the_explanation_answer(seeded):
    with seeded.db.session() as s:
        q = explanations.open_requests(s)[0]
        explanations.answer(s, q.id, "Do mưa lũ", 1, AT + timedelta(days=1))
        events = review.indicator_history(s, "so-xay-dung", "plan-18-2026", "1.5")
    lines = review_flow.history_text(
        seeded.translations.get("vi"), events, TZ, {99: "Minh", 1: "Lan"}
    )
    assert any(line.endswith("Minh đã xác nhận") for line in lines)
    assert lines[-1].endswith("Lan đã giải trình (số 1): Do mưa lũ")
