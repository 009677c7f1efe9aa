"""The e-mail channel: ledger rows sent over SMTP (the standard library's ``smtplib``, in a
thread).

It only sends: an address never writes to the bot. Its addresses are an agency's official one
(``agencies.yaml`` or the web console) and a person's own (``/email``); the recipient planner uses
them where no chat reaches (bot/delivery/recipients.py). Configured by ``SMTP_HOST`` and the other
``SMTP_*`` settings; STARTTLS (port 587) or TLS (465) with the system's certificates and host-name
check, plain SMTP only when ``SMTP_SECURITY=none``.

Exactly once: the row is marked in flight right before the connection opens (each try counts, so a
server that stays down ends in "failed" after the worker's last try). A refusal or a dropped
connection before DATA means the message was certainly not taken (4xx, a dropped connection: tried
again; 5xx on the recipient: the address is refused, final). A connection lost during DATA leaves
the row "uncertain" (the server may have queued it), never sent twice; so does a process that dies
while the row is in flight (the ledger's recovery).
"""

from __future__ import annotations

import asyncio
import email.policy
import html
import logging
import re
import smtplib
import ssl
from collections.abc import Awaitable, Callable
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from aiolimiter import AsyncLimiter
from starlette.routing import BaseRoute

from bot.app.config import Settings
from bot.app.i18n import Translations, Translator
from bot.app.links import base_url
from bot.core.messages import Choice
from bot.delivery.worker import Channel as Sender
from bot.delivery.worker import Outcome
from handlers.channels import ChannelRejected, ChannelSpec, Loop, Runtime
from storage.db import Database
from storage.directory import people

log = logging.getLogger(__name__)
CHANNEL = people.EMAIL
TIMEOUT = 30.0  # seconds for each SMTP exchange
CONNECTIONS = 2  # SMTP connections open at once
REFUSED_ADDRESS = (  # the start of a ledger row's error when the server refused the recipient
    "address refused"
)
_URL = re.compile(r"https?://(?:(?!&lt;|&gt;|&quot;|&#x27;)[^\s<>\"'])+")  # in escaped text


class _Uncertain(Exception):
    """The connection was lost while the message was being handed over."""


