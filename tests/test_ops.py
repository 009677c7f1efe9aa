"""Running it for real: /readyz and /metrics over real HTTP (the runner with the fake Zalo Bot API,
and
`python -m bot web`), the HOST bind address, LOG_FORMAT=json with redaction, and the .env file."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import update
from starlette.requests import Request

from bot.app.services import build_services
from handlers.http import metrics_allowed
from handlers.runner import serve
from storage.delivery import ledger
from storage.models.delivery import Delivery
from tests.support.zalo import MEMBER, free_port, running, said, wait_until

ROOT = Path(__file__).resolve().parent.parent


def get(port: int, path: str, host: str = "127.0.0.1", **kw) -> httpx.Response:
    return httpx.get(f"http://{host}:{port}{path}", timeout=5, **kw)


async def aget(port: int, path: str, **kw) -> httpx.Response:
    """From an async test: the server shares the test's event loop; request from a thread."""
    return await asyncio.to_thread(get, port, path, **kw)


def sample(text: str, name: str, **labels: str) -> float | None:
    """The value of one sample in Prometheus's text format."""
    want = ",".join(f'{k}="{v}"' for k, v in labels.items())
    head = f"{name}{{{want}}}" if labels else name
    for line in text.splitlines():
        if line.startswith(head + " "):
            return float(line.rsplit(" ", 1)[1])
    return None


async def test_readyz_follows_the_zalo_polling_and_metrics_count_updates_and_sends(settings, zalo):  # noqa: F811
    """Ready once Zalo was polled; an answered update and a ledger send (after a 429) are counted;
    when getUpdates keeps failing past PGI_READY_POLL_SECONDS, /readyz answers 503 naming it."""
    async with running(settings, zalo, ready_poll_seconds=2) as services:
        port = services.settings.port
        ready = await wait_until(
            lambda: get(port, "/readyz").status_code == 200 and get(port, "/readyz")
        )
        body = ready.json()
        assert body["ready"] is True and body["checks"]["database"] == "ok"
        assert body["checks"]["channel zalo"].startswith("polling")
        assert body["checks"]["knowledge_base"].startswith("version ")

        zalo.inject_text(MEMBER, "ai chu tri chi so 1.5")
        await said(zalo, MEMBER, "1.5")
        zalo.fail_next(429, times=1, method="sendMessage")
        with services.db.session() as s:
            ledger.enqueue(
                s,
                key="ops:notice:1",
                kind="notice",
                channel="zalo",
                chat_id=MEMBER,
                text="thông báo thử",
            )
        await said(zalo, MEMBER, "thông báo thử", timeout=20)
        text = (
            await wait_until(
                lambda: (
                    (t := get(port, "/metrics").text)
                    and sample(t, "pgi_ledger_sends_total", channel="zalo", outcome="sent")
                    and t
                )
            )
        ).strip()
        assert sample(text, "pgi_updates_total", channel="zalo", outcome="answered") >= 1
        assert sample(text, "pgi_reply_latency_seconds_count", channel="zalo") >= 1
        assert sample(text, "pgi_ledger_sends_total", channel="zalo", outcome="429") >= 1
        assert sample(text, "pgi_ledger_rows", channel="zalo", status="sent") >= 1
        assert sample(text, "pgi_kb_version") == services.knowledge.current.version.id
        assert sample(text, "pgi_channel_last_seen_seconds", channel="zalo") is not None

        zalo.fail_next(502, times=10_000, method="getUpdates")
        failed = await wait_until(
            lambda: (r := get(port, "/readyz")).status_code == 503 and r, timeout=20
        )
        assert failed.json()["failing"].startswith("channel zalo: last polled")
        assert (await aget(port, "/healthz")).status_code == 200  # liveness is not readiness


