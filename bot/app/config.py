"""Settings, read once from the environment at start, concern by concern (the values themselves are
parsed in :mod:`bot.app.setting_values`). Secrets never appear in repr or logs."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bot.app.setting_values import (
    ConfigError,
    parse_flag,
    parse_float,
    parse_holidays,
    parse_host,
    parse_int,
    parse_log_format,
    parse_offsets,
    parse_percent,
    parse_port,
    parse_reminder_time,
    parse_secret,
    parse_session_key,
    parse_smtp_port,
    parse_smtp_rate,
    parse_telegram_ids,
    parse_zalo_ids,
    parse_zalo_rate,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
TIMEZONE = "Asia/Ho_Chi_Minh"
SMTP_SECURITY = ("starttls", "tls", "none")


ZALO_WEBHOOK_WITHOUT_SECRET = (
    "ZALO_WEBHOOK_URL is set without ZALO_WEBHOOK_SECRET: not started (a webhook needs its secret,"
    " 8-256 characters; unset ZALO_WEBHOOK_URL to long-poll in a trial)"
)


def secret(**kw):
    """A setting whose value must never appear in any output (``Settings.secrets`` collects
    them)."""
    return field(repr=False, metadata={"secret": True}, **kw)


@dataclass(frozen=True)
class Settings:
    telegram_token: str | None = secret(default=None)
    database_url: str | None = secret(default=None)
    data_dir: Path = PROJECT_ROOT / "data"
    kb_dir: Path = PROJECT_ROOT / "kb" / "data"
    admin_ids: frozenset[str] = frozenset()  # Telegram user ids of the admins
    admin_zalo_ids: frozenset[str] = frozenset()
    webhook_url: str | None = (
        None  # Telegram's webhook (public HTTPS URL); long polling without it
    )
    telegram_webhook_secret: str | None = secret(default=None)
    port: int = 8443
    api_base_url: str | None = None
    zalo_token: str | None = secret(default=None)
    zalo_api_base_url: str = "https://bot-api.zaloplatforms.com"
    zalo_webhook_url: str | None = None
    zalo_webhook_secret: str | None = secret(default=None)
    zalo_rate: float = 5.0  # messages a second to Zalo (its quota is not published; see README)
    # polling finds a webhook set: stop (default), or remove it and poll when explicitly told to
    zalo_take_over_webhook: bool = False
    telegram_take_over_webhook: bool = False
    timezone: str = TIMEZONE
    log_level: str = "INFO"
    reminder_offsets: tuple[int, ...] = (14, 7, 3, 1, 0)
    reminder_time: time = time(8, 0)
    holidays: frozenset[date] = frozenset()
    overdue_days: int = 5
    delivery_lease: int = 60  # seconds before another process takes over a claimed message
    start_attempts: int = 0  # tries to reach the Bot API at start; 0 = until stopped
    start_backoff: float = 2.0  # seconds before the second try; doubles up to START_BACKOFF_MAX
    outage_retry_max: float = 30.0  # seconds between two tries at most while the database is down
    log_personal_data: bool = (
        False  # message texts and names in DEBUG logs (for a developer's own machine)
    )
    # status of each (agency, indicator): see README "Status of an indicator"
    status_stale_days: int = 30
    status_at_risk_days: int = 7
    status_at_risk_percent: int = 80
    public_url: str | None = (
        None  # where officials reach the web console, e.g. https://pgi.example.vn
    )
    host: str = "127.0.0.1"  # the HTTP server's bind address: loopback behind a reverse proxy
    metrics_token: str | None = secret(default=None)  # Bearer token for /metrics from other hosts
    log_format: str = "plain"  # "plain" or "json" (one JSON object a line, for log shipping)
    ready_poll_seconds: int = 180  # a polling channel that has not polled for longer is not ready
    ready_max_backlog: int = 10_000  # due ledger rows at or above which the bot is not ready
    session_key: str | None = secret(default=None)  # signs the console's cookies; else a key file
    session_key_previous: str | None = secret(
        default=None
    )  # still accepted, for one session lifetime
    # the e-mail channel (handlers/email_channel.py): on when SMTP_HOST is set
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = secret(default=None)
    smtp_from: str | None = None
    smtp_security: str = "starttls"  # "starttls" | "tls" | "none"
    smtp_rate: float = 1.0  # messages a second to the SMTP server
    # tests only (their fake servers are on 127.0.0.1): evidence may come over http from loopback;
    # read from no environment variable, so a deployment cannot turn it on
    test_fetch_from_loopback: bool = False
    # tests only: the TLS context for the SMTP server (one that trusts a test's self-signed
    # certificate); None: the system's trusted certificates and host-name check
    # (ssl.create_default_context)
    test_smtp_ssl_context: object | None = field(default=None, repr=False, compare=False)

    def secrets(self) -> list[str]:
        """Every secret value among the settings, for the log and exception redaction.

        A URL setting contributes its password (the host and user stay readable in logs); a channel
        added later only has to declare its token or webhook secret with :func:`secret`.
        """
        out: list[str] = []
        for f in fields(self):
            value = getattr(self, f.name)
            if not f.metadata.get("secret") or not value:
                continue
            value = str(value)
            if "://" not in value:
                out.append(value)
                continue
            try:
                password = urlsplit(value).password
            except ValueError:  # not a URL after all: the whole value is the secret
                out.append(value)
                continue
            if password:
                out += [password, unquote(password)]
        return out

    def admins_of(self, channel: str) -> frozenset[str]:
        return self.admin_ids_by_channel().get(channel, frozenset())

    def admin_ids_by_channel(self) -> dict[str, frozenset[str]]:
        return {"telegram": self.admin_ids, "zalo": self.admin_zalo_ids}

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        if env.get("ZALO_WEBHOOK_URL") and not env.get("ZALO_WEBHOOK_SECRET"):
            raise ConfigError(ZALO_WEBHOOK_WITHOUT_SECRET)
        return cls(
            **_places(env),
            **_admins(env),
            **_telegram(env),
            **_zalo(env),
            **_logs_and_start(env),
            **_reminders(env),
            **_status(env),
            **_web(env),
            **_smtp(env),
        )


# Each concern's settings as keyword arguments of Settings, in the order they are checked.


def _places(env: Mapping[str, str]) -> dict:
    """The database, the data and knowledge-base folders, and the time zone."""
    return dict(
        database_url=env.get("DATABASE_URL") or None,
        data_dir=Path(env.get("PGI_DATA_DIR") or PROJECT_ROOT / "data"),
        kb_dir=Path(env.get("PGI_KB_DIR") or PROJECT_ROOT / "kb" / "data"),
        timezone=env.get("PGI_TIMEZONE") or TIMEZONE,
    )


def _admins(env: Mapping[str, str]) -> dict:
    return dict(
        admin_ids=parse_telegram_ids(env.get("ADMIN_TELEGRAM_IDS", ""), "ADMIN_TELEGRAM_IDS"),
        admin_zalo_ids=parse_zalo_ids(env.get("ADMIN_ZALO_IDS", ""), "ADMIN_ZALO_IDS"),
    )


def _telegram(env: Mapping[str, str]) -> dict:
    return dict(
        telegram_token=env.get("TELEGRAM_BOT_TOKEN") or None,
        webhook_url=env.get("TELEGRAM_WEBHOOK_URL") or env.get("WEBHOOK_URL") or None,
        telegram_webhook_secret=parse_secret(
            env.get("TELEGRAM_WEBHOOK_SECRET"), "TELEGRAM_WEBHOOK_SECRET"
        ),
        api_base_url=env.get("TELEGRAM_API_BASE_URL") or None,
        telegram_take_over_webhook=parse_flag(
            env.get("TELEGRAM_TAKE_OVER_WEBHOOK") or "", "TELEGRAM_TAKE_OVER_WEBHOOK"
        ),
    )


def _zalo(env: Mapping[str, str]) -> dict:
    return dict(
        zalo_token=env.get("ZALO_BOT_TOKEN") or None,
        zalo_api_base_url=(
            env.get("ZALO_API_BASE_URL") or "https://bot-api.zaloplatforms.com"
        ).rstrip("/"),
        zalo_webhook_url=env.get("ZALO_WEBHOOK_URL") or None,
        zalo_webhook_secret=parse_secret(env.get("ZALO_WEBHOOK_SECRET"), "ZALO_WEBHOOK_SECRET"),
        zalo_rate=parse_zalo_rate(env.get("ZALO_RATE") or "5"),
        zalo_take_over_webhook=parse_flag(
            env.get("ZALO_TAKE_OVER_WEBHOOK") or "", "ZALO_TAKE_OVER_WEBHOOK"
        ),
    )


def _logs_and_start(env: Mapping[str, str]) -> dict:
    """The log's level and format, and how the bot retries reaching a channel at start."""
    return dict(
        log_level=(env.get("LOG_LEVEL") or "INFO").upper(),
        log_personal_data=parse_flag(
            env.get("PGI_LOG_PERSONAL_DATA") or "", "PGI_LOG_PERSONAL_DATA"
        ),
        log_format=parse_log_format(env.get("LOG_FORMAT") or "plain"),
        start_attempts=parse_int(env.get("PGI_START_ATTEMPTS") or "0", "PGI_START_ATTEMPTS"),
        start_backoff=parse_float(env.get("PGI_START_BACKOFF") or "2", "PGI_START_BACKOFF"),
        outage_retry_max=parse_float(
            env.get("PGI_OUTAGE_RETRY_MAX") or "30", "PGI_OUTAGE_RETRY_MAX"
        ),
    )


