"""The console as a real process (`python -m bot web`, `python -m bot run`), over real HTTP: its
access log holds no token, a copied session cookie dies with sign-out, and a hostile upload does
not keep the webhooks waiting."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.support.yaml_bomb import alias_bomb
from tests.support.zalo import free_port

ROOT = Path(__file__).resolve().parent.parent


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "PGI_DATA_DIR": str(tmp_path / "data"), "LOG_LEVEL": "INFO", **extra}
    for name in (
        "DATABASE_URL",
        "TELEGRAM_BOT_TOKEN",
        "ZALO_BOT_TOKEN",
        "PGI_SESSION_KEY",
        "PGI_PUBLIC_URL",
    ):
        if name not in extra:
            env.pop(name, None)
    return env


def web_link(tmp_path: Path, **extra: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "web-link"],
        cwd=ROOT,
        env=_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    link = done.stdout.strip()
    return link[link.index("/web/login/") :]


class Process:
    """`python -m bot <command>` on a free port, its output collected in a file."""

    def __init__(self, tmp_path: Path, command: str, **extra: str):
        self.port = free_port()
        self.log = tmp_path / f"{command}-{self.port}.log"
        self._out = self.log.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", command],
            cwd=ROOT,
            stdout=self._out,
            stderr=subprocess.STDOUT,
            env=_env(tmp_path, PORT=str(self.port), **extra),
        )
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"the process exited: {self.output()}")
            try:
                if httpx.get(f"{self.base}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise AssertionError(f"the process did not start: {self.output()}")

    def output(self) -> str:
        self._out.flush()
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> str:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self._out.close()
        return self.log.read_text(encoding="utf-8", errors="replace")


@pytest.fixture
def console(tmp_path):
    p = Process(tmp_path, "web")
    yield p
    p.stop()


def sign_in(base: str, path: str) -> httpx.Client:
    client = httpx.Client(base_url=base, follow_redirects=False, timeout=30)
    page = client.get(path)
    assert 200 == page.status_code, page.text
    nonce = re.search(r'name="nonce" value="([^"]+)"', page.text).group(1)
    done = client.post(path, data={"nonce": nonce})
    assert 303 == done.status_code, done.text
    return client


def test_access_log_of_the_console_holds_no_token(tmp_path, console):
    """`python -m bot web` logs each request, but a sign-in or download link's token never
    reaches the log: what the log shows cannot sign anyone in."""
    path = web_link(tmp_path)
    token = path.rsplit("/", 1)[1]
    client = sign_in(console.base, path)
    assert 200 == client.get("/web/kb").status_code
    httpx.get(f"{console.base}/web/download/{'D' * 43}?x=1", timeout=10)
    log = console.stop()
    assert "/web/login/…" in log and "/web/download/…" in log  # the access log is on, and masked
    assert token not in log and "D" * 43 not in log
    assert {"…"} == set(re.findall(r"/web/login/([^\s\"?]+)", log))


def test_copied_cookie_is_refused_after_sign_out(tmp_path, console):
    """On the real server: a session cookie copied to another client works until its owner signs
    out, and not a moment after; the key file is owner-only."""
    client = sign_in(console.base, web_link(tmp_path))
    copy = httpx.Client(
        base_url=console.base,
        follow_redirects=False,
        timeout=30,
        cookies={"pgi_session": client.cookies["pgi_session"]},
    )
    assert 200 == copy.get("/web/kb").status_code
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/web/kb").text).group(1)
    assert 303 == client.post("/web/logout", data={"csrf": csrf}).status_code
    after = copy.get("/web/kb")
    assert (303, "/web/") == (after.status_code, after.headers["location"])
    key_file = tmp_path / "data" / "web-session-keys.json"
    assert 0o600 == key_file.stat().st_mode & 0o777


def _bomb(levels: int) -> bytes:
    return alias_bomb(levels).encode()


def test_hostile_upload_does_not_keep_the_webhooks_waiting(tmp_path):
    """`python -m bot run` (Telegram webhook mode, the console on the same server): while an
    admin's upload of nested YAML aliases is checked, a chat question through the webhook is
    answered within seconds, and the upload is refused with its line."""
    import threading

    from tests.support.fake_bot_api import FakeBotApi

    secret = "webhook-secret-for-the-test"
    with FakeBotApi() as api:
        bot = Process(
            tmp_path,
            "run",
            TELEGRAM_BOT_TOKEN="123456:TEST-upload-token",
            TELEGRAM_API_BASE_URL=api.base_url,
            TELEGRAM_WEBHOOK_URL="https://bot.example.vn/tg/hook",
            TELEGRAM_WEBHOOK_SECRET=secret,
        )
        try:
            api.wait_for("setWebhook", timeout=30)
            client = sign_in(bot.base, web_link(tmp_path))
            csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/web/kb").text).group(1)
            result: dict = {}

            def upload() -> None:
                result["response"] = client.post(
                    "/web/kb/upload",
                    data={"csrf": csrf},
                    timeout=120,
                    files={"file": ("agencies.yaml", _bomb(7))},
                )

            uploading = threading.Thread(target=upload)
            uploading.start()
            time.sleep(0.3)
            started = time.monotonic()
            update = api.send_text(100_001, "ai chu tri chi so 1.5")
            posted = httpx.post(
                f"{bot.base}/tg/hook",
                json=update,
                timeout=60,
                headers={"X-Telegram-Bot-Api-Secret-Token": secret},
            )
            api.wait_for(
                lambda c: c.method == "sendMessage" and c.params.get("chat_id") == 100_001,
                timeout=60,
            )
            answered = time.monotonic() - started
            uploading.join(120)
        finally:
            bot.stop()
    response = result["response"]
    assert 200 == posted.status_code
    assert answered < 3, f"the question waited {answered:.1f} s behind the upload"
    assert 422 == response.status_code and "agencies.yaml:3" in response.text
