"""The pieces that keep the runner going through a database outage, one by one (the whole of it is
tested from outside in tests/test_outage.py)."""

from __future__ import annotations

import asyncio
import logging
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy.exc import OperationalError

from bot.app.config import Settings
from bot.core.messages import Incoming
from handlers.inbox import Inbox
from handlers.polling import LeasePoller
from storage.db import Outage
from tests.support.bot_process import LEAD, NOT_SAVED


class Switch:
    """Makes a Database's sessions fail as on a lost connection while ``down``."""

    def __init__(self, db):
        self.db, self.down, self.tries = db, False, 0
        self._real = db.session

    @contextmanager
    def session(self):
        self.tries += 1
        if self.down:
            raise OperationalError("connect", {}, ConnectionRefusedError("refused"))
        with self._real() as s:
            yield s

    def __enter__(self):
        self.db.session = self.session
        return self

    def __exit__(self, *exc):
        self.db.session = self._real


def test_outage_is_logged_once_and_its_end_once(caplog):
    """Ten failures of one outage: one error line, pauses doubling to the cap; then one "back"
    line."""
    outage = Outage("a loop", logging.getLogger("t"), first=1.0, longest=8.0)
    exc = OperationalError("select 1", {}, ConnectionRefusedError("refused"))
    pauses = [outage.failed(exc) for _ in range(10)]
    outage.ok()
    outage.ok()
    assert [1.0, 2.0, 4.0, 8.0, 8.0] == pauses[:5]
    lines = [r.getMessage() for r in caplog.records]
    assert 2 == len(lines)
    assert "the database is unavailable" in lines[0] and "back after" in lines[1]


def test_the_longest_pause_is_the_processs_setting():
    """PGI_OUTAGE_RETRY_MAX (Settings.outage_retry_max, given to Outage.configure at start) caps
    the pause of every loop made after it; a loop's own cap (the tick's) stays its own."""
    exc = OperationalError("select 1", {}, ConnectionRefusedError("refused"))
    before = Outage.LONGEST
    try:
        Outage.configure(3.0)
        loop = Outage("another loop", logging.getLogger("t"))
        pauses = [loop.failed(exc) for _ in range(4)]
        assert [1.0, 2.0, 3.0, 3.0] == pauses
        assert 60.0 == Outage("the tick", logging.getLogger("t"), longest=60.0).longest
    finally:
        Outage.configure(before)
    assert 30.0 == Settings.from_env({}).outage_retry_max
    assert 2.5 == Settings.from_env({"PGI_OUTAGE_RETRY_MAX": "2.5"}).outage_retry_max


def test_a_question_is_answered_from_memory_while_the_database_is_down(services):
    """Nothing can be read or written: a question is still answered (from the knowledge base in
    memory); a command, a progress update and a typed pick are told that nothing was saved."""
    conv = services.conversation
    with Switch(services.db) as switch:
        switch.down = True

        def say(text: str) -> str:
            msg = Incoming(text=text, channel="telegram", chat_id="77", user_id="77")
            return conv.handle(msg).text

        answer = say("ai chủ trì chỉ số 1.5")
        refused = [say(t) for t in ("/ngonngu en", "cập nhật 1.5 70% xong", "2")]
    assert LEAD in answer
    assert [NOT_SAVED] * 3 == refused


def test_the_inbox_keeps_an_update_until_it_is_stored(services):
    """The insert fails while the database is down and is tried again; stored once it is back."""
    inbox = Inbox(services.db, "zalo", "bot1")

    async def scenario():
        with Switch(services.db) as switch:
            switch.down = True
            keeping = asyncio.create_task(inbox.keep("u1", "c1", {"x": 1}, asyncio.Event()))
            await asyncio.sleep(2.5)
            tried, switch.down = switch.tries, False
            stored, row = await asyncio.wait_for(keeping, 10)
        return tried, stored, row

    tried, stored, row = asyncio.run(scenario())
    assert tried >= 2 and stored and row is not None
    assert ["u1"] == [r.update_key for r in inbox.pending()]


def test_the_lease_poller_waits_out_an_outage_and_gives_the_lease_back(services):
    """While the lease cannot be renewed the step is not run and the loop goes on; when the
    database is back the step runs again; on the stop the lease is given back."""
    poller = LeasePoller(
        services.db, "poll:test:1", "me", services.conversation.now, timedelta(seconds=60)
    )
    steps: list[bool] = []

    async def step(held: bool) -> float:
        steps.append(held)
        return 0.05

    async def scenario():
        stop = asyncio.Event()
        with Switch(services.db) as switch:
            switch.down = True
            running = asyncio.create_task(poller.run(stop, step))
            await asyncio.sleep(1.5)
            during, switch.down = len(steps), False
            await asyncio.sleep(2.5)
            stop.set()
            await asyncio.wait_for(running, 5)
        return during

    during = asyncio.run(scenario())
    assert 0 == during and steps and all(steps)
    other = LeasePoller(
        services.db, "poll:test:1", "other", services.conversation.now, timedelta(seconds=60)
    )
    assert other.take() is True  # given back: no need to wait for it to lapse
