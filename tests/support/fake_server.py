"""What the fake platform servers (Telegram's Bot API, Zalo's Bot API) share: stopping quickly."""

from __future__ import annotations

import socket
import threading
from http.server import ThreadingHTTPServer


def stop_server(
    httpd: ThreadingHTTPServer,
    cond: threading.Condition,
    connections: set[socket.socket],
    threads: list[threading.Thread],
) -> None:
    """Wake long polls (the caller has set its stopping flag under ``cond``), close keep-alive
    connections and the listening socket, and wait briefly for the server's threads."""
    with cond:
        cond.notify_all()
    httpd.shutdown()
    for conn in list(connections):
        try:
            conn.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    httpd.server_close()
    for thread in threads:
        thread.join(1.0)
