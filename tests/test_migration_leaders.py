"""Migration 0012 adds the responsible officials, agency leaders and settings tables to a
database at 0010 without touching its rows, and goes back down cleanly."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text

from storage.db import Database, alembic_config, database_url
from storage.directory import leaders, people

NEW_TABLES = {"responsible_officials", "agency_leaders", "bot_settings"}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request, tmp_path):
    if request.param == "postgres":
        return request.getfixturevalue("postgres_url").replace(
            "postgresql://", "postgresql+psycopg://"
        )
    return database_url(None, tmp_path)


def _run(url: str, step, target: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        cfg = alembic_config(engine)
        cfg.attributes["connection"] = conn
        step(cfg, target)
    engine.dispose()


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_an_existing_database_keeps_its_rows_and_gains_the_tables(url):
    """A member stored at 0010 is still there at 0012, where a leader role and a responsibility
    can be kept; downgrading to 0010 removes only the new tables."""
    _run(url, command.upgrade, "0010")
    db = Database(url)
    with db.session() as s:
        lan = people.identify(s, "zalo", "z-lan", "Lan")
        m = people.request_membership(s, lan.id, "so-xay-dung", "Sở Xây dựng")
        people.decide_membership(s, m.id, True, lan.id)
    db.dispose()
    assert not NEW_TABLES & _tables(url)
    _run(url, command.upgrade, "0012")
    assert NEW_TABLES <= _tables(url)
    db = Database(url)
    now = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
    with db.session() as s:
        assert "so-xay-dung" == people.active_membership(s, lan.id).agency_id
        leaders.grant_leader(
            s, agency_id="so-xay-dung", agency_name="Sở Xây dựng", user_id=lan.id, by=None, now=now
        )
        leaders.name_responsible(
            s,
            agency_id="so-xay-dung",
            agency_name="Sở Xây dựng",
            plan_id="plan-18-2026",
            code="1.5",
            user_id=lan.id,
            by=None,
            now=now,
        )
        leaders.set_setting(s, leaders.LEADER_AFTER_DAYS, "4", None, now)
    with db.session() as s:
        assert (1, "1.5", 4) == (
            len(leaders.leaders(s)),
            leaders.responsibles(s)[0].indicator_code,
            leaders.leader_after_days(s),
        )
    db.dispose()
    _run(url, command.downgrade, "0010")
    assert not NEW_TABLES & _tables(url)
    engine = create_engine(url)
    with engine.connect() as c:
        assert (
            1
            == c.execute(
                text("SELECT count(*) FROM memberships WHERE status = 'approved'")
            ).scalar()
        )
    engine.dispose()
