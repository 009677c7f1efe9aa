"""A real SMTP server on 127.0.0.1 for the e-mail channel's tests: aiosmtpd's, in its own thread.

It keeps every message it accepted (parsed), and can be told to refuse a recipient (550, as RFC
5321's "mailbox unavailable"), defer one (451), drop the connection at the next RCPT (no reply: the
TCP connection is cut, as a server restarting does), hold the next DATA until released (the message
has arrived; the client hears nothing yet), offer STARTTLS with a self-signed certificate, and
require a login.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import ipaddress
import socket
import ssl
import threading
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, and its key (PEM files), made with
    ``cryptography``."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class _Handler:
    def __init__(self, server: SmtpServer):
        self.server = server

    async def handle_RCPT(self, smtp, session, envelope, address, rcpt_options):
        srv = self.server
        with srv.lock:
            srv.rcpts.append(address)
            if srv.drops > 0:
                srv.drops -= 1
                smtp.transport.abort()  # the connection is cut: no reply at all
                return "250 OK"  # never reaches the client
        if address in srv.refused:
            return (
                f"550 5.1.1 <{address}>: Recipient address rejected: User unknown in virtual"
                " mailbox table"
            )
        if address in srv.deferred:
            return "451 4.3.0 Temporary failure, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, smtp, session, envelope):
        srv = self.server
        msg = email.message_from_bytes(
            envelope.original_content or envelope.content, policy=email.policy.default
        )
        with srv.lock:
            srv.messages.append((list(envelope.rcpt_tos), msg))
            hold = srv.hold_next or srv.hold_at == len(srv.messages)
            srv.hold_next = False
        srv.arrived.set()
        if hold:
            import asyncio

            while not srv.release.is_set():
                await asyncio.sleep(0.05)
        return "250 2.0.0 Ok: queued"


class SmtpServer:
    """``with SmtpServer() as smtp:`` — its host and port, and what it received."""

    def __init__(self, *, tls_dir: Path | None = None, login: tuple[str, str] | None = None):
        self.port = free_port()
        self.host = "127.0.0.1"
        self.lock = threading.Lock()
        self.messages: list[tuple[list[str], EmailMessage]] = []
        self.rcpts: list[str] = []
        self.refused: set[str] = set()
        self.deferred: set[str] = set()
        self.drops = 0
        self.hold_next = False
        self.hold_at: int | None = None  # hold the DATA of this message (1 = the first)
        self.arrived, self.release = threading.Event(), threading.Event()
        self.logins: list[tuple[str, str]] = []
        self.client_context: ssl.SSLContext | None = None
        kwargs: dict = {}
        if tls_dir is not None:
            cert, key = self_signed(tls_dir)
            server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            server_ctx.load_cert_chain(cert, key)
            kwargs.update(tls_context=server_ctx, require_starttls=True)
            # what the bot is given in the tests: trusts this certificate only, host name checked
            self.client_context = ssl.create_default_context(cafile=str(cert))
        if login is not None:

            def authenticate(server, session, envelope, mechanism, auth_data):
                ok = (
                    isinstance(auth_data, LoginPassword)
                    and (auth_data.login.decode(), auth_data.password.decode()) == login
                )
                self.logins.append((mechanism, "ok" if ok else "refused"))
                return AuthResult(success=ok, handled=False)  # refused: the server answers 535

            kwargs.update(
                authenticator=authenticate,
                auth_required=True,
                auth_require_tls=tls_dir is not None,
            )
        self.controller = Controller(
            _Handler(self),
            hostname=self.host,
            port=self.port,
            server_hostname="localhost",
            **kwargs,
        )

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.controller.stop()

    def received(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for to, m in self.messages if address in to]
