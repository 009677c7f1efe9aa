"""The gap a restart leaves (a benchmark, not a test).

    python bench/restart_bench.py

A real `python -m bot run` with Telegram and Zalo long polling against their fakes is stopped with
SIGTERM; another is started at once, and a question is sent on each channel right away. It prints
how long the stop took and, from the second process's start, when each channel answered (the
process's own start-up included: imports, migrations, loading the knowledge base).
"""

from __future__ import annotations

import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kb.loader import DATA_DIR, read_sources  # noqa: E402
from tests.support.fake_bot_api import FakeBotApi  # noqa: E402
from tests.support.fake_zalo_api import FakeZaloApi  # noqa: E402
from tests.test_outage import (  # noqa: E402
    LEAD,
    QUESTION,
    BotProcess,
    started,
    tg_texts,
    wait,
    zalo_answered,
)


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    kb = tmp / "kb"
    kb.mkdir()
    for name, body in read_sources(DATA_DIR).items():
        (kb / name).write_text(body, encoding="utf-8")
    try:
        with FakeBotApi() as tg, FakeZaloApi(poll_wait=0.3) as zalo:
            first = BotProcess(tmp, kb, tg, zalo, None).start()
            started(first, tg, zalo)
            time.sleep(2)
            begin = time.monotonic()
            first.stop()
            stopped = time.monotonic() - begin
            second = BotProcess(tmp, kb, tg, zalo, None).start()
            begin = time.monotonic()
            tg.send_text(801, QUESTION)
            zalo.inject_text("zrestart", "ai chu tri chi so 1.5")
            wait(lambda: any(LEAD in t for t in tg_texts(tg, 801)), 120, "Telegram", second)
            telegram = time.monotonic() - begin
            wait(lambda: zalo_answered(zalo, "zrestart"), 120, "Zalo", second)
            zalo_took = time.monotonic() - begin
            second.stop()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, database: SQLite")
    print(
        f"stop (SIGTERM) took {stopped:.1f} s; from the restart: Telegram answered in "
        f"{telegram:.1f} s, Zalo in {zalo_took:.1f} s (start-up included)"
    )


if __name__ == "__main__":
    main()
