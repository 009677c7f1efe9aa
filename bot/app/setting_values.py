"""The values of settings read from the environment, each parsed and checked on its own; a wrong
one raises :class:`ConfigError` naming the variable and what to write."""

from __future__ import annotations

import ipaddress
import re
from datetime import date, time


class ConfigError(ValueError):
    """A setting has a value the bot cannot use; the message says which and how to fix it."""


def parse_items(raw: str, name: str, parse, what: str) -> frozenset:
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


def parse_telegram_ids(raw: str, name: str) -> frozenset[str]:
    return parse_items(raw, name, lambda v: str(int(v)), "a Telegram user id (a whole number)")


def parse_zalo_ids(raw: str, name: str) -> frozenset[str]:
    def parse(v: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", v):
            raise ValueError(v)
        return v

    return parse_items(raw, name, parse, "a Zalo user id (letters and digits)")


def parse_port(raw: str) -> int:
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"PORT: '{raw}' is not a port number") from exc


def parse_zalo_rate(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError as exc:
        raise ConfigError(f"ZALO_RATE: '{raw}' is not a number of messages per second") from exc
    if not 0 < value <= 100:
        raise ConfigError(f"ZALO_RATE: {raw} must be between 0 and 100 messages per second")
    return value


def parse_secret(raw: str | None, name: str, shortest: int = 8, hint: str = "") -> str | None:
    """A secret of letters, digits, '_' or '-' (safe in a header), ``shortest``–256 characters."""
    if not raw:
        return None
    if not shortest <= len(raw) <= 256 or not re.fullmatch(r"[A-Za-z0-9_-]+", raw):
        raise ConfigError(
            f"{name}: must be {shortest}–256 characters of letters, digits, '_' or '-'{hint}"
        )
    return raw


def parse_int(raw: str, name: str) -> int:
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}: '{raw}' is not a whole number") from exc
    if value < 0:
        raise ConfigError(f"{name}: must not be negative")
    return value


def parse_offsets(raw: str) -> tuple[int, ...]:
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


def parse_reminder_time(raw: str) -> time:
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


def parse_float(raw: str, name: str) -> float:
    try:
        value = float(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}: '{raw}' is not a number of seconds") from exc
    if not value >= 0:
        raise ConfigError(f"{name}: must not be negative")
    return value


def parse_flag(raw: str, name: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("", "0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name}: '{raw}' must be 1 or 0")


def parse_session_key(raw: str | None, name: str) -> str | None:
    return parse_secret(
        raw, name, 32, " (python -c 'import secrets; print(secrets.token_urlsafe(48))' makes one)"
    )


def parse_percent(raw: str) -> int:
    value = parse_int(raw, "PGI_STATUS_AT_RISK_PERCENT")
    if value > 100:
        raise ConfigError(f"PGI_STATUS_AT_RISK_PERCENT: {raw} is more than 100")
    return value


def parse_holidays(raw: str) -> frozenset[date]:
    return parse_items(raw, "PGI_HOLIDAYS", date.fromisoformat, "a date (YYYY-MM-DD)")


def parse_host(raw: str) -> str:
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


def parse_log_format(raw: str) -> str:
    value = raw.strip().lower()
    if value not in ("plain", "json"):
        raise ConfigError(f"LOG_FORMAT: '{raw}' must be plain or json")
    return value


def parse_smtp_port(raw: str) -> int:
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


def parse_smtp_rate(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError as exc:
        raise ConfigError(f"SMTP_RATE: '{raw}' is not a number of messages per second") from exc
    if not 0 < value <= 50:
        raise ConfigError(f"SMTP_RATE: {raw} must be between 0 and 50 messages per second")
    return value
