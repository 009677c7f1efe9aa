"""Knowledge-base versions in storage: on SQLite and on a real PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import inspect, select, update

from bot.core.knowledge import KnowledgeService
from kb.loader import checksum
from storage.db import Database, affected, database_url
from storage.knowledge import kb_versions
from storage.models.knowledge import KbVersion


def _db(request, tmp_path) -> Database:
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_url")
    else:
        url = database_url(None, tmp_path)
    db = Database(url)
    db.migrate()
    return db


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request, tmp_path):
    database = _db(request, tmp_path)
    yield database
    database.dispose()


def test_migrations_create_tables_and_are_idempotent(db):
    """Alembic brings an empty database to the newest schema; running it again changes nothing."""
    db.migrate()
    tables = set(inspect(db.engine).get_table_names())
    assert {"kb_versions", "alembic_version"} <= tables


def test_add_active_replaces_the_previous_active_version(db, shipped_sources):
    """Only the newest loaded version is active; older ones are kept as history."""
    with db.session() as s:
        v1 = kb_versions.add_active(
            s,
            files=shipped_sources,
            checksum=checksum(shipped_sources),
            counts={"a": 1},
            source="first",
            created_by="tester",
            created_by_user_id=9_000_000_000,
        )
    with db.session() as s:
        v2 = kb_versions.add_active(
            s,
            files=shipped_sources,
            checksum="x" * 64,
            counts={"a": 2},
            source="second",
            created_by="tester",
        )
    with db.session() as s:
        active = kb_versions.active(s)
        history = kb_versions.history(s)
    assert v2.id == active.id
    assert [v2.id, v1.id] == [v.id for v in history]
    assert shipped_sources == active.files
    assert active.created_at.tzinfo is not None


def test_user_ids_are_64_bit(db, shipped_sources):
    """Telegram ids above 2**31 survive a round trip."""
    big = 2**40 + 7
    with db.session() as s:
        v = kb_versions.add_active(
            s,
            files={},
            checksum="c" * 64,
            counts={},
            source="s",
            created_by="t",
            created_by_user_id=big,
        )
    with db.session() as s:
        from storage.models.knowledge import KbVersion

        assert big == s.get(KbVersion, v.id).created_by_user_id


def test_failed_transaction_rolls_back(db):
    """An error inside a unit of work leaves nothing behind."""
    with pytest.raises(RuntimeError), db.session() as s:
        kb_versions.add_active(
            s, files={}, checksum="d" * 64, counts={}, source="s", created_by="t"
        )
        raise RuntimeError("boom")
    with db.session() as s:
        assert kb_versions.active(s) is None


def test_naive_datetime_refused(db):
    """Timestamps must be timezone-aware."""
    from storage.models.knowledge import KbVersion

    # SQLAlchemy wraps the ValueError
    with pytest.raises(Exception), db.session() as s:  # noqa: B017
        s.add(
            KbVersion(
                files={},
                checksum="e" * 64,
                counts={},
                source="s",
                created_by="t",
                is_active=False,
                created_at=datetime(2026, 1, 1),
            )
        )
        s.flush()
    with db.session() as s:
        s.add(
            KbVersion(
                files={},
                checksum="e" * 64,
                counts={},
                source="s",
                created_by="t",
                is_active=False,
                created_at=datetime(2026, 1, 1, tzinfo=UTC),
            )
        )


def test_fresh_database_loads_shipped_kb(db, kb_dir):
    """On a fresh database the shipped knowledge base becomes version 1."""
    service = KnowledgeService(db, kb_dir)
    active = service.start()
    assert 1 == active.version.id
    assert 59 == active.version.counts["indicators"]
    assert "system (shipped knowledge base)" == active.version.created_by


def test_restart_uses_stored_version_not_files(db, kb_dir):
    """After a restart the active version comes from storage, even if the files changed since."""
    KnowledgeService(db, kb_dir).start()
    (kb_dir / "plan_18_kh_ubnd_2026.yaml").write_text("broken: [", encoding="utf-8")
    again = KnowledgeService(db, kb_dir).start()
    assert 1 == again.version.id
    assert 42 == len(again.index.plan_indicators("plan-18-2026"))


def test_broken_reload_keeps_active_version(db, kb_dir):
    """A reload with a broken file lists the problems and changes neither storage nor answers."""
    service = KnowledgeService(db, kb_dir)
    before = service.start()
    path = kb_dir / "plan_18_kh_ubnd_2026.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('code: "1.2"', 'code: "1.1"', 1), encoding="utf-8"
    )
    result = service.load_from(kb_dir, created_by="admin")
    assert not result.ok
    assert any("duplicate indicator code '1.1'" in str(p) for p in result.problems)
    assert before is service.current
    with db.session() as s:
        assert before.version.id == kb_versions.active(s).id


def test_good_reload_swaps_and_reports_changes(db, kb_dir):
    """A valid changed KB becomes a new version, swapped in, with the change summarised."""
    service = KnowledgeService(db, kb_dir)
    before = service.start()
    path = kb_dir / "plan_18_kh_ubnd_2026.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            '- {agency: "Đài khí tượng Thủy văn tỉnh"}', '- {agency: "Sở Xây dựng"}', 1
        ),
        encoding="utf-8",
    )
    result = service.load_from(kb_dir, created_by="admin", user_id=42)
    assert result.ok and not result.unchanged
    assert before.version.id + 1 == service.current.version.id
    assert ["plan-18-2026 1.9"] == result.changes.indicators_changed
    same = service.load_from(kb_dir, created_by="admin")
    assert same.unchanged and service.current.version.id == result.version.id


def test_database_url_forms(tmp_path):
    """postgres:// and postgresql:// URLs get the psycopg 3 driver; no URL means SQLite in the
    data dir."""
    assert database_url("postgres://u@h/db", tmp_path).startswith("postgresql+psycopg://")
    assert database_url("postgresql://u@h/db", tmp_path).startswith("postgresql+psycopg://")
    assert database_url(None, tmp_path) == f"sqlite:///{(tmp_path / 'pgi.sqlite3').resolve()}"


def test_settings_hide_secrets(settings):
    """The token and the database URL never appear in the settings' repr."""
    s = replace(settings, telegram_token="123:SECRET", database_url="postgresql://u:pw@h/db")
    assert "SECRET" not in repr(s) and "pw" not in repr(s)