async def test_readyz_fails_on_a_delivery_backlog(settings, zalo):  # noqa: F811
    async with running(settings, zalo, ready_max_backlog=3) as services:
        port = services.settings.port
        await wait_until(lambda: get(port, "/readyz").status_code == 200)

        now = datetime.now(UTC)
        with services.db.session() as s:
            for i in range(3):  # claimed by another process still within its lease: waiting
                key = f"ops:backlog:{i}"
                ledger.enqueue(
                    s, key=key, kind="notice", channel="zalo", chat_id=f"z{i}", text="x"
                )
                # only these rows: the bot's own tick may be enqueuing a digest meanwhile
                s.execute(
                    update(Delivery)
                    .where(Delivery.key == key)
                    .values(status="claimed", claimed_by="another-process", claimed_at=now)
                )
        expected = "backlog: 3 messages waiting (limit 3)"
        r = await wait_until(
            lambda: (r := get(port, "/readyz")).json().get("failing") == expected and r
        )
        assert r.status_code == 503


async def test_metrics_need_the_bearer_token_when_one_is_set(settings, zalo):  # noqa: F811
    async with running(settings, zalo, metrics_token="s3cret-metrics-token") as services:
        port = services.settings.port
        assert (
            await aget(port, "/metrics")
        ).status_code == 403  # loopback is not enough once a token is set
        assert (
            await aget(port, "/metrics", headers={"Authorization": "Bearer wrong-token-value"})
        ).status_code == 403
        ok = await aget(port, "/metrics", headers={"Authorization": "Bearer s3cret-metrics-token"})
        assert ok.status_code == 200 and "# TYPE pgi_ledger_sends_total counter" in ok.text


def _request(host: str, auth: str | None = None) -> Request:
    headers = [(b"authorization", auth.encode())] if auth else []
    return Request(
        {
            "type": "http",
            "method": "GET",
            "path": "/metrics",
            "headers": headers,
            "client": (host, 5000),
        }
    )


def test_metrics_without_a_token_answer_loopback_only():
    assert metrics_allowed(_request("127.0.0.1"), None)
    assert metrics_allowed(_request("::1"), None)
    assert not metrics_allowed(_request("10.1.2.3"), None)
    assert not metrics_allowed(_request("203.0.113.5"), None)
    assert metrics_allowed(_request("203.0.113.5", "Bearer tok-12345678"), "tok-12345678")
    assert not metrics_allowed(_request("127.0.0.1", "Basic tok-12345678"), "tok-12345678")


async def test_the_server_binds_the_host_setting(settings, zalo):  # noqa: F811
    """HOST=127.0.0.2: the runner's server answers there and not on 127.0.0.1 (both loopback)."""
    settings = replace(
        settings,
        zalo_token=zalo.token,
        zalo_api_base_url=zalo.base_url,
        port=free_port(),
        host="127.0.0.2",
    )
    services = build_services(settings)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(services, stop, tick=timedelta(seconds=0.5)))
    try:

        async def answers(host: str) -> bool:
            try:
                return (
                    await asyncio.to_thread(get, settings.port, "/healthz", host)
                ).status_code == 200
            except httpx.HTTPError:
                return False

        await wait_until(lambda: asyncio.run(answers("127.0.0.2")))
        assert not await answers("127.0.0.1")
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)
        services.close()


@pytest.fixture
def bot_env(tmp_path, kb_dir) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PGI_", "DATABASE_URL", "LOG_", "HOST", "PORT"))
    }
    return {**env, "PGI_DATA_DIR": str(tmp_path / "data"), "PGI_KB_DIR": str(kb_dir)}


