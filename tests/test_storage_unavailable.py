"""A database that cannot write costs the user one message, told so; questions keep working.

The database is made read-only for real (SQLite's query_only, PostgreSQL's
default_transaction_read_only), so every write fails in the driver as it would on a full disk or a
read-only mount.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import create_engine, text

from bot.app.services import build_services
from bot.core.messages import Incoming
from storage.tracking import progress as progress_store
from tests.support.fake_bot_api import FakeBotApi
from tests.support.world import PLAN, XD, XD_MEMBER, Clock, T, at, make_world, read_only_sqlite

NOT_SAVED = (
    "Sorry, this was not saved: the database cannot be written to right now. Please try again in a"
    " few minutes."
)


@pytest.fixture
def world(settings):
    with FakeBotApi() as api:
        w = make_world(settings, api, Clock(at(2026, 11, 30, 9, 0)))
        w.member(XD_MEMBER, XD)
        yield w
        w.services.close()


def test_update_on_a_read_only_database_says_it_was_not_saved(world, caplog):
    """/capnhat on a read-only database answers "not saved, try again" (twice), and the log says
    so once, without the note."""
    read_only_sqlite(world)
    replies = [
        world.say(XD_MEMBER, "/capnhat 1.5 70% đã sửa 3 công trình bí mật") for _ in range(2)
    ]
    assert [T(NOT_SAVED)] * 2 == [r.text for r in replies]
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert 1 == len(errors)
    assert "bí mật" not in errors[0] and "readonly" in errors[0]
    with world.db.session() as s:
        assert {} == progress_store.latest_by_indicator(s, XD[0], PLAN)


def test_questions_keep_working_on_a_read_only_database(world):
    """A question only reads: it is answered as usual."""
    read_only_sqlite(world)
    reply = world.say(XD_MEMBER, "ai chủ trì chỉ số 1.5")
    assert "Sở Xây dựng (nước sạch đô thị)" in reply.text


def test_button_on_a_read_only_database(world):
    """A pressed button whose write fails says the same, also as the button's notice."""
    read_only_sqlite(world)
    reply = world.press(XD_MEMBER, "lang:en")
    assert (T(NOT_SAVED), T(NOT_SAVED)[:190]) == (reply.text, reply.toast)


@pytest.mark.postgres
def test_update_on_a_read_only_postgres_database(settings, postgres_url):
    """On PostgreSQL, a database switched to read-only transactions gives the same answer."""
    services = build_services(replace(settings, database_url=postgres_url))
    try:
        admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            name = postgres_url.rsplit("/", 1)[1]
            conn.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
        admin.dispose()
        services.db.engine.dispose()
        reply = services.conversation.handle(
            Incoming(text="/ngonngu en", channel="telegram", chat_id="5", user_id="5")
        )
        assert T(NOT_SAVED) == reply.text
    finally:
        services.close()
