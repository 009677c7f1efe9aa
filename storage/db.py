"""Database engine, sessions and migrations. SQLite in the data directory unless DATABASE_URL is
set."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import CursorResult, Engine, Result, create_engine, event
from sqlalchemy.exc import DBAPIError, InterfaceError, InternalError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def database_url(url: str | None, data_dir: Path) -> str:
    if url:
        # Heroku-style URLs name the driver "postgres"; SQLAlchemy wants psycopg 3 spelled out.
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url[len("postgres://") :]
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        return url
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(data_dir / 'pgi.sqlite3').resolve()}"


def make_engine(url: str, hide_parameters: bool = True) -> Engine:
    """``hide_parameters`` keeps the values of SQL statements (people's texts and names) out of
    error messages."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            hide_parameters=hide_parameters,
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            # with WAL, NORMAL survives a killed process (only a power loss may drop the last
            # commits) and avoids an fsync per commit, which would cap the delivery ledger far
            # below 30 messages/s
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, hide_parameters=hide_parameters)


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection_engine"] = engine
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (safe to call at every start)."""
    with engine.begin() as conn:
        cfg = alembic_config(engine)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def affected(result: Result[*tuple[Any, ...]]) -> int:
    """How many rows an UPDATE or DELETE matched.

    ``Session.execute`` is typed to return a ``Result``; for an UPDATE or DELETE it is a
    ``CursorResult``, the only kind that knows ``rowcount``.
    """
    if not isinstance(result, CursorResult):
        raise TypeError(f"not the result of an UPDATE or DELETE: {type(result).__name__}")
    return result.rowcount


def unavailable(exc: BaseException) -> bool:
    """The database cannot do the work now (read-only, disk full, connection lost), as opposed to a
    bug.

    A constraint violation or a value out of range is a bug in the caller and is not included.
    """
    if isinstance(exc, (OperationalError, InterfaceError, InternalError)):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def failure_summary(exc: BaseException) -> str:
    """What failed, for the log, without the SQL statement or its parameters (they hold people's
    data)."""
    orig = getattr(exc, "orig", None) or exc
    return f"{type(orig).__name__}: {str(orig).splitlines()[0][:200] if str(orig) else ''}"


class Outage:
    """A loop's view of database outages: one log line when one starts, one when it ends, and a
    pause before the next try that doubles from ``first`` to ``longest`` seconds meanwhile.

    A failure that is not an outage (a bug) is logged with its traceback, at most once a minute,
    and waits the longest pause.
    """

    LONGEST = 30.0  # seconds: the default longest pause, PGI_OUTAGE_RETRY_MAX (configure)

    def __init__(
        self, what: str, log: logging.Logger, first: float = 1.0, longest: float | None = None
    ):
        self.what, self.log = what, log
        self.first = first
        self.longest = Outage.LONGEST if longest is None else longest
        self.since: float | None = None  # monotonic time of the first failure of this outage
        self._pause = first
        self._bug_logged = 0.0

    @classmethod
    def configure(cls, longest: float) -> None:
        """The longest pause of every outage view made after this (the process's setting)."""
        cls.LONGEST = max(0.1, longest)

    @property
    def down(self) -> bool:
        return self.since is not None

    def failed(self, exc: BaseException) -> float:
        """Note a failure; the seconds to wait before trying again."""
        now = time.monotonic()
        if not unavailable(exc):  # a bug, not an outage: the longest pause, and the traceback
            if now - self._bug_logged > 60:
                self.log.error(
                    "%s failed; trying again in %.0f s", self.what, self.longest, exc_info=exc
                )
                self._bug_logged = now
            return self.longest
        if self.since is None:
            self.log.error(
                "%s: the database is unavailable (%s); trying again until it is back",
                self.what,
                failure_summary(exc),
            )
        if self.since is None:
            self.since = now
            self._pause = self.first
        pause, self._pause = self._pause, min(self.longest, self._pause * 2)
        return pause

    def ok(self) -> None:
        """Note a success: the end of an outage, if there was one."""
        if self.since is not None:
            self.log.warning(
                "%s: the database is back after %.0f s", self.what, time.monotonic() - self.since
            )
            self.since = None
            self._pause = self.first


class Database:
    """The engine and a session factory; one session per unit of work, which owns
    commit/rollback."""

    def __init__(self, url: str, hide_parameters: bool = True):
        self.url = url
        self.engine = make_engine(url, hide_parameters)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def migrate(self) -> None:
        migrate(self.engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