def _reminders(env: Mapping[str, str]) -> dict:
    """When reminders go out, and how the delivery ledger hands messages between processes."""
    return dict(
        reminder_offsets=parse_offsets(env.get("PGI_REMINDER_OFFSETS") or "14,7,3,1,0"),
        reminder_time=parse_reminder_time(env.get("PGI_REMINDER_TIME") or "08:00"),
        holidays=parse_holidays(env.get("PGI_HOLIDAYS") or ""),
        overdue_days=parse_int(env.get("PGI_OVERDUE_DAYS") or "5", "PGI_OVERDUE_DAYS"),
        delivery_lease=parse_int(env.get("PGI_DELIVERY_LEASE") or "60", "PGI_DELIVERY_LEASE"),
    )


def _status(env: Mapping[str, str]) -> dict:
    """The rules of an indicator's status (README "Status of an indicator")."""
    return dict(
        status_stale_days=parse_int(
            env.get("PGI_STATUS_STALE_DAYS") or "30", "PGI_STATUS_STALE_DAYS"
        ),
        status_at_risk_days=parse_int(
            env.get("PGI_STATUS_AT_RISK_DAYS") or "7", "PGI_STATUS_AT_RISK_DAYS"
        ),
        status_at_risk_percent=parse_percent(env.get("PGI_STATUS_AT_RISK_PERCENT") or "80"),
    )


