"""Settings, read once from the environment at start. Secrets never appear in repr or logs."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
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
            raise ConfigError(f"{name}: '{part}' is not {what}; separate the values with commas") from exc
    return frozenset(out)


def _ids(raw: str, name: str) -> frozenset[int]:
    return _items(raw, name, int, "a Telegram user id (a whole number)")


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
        values = sorted({int(x) for x in raw.replace(";", ",").split(",") if x.strip()}, reverse=True)
    except ValueError as exc:
        raise ConfigError(f"PGI_REMINDER_OFFSETS: '{raw}' must be whole numbers of days, e.g. 14,7,3,1,0") from exc
    if not values or any(v < 0 for v in values):
        raise ConfigError(f"PGI_REMINDER_OFFSETS: '{raw}' must be days before the deadline (0 = on the day)")
    return tuple(values)


def _time(raw: str) -> time:
    try:
        hh, mm = raw.strip().split(":")
        value = time(int(hh), int(mm))
    except ValueError as exc:
        raise ConfigError(f"PGI_REMINDER_TIME: '{raw}' is not a time; write HH:MM, e.g. 08:00") from exc
    if not time(7, 30) <= value <= time(17, 0):
        raise ConfigError(f"PGI_REMINDER_TIME: {raw} is outside working hours (07:30–17:00)")
    return value


def _dates(raw: str) -> frozenset[date]:
    return _items(raw, "PGI_HOLIDAYS", date.fromisoformat, "a date (YYYY-MM-DD)")


@dataclass(frozen=True)
class Settings:
    telegram_token: str | None = field(default=None, repr=False)
    database_url: str | None = field(default=None, repr=False)
    data_dir: Path = PROJECT_ROOT / "data"
    kb_dir: Path = PROJECT_ROOT / "kb" / "data"
    admin_ids: frozenset[int] = frozenset()
    webhook_url: str | None = None
    port: int = 8443
    api_base_url: str | None = None
    timezone: str = TIMEZONE
    log_level: str = "INFO"
    reminder_offsets: tuple[int, ...] = (14, 7, 3, 1, 0)
    reminder_time: time = time(8, 0)
    holidays: frozenset[date] = frozenset()
    overdue_days: int = 5
    delivery_lease: int = 60  # seconds before another process takes over a claimed message
    public_url: str | None = None  # where officials reach the web console, e.g. https://pgi.example.vn

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
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
            admin_ids=_ids(env.get("ADMIN_TELEGRAM_IDS", ""), "ADMIN_TELEGRAM_IDS"),
            webhook_url=env.get("WEBHOOK_URL") or None,
            port=port,
            api_base_url=env.get("TELEGRAM_API_BASE_URL") or None,
            timezone=env.get("PGI_TIMEZONE") or TIMEZONE,
            log_level=(env.get("LOG_LEVEL") or "INFO").upper(),
            reminder_offsets=_offsets(env.get("PGI_REMINDER_OFFSETS") or "14,7,3,1,0"),
            reminder_time=_time(env.get("PGI_REMINDER_TIME") or "08:00"),
            holidays=_dates(env.get("PGI_HOLIDAYS") or ""),
            overdue_days=_int(env.get("PGI_OVERDUE_DAYS") or "5", "PGI_OVERDUE_DAYS"),
            delivery_lease=_int(env.get("PGI_DELIVERY_LEASE") or "60", "PGI_DELIVERY_LEASE"),
            public_url=(env.get("PGI_PUBLIC_URL") or "").rstrip("/") or None,
        )