def test_web_serves_readyz_and_metrics_on_host(bot_env, tmp_path):
    """`python -m bot web` (a real process): /readyz 200 without channels, /metrics, on HOST."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "web"],
        cwd=ROOT,
        env={**bot_env, "PORT": str(port), "HOST": "127.0.0.3"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        end = time.monotonic() + 60
        while time.monotonic() < end:
            try:
                r = get(port, "/readyz", host="127.0.0.3")
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise AssertionError("the web server did not answer")
        assert r.status_code == 200 and r.json()["ready"] is True
        assert "pgi_kb_version" in get(port, "/metrics", host="127.0.0.3").text
        with pytest.raises(httpx.ConnectError):
            get(port, "/healthz", host="127.0.0.1")
    finally:
        proc.terminate()
        proc.wait(10)


def test_json_logs_are_one_object_a_line_with_secrets_masked(tmp_path):
    code = (
        "import logging\n"
        "from bot.app.services import setup_logging\n"
        "setup_logging('INFO', 'tok:SECRET123456', json_lines=True)\n"
        "log = logging.getLogger('pgi.test')\n"
        "log.info('calling https://api/bot%s/getMe', 'tok:SECRET123456')\n"
        "try:\n    raise RuntimeError('token tok:SECRET123456 refused')\n"
        "except RuntimeError:\n    log.exception('start failed')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 2 and "SECRET123456" not in done.stderr
    first, second = (json.loads(line) for line in lines)
    assert first["level"] == "INFO" and first["logger"] == "pgi.test"
    assert first["message"] == "calling https://api/bot***/getMe"
    assert (
        second["message"] == "start failed"
        and "RuntimeError: token *** refused" in second["exception"]
    )
    assert datetime.fromisoformat(first["time"]).tzinfo is not None


def test_env_file_is_read_and_the_environment_wins(bot_env, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    (work / ".env").write_text(
        f"PGI_DATA_DIR={tmp_path / 'from-env-file'}\nPGI_REMINDER_TIME=09:30\n"
    )
    env = {k: v for k, v in bot_env.items() if k != "PGI_DATA_DIR"}
    run = [sys.executable, "-m", "bot", "db", "upgrade"]
    done = subprocess.run(
        run,
        cwd=work,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "from-env-file" / "pgi.sqlite3").exists()
    env["PGI_DATA_DIR"] = str(tmp_path / "from-environment")
    done = subprocess.run(
        run,
        cwd=work,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "from-environment" / "pgi.sqlite3").exists()
    (work / ".env").write_text("HOST=not an address\n")
    done = subprocess.run(
        run,
        cwd=work,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "HOST: 'not an address'" in done.stderr


def test_every_setting_is_in_env_example_and_the_readme():
    """One truth: every variable Settings.from_env reads is in .env.example and the README."""
    import re

    source = (ROOT / "bot" / "app" / "config.py").read_text()
    names = set(re.findall(r'env\.get\("([A-Z_]+)"', source))
    example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()
    assert names - {"WEBHOOK_URL"}, "no settings found"
    assert (
        sorted(
            n for n in names if not re.search(rf"^#?\s*{n}=", example, re.M) and n != "WEBHOOK_URL"
        )
        == []
    )
    assert sorted(n for n in names if f"`{n}`" not in readme) == []


def test_a_read_only_database_is_counted_and_makes_the_bot_not_ready(settings):
    """An update refused because the database cannot write is counted by outcome and as a database
    error, and the readiness check's write fails with the driver's reason."""
    from bot.app import health, metrics
    from tests.support.fake_bot_api import FakeBotApi
    from tests.support.world import XD, XD_MEMBER, Clock, at, make_world, read_only_sqlite

    def value(name: str, **labels: str) -> float:
        return metrics.REGISTRY.get_sample_value(name, labels) or 0.0

    with FakeBotApi() as api:
        world = make_world(settings, api, Clock(at(2026, 11, 30, 9, 0)))
        try:
            world.member(XD_MEMBER, XD)
            assert health.check(world.services, {}, "test").ready
            refused = value(
                "pgi_updates_total", channel="telegram", outcome="database_unavailable"
            )
            errors = value("pgi_database_errors_total", where="update")
            read_only_sqlite(world)
            world.say(XD_MEMBER, "/capnhat 1.5 70% đã sửa 3 công trình")
            after = value("pgi_updates_total", channel="telegram", outcome="database_unavailable")
            assert after == refused + 1
            assert value("pgi_database_errors_total", where="update") == errors + 1
            result = health.check(world.services, {}, "test")
            assert not result.ready
            assert result.body["failing"].startswith("database: cannot write (OperationalError")
        finally:
            world.services.close()
