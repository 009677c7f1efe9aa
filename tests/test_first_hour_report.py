"""The focal department's first look at the board and the report (issue 19): every agency the plan
assigns, in Vietnamese order, with who has no one registered; a chart readable at the size it is
sent.
"""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook

from bot.reporting.board import load_board
from bot.reporting.chart import CODE_FONT, DPI, NAME_FONT, build_chart, write_chart
from bot.reporting.report import load_report, summary_text
from bot.reporting.status import StatusRules
from bot.reporting.workbook import write_workbook
from kb.collate import vi_key, vi_sorted
from storage.directory import people

TODAY = date(2026, 12, 2)


def test_vietnamese_order():
    """Đ right after D, Ă and Â after A, tones after letters, a space before any letter."""
    names = [
        "Zeta",
        "Đông Kinh",
        "Dương",
        "Ân",
        "Ăn",
        "An",
        "Chiến Thắng",
        "Chi Lăng",
        "Bằng Mạc",
        "Bắc Sơn",
    ]
    assert [
        "An",
        "Ăn",
        "Ân",
        "Bắc Sơn",
        "Bằng Mạc",
        "Chi Lăng",
        "Chiến Thắng",
        "Dương",
        "Đông Kinh",
        "Zeta",
    ] == vi_sorted(names)
    assert vi_key("ma") < vi_key("mà") < vi_key("mả") < vi_key("mã") < vi_key("má") < vi_key("mạ")


@pytest.fixture
def board(services):
    with services.db.session() as s:
        people.identify(s, "zalo", "u1", "Lan")
        uid = people.find_identity(s, "zalo", "u1").id
        m = people.request_membership(s, uid, "commune:tan-thanh", "UBND xã Tân Thành")
        people.decide_membership(s, m.id, True, uid)
        return load_board(
            s, services.knowledge.current, StatusRules(), TODAY, services.conversation.tz
        )


def test_every_commune_is_on_the_board_registered_or_not(services, board):
    """All 65 communes and wards are on the board before anyone signs up; who has no one is
    known."""
    communes = [a for a in board.agencies if a.type == "commune"]
    assert 65 == len(communes)
    assert [a.name for a in communes] == vi_sorted(a.name for a in communes)
    registered = {a.name for a in board.agencies if board.is_registered(a)}
    assert {"UBND xã Tân Thành"} == registered
    provincial = [a.name for a in board.agencies if a.type != "commune"]
    assert provincial == vi_sorted(provincial)
    assert provincial.index("Đài Khí tượng Thủy văn tỉnh") < provincial.index(
        "Hiệp hội doanh nghiệp tỉnh"
    )
    summary = summary_text(services.translations.get("vi"), board)
    assert f"{len(board.agencies) - 1} cơ quan, đơn vị chưa có ai đăng ký" in summary


def test_workbook_lists_every_agency_and_who_has_no_one(services, board, tmp_path):
    with services.db.session() as s:
        data = load_report(
            s, services.knowledge.current, StatusRules(), TODAY, services.conversation.tz
        )
    path = write_workbook(
        services.translations.get("vi"), data, tmp_path / "r.xlsx", services.conversation.tz
    )
    rows = list(load_workbook(path).worksheets[0].iter_rows(values_only=True))
    agencies = {r[1]: r[10] for r in rows if r[0] == "Cơ quan, đơn vị"}
    assert 65 == sum(
        1 for name in agencies if name.startswith("UBND xã") or name.startswith("UBND phường")
    )
    assert "có" == agencies["UBND xã Tân Thành"]
    assert "chưa có ai đăng ký" == agencies["UBND xã Tân Thành".replace("Tân Thành", "Tân Tiến")]


def _boxes_overlap(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def test_chart_titles_do_not_overlap_and_labels_are_readable(services, board, tmp_path):
    """At the size it is sent, the figure's title meets neither panel's title; codes and names are
    at least 8 points; every agency has a row, the unregistered in grey."""
    tr = services.translations.get("vi")
    fig = build_chart(tr, board)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    title = fig._suptitle.get_window_extent(renderer)
    bars, heat = fig.axes[:2]
    for ax in (bars, heat):
        assert not _boxes_overlap(title, ax.title.get_window_extent(renderer))
    assert not _boxes_overlap(
        bars.title.get_window_extent(renderer), heat.title.get_window_extent(renderer)
    )
    codes = heat.get_xticklabels()
    names = heat.get_yticklabels()
    assert len(names) == len(board.agencies) and len(codes) == len(board.indicators)
    assert (
        min(t.get_fontsize() for t in codes) >= CODE_FONT >= 8
        and min(t.get_fontsize() for t in names) >= NAME_FONT >= 8
    )
    grey = {t.get_text() for t in names if t.get_color() != "black"}
    assert "UBND xã Tân Tiến" in grey and "UBND xã Tân Thành" not in grey
    # neighbouring names do not overlap
    extents = [t.get_window_extent(renderer) for t in names]
    assert all(not _boxes_overlap(a, b) for a, b in zip(extents, extents[1:], strict=False))
    path = write_chart(tr, board, tmp_path / "r.png")
    from PIL import Image

    with Image.open(path) as image:
        assert 18 * DPI == image.width