def subject_of(tr: Translator, text: str) -> str:
    """The first line of the message, without its leading symbol, as the subject."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    first = re.sub(r"^[^\w“\"(]+", "", first).strip() or first
    if len(first) > 110:
        first = first[:110].rsplit(" ", 1)[0] + " …"
    return tr.gettext("PGI assistant: {subject}").format(subject=first)


def _choices_text(tr: Translator, choices: list[Choice], console: str | None) -> list[str]:
    """Choices cannot be pressed in an e-mail: named, with where to answer them."""
    if not choices:
        return []
    lines = [
        tr.gettext("This message offers these choices: {choices}.").format(
            choices="; ".join(f"“{c.label}”" for c in choices)
        )
    ]
    if console:
        lines.append(
            tr.gettext(
                "They cannot be pressed in an e-mail: answer in a chat with the bot on Zalo or"
                " Telegram (send /danhan there to acknowledge a reminder), or in the web console:"
                " {url}"
            ).format(url=console)
        )
    else:
        lines.append(
            tr.gettext(
                "They cannot be pressed in an e-mail: answer in a chat with the bot on Zalo or"
                " Telegram (send /danhan there to acknowledge a reminder)."
            )
        )
    return lines


def footer(tr: Translator, console: str | None) -> str:
    """Who sent it, that replies are not read, and where to answer (the console, when it has a
    public address)."""
    text = tr.gettext(
        "Sent automatically by the PGI assistant of Sở Nông nghiệp và Môi trường Lạng Sơn; replies"
        " to this e-mail are not read by the bot."
    )
    if console:
        text += "\n" + tr.gettext("To answer or post progress: the web console, {url}").format(
            url=console
        )
    return text


def _html_paragraph(text: str, style: str = "") -> str:
    """Escaped text, its line breaks kept and its links made clickable (the escaped URL both
    times)."""
    escaped = html.escape(text, quote=True)
    linked = _URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped)
    return (f'<p style="{style}">' if style else "<p>") + linked.replace("\n", "<br>\n") + "</p>"


def build_message(
    tr: Translator, settings: Settings, to: str, text: str, choices: list[Choice], lang: str
) -> EmailMessage:
    """One message: a plain-text body and the same as HTML (every text escaped), the subject
    from its first line."""
    console = f"{base_url(settings)}/web/" if settings.public_url else None
    extra = _choices_text(tr, choices, console)
    plain = "\n\n".join(
        [text, *(["\n".join(extra)] if extra else []), "-- \n" + footer(tr, console)]
    )
    body = [
        _html_paragraph(text),
        *([_html_paragraph("\n".join(extra))] if extra else []),
        _html_paragraph(footer(tr, console), "color:#666;font-size:smaller"),
    ]
    page = (
        f'<!DOCTYPE html>\n<html lang="{html.escape(lang)}"><head><meta charset="utf-8"></head>'
        '<body style="font-family:Arial,sans-serif">\n' + "\n".join(body) + "\n</body></html>\n"
    )
    msg = EmailMessage()
    msg["Subject"] = subject_of(tr, text)
    msg["From"] = settings.smtp_from or ""
    msg["To"] = to
    msg["Date"] = formatdate(localtime=False)
    domain = parseaddr(settings.smtp_from or "")[1].rpartition("@")[2] or None
    msg["Message-ID"] = make_msgid("pgi", domain=domain)
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to a bot
    msg.set_content(plain)
    msg.add_alternative(page, subtype="html")
    msg["Content-Language"] = lang  # after the body: setting it clears the Content-* headers
    return msg


def _context(settings: Settings) -> ssl.SSLContext:
    given = settings.test_smtp_ssl_context
    return given if isinstance(given, ssl.SSLContext) else ssl.create_default_context()


def connect(settings: Settings) -> smtplib.SMTP:
    """An SMTP session, secured as the settings say and logged in when a user is set."""
    host, port = settings.smtp_host or "", settings.smtp_port
    if settings.smtp_security == "tls":
        conn: smtplib.SMTP = smtplib.SMTP_SSL(
            host, port, timeout=TIMEOUT, context=_context(settings)
        )
    else:
        conn = smtplib.SMTP(host, port, timeout=TIMEOUT)
    try:
        conn.ehlo()
        if settings.smtp_security == "starttls":
            conn.starttls(context=_context(settings))
            conn.ehlo()
        if settings.smtp_user:
            conn.login(settings.smtp_user, settings.smtp_password or "")
    except BaseException:
        conn.close()
        raise
    return conn


def _reply(exc: smtplib.SMTPResponseException) -> str:
    text = (
        exc.smtp_error.decode("utf-8", "replace")
        if isinstance(exc.smtp_error, bytes)
        else str(exc.smtp_error)
    )
    return f"{exc.smtp_code} {text}"[:200]


class EmailSender:
    """Sends one ledger row as one e-mail and says how it went."""

    numbered = False  # no typed number answers an e-mail: no open choices are kept for its address

    def __init__(
        self,
        settings: Settings,
        db: Database | None = None,
        translations: Translations | None = None,
    ):
        self.settings = settings
        self.db = db
        self.translations = translations or Translations()
        self.limiter = AsyncLimiter(1, 1 / settings.smtp_rate)
        self.connections = asyncio.Semaphore(CONNECTIONS)

    def _language(self, address: str) -> str:
        """The person's language when the address is theirs; Vietnamese for an agency's address."""
        if self.db is None:
            return "vi"
        with self.db.session() as s:
            user = people.find_identity(s, CHANNEL, address)
        return (user.language or user.app_language or "vi") if user else "vi"

    async def send(
        self,
        chat_id: str,
        text: str,
        choices: list[Choice],
        before_request: Callable[[], Awaitable[None]],
    ) -> Outcome:
        lang = await asyncio.to_thread(self._language, chat_id)
        tr = self.translations.get(lang)
        msg = build_message(tr, self.settings, chat_id, text, choices, tr.lang)
        async with self.connections:
            await self.limiter.acquire()
            return await self._deliver(chat_id, msg, before_request)

    async def _deliver(
        self, to: str, msg: EmailMessage, before_request: Callable[[], Awaitable[None]]
    ) -> Outcome:
        conn: smtplib.SMTP | None = None
        try:
            await before_request()
            conn = await asyncio.to_thread(self._envelope, to)
            await asyncio.to_thread(self._data, conn, msg)
            return Outcome("sent", message_id=str(msg["Message-ID"]).strip("<>")[:64])
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()), (0, b""))
            text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
            why = f"{code} {text}"[:200]
            if 400 <= code < 500:
                return Outcome("retry", reason=f"the mail server deferred the recipient: {why}")
            return Outcome("gone", reason=f"{REFUSED_ADDRESS} by the mail server: {why}")
        except smtplib.SMTPAuthenticationError as exc:
            log.error(
                "the SMTP server refused the login of SMTP_USER (%s); check SMTP_USER and"
                " SMTP_PASSWORD",
                exc.smtp_code,
            )
            return Outcome("retry", reason=f"mail server login refused: {exc.smtp_code}")
        except _Uncertain as exc:
            return Outcome(
                "uncertain",
                reason=(
                    "the connection to the mail server was lost while the message was handed "
                    f"over; it may have been sent ({exc})"
                ),
            )
        except smtplib.SMTPResponseException as exc:
            if 400 <= exc.smtp_code < 500:
                return Outcome("retry", reason=f"the mail server is busy: {_reply(exc)}")
            return Outcome("failed", reason=f"refused by the mail server: {_reply(exc)}")
        except (
            smtplib.SMTPException,
            OSError,
            ssl.SSLError,
        ) as exc:  # no connection, dropped, TLS failed
            return Outcome(
                "retry", reason=f"the mail server could not be reached: {type(exc).__name__}"
            )
        finally:
            if conn is not None:
                await asyncio.to_thread(_quit, conn)

    def _envelope(self, to: str) -> smtplib.SMTP:
        """Connected, and the sender and the recipient accepted (nothing of the message has
        left)."""
        conn = connect(self.settings)
        try:
            sender = parseaddr(self.settings.smtp_from or "")[1]
            code, reply = conn.mail(sender)
            if code != 250:
                raise smtplib.SMTPSenderRefused(code, reply, sender)
            code, reply = conn.rcpt(to)
            if code not in (250, 251):
                raise smtplib.SMTPRecipientsRefused({to: (code, reply)})
        except BaseException:
            _quit(conn)
            raise
        return conn

    @staticmethod
    def _data(conn: smtplib.SMTP, msg: EmailMessage) -> None:
        try:
            # CRLF line ends: smtplib sends bytes as they are, and a server reads bare LFs as one
            # long line
            code, reply = conn.data(msg.as_bytes(policy=email.policy.SMTP))
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            raise _Uncertain(type(exc).__name__) from exc
        if code != 250:
            raise smtplib.SMTPDataError(code, reply)


def _quit(conn: smtplib.SMTP) -> None:
    try:
        conn.quit()
    except (smtplib.SMTPException, OSError):
        conn.close()


def check(settings: Settings) -> None:
    """Before start: a login the server refuses stops the bot (waiting will not help); a server
    that does not answer now is only logged (the ledger tries again)."""
    try:
        _quit(connect(settings))
    except smtplib.SMTPAuthenticationError as exc:
        raise ChannelRejected(
            f"the SMTP server refused the login of SMTP_USER ({exc.smtp_code}); check SMTP_USER"
            " and SMTP_PASSWORD"
        ) from None
    except ssl.SSLCertVerificationError as exc:
        raise ChannelRejected(
            f"SMTP_HOST {settings.smtp_host}: its TLS certificate is not trusted"
            f" ({exc.verify_message}); use the server's real host name"
        ) from None
    except (smtplib.SMTPException, OSError) as exc:  # a timeout is an OSError
        log.warning(
            "e-mail: the SMTP server %s:%s does not answer now (%s); messages wait in the ledger",
            settings.smtp_host,
            settings.smtp_port,
            type(exc).__name__,
        )


class EmailAdapter:
    """E-mail as one running channel: a sender, nothing to receive."""

    name = CHANNEL
    label = "E-mail"
    message_limit = 100_000
    numbered = False

    def __init__(self, rt: Runtime):
        services = rt.services
        # typed as the protocol's member: Channel.sender is a settable attribute, so invariant
        self.sender: Sender = EmailSender(services.settings, services.db, services.translations)

    async def start(self) -> list[BaseRoute]:
        return []

    def loops(self) -> list[Loop]:
        return []

    async def recover(self) -> None:
        return None

    async def stop(self) -> None:
        return None


SPEC = ChannelSpec(
    CHANNEL, "E-mail", lambda settings: bool(settings.smtp_host), EmailAdapter, check=check
)
