"""A database outage stops nothing and loses nothing: a real `python -m bot run` (Telegram and
Zalo, both long polling against their fakes) through a real PostgreSQL outage and a real full disk.

The PostgreSQL outage is a TCP gate between the bot and the server, shut (connections refused, the
open ones cut) and opened again. The full disk is the bot's own file-size limit (RLIMIT_FSIZE, set
on the running process with prlimit): every write to the SQLite files fails as on a full disk.
"""

from __future__ import annotations

import contextlib
import resource
import socket
import threading
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest

from tests.support.bot_process import LEAD, NOT_SAVED, QUESTION, BotProcess, tg_texts, wait
from tests.support.fake_bot_api import FakeBotApi
from tests.support.fake_zalo_api import FakeZaloApi
from tests.support.zalo import free_port

ENGLISH = "I will answer you in English from now on."


class Gate:
    """A TCP proxy to a server that can be shut (new connections refused, open ones cut), and
    opened again."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.port = free_port()
        self._listener: socket.socket | None = None
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()

    def open(self) -> None:
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        sock.listen(64)
        self._listener = sock
        threading.Thread(target=self._accept, args=(sock,), daemon=True).start()

    def shut(self) -> None:
        sock, self._listener = self._listener, None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        with self._lock:
            conns, self._open = list(self._open), set()
        for c in conns:
            with contextlib.suppress(OSError):
                c.shutdown(socket.SHUT_RDWR)
            c.close()

    def _accept(self, sock: socket.socket) -> None:
        while True:
            try:
                client, _ = sock.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open.update((client, upstream))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(a: socket.socket, b: socket.socket) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)


def zalo_answered(zalo: FakeZaloApi, user: str) -> bool:
    return any(LEAD in (t or "") for t in zalo.texts(user))


def started(bot: BotProcess, tg: FakeBotApi, zalo: FakeZaloApi, timeout: float = 60) -> None:
    """Both channels' first long poll has reached its server (it need not have been answered)."""
    wait(
        lambda: tg.arrived("getUpdates") and zalo.arrived("getUpdates"),
        timeout,
        "both channels polling",
        bot,
    )


# the loops try again at most this many seconds apart (30 by default): the outage is the same, the
# wait for the loops to notice its end shorter
RETRY_MAX = "2"


def through_an_outage(
    bot: BotProcess,
    tg: FakeBotApi,
    zalo: FakeZaloApi,
    fail: Callable[[], None],
    mend: Callable[[], None],
) -> None:
    """Both channels answer before, Telegram answers during, every message is answered after."""
    started(bot, tg, zalo)
    zalo.inject_text("zbefore", "ai chu tri chi so 1.5")
    tg.send_text(701, QUESTION)
    wait(
        lambda: zalo_answered(zalo, "zbefore") and any(LEAD in t for t in tg_texts(tg, 701)),
        30,
        "answers",
        bot,
    )
    time.sleep(
        0.5
    )  # the Zalo poller is back in getUpdates, which Zalo answers with the next message
    fail()
    zalo.inject_text(
        "zinhand", "ai chu tri chi so 1.5"
    )  # handed out by the poll in flight: kept in memory
    wait(lambda: zalo.pending() == 0, 10, "the poll in flight took the message", bot)
    zalo.inject_text("zwaiting", "ai chu tri chi so 1.5")  # not taken: the inbox cannot be written
    tg.send_text(702, QUESTION)
    tg.send_text(703, "/ngonngu en")
    wait(
        lambda: any(LEAD in t for t in tg_texts(tg, 702)),
        30,
        "a question answered during the outage",
        bot,
    )
    wait(
        lambda: any(NOT_SAVED in t for t in tg_texts(tg, 703)),
        30,
        "a write refused during the outage",
        bot,
    )
    time.sleep(3)  # the loops meet the outage again and again
    assert bot.alive(), bot.output[-3000:]
    assert 1 == zalo.pending()  # Zalo was not polled while its inbox could not be written
    assert not zalo_answered(zalo, "zinhand")
    mend()
    wait(
        lambda: zalo_answered(zalo, "zinhand") and zalo_answered(zalo, "zwaiting"),
        60,
        "the Zalo messages of the outage answered",
        bot,
    )
    tg.send_text(704, "/ngonngu en")
    wait(lambda: any(ENGLISH in t for t in tg_texts(tg, 704)), 30, "a write after the outage", bot)
    zalo.inject_text("zafter", "ai chu tri chi so 1.5")
    wait(lambda: zalo_answered(zalo, "zafter"), 30, "a Zalo message after the outage", bot)
    assert 1 == sum(LEAD in (t or "") for t in zalo.texts("zinhand"))  # once, not twice
    assert bot.alive()


