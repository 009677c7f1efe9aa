"""The keys that sign the web console's session cookies: never in the database.

``PGI_SESSION_KEY`` when it is set (and ``PGI_SESSION_KEY_PREVIOUS``, still accepted, while a
rotation is under way); otherwise ``<data dir>/web-session-keys.json``, owner-only (0600), made on
first use. The file's newest key signs; a key replaced less than one session lifetime ago still
verifies, so a rotation signs nobody out. The file's key is replaced every ROTATE_AFTER by itself,
or at once by ``python -m bot web-rotate-key``. Every process re-reads the file when it changes.

An installation from before rotation kept its key in the database: that key seeds the file once
and its row is deleted.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import secrets
import stat
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from storage import web as web_store

if TYPE_CHECKING:
    from bot.app.config import Settings
    from storage.db import Database

log = logging.getLogger(__name__)
KEY_FILE = "web-session-keys.json"
ROTATE_AFTER = timedelta(days=30)


@dataclass(frozen=True)
class Key:
    value: str
    created: datetime


def _utc_now() -> datetime:
    return datetime.now(UTC)


class KeyRing:
    """The session keys, oldest first: the last one signs, every one verifies."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        lifetime: timedelta,
        now: Callable[[], datetime] = _utc_now,
    ):
        self.settings, self.db, self.lifetime, self.now = settings, db, lifetime, now
        self.path = Path(settings.data_dir) / KEY_FILE
        self._lock = threading.Lock()
        self._seen: tuple[int, int, int] | None = None
        self._keys: list[Key] = []
        if settings.session_key:
            with db.session() as s:
                web_store.drop_legacy_secret(s)  # the key in the environment replaces it

    def keys(self) -> list[str]:
        if self.settings.session_key:
            return [
                k for k in (self.settings.session_key_previous, self.settings.session_key) if k
            ]
        with self._lock:
            keys = self._current()
            if self.now() - keys[-1].created >= ROTATE_AFTER:
                keys = self._rotate(only_if_older=True)
        return [k.value for k in keys]

    def rotate(self) -> None:
        """A new signing key now; the replaced one verifies for one more session lifetime."""
        if self.settings.session_key:
            raise RuntimeError(
                "PGI_SESSION_KEY is set: rotate by setting a new one (README, web console)"
            )
        with self._lock:
            self._rotate(only_if_older=False)

    # --- the file ------------------------------------------------------------------------------

    def _current(self) -> list[Key]:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return self._create()
        seen = (st.st_ino, st.st_mtime_ns, st.st_size)
        if seen != self._seen or not self._keys:
            if stat.S_IMODE(st.st_mode) & 0o077:
                log.warning("web console: %s was readable by others; made owner-only", self.path)
                os.chmod(self.path, 0o600)
            self._keys, self._seen = self._read(), seen
        return self._keys

    def _read(self) -> list[Key]:
        data = json.loads(self.path.read_text(encoding="utf-8"))
        keys = [Key(k["key"], datetime.fromisoformat(k["created"])) for k in data["keys"]]
        if not keys:
            raise ValueError(f"{self.path} holds no key; delete it to make a new one")
        return keys

    def _create(self) -> list[Key]:
        with self._file_lock():
            return self._create_locked()

    def _create_locked(self) -> list[Key]:
        if self.path.exists():  # another process made it meanwhile
            return self._read_fresh()
        with self.db.session() as s:
            legacy = web_store.take_legacy_secret(s)
            self._write([Key(legacy or secrets.token_urlsafe(48), self.now())])
            # the row is deleted when this session commits, after the file is written
        if legacy:
            log.info("web console: the session key moved from the database to %s", self.path)
        return self._read_fresh()

    def _rotate(self, only_if_older: bool) -> list[Key]:
        with self._file_lock():
            keys = self._create_locked()
            now = self.now()
            if only_if_older and now - keys[-1].created < ROTATE_AFTER:
                return keys  # another process rotated it meanwhile
            kept = [
                k
                for i, k in enumerate(keys)
                if i == len(keys) - 1 or now - keys[i + 1].created < self.lifetime
            ]
            self._write([*kept, Key(secrets.token_urlsafe(48), now)])
            log.info(
                "web console: a new session key; the previous one is accepted for %s",
                self.lifetime,
            )
            return self._read_fresh()

    def _read_fresh(self) -> list[Key]:
        st = self.path.stat()
        self._keys, self._seen = self._read(), (st.st_ino, st.st_mtime_ns, st.st_size)
        return self._keys

    def _write(self, keys: list[Key]) -> None:
        """Atomically, owner-only from the first byte (the file is created 0600, then renamed)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{KEY_FILE}.{os.getpid()}.tmp")
        body = json.dumps(
            {"keys": [{"key": k.value, "created": k.created.isoformat()} for k in keys]}, indent=1
        )
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(body)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)

    @contextlib.contextmanager
    def _file_lock(self) -> Iterator[None]:
        """One process at a time makes or rotates the file (processes share the data folder)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path.with_name(f".{KEY_FILE}.lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
