"""The Zalo channel end to end against the loopback fake Zalo Bot API (a benchmark, not a test).

    python bench/zalo_bench.py [--questions 200] [--burst 200] [--members 1000] [--rate 5]

The fake runs in its own process (a server thread in the bot's process would compete for the
interpreter lock). It measures, from its side of the wire:
  * reply latency: a question goes into Zalo's queue, the answer's sendMessage arrives (p50/p99);
  * throughput: a burst of questions from different users, until every one is answered;
  * a reminder fanned out to ``--members`` members' private chats at ZALO_RATE, with the fake
    enforcing a quota just above that rate: messages per second, 429s received, duplicates.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import platform
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app.config import Settings  # noqa: E402
from bot.app.services import build_services  # noqa: E402
from bot.delivery.calendar import ReminderCalendar  # noqa: E402
from handlers.runner import serve  # noqa: E402
from storage.directory import people  # noqa: E402
from storage.schedule import deadlines as deadline_store  # noqa: E402
from tests.support.fake_zalo_api import FakeZaloApi  # noqa: E402

QUESTIONS = [
    "ai chu tri chi so 1.5",
    "so xay dung phu trach chi so nao",
    "diem PGI 2023",
    "han nop bao cao",
    "cong an tinh lien quan chi so nao",
    "chi so 2.4 la gi",
]


def _answered(api: FakeZaloApi, chat: str) -> float | None:
    calls = [c for c in api.sent(chat) if c.ok]
    return calls[0].time if calls else None


def fake_process(conn, quota) -> None:
    """The fake Zalo API; runs the measured sessions the parent asks for and reports what it
    saw."""
    with FakeZaloApi(poll_wait=1.0, send_quota=quota) as api:
        conn.send((api.base_url, api.token))
        while True:
            cmd, arg = conn.recv()
            if cmd == "latency":
                lat = []
                for i in range(arg):
                    chat = f"lat{i:05d}"
                    t0 = time.time()
                    api.inject_text(chat, QUESTIONS[i % len(QUESTIONS)])
                    while (t1 := _answered(api, chat)) is None:
                        time.sleep(0.001)
                    lat.append((t1 - t0) * 1000)
                conn.send(lat)
            elif cmd == "burst":
                chats = [f"burst{i:05d}" for i in range(arg)]
                t0 = time.time()
                for i, chat in enumerate(chats):
                    api.inject_text(chat, QUESTIONS[i % len(QUESTIONS)])
                while any(_answered(api, c) is None for c in chats):
                    time.sleep(0.01)
                conn.send(max(_answered(api, c) for c in chats) - t0)
            elif cmd == "know":
                with api._lock:
                    api._bots[api.token].known_chats.update(arg)
                conn.send(True)
            elif cmd == "fanout":
                members, marker = arg
                while sum(1 for c in api.sent() if c.ok and marker in (c.text or "")) < members:
                    time.sleep(0.05)
                sends = [c for c in api.sent() if c.ok and marker in (c.text or "")]
                per_chat = Counter(c.chat_id for c in sends)
                times = sorted(c.time for c in sends)
                conn.send(
                    {
                        "sent": len(sends),
                        "chats": len(per_chat),
                        "duplicates": sum(n - 1 for n in per_chat.values()),
                        "seconds": times[-1] - times[0],
                        "too_many_requests": api.too_many_requests,
                    }
                )
            else:
                return


def _due_with_a_reminder_now(settings: Settings, now: datetime) -> date:
    cal = ReminderCalendar(
        ZoneInfo(settings.timezone),
        settings.reminder_time,
        settings.reminder_offsets,
        settings.holidays,
        settings.overdue_days,
    )
    return next(
        d
        for d in (now.date() + timedelta(days=i) for i in range(1, 60))
        if cal.current_reminder(d, now) is not None
    )


async def main(args) -> None:
    conn, child = multiprocessing.Pipe()
    quota = (int(args.rate * 10 * 1.1) + 1, 10.0)  # just above ZALO_RATE over any 10 s
    server = multiprocessing.get_context("fork").Process(
        target=fake_process, args=(child, quota), daemon=True
    )
    server.start()
    base_url, token = conn.recv()
    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    now = datetime.now(tz).replace(hour=9, minute=0)
    while now.weekday() >= 5:
        now += timedelta(days=1)
    with tempfile.TemporaryDirectory() as tmp:
        settings = replace(
            Settings.from_env({}),
            data_dir=Path(tmp),
            zalo_token=token,
            zalo_api_base_url=base_url,
            zalo_rate=args.rate,
            port=0,
        )
        services = build_services(settings, clock=lambda: now)
        members = [f"member{i:05d}" for i in range(args.members)]
        agencies = ["so-xay-dung", "so-cong-thuong", "so-tai-chinh", "so-y-te", "cong-an-tinh"]
        with services.db.session() as s:
            for i, external in enumerate(members):
                u = people.identify(s, "zalo", external, f"Cán bộ {i}")
                m = people.request_membership(
                    s, u.id, agencies[i % len(agencies)], agencies[i % len(agencies)]
                )
                people.decide_membership(s, m.id, True, u.id)
        conn.send(("know", members))
        conn.recv()
        stop = asyncio.Event()
        task = asyncio.create_task(serve(services, stop, tick=timedelta(seconds=1)))
        await asyncio.sleep(1.0)
        await asyncio.to_thread(conn.send, ("latency", args.questions))
        lat = await asyncio.to_thread(conn.recv)
        await asyncio.to_thread(conn.send, ("burst", args.burst))
        burst_s = await asyncio.to_thread(conn.recv)
        marker = "BENCH-PGI"
        with services.db.session() as s:
            deadline_store.add(
                s,
                f"{marker} Báo cáo tiến độ",
                _due_with_a_reminder_now(settings, now),
                {"kind": "all"},
                None,
            )
        t0 = time.monotonic()  # the runner's next tick plans the reminder and sends it
        await asyncio.to_thread(conn.send, ("fanout", (args.members, marker)))
        fan = await asyncio.to_thread(conn.recv)
        elapsed = time.monotonic() - t0
        stop.set()
        await task
        services.close()
    conn.send(("stop", None))
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, database: SQLite")
    print(
        f"reply latency, {len(lat)} questions one after the other: p50"
        f" {statistics.median(lat):.1f} ms, p99 {statistics.quantiles(lat, n=100)[98]:.1f} ms, max"
        f" {max(lat):.1f} ms"
    )
    print(
        f"burst of {args.burst} questions from different users: {burst_s:.2f} s ="
        f" {args.burst / burst_s:.1f} updates/s"
    )
    print(
        f"reminder to {args.members} members' chats at ZALO_RATE={args.rate}/s: sent {fan['sent']}"
        f" to {fan['chats']} chats in {fan['seconds']:.1f} s ="
        f" {fan['sent'] / max(fan['seconds'], 1e-9):.2f} msg/s (planning included: {elapsed:.1f}"
        f" s); 429 received: {fan['too_many_requests']}; duplicates: {fan['duplicates']}"
    )


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--questions", type=int, default=200)
    p.add_argument("--burst", type=int, default=200)
    p.add_argument("--members", type=int, default=1000)
    p.add_argument("--rate", type=float, default=Settings().zalo_rate)
    asyncio.run(main(p.parse_args()))
