"""One broadcast to 1,000 bound groups against the loopback fake Bot API (a benchmark, not a test).

    python bench/broadcast_bench.py [--groups 1000] [--database-url URL-of-a-scratch-database]

The fake server enforces Telegram's limits (30 messages a second overall, 20 a minute per group)
and answers 429 when they are exceeded. It runs in its own process, as Telegram is not in the
bot's process: a server thread competing with the bot for the interpreter lock would see request
times shifted by tens of milliseconds. Prints messages per second against the allowed 30, 429s
received, duplicates, and memory.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import platform
import resource
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app.config import Settings  # noqa: E402
from bot.app.services import build_services  # noqa: E402
from handlers.telegram.app import build_application  # noqa: E402
from storage import ledger  # noqa: E402
from tests.support.broadcasts import seed_broadcast  # noqa: E402
from tests.support.fake_bot_api import FakeBotApi  # noqa: E402

ALLOWED = 30.0


def serve(conn) -> None:
    """The fake Bot API in a child process; answers "stats" with what it saw, then stops."""
    with FakeBotApi() as api:
        api.enforce_limits(global_per_second=30, per_group_per_minute=20)
        conn.send(api.base_url)
        conn.recv()
        ok = Counter(c.params["chat_id"] for c in api.calls("sendMessage") if c.ok)
        conn.send(
            {
                "too_many_requests": api.too_many_requests,
                "duplicates": len(api.duplicate_texts()),
                "ok": dict(ok),
            }
        )


async def run(n_groups: int, database_url: str | None) -> None:
    parent, child = multiprocessing.Pipe()
    server = multiprocessing.get_context("fork").Process(target=serve, args=(child,), daemon=True)
    server.start()
    base_url = parent.recv()
    with tempfile.TemporaryDirectory() as tmp:
        settings = replace(
            Settings.from_env({}),
            data_dir=Path(tmp),
            database_url=database_url,
            telegram_token="123456:BENCH",
            api_base_url=base_url,
        )
        services = build_services(settings)
        chats = [-1002000000000 - i for i in range(1, n_groups + 1)]
        bid = seed_broadcast(
            services.db, chats, "📢 Họp giao ban PGI lúc 8:00 thứ Hai — nhóm {chat}"
        )
        app = build_application(services, tick=None)
        async with app:
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            started = time.perf_counter()
            stats = await app.bot_data.dispatcher.drain()
            elapsed = time.perf_counter() - started
            rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        with services.db.session() as s:
            rows = ledger.by_broadcast(s, bid)
        services.close()
        parent.send("stats")
        seen = parent.recv()
        server.join(10)
        sent_calls = sum(n for chat, n in seen["ok"].items() if chat in set(chats))
        rate = sent_calls / elapsed
        print(
            f"machine: {platform.machine()}, Python {platform.python_version()}, database:"
            f" {database_url or 'SQLite'}"
        )
        print(
            f"groups: {n_groups}; sent {stats.sent}, ledger rows sent"
            f" {sum(r.status == 'sent' for r in rows)}, failed {stats.failed}, retried"
            f" {stats.retried}"
        )
        print(
            f"time: {elapsed:.1f} s; rate: {rate:.2f} messages/s = {100 * rate / ALLOWED:.1f}% of"
            f" the allowed {ALLOWED:.0f}/s"
        )
        print(
            f"429 received: {seen['too_many_requests']}; duplicates: {seen['duplicates']}; chats"
            f" that got the broadcast: {sum(1 for c in chats if seen['ok'].get(c))} of {n_groups}"
        )
        print(
            f"peak memory of the bot process: max RSS {rss_after / 1024:.0f} MiB, "
            f"{(rss_after - rss_before) / 1024:.1f} MiB more than before the broadcast"
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--groups", type=int, default=1000)
    ap.add_argument("--database-url")
    args = ap.parse_args()
    asyncio.run(run(args.groups, args.database_url))


if __name__ == "__main__":
    main()
