"""People's texts and names stay out of the logs at every level, unless PGI_LOG_PERSONAL_DATA=1.

`python -m bot` runs with LOG_LEVEL=DEBUG against the fake Bot API; a user with a distinctive name
sends a distinctive question (and the bot replies, and fails on a forged update), then the whole
output is searched for them.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest

from bot.app.redact import HIDDEN, HidePersonalData
from tests.support.fake_bot_api import FakeBotApi
from tests.support.process import ROOT
from tests.support.process import TELEGRAM_TOKEN as TOKEN

NAME = "Nguyễn Thị Riêngtư"
QUESTION = "ai chủ trì chỉ số 1.5 bimatxyz"


def conversation_log(tmp_path, personal: str) -> str:
    with FakeBotApi() as api:
        env = {
            **os.environ,
            "PGI_DATA_DIR": str(tmp_path / "data"),
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": api.base_url,
            "LOG_LEVEL": "DEBUG",
            "PGI_LOG_PERSONAL_DATA": personal,
        }
        env.pop("DATABASE_URL", None)
        # the log goes to a file, not a pipe: at DEBUG a pipe nobody reads until the end fills up
        # (64 KiB) and blocks the bot in the middle of its start
        log = tmp_path / "bot.log"
        with log.open("w", encoding="utf-8") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "bot"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                text=True,
            )
            try:
                api.wait_polling(timeout=60)
                api.send_text(4242, QUESTION, first_name=NAME)
                api.wait_for(
                    lambda c: c.method == "sendMessage" and str(c.params.get("chat_id")) == "4242",
                    timeout=30,
                )
            finally:
                proc.terminate()
                proc.wait(timeout=30)
    return log.read_text(encoding="utf-8")


def test_debug_log_holds_no_texts_or_names(tmp_path):
    """At DEBUG, the question, the sender's name and the answer's text appear nowhere; the calls
    themselves are logged."""
    output = conversation_log(tmp_path, "0")
    assert "bimatxyz" not in output
    assert "Riêngtư" not in output and "Ri\\u00eang" not in output
    assert "Sở Xây dựng" not in output  # the answer's text
    assert "Calling Bot API endpoint `sendMessage`" in output and HIDDEN in output


def test_personal_data_setting_shows_them(tmp_path):
    """With PGI_LOG_PERSONAL_DATA=1 the same conversation is in the DEBUG log (the setting is
    the only switch)."""
    output = conversation_log(tmp_path, "1")
    assert "bimatxyz" in output


def test_error_record_of_an_update_keeps_only_its_id(caplog):
    """The error handler's record names the update by id; its text and sender are hidden."""
    from telegram import Update

    update = Update.de_json(
        {
            "update_id": 77,
            "message": {
                "message_id": 1,
                "date": 0,
                "text": QUESTION,
                "chat": {"id": 5, "type": "private"},
                "from": {"id": 5, "is_bot": False, "first_name": NAME},
            },
        },
        None,
    )
    record = logging.LogRecord(
        "handlers.telegram.adapter",
        logging.ERROR,
        __file__,
        1,
        "error while handling an update: %r",
        (update,),
        None,
    )
    HidePersonalData().filter(record)
    assert f"error while handling an update: update 77 ({HIDDEN})" == record.getMessage()


@pytest.mark.parametrize("value,expected", [("1", True), ("0", False), ("", False)])
def test_setting_is_read(value, expected):
    """PGI_LOG_PERSONAL_DATA is off by default and on with 1."""
    from bot.app.config import Settings

    assert expected == Settings.from_env({"PGI_LOG_PERSONAL_DATA": value}).log_personal_data