def _web(env: Mapping[str, str]) -> dict:
    """The HTTP server (webhooks, the web console, /metrics and readiness) and its keys."""
    return dict(
        port=parse_port(env.get("PORT", "8443")),
        public_url=(env.get("PGI_PUBLIC_URL") or "").rstrip("/") or None,
        host=parse_host(env.get("HOST") or "127.0.0.1"),
        metrics_token=parse_secret(env.get("METRICS_TOKEN"), "METRICS_TOKEN"),
        ready_poll_seconds=parse_int(
            env.get("PGI_READY_POLL_SECONDS") or "180", "PGI_READY_POLL_SECONDS"
        ),
        ready_max_backlog=parse_int(
            env.get("PGI_READY_MAX_BACKLOG") or "10000", "PGI_READY_MAX_BACKLOG"
        ),
        session_key=parse_session_key(env.get("PGI_SESSION_KEY"), "PGI_SESSION_KEY"),
        session_key_previous=parse_session_key(
            env.get("PGI_SESSION_KEY_PREVIOUS"), "PGI_SESSION_KEY_PREVIOUS"
        ),
    )


def _smtp(env: Mapping[str, str]) -> dict:
    """The e-mail channel's settings: by default STARTTLS on 587 and TLS on 465 (the ports of
    RFC 8314); plain SMTP only when asked for with SMTP_SECURITY=none (a relay on the same
    host)."""
    host = (env.get("SMTP_HOST") or "").strip() or None
    security = (env.get("SMTP_SECURITY") or "").strip().lower()
    if security and security not in SMTP_SECURITY:
        raise ConfigError(
            f"SMTP_SECURITY: '{env.get('SMTP_SECURITY')}' must be starttls, tls or none"
        )
    port_raw = (env.get("SMTP_PORT") or "").strip()
    port = (
        parse_smtp_port(port_raw)
        if port_raw
        else (465 if security == "tls" else 25 if security == "none" else 587)
    )
    security = security or ("tls" if port == 465 else "starttls")
    user = env.get("SMTP_USER") or None
    password = env.get("SMTP_PASSWORD") or None
    sender = (env.get("SMTP_FROM") or "").strip() or None
    if host is None:
        return {}
    if not re.fullmatch(r"[A-Za-z0-9]([A-Za-z0-9.:-]{0,252})", host):
        raise ConfigError(
            f"SMTP_HOST: '{host}' is not a host name or address; e.g. smtp.langson.gov.vn"
        )
    if bool(user) != bool(password):
        raise ConfigError(
            "SMTP_USER and SMTP_PASSWORD go together: set both (the server asks for a login) or"
            " neither"
        )
    if password and security == "none":
        raise ConfigError(
            "SMTP_PASSWORD is set with SMTP_SECURITY=none: the password would cross the network in"
            " clear; use starttls or tls"
        )
    if sender is None:
        raise ConfigError(
            "SMTP_FROM: the sender address is missing; e.g. SMTP_FROM=pgi-bot@snnmt.langson.gov.vn"
            ' (or "Trợ lý PGI <pgi-bot@snnmt.langson.gov.vn>")'
        )
    from email.utils import parseaddr  # here: only a configured e-mail channel needs it

    if "@" not in parseaddr(sender)[1]:
        raise ConfigError(
            f"SMTP_FROM: '{sender}' is not an e-mail address; e.g. pgi-bot@snnmt.langson.gov.vn"
        )
    return dict(
        smtp_host=host,
        smtp_port=port,
        smtp_user=user,
        smtp_password=password,
        smtp_from=sender,
        smtp_security=security,
        smtp_rate=parse_smtp_rate(env.get("SMTP_RATE") or "1"),
    )
