"""Migration 0005 turns a Telegram-only database into the channel-neutral one and keeps its
data."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from storage.db import Database, alembic_config, database_url
from storage.directory import groups, people


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request, tmp_path):
    if request.param == "postgres":
        return request.getfixturevalue("postgres_url").replace(
            "postgresql://", "postgresql+psycopg://"
        )
    return database_url(None, tmp_path)


def _upgrade(url: str, target: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        cfg = alembic_config(engine)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)
    engine.dispose()


def test_telegram_data_survives_the_channel_migration(url):
    """Users keep their id and get a Telegram identity; chat ids become text on the Telegram
    channel."""
    _upgrade(url, "0004")
    engine = create_engine(url)
    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO users (telegram_id, first_name, username, role, created_at,"
                " updated_at) VALUES (100001, 'Lan', 'lan_xd', 'user', CURRENT_TIMESTAMP,"
                " CURRENT_TIMESTAMP)"
            )
        )
        c.execute(
            text(
                "INSERT INTO memberships (user_id, agency_id, agency_name, status, requested_at) "
                "VALUES (100001, 'so-xay-dung', 'Sở Xây dựng', 'approved', CURRENT_TIMESTAMP)"
            )
        )
        c.execute(
            text(
                "INSERT INTO group_bindings (chat_id, title, agency_id, agency_name, status,"
                " created_at, updated_at) VALUES (-4000000001, 'XD', 'so-xay-dung', 'Sở Xây dựng',"
                " 'active', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
    engine.dispose()
    _upgrade(url, "head")
    db = Database(url)
    with db.session() as s:
        user = people.find_identity(s, "telegram", "100001")
        membership = people.active_membership(s, user.id)
        binding = groups.active_binding(s, "telegram", "-4000000001")
        new = people.identify(s, "zalo", "z-1", "Minh")
    db.dispose()
    assert (100001, "Lan") == (user.id, user.name)
    assert "so-xay-dung" == membership.agency_id
    assert ("telegram", "-4000000001", "so-xay-dung") == (
        binding.channel,
        binding.chat_id,
        binding.agency_id,
    )
    assert new.id > 100001  # a new user never takes a migrated id