def assert_logged_once_per_loop(output: str) -> None:
    outages = [line for line in output.splitlines() if "the database is unavailable" in line]
    assert 1 <= len(outages) <= 6, "\n".join(outages)  # one per loop that met it, not one per try
    assert "Traceback" not in output, output[-5000:]


@pytest.mark.postgres
def test_postgres_outage_during_polling(tmp_path, kb_dir, postgres_url):
    """The PostgreSQL server becomes unreachable for a few seconds (open connections cut): the
    process keeps running, Telegram questions are answered meanwhile, every message is answered
    after."""
    url = urlsplit(postgres_url)
    gate = Gate(url.hostname or "127.0.0.1", url.port or 5432)
    gate.open()
    through_gate = postgres_url.replace(
        f"{url.hostname}:{url.port or 5432}", f"127.0.0.1:{gate.port}"
    )
    with FakeBotApi() as tg, FakeZaloApi() as zalo:
        bot = BotProcess(tmp_path, kb_dir, tg, zalo, through_gate)
        bot.env["PGI_OUTAGE_RETRY_MAX"] = RETRY_MAX
        bot.start()
        try:
            through_an_outage(bot, tg, zalo, gate.shut, gate.open)
        finally:
            code = bot.stop()
            gate.shut()
    assert 0 == code, bot.output[-3000:]
    assert_logged_once_per_loop(bot.output)


def test_full_disk_during_polling(tmp_path, kb_dir):
    """The SQLite files cannot grow or be written (the bot's file-size limit at one byte): reads go
    on,
    Telegram questions are answered, writes are refused; once the disk has room all is answered."""
    with FakeBotApi() as tg, FakeZaloApi() as zalo:
        bot = BotProcess(tmp_path, kb_dir, tg, zalo, None)
        bot.env["PGI_OUTAGE_RETRY_MAX"] = RETRY_MAX
        pid = bot.start().proc.pid
        unlimited = resource.getrlimit(resource.RLIMIT_FSIZE)
        try:
            through_an_outage(
                bot,
                tg,
                zalo,
                lambda: resource.prlimit(pid, resource.RLIMIT_FSIZE, (1, unlimited[1])),
                lambda: resource.prlimit(pid, resource.RLIMIT_FSIZE, unlimited),
            )
        finally:
            with contextlib.suppress(ProcessLookupError):
                resource.prlimit(pid, resource.RLIMIT_FSIZE, unlimited)
            code = bot.stop()
    assert 0 == code, bot.output[-3000:]
    assert_logged_once_per_loop(bot.output)


def test_a_restarted_process_answers_at_once(tmp_path, kb_dir):
    """SIGTERM gives both polling leases back: a process started right after answers within
    seconds,
    not after the leases lapse (60 s for Telegram, 90 s for Zalo)."""
    with FakeBotApi() as tg, FakeZaloApi(poll_wait=0.3) as zalo:
        first = BotProcess(tmp_path, kb_dir, tg, zalo, None).start()
        started(first, tg, zalo)
        assert 0 == first.stop(), first.output[-3000:]
        polls = tg.arrived("getUpdates"), zalo.arrived("getUpdates")
        second = BotProcess(tmp_path, kb_dir, tg, zalo, None).start()
        try:
            begin = time.monotonic()
            wait(
                lambda: (
                    tg.arrived("getUpdates") > polls[0] and zalo.arrived("getUpdates") > polls[1]
                ),
                30,
                "the second process polling",
                second,
            )
            tg.send_text(801, QUESTION)
            zalo.inject_text("zrestart", "ai chu tri chi so 1.5")
            wait(
                lambda: (
                    any(LEAD in t for t in tg_texts(tg, 801)) and zalo_answered(zalo, "zrestart")
                ),
                15,
                "both answered",
                second,
            )
            took = time.monotonic() - begin
        finally:
            second.stop()
    assert took < 30, took
    assert (
        "polling lease poll:telegram" in first.output and "polling lease poll:zalo" in first.output
    )
