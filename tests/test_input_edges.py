"""What comes in, from outside: a real `python -m bot run` on PostgreSQL with both channels in
webhook mode, LOG_LEVEL=DEBUG and PGI_LOG_PERSONAL_DATA=1, a real `python -m bot web`, and real
HTTP requests.

- A NUL or another control character in a name or a text is removed where the text enters (every
  update from that person used to fail on PostgreSQL; through the Zalo webhook it was a 500; a
  console form was a 500).
- A JSON body that is no Telegram update gets 400 and one log line (it was a 500 with a traceback).
- The random Telegram webhook secret made at start is masked even at DEBUG with personal data
  shown.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import replace

import httpx
import pytest

from bot.app.config import Settings
from bot.app.services import build_services
from storage.schedule import deadlines as deadline_store
from tests.support.bot_process import LEAD, QUESTION, ROOT, BotProcess, tg_texts, wait
from tests.support.fake_bot_api import FakeBotApi
from tests.support.fake_zalo_api import FakeZaloApi
from tests.support.zalo import free_port

ZALO_SECRET = "zalo-webhook-secret-0123456789"
TG_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def telegram_update(update_id: int, user: int, text: str, first_name: str) -> dict:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "text": text,
            "chat": {"id": user, "type": "private", "first_name": first_name},
            "from": {"id": user, "is_bot": False, "first_name": first_name},
        },
    }


@pytest.fixture
def running(tmp_path, kb_dir, postgres_url):
    with FakeBotApi() as tg, FakeZaloApi() as zalo:
        bot = BotProcess(tmp_path, kb_dir, tg, zalo, postgres_url)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        bot.env.update(
            {
                "PORT": str(port),
                "LOG_LEVEL": "DEBUG",
                "PGI_LOG_PERSONAL_DATA": "1",
                "TELEGRAM_WEBHOOK_URL": f"{base}/telegram",
                "ZALO_WEBHOOK_URL": f"{base}/zalo",
                "ZALO_WEBHOOK_SECRET": ZALO_SECRET,
            }
        )
        bot.env.pop("TELEGRAM_WEBHOOK_SECRET", None)  # a random one, made at start
        bot.start()
        try:
            wait(lambda: tg.calls("setWebhook") and zalo.webhook(), 60, "both webhooks set", bot)
            wait(lambda: _up(base), 30, "the HTTP server", bot)
            yield bot, tg, zalo, base
        finally:
            bot.stop()


def _up(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.mark.postgres
def test_control_characters_in_names_and_texts_on_postgres(running):
    """A NUL in a Zalo display name (through the webhook) and in a Telegram name and text:
    answered,
    and the next message of the same person too."""
    bot, tg, zalo, base = running
    secret = tg.calls("setWebhook")[0].params["secret_token"]
    for n, text in enumerate((QUESTION + "\x00", QUESTION)):
        r = httpx.post(
            f"{base}/telegram",
            json=telegram_update(500 + n, 9101, text, "Trần\x00Thị\x07 B"),
            headers={TG_HEADER: secret},
            timeout=10,
        )
        assert 200 == r.status_code
        wait(
            lambda n=n: sum(LEAD in t for t in tg_texts(tg, 9101)) > n,
            30,
            f"Telegram answer {n + 1}",
            bot,
        )
    for n in range(2):
        zalo.inject_text("znul", "ai chu tri chi so 1.5", display_name="Nguyễn\x00Văn\x1b C")
        wait(lambda n=n: len(zalo.deliveries) > n, 30, f"Zalo webhook delivery {n + 1}", bot)
        assert 200 == zalo.deliveries[-1].status
        wait(
            lambda n=n: sum(LEAD in (t or "") for t in zalo.texts("znul")) > n,
            30,
            f"Zalo answer {n + 1}",
            bot,
        )
    assert "Traceback" not in bot.output


@pytest.mark.postgres
def test_a_body_that_is_no_update_is_answered_cleanly_with_one_line(running):
    """JSON that python-telegram-bot cannot read as an update: a clean answer (400 here, as
    Zalo's webhook answers; it was a 500 with a traceback), one log line each, no traceback; the
    webhook goes on answering."""
    bot, tg, zalo, base = running
    secret = tg.calls("setWebhook")[0].params["secret_token"]
    for body in (
        {"update_id": "x", "message": "not a message"},
        {"update_id": 1, "message": {"chat": 5}},
    ):
        r = httpx.post(f"{base}/telegram", json=body, headers={TG_HEADER: secret}, timeout=10)
        assert r.status_code < 500 and r.status_code in (200, 400)
    zalo.inject({"event_name": "message.text.received", "message": "not a message"})
    wait(lambda: zalo.deliveries, 30, "the Zalo delivery", bot)
    assert zalo.deliveries[-1].status in (200, 400)
    time.sleep(0.5)
    lines = bot.output.splitlines()
    assert 2 == sum("webhook /telegram:" in line for line in lines)
    assert "Traceback" not in bot.output
    r = httpx.post(
        f"{base}/telegram",
        json=telegram_update(600, 9102, QUESTION, "An"),
        headers={TG_HEADER: secret},
        timeout=10,
    )
    assert 200 == r.status_code
    wait(lambda: any(LEAD in t for t in tg_texts(tg, 9102)), 30, "an answer after them", bot)


@pytest.mark.postgres
def test_the_random_webhook_secret_is_masked_at_debug_with_personal_data(running):
    """The secret made at start reaches Telegram (setWebhook) but not the log, where personal data
    is shown; the log does show that setWebhook was called."""
    bot, tg, zalo, base = running
    secret = tg.calls("setWebhook")[0].params["secret_token"]
    assert len(secret) >= 32
    time.sleep(0.5)
    assert "setWebhook" in bot.output
    assert secret not in bot.output


@pytest.mark.postgres
def test_control_characters_in_a_console_form_on_postgres(tmp_path, kb_dir, postgres_url):
    """`python -m bot web` on PostgreSQL: a deadline whose title holds a NUL is added (cleaned),
    not a 500."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": postgres_url,
        "PGI_DATA_DIR": str(tmp_path / "data"),
        "PGI_KB_DIR": str(kb_dir),
        "PORT": str(port),
    }
    web = subprocess.Popen(
        [sys.executable, "-m", "bot", "web"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    services = None
    try:
        wait(lambda: _up(base), 60, "the console")
        services = build_services(
            replace(
                Settings.from_env({}),
                database_url=postgres_url,
                data_dir=tmp_path / "data",
                kb_dir=kb_dir,
            )
        )
        from handlers.web import make_server_admin_link

        link = make_server_admin_link(services)
        with httpx.Client(base_url=base, timeout=10) as client:
            path = link[link.index("/web/login/") :]
            nonce = re.search(r'name="nonce" value="([^"]+)"', client.get(path).text).group(1)
            assert 303 == client.post(path, data={"nonce": nonce}).status_code
            csrf = re.search(
                r'name="csrf" value="([^"]+)"', client.get("/web/deadlines").text
            ).group(1)
            r = client.post(
                "/web/deadlines",
                data={
                    "csrf": csrf,
                    "date": "2026-12-15",
                    "title": "Báo cáo\x00 PGI\x07",
                    "audience": "tất cả",
                },
            )
            assert 303 == r.status_code, r.text
        with services.db.session() as s:
            assert ["Báo cáo PGI"] == [d.title for d in deadline_store.active(s)]
    finally:
        if services is not None:
            services.close()
        web.terminate()
        web.wait(30)
