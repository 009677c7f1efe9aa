"""Exactly once across processes: kill -9 in the middle of a broadcast, restart, and two processes.

Real bot processes (tests/support/delivery_child.py) send through python-telegram-bot's HTTP stack
to the fake Bot API server, on SQLite and on a real PostgreSQL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from bot.app.services import build_services
from storage.delivery import ledger
from tests.support.broadcasts import seed_broadcast
from tests.support.fake_bot_api import FakeBotApi

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:EXACTLY-ONCE"
GROUPS = 40


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    if request.param == "postgres":
        return request.getfixturevalue("postgres_url")
    return f"sqlite:///{tmp_path / 'shared.sqlite3'}"


@pytest.fixture
def api():
    with FakeBotApi() as server:
        yield server


@pytest.fixture
def broadcast(settings, database_url):
    """A broadcast to GROUPS bound group chats, written into the ledger and not yet sent."""
    services = build_services(replace(settings, database_url=database_url))
    chats = [-1001000000000 - i for i in range(1, GROUPS + 1)]
    bid = seed_broadcast(services.db, chats)
    yield services, chats, bid
    services.close()


def child(api: FakeBotApi, settings, database_url: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "DATABASE_URL": database_url,
        "PGI_DATA_DIR": str(settings.data_dir),
        "PGI_KB_DIR": str(settings.kb_dir),
        "PGI_DELIVERY_LEASE": "1",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.delivery_child"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def received(api: FakeBotApi, chats: list[int]) -> Counter:
    """How many broadcast messages each chat received (successful sendMessage calls)."""
    wanted = set(chats)
    return Counter(
        c.params["chat_id"]
        for c in api.calls("sendMessage")
        if c.ok and c.params["chat_id"] in wanted
    )


def test_kill_9_mid_request_then_restart_sends_nothing_twice_and_loses_nothing(
    api, settings, database_url, broadcast
):
    """The process is killed while Telegram holds its 15th request; the restart sends the rest
    once."""
    services, chats, bid = broadcast
    arrived, release = threading.Event(), threading.Event()
    original = api._route

    def hold_fifteenth(path, query, ctype, body):
        result = original(path, query, ctype, body)
        if path.endswith("/sendMessage") and len(api.calls("sendMessage")) == 15:
            arrived.set()
            release.wait(10)  # Telegram got the message; the bot never hears back
        return result

    api._route = hold_fifteenth
    first = child(api, settings, database_url)
    assert arrived.wait(30), (
        first.stderr.read() if first.poll() is not None else "the child sent nothing"
    )
    os.kill(first.pid, signal.SIGKILL)
    first.wait(10)
    release.set()
    time.sleep(1.5)  # the lease of the killed process runs out
    second = child(api, settings, database_url)
    out, err = second.communicate(timeout=120)
    assert 0 == second.returncode, err
    assert {chat: 1 for chat in chats} == dict(received(api, chats))
    assert {} == api.duplicate_texts()
    with services.db.session() as s:
        statuses = Counter(r.status for r in ledger.by_broadcast(s, bid))
        report = ledger.by_key(s, f"report:{bid}")
    # the held message reached Telegram but its process died before hearing so: reported, not
    # resent
    assert {"sent": GROUPS - 1, "uncertain": 1} == dict(statuses)
    assert report is not None and "sent" == report.status


def test_two_processes_share_one_database_and_never_send_the_same_message(
    api, settings, database_url, broadcast
):
    """Two bot processes drain the same ledger at once: every chat gets the broadcast exactly
    once."""
    services, chats, bid = broadcast
    procs = [child(api, settings, database_url), child(api, settings, database_url)]
    for p in procs:
        _out, err = p.communicate(timeout=120)
        assert 0 == p.returncode, err
    assert {chat: 1 for chat in chats} == dict(received(api, chats))
    assert {} == api.duplicate_texts()
    with services.db.session() as s:
        assert {"sent": GROUPS} == dict(Counter(r.status for r in ledger.by_broadcast(s, bid)))
