"""Import of a new plan's appendix in the web console, in a real browser (Chromium by Playwright):
upload, background reading with progress, the draft beside the source with flagged cells
highlighted and editable, then the difference, activation and roll-back of the KB page."""

from __future__ import annotations

import pytest

from tests.support.browser import browser_context, page, served, shoot, sign_in  # noqa: F401
from tests.support.kb_import import APPENDIX, SEEDS, make_docx, render_pages, shipped

pytestmark = pytest.mark.browser


def test_text_appendix_draft_edited_staged_activated_rolled_back(page, served, tmp_path):  # noqa: F811
    source = tmp_path / "phu-luc-7.txt"
    source.write_text(APPENDIX, encoding="utf-8")
    sign_in(page, served)
    page.goto(page.url.replace("/web/board", "/web/kb"))
    page.set_input_files("input[name=files]", str(source))
    page.click("#import")
    page.wait_for_selector("#draft", timeout=60_000)
    assert "7/KH-UBND" in page.locator("h2").first.inner_text()
    assert "Sở Ngoại vụ" in page.locator("#source-text").inner_text()
    flagged = page.locator("#row-1\\.1 td.flagged")
    assert (
        flagged.count() == 2
    )  # the old name in the lead, the unknown name among the coordinators
    assert "not in the agency registry" in page.locator("#row-1\\.1").inner_text()
    assert page.locator("#row-1\\.2 td.flagged").count() == 0
    assert "2027-12-20" in page.locator("#deadlines").inner_text()
    shoot(page, "kb-import-draft")
    cell = page.locator("textarea[name='coordinate-1.1']")
    assert cell.input_value() == "Sở Ngoại vụ\nUBND các xã, phường"
    cell.fill("Sở Tài chính\nUBND các xã, phường")
    page.click("#stage-draft")
    page.wait_for_url("**/web/kb/versions/2")
    diff = page.locator(".diff").inner_text()
    assert "plan-7-2027" in diff
    page.click("#activate")
    page.wait_for_url("**/web/kb?activated=2")
    kb = served.knowledge.current.kb
    coord = next(
        i for i in kb.indicators if i.plan_id == "plan-7-2027" and i.code == "1.1"
    ).coordinate
    assert [a.agency_id for a in coord] == ["so-tai-chinh", "ubnd-xa-phuong"]
    assert not any(a.name == "Sở Ngoại vụ" for a in kb.agencies.values())
    page.click("text=Quay lại…")
    page.wait_for_url("**/web/kb/versions/1")
    page.click("#activate")
    page.wait_for_url("**/web/kb?activated=1")
    assert "plan-7-2027" not in served.knowledge.current.kb.documents


def test_word_file_and_scanned_pages_imported_in_the_background(page, served, tmp_path):  # noqa: F811
    docx = tmp_path / "phu-luc-18.docx"
    make_docx(shipped(), docx)
    sign_in(page, served)
    page.goto(page.url.replace("/web/board", "/web/kb"))
    page.set_input_files("input[name=files]", str(docx))
    page.click("#import")
    page.wait_for_selector("#draft", timeout=60_000)
    assert page.locator("#draft tbody tr").count() == 42
    assert page.locator("#draft td.flagged").count() == 0
    # the first two pages of seed 002 as a scan: the reading shows its progress first
    pages = render_pages(
        (SEEDS / "002_4f274e872ed19d67.txt").read_text(encoding="utf-8"), tmp_path
    )
    page.goto(page.url.split("/web/")[0] + "/web/kb")
    page.set_input_files("input[name=files]", [str(p) for p in pages[:2]])
    page.click("#import")
    page.wait_for_selector("#progress")
    shoot(page, "kb-import-progress")
    page.wait_for_selector("#draft", timeout=240_000)
    assert page.locator("#draft tbody tr").count() >= 5
    name = page.locator("textarea[name='name-1.1']").input_value()
    assert name == "Chất lượng môi trường tốt hoặc rất tốt (%)"


def test_a_file_that_is_no_appendix_is_refused_clearly(page, served, tmp_path):  # noqa: F811
    letter = tmp_path / "letter.txt"
    letter.write_text("Kính gửi các Sở, ban, ngành.\n", encoding="utf-8")
    sign_in(page, served)
    page.goto(page.url.replace("/web/board", "/web/kb"))
    page.set_input_files("input[name=files]", str(letter))
    page.click("#import")
    page.wait_for_selector("#import-error", timeout=60_000)
    assert "no assignment table found" in page.locator("#import-error").inner_text()
    assert served.knowledge.current.version.id == 1
