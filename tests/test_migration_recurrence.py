"""Migration 0013 adds recurring deadlines and extension requests; one-off deadlines stored
before it keep working unchanged."""

from __future__ import annotations

from datetime import date

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from bot.core.audience import Audience
from bot.delivery.deadline_items import items_from, rule_of
from storage.db import Database, alembic_config, database_url
from storage.schedule import deadlines as deadline_store
from storage.schedule import extensions as extension_store


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request, tmp_path):
    if request.param == "postgres":
        return request.getfixturevalue("postgres_url")
    return database_url(None, tmp_path)


def _upgrade(url: str, target: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        cfg = alembic_config(engine)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)
    engine.dispose()


def test_one_off_deadlines_survive_the_migration_unchanged(url, kb):
    """A deadline and an acknowledgement stored at revision 0010 read back after 0013 as a one-off
    deadline with the same key, date and audience; a recurring one and an extension request can
    then be stored.
    """
    _upgrade(url, "0010")
    engine = create_engine(url)
    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO deadlines (title, due_date, audience, created_by, created_at,"
                " updated_at) VALUES ('Báo cáo PGI', '2026-12-15', '{\"kind\": \"all\"}', 7,"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
        c.execute(
            text(
                "INSERT INTO acknowledgements (deadline_key, agency_id, user_id, channel, chat_id,"
                " created_at) VALUES ('db:1', 'so-xay-dung', 7, 'telegram', '-1',"
                " CURRENT_TIMESTAMP)"
            )
        )
    engine.dispose()
    _upgrade(url, "head")
    db = Database(url)
    with db.session() as s:
        [old] = deadline_store.active(s)
        acked = deadline_store.acknowledged_agencies(s, "db:1")
        series = deadline_store.add(
            s,
            "Báo cáo tháng",
            date(2026, 12, 1),
            {"kind": "all"},
            7,
            repeat="monthly",
            repeat_day=20,
            repeat_month=0,
        )
        x = extension_store.request(
            s,
            deadline_key="db:1",
            title="Báo cáo PGI",
            agency_id="so-xay-dung",
            agency_name="Sở Xây dựng",
            old_date=date(2026, 12, 15),
            new_date=date(2026, 12, 29),
            reason="chờ số liệu",
            requested_by=7,
        )
    with db.session() as s:
        items = [
            i
            for i in items_from(
                kb, deadline_store.active(s), date(2026, 12, 1), today=date(2026, 12, 2)
            )
            if i.key.startswith("db:")
        ]
        waiting = extension_store.pending_for(s, "db:1", "so-xay-dung")
    db.dispose()
    assert ("db:1", date(2026, 12, 15), None, {"so-xay-dung"}) == (
        old.key,
        old.due_date,
        rule_of(old),
        acked,
    )
    assert [
        ("db:1", date(2026, 12, 15), Audience({"kind": "all"})),
        (f"db:{series.id}@2026-12-20", date(2026, 12, 20), Audience({"kind": "all"})),
    ] == [(i.key, i.due, i.audience) for i in sorted(items, key=lambda i: i.key)]
    assert x.id == waiting.id
