"""`python -m bot run` as a child process against the fake platforms, for the tests that stop,
cut and restart a real bot (outages, input edges)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from bot.app.i18n import Translations
from tests.support.fake_bot_api import FakeBotApi
from tests.support.fake_zalo_api import FakeZaloApi
from tests.support.zalo import free_port

ROOT = Path(__file__).resolve().parent.parent.parent
TOKEN = "987654321:AAHoutageTOKENvalue-zz_09"
QUESTION = "ai chủ trì chỉ số 1.5"
LEAD = "Sở Xây dựng"  # in the answer to QUESTION
NOT_SAVED = (
    Translations()
    .get("vi")
    .gettext(
        "Sorry, this was not saved: the database cannot be written to right now. "
        "Please try again in a few minutes."
    )
)


class BotProcess:
    """`python -m bot run` with both channels polling; its output is collected as it comes."""

    def __init__(
        self,
        tmp_path: Path,
        kb_dir: Path,
        tg: FakeBotApi,
        zalo: FakeZaloApi,
        database_url: str | None,
    ):
        self.env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": tg.base_url,
            "ZALO_BOT_TOKEN": zalo.token,
            "ZALO_API_BASE_URL": zalo.base_url,
            "PGI_DATA_DIR": str(tmp_path / "data"),
            "PGI_KB_DIR": str(kb_dir),
            "PORT": str(free_port()),
            "LOG_LEVEL": os.environ.get("PGI_TEST_BOT_LOG_LEVEL", "INFO"),
        }
        for name in ("DATABASE_URL", "ZALO_WEBHOOK_URL", "ZALO_WEBHOOK_SECRET", "WEBHOOK_URL"):
            self.env.pop(name, None)
        if database_url:
            self.env["DATABASE_URL"] = database_url
        self.lines: list[str] = []
        self.proc: subprocess.Popen | None = None

    def start(self) -> BotProcess:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=ROOT,
            env=self.env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()
        return self

    def _read(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> int:
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            return self.proc.wait(10)


def wait(
    check: Callable[[], object], timeout: float, what: str, bot: BotProcess | None = None
) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return
        if bot is not None and not bot.alive():
            raise AssertionError(
                f"the bot exited ({bot.proc.returncode}) waiting for {what}:\n{bot.output[-3000:]}"
            )
        time.sleep(0.05)
    raise AssertionError(f"not within {timeout} s: {what}\n{bot.output[-6000:] if bot else ''}")


def tg_texts(tg: FakeBotApi, chat: int) -> list[str]:
    return [c.text or "" for c in tg.sent_messages(chat)]
