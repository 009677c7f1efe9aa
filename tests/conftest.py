"""Shared fixtures: the shipped knowledge base, services on a temporary SQLite database,
PostgreSQL."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.app.config import Settings
from bot.app.services import Services, build_services
from kb.ask.engine import Engine
from kb.index import KbIndex
from kb.loader import DATA_DIR, load, read_sources
from kb.model import KnowledgeBase

PG_ADMIN_URL = os.environ.get(
    "PGI_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(autouse=True)
def _own_http_port(monkeypatch) -> None:
    """Every bot a test starts (in-process or as a process inheriting the environment) listens on a
    port of its own instead of the default 8443, so two test runs side by side (.ci/run runs 3.11
    and 3.13 at once) never try to bind the same port; a test that sets PORT itself still wins."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        monkeypatch.setenv("PORT", str(s.getsockname()[1]))


@pytest.fixture(scope="session")
def shipped_sources() -> dict[str, str]:
    return read_sources(DATA_DIR)


@pytest.fixture(scope="session")
def kb(shipped_sources) -> KnowledgeBase:
    return load(shipped_sources)


@pytest.fixture(scope="session")
def engine(kb) -> Engine:
    return Engine(KbIndex(kb))


@pytest.fixture
def kb_dir(tmp_path, shipped_sources) -> Path:
    """A writable copy of the shipped knowledge-base files."""
    d = tmp_path / "kbdata"
    d.mkdir()
    for name, body in shipped_sources.items():
        (d / name).write_text(body, encoding="utf-8")
    return d


@pytest.fixture
def settings(tmp_path, kb_dir) -> Settings:
    # the fake Zalo server serves photos from 127.0.0.1, which the bot refuses to fetch by default
    return replace(
        Settings.from_env({}),
        data_dir=tmp_path / "data",
        kb_dir=kb_dir,
        test_fetch_from_loopback=True,
    )


@pytest.fixture
def services(settings) -> Iterator[Services]:
    s = build_services(settings)
    yield s
    s.close()


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The PostgreSQL server of the development and CI machines (.ci/run starts it)."""
    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("select 1"))
    except Exception as exc:  # noqa: BLE001 - any connection failure means the same thing here
        pytest.fail(
            f"PostgreSQL is not reachable at {PG_ADMIN_URL} ({exc}); run .ci/run, which starts it"
        )
    finally:
        engine.dispose()
    return PG_ADMIN_URL


@pytest.fixture
def postgres_url(postgres_server) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    name = f"pgi_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = postgres_server.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def zalo():
    """The fake Zalo Bot API on loopback, with short long polls (a module may define its own)."""
    from tests.support.fake_zalo_api import FakeZaloApi

    with FakeZaloApi(poll_wait=0.2) as api:
        yield api
