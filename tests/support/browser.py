"""The web console in a real browser, for the browser test modules to import: Debian's Chromium
driven by Playwright (``browser_context``, ``page``), the console served by uvicorn on a real port
(``served``), signing in, and screenshots at desktop width and on a 360-px phone (``shoot``), which
go to a scratch folder unless ``PGI_SCREENSHOTS`` names one."""

from __future__ import annotations

import os
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import uvicorn

from bot.app.config import Settings
from bot.app.services import build_services
from handlers.web import make_login_link, web_app
from storage.directory import people
from tests.support.web import add_user

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent.parent


def screenshots_dir(env: dict[str, str] | os._Environ[str] = os.environ) -> Path:
    """Where screenshots go: PGI_SCREENSHOTS (relative to the project) when asked, else a
    scratch folder."""
    asked = env.get("PGI_SCREENSHOTS")
    if asked:
        return ROOT / asked
    return Path(tempfile.gettempdir()) / "pgi-screenshots"


SHOTS = screenshots_dir()
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ADMIN = 2001
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 780}


@pytest.fixture(scope="module")
def browser_context():
    if not CHROMIUM.exists():
        pytest.fail(
            "Chromium is missing at /usr/bin/chromium; run scripts/ensure_chromium.sh"
            " (scripts/test.sh does)"
        )
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=ARGS, viewport=DESKTOP
        )
        yield context
        context.close()


@pytest.fixture
def page(browser_context):
    browser_context.clear_cookies()
    page = browser_context.new_page()
    page.set_viewport_size(DESKTOP)
    page.set_default_timeout(10_000)
    yield page
    page.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(tmp_path, kb_dir) -> Iterator:
    """The console on a real HTTP port (uvicorn in a thread), and its services."""
    port = _free_port()
    settings = replace(
        Settings.from_env({}),
        data_dir=tmp_path / "data",
        kb_dir=kb_dir,
        port=port,
        public_url=f"http://127.0.0.1:{port}",
    )
    services = build_services(settings)
    with services.db.session() as s:
        add_user(s, ADMIN, "Admin An")
        people.set_role(s, ADMIN, "admin")
    server = uvicorn.Server(
        uvicorn.Config(
            web_app(services), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield services
    finally:
        server.should_exit = True
        thread.join(10)
        services.close()


def sign_in(page, services) -> None:
    page.goto(make_login_link(services, ADMIN))
    page.click("#sign-in")
    page.wait_for_url("**/web/board")


def fits_phone(page) -> bool:
    """At 360 px nothing makes the page scroll sideways (wide tables scroll inside their own
    box)."""
    page.set_viewport_size(PHONE)
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(SHOTS / f"{name}-desktop.png"), full_page=True)
    assert fits_phone(page), f"{name} is wider than a 360-px phone"
    page.screenshot(path=str(SHOTS / f"{name}-360px.png"), full_page=True)
    page.set_viewport_size(DESKTOP)
