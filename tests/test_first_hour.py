"""The first hour of a newcomer in the chat (issue 19), through the terminal channel on the real core."""

from __future__ import annotations

import io
import re

from bot import terminal


def chat(services, *lines: str, lang: str = "vi") -> str:
    """What the terminal chat prints for the typed lines."""
    out = io.StringIO()
    terminal.run(services.conversation, lang=lang, stdin=io.StringIO("".join(f"{t}\n" for t in lines)), stdout=out)
    return out.getvalue()


def test_choices_are_listed_once(services):
    """A clarifying question lists each candidate once, however the channel draws choices."""
    out = chat(services, "UBND xã Tân phụ trách chỉ số nào")
    assert 1 == len(re.findall(r"^\d\. UBND xã Tân Tiến$", out, re.M)), out


def _serve_healthz() -> tuple[object, int]:
    """A server on 127.0.0.1 that answers /healthz like the console does."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Health(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the stdlib's name
            self.send_response(200 if self.path == "/healthz" else 404)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


def test_web_link_uses_port_and_says_whether_a_console_runs(tmp_path):
    """`web-link` links to the console on PORT and tells whether one answers there."""
    from tests.test_cli import run

    server, port = _serve_healthz()
    try:
        up = run(["web-link"], tmp_path, PORT=str(port))
    finally:
        server.shutdown()
        server.server_close()
    assert 0 == up.returncode, up.stderr
    assert up.stdout.startswith(f"http://127.0.0.1:{port}/web/login/")
    assert f"console at PORT → http://127.0.0.1:{port}, which answers now" in up.stderr
    down = run(["web-link"], tmp_path, PORT=str(port))
    assert f"no console answers at PORT → http://127.0.0.1:{port} now" in down.stderr
    assert "python -m bot web" in down.stderr
