"""kill -9 of the bot between Zalo's getUpdates (which forgets the update) and the reply loses
nothing: the update was stored before it was processed, and the reply is sent after a restart."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.support.fake_zalo_api import FakeZaloApi
from tests.support.zalo import free_port

ROOT = Path(__file__).resolve().parent.parent
USER = "zcrash01"


def _start(zalo: FakeZaloApi, data_dir: Path, kb_dir: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "ZALO_BOT_TOKEN": zalo.token,
        "ZALO_API_BASE_URL": zalo.base_url,
        "PGI_DATA_DIR": str(data_dir),
        "PGI_KB_DIR": str(kb_dir),
        "PORT": str(free_port()),
        "LOG_LEVEL": "INFO",
    }
    for name in ("TELEGRAM_BOT_TOKEN", "DATABASE_URL", "ZALO_WEBHOOK_URL", "ZALO_WEBHOOK_SECRET"):
        env.pop(name, None)
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _wait(check, timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def _answers(zalo: FakeZaloApi) -> list[str]:
    return [c.text for c in zalo.sent(USER) if c.text and "1.5" in c.text]


def test_kill_9_between_get_updates_and_the_reply_loses_nothing(tmp_path, kb_dir):
    """The reply was leaving when the process was killed: after a restart it is sent, once."""
    with FakeZaloApi(poll_wait=0.2) as zalo:
        bot = _start(zalo, tmp_path / "data", kb_dir)
        try:
            _wait(lambda: zalo.calls("getUpdates"))
            zalo.hold_sends()
            zalo.inject_text(USER, "ai chu tri chi so 1.5")
            _wait(lambda: zalo.held >= 1)  # read from Zalo's queue, processed, the reply in flight
            assert 0 == zalo.pending()
            os.killpg(bot.pid, signal.SIGKILL)
            bot.wait(10)
            zalo.release_sends(deliver=False)
            assert [] == _answers(zalo)
            bot = _start(zalo, tmp_path / "data", kb_dir)
            _wait(lambda: _answers(zalo))
            time.sleep(1.0)  # nothing more comes
        finally:
            os.killpg(bot.pid, signal.SIGTERM)
            bot.wait(10)
    assert 1 == len(_answers(zalo))
