"""One bot process sends the ledger at a time, so one rate limiter paces what goes to Telegram."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.delivery.worker import Dispatcher, Outcome
from storage.db import Database, database_url
from storage.delivery import ledger


class RecordingChannel:
    """A channel that only records what it was asked to send (the core's Channel protocol)."""

    numbered = False

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    async def send(self, chat_id, text, buttons, before_request):
        await before_request()
        self.sent.append((chat_id, text))
        return Outcome("sent", message_id=str(len(self.sent)))


async def test_a_second_process_waits_while_the_first_holds_the_sender_lease(tmp_path):
    """While process A holds the lease, B's drain sends nothing; once A's lease runs out, B
    sends."""
    db = Database(database_url(None, tmp_path))
    db.migrate()
    now = [datetime(2026, 12, 1, 1, 0, tzinfo=UTC)]
    with db.session() as s:
        for chat in (-1001, -1002):
            ledger.enqueue(
                s,
                key=f"t:{chat}",
                kind="notice",
                channel="telegram",
                chat_id=str(chat),
                text=f"tin {chat}",
            )
        assert ledger.acquire_sender(s, "process-A", now[0], timedelta(seconds=60))
    channel = RecordingChannel()
    b = Dispatcher(
        db, {"telegram": channel}, lambda: now[0], owner="process-B", lease=timedelta(seconds=60)
    )
    first = await b.drain()
    now[0] += timedelta(seconds=61)
    second = await b.drain()
    db.dispose()
    assert (0, []) == (first.sent, [])
    assert (2, [("-1001", "tin -1001"), ("-1002", "tin -1002")]) == (
        second.sent,
        sorted(channel.sent),
    )


async def test_the_sender_gives_the_lease_back_when_done(tmp_path):
    """After a drain the lease is released, so another process can send at once."""
    db = Database(database_url(None, tmp_path))
    db.migrate()
    now = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    await Dispatcher(db, {"telegram": RecordingChannel()}, lambda: now, owner="process-A").drain()
    with db.session() as s:
        taken = ledger.acquire_sender(s, "process-B", now, timedelta(seconds=60))
    db.dispose()
    assert True is taken
