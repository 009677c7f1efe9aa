"""Evidence is fetched over https from public addresses only, bounded in size and time; the
loopback override the tests' fake servers need is off by default."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from handlers.fetch import FetchRefused, fetch, public
from storage.tracking import progress as progress_store
from tests.support.tls import self_signed


class Server:
    """A plain HTTP server on 127.0.0.1 that counts the requests it gets."""

    def __init__(self, body: bytes = b"photo", redirect: str | None = None, stall: float = 0.0):
        self.hits = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the standard library's name
                outer.hits += 1
                if redirect:
                    self.send_response(302)
                    self.send_header("Location", redirect)
                    self.end_headers()
                    return
                time.sleep(stall)
                self.send_response(200)
                self.send_header("Content-Type", "image/jpeg")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/photos/a.jpg"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    s = Server()
    yield s
    s.close()


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.1",
        "169.254.169.254",
        "0.0.0.0",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "224.0.0.1",
    ],
)
def test_addresses_that_are_not_public(address):
    assert not public(address)


def test_public_addresses():
    assert public("8.8.8.8") and public("2001:4860:4860::8888")


async def test_by_default_loopback_is_refused_and_never_contacted(server):
    """The default refuses the fake server on 127.0.0.1, by http or https, by address or by
    name."""
    https = server.url.replace("http://", "https://")
    for url in (server.url, https, https.replace("127.0.0.1", "localhost"), "https://[::1]/a.jpg"):
        with pytest.raises(FetchRefused):
            await fetch(url, max_bytes=1000)
    assert 0 == server.hits


@pytest.mark.parametrize(
    "url",
    [
        "https://10.0.0.1/a.jpg",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::ffff:192.168.0.1]/a.jpg",
        "http://example.com/a.jpg",
        "https://example.com:8443/a.jpg",
        "ftp://example.com/a.jpg",
        "https://user:pw@example.com/a.jpg",
        "file:///etc/passwd",
    ],
)
async def test_private_hosts_other_schemes_and_ports_are_refused(url):
    with pytest.raises(FetchRefused):
        await fetch(url, max_bytes=1000)


async def test_a_redirect_to_a_private_address_is_refused(server):
    """Each redirect is checked like the first URL (here the test override lets the first hop
    through)."""
    hop = Server(redirect="https://192.168.1.1/a.jpg")
    try:
        with pytest.raises(FetchRefused):
            await fetch(hop.url, max_bytes=1000, allow_loopback=True)
        assert 1 == hop.hits
    finally:
        hop.close()


async def test_size_and_time_limits():
    """A body larger than the limit is not kept; a server that does not answer in time is given
    up."""
    big, slow = Server(body=b"x" * 5000), Server(stall=3)
    try:
        got = await fetch(big.url, max_bytes=1000, allow_loopback=True)
        assert got.too_large and b"" == got.content
        started = time.monotonic()
        with pytest.raises(FetchRefused):
            await fetch(slow.url, max_bytes=1000, allow_loopback=True, timeout=0.5)
        assert time.monotonic() - started < 2
        assert b"photo" == (await fetch(Server().url, max_bytes=1000, allow_loopback=True)).content
    finally:
        big.close()
        slow.close()


async def test_zalo_image_from_loopback_is_not_fetched_by_default(settings):
    """A real bot with the default settings: the image update is answered, but the photo URL on
    127.0.0.1 is never requested and no evidence is kept."""
    from tests.support.fake_zalo_api import FakeZaloApi
    from tests.support.zalo import MEMBER, PNG, _member, running, said

    photo = Server(body=PNG)
    try:
        with FakeZaloApi(poll_wait=0.2) as zalo:
            async with running(
                replace(settings, test_fetch_from_loopback=False), zalo
            ) as services:
                await _member(services, zalo)
                before = len(zalo.texts(MEMBER))
                zalo.inject_image(
                    MEMBER, photo_url=photo.url, caption="/capnhat 1.5 50% ảnh hiện trường"
                )
                await said(zalo, MEMBER, "1.5", after=before)
                with services.db.session() as s:
                    rows = progress_store.history(s, "so-xay-dung", "plan-18-2026", "1.5")
        assert 0 == photo.hits
        assert all(r.file_path is None for r in rows)
    finally:
        photo.close()


def test_the_override_is_off_by_default_and_not_read_from_the_environment():
    from bot.app.config import Settings

    env = {"PGI_TEST_FETCH_FROM_LOOPBACK": "1", "TEST_FETCH_FROM_LOOPBACK": "1"}
    assert Settings.from_env({}).test_fetch_from_loopback is False
    assert Settings.from_env(env).test_fetch_from_loopback is False


async def test_https_connects_to_the_checked_address_with_the_name_for_tls(tmp_path, monkeypatch):
    """The connection goes to the address that was checked, while TLS (SNI and the certificate's
    name) and the Host header use the URL's name: a local https server with a certificate for
    photos.test, the name resolved (once) to it, the address treated as public for this test."""
    import ssl

    import httpx

    import handlers.fetch as fetch_module

    cert, key = self_signed(tmp_path, "photos.test")
    server = Server(body=b"tls-photo")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.httpd.socket = context.wrap_socket(server.httpd.socket, server_side=True)
    port = server.httpd.server_address[1]
    seen: list[str] = []

    async def resolve(host, _port):
        seen.append(host)
        return ["127.0.0.1"] if host == "photos.test" else []

    monkeypatch.setattr(fetch_module, "_resolve", resolve)
    monkeypatch.setattr(fetch_module, "public", lambda address: True)
    client = httpx.AsyncClient(verify=ssl.create_default_context(cafile=str(cert)))
    try:
        url = f"https://photos.test:{port}/a.jpg"
        with pytest.raises(FetchRefused):  # only the default port
            await fetch(url, max_bytes=1000, client=client)
        monkeypatch.setattr(fetch_module, "_target", _target_any_port(fetch_module._target))
        got = await fetch(url, max_bytes=1000, client=client)
        assert b"tls-photo" == got.content and ["photos.test"] == seen[-1:]
    finally:
        await client.aclose()
        server.close()


def _target_any_port(target):
    """_target with the port check relaxed (the test server cannot listen on 443)."""

    async def relaxed(url, allow_loopback):
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        direct, host, netloc = await target(url.replace(f":{parts.port}", ""), allow_loopback)
        return direct.replace(":443", f":{parts.port}"), host, netloc

    return relaxed
