"""The web console in a real browser: Debian's Chromium driven by Playwright against uvicorn.

Run with `pytest -m browser` (scripts/test.sh makes sure /usr/bin/chromium exists). Screenshots of
the board, an indicator, the knowledge-base and deadlines pages, at desktop width and on a 360-px
phone, go to a scratch folder, so that a test run leaves the tree clean;
`PGI_SCREENSHOTS=docs/screenshots` retakes the README's.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest

from kb.loader import DATA_DIR, read_sources
from storage.directory import people
from storage.tracking import evidence, progress
from tests.support.browser import (  # noqa: F401 - fixtures
    ADMIN,
    browser_context,
    page,
    served,
    shoot,
    sign_in,
)
from tests.support.web import add_user

pytestmark = pytest.mark.browser

MEMBER = 2002
PLAN = "plan_18_kh_ubnd_2026.yaml"


def test_knowledge_base_upload_diff_activate_rollback(page, served, tmp_path):
    """Sign in by link, upload a broken file and see its problems, upload a valid change, see the
    difference, activate it, then roll back to the first version."""
    sign_in(page, served)
    page.click("nav >> text=Cơ sở tri thức")
    page.wait_for_url("**/web/kb")
    body = read_sources(DATA_DIR)[PLAN]
    broken = tmp_path / "broken" / PLAN
    broken.parent.mkdir()
    broken.write_text(
        body.replace('{agency: "Sở Xây dựng", scope', '{agency: "Sở Xây dựg", scope', 1),
        encoding="utf-8",
    )
    page.set_input_files("input[name=file]", str(broken))
    page.click("text=Kiểm tra tệp")
    problems = page.locator(".problems li")
    assert 1 == problems.count()
    line = next(
        i
        for i, text in enumerate(broken.read_text(encoding="utf-8").splitlines(), 1)
        if "Sở Xây dựg" in text
    )
    assert f"{PLAN}:{line}" in problems.first.inner_text()
    assert 1 == served.knowledge.current.version.id
    shoot(page, "kb-problems")

    good = tmp_path / "good" / PLAN
    good.parent.mkdir()
    good.write_text(
        body.replace('- {agency: "Đài khí tượng Thủy văn tỉnh"}', '- {agency: "Sở Xây dựng"}', 1),
        encoding="utf-8",
    )
    page.set_input_files("input[name=file]", str(good))
    page.click("text=Kiểm tra tệp")
    page.wait_for_url("**/web/kb/versions/2")
    assert "plan-18-2026 1.9 lead: Sở Xây dựng" in page.locator(".diff").inner_text()
    shoot(page, "kb-diff")
    page.click("#activate")
    page.wait_for_url("**/web/kb?activated=2")
    assert 2 == served.knowledge.current.version.id
    shoot(page, "kb")

    page.click("text=Quay lại…")
    page.wait_for_url("**/web/kb/versions/1")
    page.click("#activate")
    page.wait_for_url("**/web/kb?activated=1")
    assert 1 == served.knowledge.current.version.id


def test_deadlines_add_and_cancel(page, served):
    """Add a deadline with an audience, see it listed, cancel it."""
    sign_in(page, served)
    page.click("nav >> text=Thời hạn")
    page.wait_for_url("**/web/deadlines")
    due = date.today() + timedelta(days=30)
    page.fill("input[name=date]", due.strftime("%d/%m/%Y"))
    page.fill("input[name=title]", "Nộp báo cáo kết quả PGI")
    page.fill("input[name=audience]", "Sở Xây dựng, Sở Tài chính")
    page.click("text=Thêm >> nth=-1")
    page.wait_for_url("**/web/deadlines?done=added")
    item = page.locator(".deadline", has_text="Nộp báo cáo kết quả PGI")
    assert 1 == item.count()
    assert (
        due.strftime("%d/%m/%Y") in item.inner_text()
        and "Sở Xây dựng; Sở Tài chính" in item.inner_text()
    )
    shoot(page, "deadlines")
    item.locator("button.danger").click()
    page.wait_for_url("**/web/deadlines?done=cancelled")
    assert 0 == page.locator(".deadline", has_text="Nộp báo cáo kết quả PGI").count()


def _photo() -> bytes:
    """A small picture of a site visit, as an agency would send from a phone."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 300), (196, 222, 200))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 170, 440, 280), fill=(96, 140, 100))
    draw.ellipse((330, 30, 410, 110), fill=(250, 214, 90))
    buf = io.BytesIO()
    image.save(buf, "JPEG")
    return buf.getvalue()


def _seed_update(services) -> int:
    """Sở Xây dựng's member reports progress on 1.5 with a photo as evidence."""
    plan = services.knowledge.current.index.current_plan
    kept = evidence.keep(services.settings.data_dir, _photo(), "khao-sat.jpg")
    with services.db.session() as s:
        add_user(s, MEMBER, "Nguyễn Thị Chi")
        m = people.request_membership(s, MEMBER, "so-xay-dung", "Sở Xây dựng")
        people.decide_membership(s, m.id, True, ADMIN)
        return progress.add(
            s,
            author_id=MEMBER,
            author_name="Nguyễn Thị Chi",
            agency_id="so-xay-dung",
            agency_name="Sở Xây dựng",
            plan_id=plan.id,
            indicator_code="1.5",
            kb_version_id=services.knowledge.current.version.id,
            status="in_progress",
            percent=60,
            note="Đã khảo sát 12/20 công trình",
            file_name="khao-sat.jpg",
            file_kind="photo",
            file_path=kept.path,
            file_size=kept.size,
        ).id


def test_board_indicator_review_and_report(page, served, tmp_path):
    """Sign in by link onto the board, open a pair, confirm its update (the photo shown inline),
    then make the consolidated report and download the workbook."""
    update_id = _seed_update(served)
    sign_in(page, served)
    cell = page.locator('[data-pair="so-xay-dung:1.5"]')
    assert 1 == cell.count()
    shoot(page, "board")
    assert page.locator(".phone-board").is_visible() is False
    cell.click()
    page.wait_for_url("**/web/indicators/1.5?agency=so-xay-dung")
    update = page.locator(f'[data-update="{update_id}"]')
    assert "Đã khảo sát 12/20 công trình" in update.inner_text()
    photo = page.locator("img.evidence")
    photo.scroll_into_view_if_needed()  # it loads lazily
    for _ in range(100):  # polled from here: the console's CSP forbids the page evaluating strings
        if photo.evaluate("img => img.complete"):
            break
        time.sleep(0.1)
    assert 480 == photo.evaluate("img => img.naturalWidth")  # the photo is served and drawn
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, "indicator")
    page.click(f'[data-confirm="{update_id}"]')
    page.wait_for_url("**/web/indicators/1.5?agency=so-xay-dung&done=confirmed")
    assert "đã xác nhận" in page.locator(f'[data-update="{update_id}"]').inner_text()
    with served.db.session() as s:
        assert "confirmed" == progress.get(s, update_id).review_state

    page.click("nav >> text=Báo cáo")
    page.wait_for_url("**/web/reports")
    page.click("#generate")
    page.wait_for_selector("#made")
    with page.expect_download() as info:
        page.click("#xlsx")
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.suffix == ".xlsx" and saved.read_bytes()[:2] == b"PK"
