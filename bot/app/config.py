"""Settings, read once from the environment at start. Secrets never appear in repr or logs."""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, time
from pathlib import Path
from urllib.parse import unquote, urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
TIMEZONE = "Asia/Ho_Chi_Minh"


class ConfigError(ValueError):
    """A setting has a value the bot cannot use; the message says which and how to fix it."""


def _items(raw: str, name: str, parse, what: str) -> frozenset:
    """A comma-separated setting parsed item by item, naming the item that is wrong."""
    out = set()
    for part in raw.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            out.add(parse(part))
        except ValueError as exc:
            raise ConfigError(
                f"{name}: '{part}' is not {what}; separate the values with commas"
            ) from exc
    return frozenset(out)


def _telegram_ids(raw: str, name: str) -> frozenset[str]:
    return _items(raw, name, lambda v: str(int(v)), "a Telegram user id (a whole number)")


def _zalo_ids(raw: str, name: str) -> frozenset[str]:
    def parse(v: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", v):
            raise ValueError(v)
        return v

    return _items(raw, name, parse, "a Zalo user id (letters and digits)")


def _rate(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError as exc:
        raise ConfigError(f"ZALO_RATE: '{raw}' is not a number of messages per second") from exc
    if not 0 < value <= 100:
        raise ConfigError(f"ZALO_RATE: {raw} must be between 0 and 100 messages per second")
    return value


def _secret(raw: str | None, name: str, shortest: int = 8, hint: str = "") -> str | None:
    """A secret of letters, digits, '_' or '-' (safe in a header), ``shortest``–256 characters."""
    if not raw:
        return None
    if not shortest <= len(raw) <= 256 or not re.fullmatch(r"[A-Za-z0-9_-]+", raw):
        raise ConfigError(
            f"{name}: must be {shortest}–256 characters of letters, digits, '_' or '-'{hint}"
        )
    return raw


def _int(raw: str, name: str) -> int:
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}: '{raw}' is not a whole number") from exc
    if value < 0:
        raise ConfigError(f"{name}: must not be negative")
    return value


def _offsets(raw: str) -> tuple[int, ...]:
    try:
        values = sorted(
            {int(x) for x in raw.replace(";", ",").split(",") if x.strip()}, reverse=True
        )
    except ValueError as exc:
        raise ConfigError(
            f"PGI_REMINDER_OFFSETS: '{raw}' must be whole numbers of days, e.g. 14,7,3,1,0"
        ) from exc
    if not values or any(v < 0 for v in values):
        raise ConfigError(
            f"PGI_REMINDER_OFFSETS: '{raw}' must be days before the deadline (0 = on the day)"
        )
    return tuple(values)


def _time(raw: str) -> time:
    try:
        hh, mm = raw.strip().split(":")
        value = time(int(hh), int(mm))
    except ValueError as exc:
        raise ConfigError(
            f"PGI_REMINDER_TIME: '{raw}' is not a time; write HH:MM, e.g. 08:00"
        ) from exc
    if not time(7, 30) <= value <= time(17, 0):
        raise ConfigError(f"PGI_REMINDER_TIME: {raw} is outside working hours (07:30–17:00)")
    return value


def _float(raw: str, name: str) -> float:
    try:
        value = float(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}: '{raw}' is not a number of seconds") from exc
    if not value >= 0:
        raise ConfigError(f"{name}: must not be negative")
    return value


def _flag(raw: str, name: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("", "0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name}: '{raw}' must be 1 or 0")


ZALO_WEBHOOK_WITHOUT_SECRET = (
    "ZALO_WEBHOOK_URL is set without ZALO_WEBHOOK_SECRET: not started (a webhook needs its secret,"
    " 8-256 characters; unset ZALO_WEBHOOK_URL to long-poll in a trial)"
)


def _session_key(raw: str | None, name: str) -> str | None:
    return _secret(
        raw, name, 32, " (python -c 'import secrets; print(secrets.token_urlsafe(48))' makes one)"
    )


def secret(**kw):
    """A setting whose value must never appear in any output (``Settings.secrets`` collects
    them)."""
    return field(repr=False, metadata={"secret": True}, **kw)


def _percent(raw: str) -> int:
    value = _int(raw, "PGI_STATUS_AT_RISK_PERCENT")
    if value > 100:
        raise ConfigError(f"PGI_STATUS_AT_RISK_PERCENT: {raw} is more than 100")
    return value


def _dates(raw: str) -> frozenset[date]:
    return _items(raw, "PGI_HOLIDAYS", date.fromisoformat, "a date (YYYY-MM-DD)")


def _host(raw: str) -> str:
    """A bind address: an IPv4 or IPv6 address, or a host name such as localhost."""
    value = raw.strip()
    try:
        ipaddress.ip_address(value)
        return value
    except ValueError:
        pass
    if not re.fullmatch(r"[A-Za-z0-9]([A-Za-z0-9.-]{0,252})", value):
        raise ConfigError(
            f"HOST: '{raw}' is not an address to listen on; e.g. 127.0.0.1 or 0.0.0.0"
        )
    return value


def _log_format(raw: str) -> str:
    value = raw.strip().lower()
    if value not in ("plain", "json"):
        raise ConfigError(f"LOG_FORMAT: '{raw}' must be plain or json")
    return value


SMTP_SECURITY = ("starttls", "tls", "none")


def _smtp_port(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigError(
            f"SMTP_PORT: '{raw}' is not a port number; e.g. 587 (STARTTLS) or 465 (TLS)"
        ) from exc
    if not 0 < value < 65536:
        raise ConfigError(
            f"SMTP_PORT: {raw} is not a port number (1–65535); e.g. 587 (STARTTLS) or 465 (TLS)"
        )
    return value


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
        _smtp_port(port_raw)
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
        smtp_rate=_smtp_rate(env.get("SMTP_RATE") or "1"),
    )


def _smtp_rate(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError as exc:
        raise ConfigError(f"SMTP_RATE: '{raw}' is not a number of messages per second") from exc
    if not 0 < value <= 50:
        raise ConfigError(f"SMTP_RATE: {raw} must be between 0 and 50 messages per second")
    return value


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
        port_raw = env.get("PORT", "8443")
        try:
            port = int(port_raw)
        except ValueError as exc:
            raise ConfigError(f"PORT: '{port_raw}' is not a port number") from exc
        return cls(
            telegram_token=env.get("TELEGRAM_BOT_TOKEN") or None,
            database_url=env.get("DATABASE_URL") or None,
            data_dir=Path(env.get("PGI_DATA_DIR") or PROJECT_ROOT / "data"),
            kb_dir=Path(env.get("PGI_KB_DIR") or PROJECT_ROOT / "kb" / "data"),
            admin_ids=_telegram_ids(env.get("ADMIN_TELEGRAM_IDS", ""), "ADMIN_TELEGRAM_IDS"),
            admin_zalo_ids=_zalo_ids(env.get("ADMIN_ZALO_IDS", ""), "ADMIN_ZALO_IDS"),
            webhook_url=env.get("TELEGRAM_WEBHOOK_URL") or env.get("WEBHOOK_URL") or None,
            telegram_webhook_secret=_secret(
                env.get("TELEGRAM_WEBHOOK_SECRET"), "TELEGRAM_WEBHOOK_SECRET"
            ),
            port=port,
            api_base_url=env.get("TELEGRAM_API_BASE_URL") or None,
            zalo_token=env.get("ZALO_BOT_TOKEN") or None,
            zalo_api_base_url=(
                env.get("ZALO_API_BASE_URL") or "https://bot-api.zaloplatforms.com"
            ).rstrip("/"),
            zalo_webhook_url=env.get("ZALO_WEBHOOK_URL") or None,
            zalo_webhook_secret=_secret(env.get("ZALO_WEBHOOK_SECRET"), "ZALO_WEBHOOK_SECRET"),
            zalo_rate=_rate(env.get("ZALO_RATE") or "5"),
            zalo_take_over_webhook=_flag(
                env.get("ZALO_TAKE_OVER_WEBHOOK") or "", "ZALO_TAKE_OVER_WEBHOOK"
            ),
            telegram_take_over_webhook=_flag(
                env.get("TELEGRAM_TAKE_OVER_WEBHOOK") or "", "TELEGRAM_TAKE_OVER_WEBHOOK"
            ),
            timezone=env.get("PGI_TIMEZONE") or TIMEZONE,
            log_level=(env.get("LOG_LEVEL") or "INFO").upper(),
            reminder_offsets=_offsets(env.get("PGI_REMINDER_OFFSETS") or "14,7,3,1,0"),
            reminder_time=_time(env.get("PGI_REMINDER_TIME") or "08:00"),
            holidays=_dates(env.get("PGI_HOLIDAYS") or ""),
            overdue_days=_int(env.get("PGI_OVERDUE_DAYS") or "5", "PGI_OVERDUE_DAYS"),
            delivery_lease=_int(env.get("PGI_DELIVERY_LEASE") or "60", "PGI_DELIVERY_LEASE"),
            start_attempts=_int(env.get("PGI_START_ATTEMPTS") or "0", "PGI_START_ATTEMPTS"),
            start_backoff=_float(env.get("PGI_START_BACKOFF") or "2", "PGI_START_BACKOFF"),
            log_personal_data=_flag(
                env.get("PGI_LOG_PERSONAL_DATA") or "", "PGI_LOG_PERSONAL_DATA"
            ),
            status_stale_days=_int(
                env.get("PGI_STATUS_STALE_DAYS") or "30", "PGI_STATUS_STALE_DAYS"
            ),
            status_at_risk_days=_int(
                env.get("PGI_STATUS_AT_RISK_DAYS") or "7", "PGI_STATUS_AT_RISK_DAYS"
            ),
            status_at_risk_percent=_percent(env.get("PGI_STATUS_AT_RISK_PERCENT") or "80"),
            public_url=(env.get("PGI_PUBLIC_URL") or "").rstrip("/") or None,
            host=_host(env.get("HOST") or "127.0.0.1"),
            metrics_token=_secret(env.get("METRICS_TOKEN"), "METRICS_TOKEN"),
            log_format=_log_format(env.get("LOG_FORMAT") or "plain"),
            ready_poll_seconds=_int(
                env.get("PGI_READY_POLL_SECONDS") or "180", "PGI_READY_POLL_SECONDS"
            ),
            ready_max_backlog=_int(
                env.get("PGI_READY_MAX_BACKLOG") or "10000", "PGI_READY_MAX_BACKLOG"
            ),
            session_key=_session_key(env.get("PGI_SESSION_KEY"), "PGI_SESSION_KEY"),
            session_key_previous=_session_key(
                env.get("PGI_SESSION_KEY_PREVIOUS"), "PGI_SESSION_KEY_PREVIOUS"
            ),
            **_smtp(env),
        )
