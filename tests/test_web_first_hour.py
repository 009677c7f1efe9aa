"""The console on a first visit (issue 19), in Chromium at 360 px and 1280 px, in a Vietnamese
and an English browser locale: the board on a phone, every commune on it, dates typed
dd/mm/yyyy."""

from __future__ import annotations

import tempfile

import pytest

from tests.support.browser import (
    ARGS,
    CHROMIUM,
    DESKTOP,
    PHONE,
    served,  # noqa: F401 - fixture
    sign_in,
)

pytestmark = pytest.mark.browser


@pytest.fixture(params=["vi-VN", "en-US"])
def page(request):
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=[*ARGS, f"--lang={request.param}"],
            viewport=DESKTOP,
            locale=request.param,
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()


def test_board_on_a_phone_and_on_a_desktop(page, served):  # noqa: F811 - the fixture
    """On a phone: indicators grouped by component, each named, its agencies' colours worst first,
    no sideways scrolling. On a desktop: all 65 communes and wards, the unregistered marked, names
    not cut.
    """
    sign_in(page, served)
    rows = page.locator(".grid th.agency")
    names = rows.all_inner_texts()
    assert 65 == sum(1 for n in names if n.startswith(("UBND xã", "UBND phường")))
    assert 0 < page.locator(".grid th.agency.unregistered").count()
    cut = page.evaluate(
        "[...document.querySelectorAll('.grid th.agency')].filter(e => e.scrollWidth >"
        " e.clientWidth).length"
    )
    assert 0 == cut
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.locator(".phone-board").is_visible()
    assert 4 == page.locator(".phone-board h2").count()
    first = page.locator(".indicator-row").first
    assert (
        first.locator("strong").inner_text() in first.inner_text() and len(first.inner_text()) > 20
    )
    ranks = page.evaluate("""[...document.querySelectorAll('.indicator-row')].map(r =>
        [...r.querySelectorAll('.sq')].map(d => ['s-red','s-amber','s-grey','s-green','s-blue']
        .findIndex(c => d.classList.contains(c))))""")
    assert all(r == sorted(r) for r in ranks)
    assert len({p.indicator.code for p in load_board_of(served).pairs}) == len(ranks)


def load_board_of(services):
    from bot.reporting.board import load_board
    from bot.reporting.status import StatusRules

    conv = services.conversation
    with services.db.session() as s:
        return load_board(s, services.knowledge.current, StatusRules(), conv.today(), conv.tz)


def test_dates_are_typed_day_first_whatever_the_locale(page, served):  # noqa: F811 - the fixture
    """A deadline typed 12/09/2027 is 12 September 2027 in a Vietnamese and an English browser."""
    from storage.schedule import deadlines as deadline_store

    sign_in(page, served)
    page.goto(page.url.replace("/web/board", "/web/deadlines"))
    field = page.locator("input[name=date]")
    assert "text" == field.get_attribute("type") and "dd/mm/yyyy" == field.get_attribute(
        "placeholder"
    )
    field.fill("12/09/2027")
    page.fill("input[name=title]", "Báo cáo thử")
    page.fill("input[name=audience]", "tất cả")
    page.locator(
        "form:has(input[name=date]) button[type=submit], form:has(input[name=date]) button"
    ).first.click()
    page.wait_for_load_state()
    with served.db.session() as s:
        assert ["2027-09-12"] == [d.due_date.isoformat() for d in deadline_store.active(s)]
    assert "12/09/2027" in page.content()


def _fits(page, selector: str) -> bool:
    """Neither the page nor the element scrolls sideways."""
    return bool(
        page.evaluate(
            """s => { const e = document.querySelector(s);
        return document.documentElement.scrollWidth <= window.innerWidth && e !== null
            && e.scrollWidth <= e.clientWidth
            && e.getBoundingClientRect().right <= window.innerWidth; }""",
            selector,
        )
    )


def test_knowledge_base_versions_fit_a_phone(page, served):  # noqa: F811 - the fixture
    """The version table of the knowledge-base page fits 360 px and 1280 px without sideways
    scrolling, long sources and names included (issue 19, item 10)."""
    from kb.loader import DATA_DIR, read_sources

    files = read_sources(DATA_DIR)
    plan = "plan_18_kh_ubnd_2026.yaml"
    for i, who in enumerate(["command line", "Nguyễn Thị Phương Thảo (zalo)"]):
        changed = {
            **files,
            plan: files[plan].replace("Cung cấp nước sạch", f"Cung cấp nước sạch {i}", 1),
        }
        served.knowledge.stage(
            changed, f"web: /srv/pgi/uploads/ke-hoach-18-kh-ubnd-2026-ban-sua-doi-{i}.zip", who
        )
    sign_in(page, served)
    page.goto(page.url.replace("/web/board", "/web/kb"))
    assert 3 == page.locator("#versions tbody tr").count()
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        assert _fits(page, "#versions .scroll"), size


def test_one_request_for_explanation_form_per_indicator(page, served):  # noqa: F811 - the fixture
    """An indicator page has one request-for-explanation form with a choice of its agencies (not
    one form per agency); the request goes to the agency chosen."""
    from storage.tracking import explanations

    sign_in(page, served)
    page.goto(page.url.replace("/web/board", "/web/indicators/1.5"))
    forms = page.locator("form[action$='/explanations']")
    assert 1 == forms.count()
    options = forms.locator("select[name=agency] option")
    assert page.locator(".pair").count() == options.count() > 3
    chosen = options.nth(2).get_attribute("value")
    forms.locator("select[name=agency]").select_option(chosen)
    forms.locator("textarea[name=text]").fill("Đề nghị giải trình tiến độ")
    forms.locator("button").click()
    page.wait_for_load_state()
    with served.db.session() as s:
        assert [chosen] == [q.agency_id for q in explanations.open_requests(s)]
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), size