def test_a_flow_left_half_way_is_forgotten_after_two_hours(db):
    """A dialog state older than the TTL reads as no state (and is removed); a fresh one is
    kept."""
    from datetime import timedelta

    from storage.conversation import dialogs
    from storage.models.base import utcnow
    from storage.models.conversation import DialogState

    with db.session() as s:
        dialogs.set_state(s, "telegram", "1", 1, "progress", {"step": "status"})
        dialogs.set_state(s, "telegram", "2", 2, "progress", {"step": "status"})
        s.get(DialogState, ("telegram", "1", 1)).updated_at = (
            utcnow() - dialogs.STATE_TTL - timedelta(minutes=1)
        )
    with db.session() as s:
        old, fresh = (
            dialogs.get_state(s, "telegram", "1", 1),
            dialogs.get_state(s, "telegram", "2", 2),
        )
    with db.session() as s:
        gone = s.get(DialogState, ("telegram", "1", 1))
    assert (None, ("progress", {"step": "status"}), None) == (old, fresh, gone)


def test_affected_counts_the_rows_an_update_matched_and_refuses_a_query(db):
    """``affected`` reads the row count of an UPDATE (0 when nothing matched); the result of an ORM
    query has none, and saying 0 for it would hide a mistake."""
    with db.session() as s:
        kb_versions.add_active(
            s, files={}, checksum="e" * 64, counts={}, source="s", created_by="t"
        )
        assert 1 == affected(s.execute(update(KbVersion).values(created_by="u")))
        assert 0 == affected(
            s.execute(update(KbVersion).where(KbVersion.created_by == "nobody").values(source="x"))
        )
        with pytest.raises(TypeError):
            affected(s.execute(select(KbVersion)))
