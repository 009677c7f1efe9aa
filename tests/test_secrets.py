"""No secret leaks: the bot token (and every other secret setting) never appears in any output.

`python -m bot` runs as a subprocess against a Bot API that rejects the token (401, 404) or cannot
be reached, with LOG_LEVEL=DEBUG, and all it prints (stdout and stderr) is searched for the token.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bot.app.config import Settings
from bot.app.redact import RedactingFormatter, Redactor, install_excepthooks
from tests.support.fake_bot_api import FakeBotApi
from tests.support.process import ROOT, TELEGRAM_TOKEN

TOKEN = TELEGRAM_TOKEN
REJECTED = "Telegram rejected the bot token; check TELEGRAM_BOT_TOKEN"


def start_bot(
    tmp_path: Path, base_url: str, timeout: float = 60, **env: str
) -> subprocess.CompletedProcess:
    full_env = {
        **os.environ,
        "PGI_DATA_DIR": str(tmp_path / "data"),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": base_url,
        "LOG_LEVEL": "DEBUG",
        "PGI_START_BACKOFF": "0.05",
        **env,
    }
    full_env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
    )


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("code", [401, 404])
def test_rejected_token_is_one_line_exit_2_and_never_printed(tmp_path, code):
    """A Bot API answering 401 or 404 ends the start with one clear line and exit code 2; the
    token appears nowhere."""
    with FakeBotApi() as api:
        api.fail_next("getMe", code, times=50)
        p = start_bot(tmp_path, api.base_url)
    output = p.stdout + p.stderr
    assert 2 == p.returncode, output[-3000:]
    assert TOKEN not in output
    assert TOKEN.split(":")[1] not in output
    assert "Traceback" not in output
    assert [REJECTED] == [line for line in p.stderr.splitlines() if "rejected" in line.lower()]


def test_unreachable_bot_api_is_retried_with_each_try_logged(tmp_path):
    """With nothing listening, the start is retried (here 3 tries, 50 ms apart), each try logged
    without the token."""
    p = start_bot(tmp_path, f"http://127.0.0.1:{closed_port()}", PGI_START_ATTEMPTS="3")
    output = p.stdout + p.stderr
    assert 1 == p.returncode, output[-3000:]
    assert TOKEN not in output and TOKEN.split(":")[1] not in output
    assert "Traceback" not in output
    tries = [
        line for line in output.splitlines() if "cannot reach the Telegram Bot API (try" in line
    ]
    assert ["try 1 of 3", "try 2 of 3", "try 3 of 3"] == [
        line.split("(")[1].split(")")[0] for line in tries
    ]


def test_bot_api_that_comes_up_late_is_waited_for(tmp_path):
    """A Bot API that fails twice with 502 and then answers lets the bot start (it is then
    stopped by the test)."""
    with FakeBotApi() as api:
        api.fail_next("getMe", 502, times=2)
        env = {
            **os.environ,
            "PGI_DATA_DIR": str(tmp_path / "data"),
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": api.base_url,
            "LOG_LEVEL": "DEBUG",
            "PGI_START_BACKOFF": "0.05",
        }
        env.pop("DATABASE_URL", None)
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            api.wait_polling(timeout=60)
        finally:
            proc.terminate()
            output, _ = proc.communicate(timeout=30)
    assert 2 == len(
        [line for line in output.splitlines() if "cannot reach the Telegram Bot API (try" in line]
    )
    assert TOKEN not in output and TOKEN.split(":")[1] not in output


def test_formatter_masks_exception_text_and_stack():
    """A record whose exception text and stack hold the token is written with *** in their
    place."""
    formatter = RedactingFormatter(Redactor([TOKEN]), "%(levelname)s %(message)s")
    try:
        raise RuntimeError(f"The token `{TOKEN}` was rejected by the server.")
    except RuntimeError:
        record = logging.LogRecord(
            "x",
            logging.ERROR,
            __file__,
            1,
            "failed for %s",
            (TOKEN,),
            sys.exc_info(),
            sinfo=f"Stack (most recent call last):\n  token={TOKEN}",
        )
    text = formatter.format(record)
    assert TOKEN not in text
    assert (
        "failed for ***" in text and "The token `***` was rejected" in text and "token=***" in text
    )


def test_uncaught_exceptions_in_threads_are_masked(capsys):
    """Python's printing of an exception nobody caught (here in a thread) masks the token."""
    saved = sys.excepthook, threading.excepthook
    install_excepthooks(Redactor([TOKEN]))
    try:

        def boom():
            raise RuntimeError(f"https://api.telegram.org/bot{TOKEN}/getMe failed")

        t = threading.Thread(target=boom)
        t.start()
        t.join()
        try:
            raise ValueError(TOKEN)
        except ValueError:
            sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook, threading.excepthook = saved
    err = capsys.readouterr().err
    assert TOKEN not in err
    assert "bot***/getMe failed" in err and "ValueError: ***" in err


def test_every_secret_setting_is_collected():
    """The token, DATABASE_URL and the password inside it (also URL-encoded) are secrets; other
    settings are not."""
    settings = Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "DATABASE_URL": "postgresql://pgi:p%40ss-word@db:5432/pgi",
            "WEBHOOK_URL": "https://bot.example.org",
        }
    )
    secrets = settings.secrets()
    assert {TOKEN, "p%40ss-word", "p@ss-word"} == set(secrets)
    redact = Redactor(secrets)
    assert "connect to postgresql://pgi:***@db:5432/pgi as *** with ***" == redact(
        f"connect to postgresql://pgi:p%40ss-word@db:5432/pgi as p@ss-word with {TOKEN}"
    )


ZALO_TOKEN = "1234567890123456789:ZaloSecretPartXYZ_09"


def _run_zalo(tmp_path: Path, base_url: str, **env: str) -> subprocess.CompletedProcess:
    full_env = {
        **os.environ,
        "PGI_DATA_DIR": str(tmp_path / "data"),
        "ZALO_BOT_TOKEN": ZALO_TOKEN,
        "ZALO_API_BASE_URL": base_url,
        "LOG_LEVEL": "DEBUG",
        "PGI_START_BACKOFF": "0.05",
        **env,
    }
    full_env.pop("TELEGRAM_BOT_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=Path(__file__).resolve().parent.parent,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_rejected_zalo_token_is_one_line_exit_2_and_never_printed(tmp_path):
    """Zalo answers 401 to a token it does not know: one line, exit code 2, the token nowhere in
    the output."""
    from tests.support.fake_zalo_api import FakeZaloApi

    with FakeZaloApi() as zalo:  # knows only its own token
        done = _run_zalo(tmp_path, zalo.base_url)
    output = done.stdout + done.stderr
    assert 2 == done.returncode
    assert (
        "Zalo rejected the bot token; check ZALO_BOT_TOKEN" == done.stderr.strip().splitlines()[-1]
    )
    assert ZALO_TOKEN not in output and ZALO_TOKEN.split(":")[1] not in output
    assert "Traceback" not in output


def test_unreachable_zalo_api_is_retried_then_given_up_without_the_token(tmp_path):
    """A Zalo API that does not answer: each try logged without the token, exit 1 after
    PGI_START_ATTEMPTS."""
    done = _run_zalo(tmp_path, f"http://127.0.0.1:{closed_port()}", PGI_START_ATTEMPTS="3")
    output = done.stdout + done.stderr
    assert 1 == done.returncode
    assert 2 <= output.count("cannot reach the Zalo Bot API")
    assert ZALO_TOKEN not in output and ZALO_TOKEN.split(":")[1] not in output
