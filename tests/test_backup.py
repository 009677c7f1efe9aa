"""`python -m bot backup FILE` and `restore FILE`, in real processes, on SQLite and PostgreSQL:
after a backup, a wipe and a restore the database has the same rows, the data folder the same
files,
and the bot
gives the same answers and the same report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import MetaData, create_engine, select

from bot.app.services import build_services
from bot.core.audience import Audience
from storage.db import database_url
from storage.ops import backup
from storage.schedule import deadlines as deadline_store
from storage.tracking import evidence, explanations, review
from storage.tracking import progress as progress_store

ROOT = Path(__file__).resolve().parent.parent
AT = datetime(2026, 6, 5, 3, 0, tzinfo=UTC)


def bot(env: dict, *args: str) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("PGI_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env={**full, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def seed(services) -> None:
    """Progress with evidence, a review, a deadline, a request; a report and a key file."""
    data = Path(services.settings.data_dir)
    kept = evidence.keep(data, b"%PDF-1.4 bien ban nghiem thu", "bien-ban.pdf")
    with services.db.session() as s:
        u = progress_store.add(
            s,
            author_id=1,
            author_name="Lan",
            agency_id="so-xay-dung",
            agency_name="Sở Xây dựng",
            plan_id="plan-18-2026",
            indicator_code="1.5",
            kb_version_id=1,
            status="in_progress",
            percent=60,
            note="đã sửa 3 công trình",
            file_name="bien-ban.pdf",
            file_kind="document",
            file_path=kept.path,
            file_size=kept.size,
            created_at=AT,
        )
        review.confirm(s, u.id, 99, AT + timedelta(hours=1))
        deadline_store.add(
            s, "Báo cáo chỉ số 1.13", date(2026, 6, 1), Audience.role("lead", "1.13").spec, 99
        )
        explanations.create(
            s,
            agency_id="so-xay-dung",
            agency_name="Sở Xây dựng",
            plan_id="plan-18-2026",
            indicator_code="1.5",
            text="Vì sao chậm?",
            due_date=date(2026, 6, 20),
            requested_by=99,
            now=AT,
        )
    (data / "reports").mkdir(exist_ok=True)
    (data / "reports" / "bao-cao-2026-06-10.xlsx").write_bytes(b"PK\x03\x04 a stored report")
    (data / "session.key").write_text("k" * 64)
    (data / "session.key").chmod(0o600)


def rows(url: str) -> dict[str, list]:
    engine = create_engine(url)
    meta = MetaData()
    meta.reflect(engine)
    out = {}
    with engine.connect() as conn:
        for table in meta.sorted_tables:
            out[table.name] = sorted(repr(tuple(r)) for r in conn.execute(select(table)))
    engine.dispose()
    return out


def files(data: Path) -> dict[str, bytes]:
    skip = {"pgi.sqlite3", "pgi.sqlite3-wal", "pgi.sqlite3-shm"}
    return {
        p.relative_to(data).as_posix(): p.read_bytes()
        for p in sorted(data.rglob("*"))
        if p.is_file() and p.name not in skip
    }


def answers_and_report(env: dict, out: Path) -> tuple[str, str, list]:
    asked = bot(
        env,
        "ask",
        "--as",
        "Sở Xây dựng",
        "--now",
        "2026-06-10",
        "--json",
        "tiến độ chỉ số 1.5 của sở xây dựng",
    )
    assert asked.returncode == 0, asked.stderr
    report = bot(env, "report", "--xlsx", str(out), "--as-of", "10/06/2026")
    assert report.returncode == 0, report.stderr
    cells = [[c.value for c in row] for ws in load_workbook(out) for row in ws.iter_rows()]
    return asked.stdout, report.stdout.splitlines()[0], cells


def round_trip(settings, tmp_path, env: dict, wiped_env: dict) -> None:
    services = build_services(settings)
    seed(services)
    url = services.db.url
    services.close()
    before_rows, before_files = rows(url), files(settings.data_dir)
    before = answers_and_report(env, tmp_path / "before.xlsx")
    archive = tmp_path / "pgi-backup.tar.gz"
    done = bot(env, "backup", str(archive))
    assert done.returncode == 0, done.stderr
    assert "written:" in done.stdout

    wiped_data = Path(wiped_env["PGI_DATA_DIR"])
    done = bot(wiped_env, "restore", str(archive))
    assert done.returncode == 0, done.stderr
    wiped_url = database_url(wiped_env.get("DATABASE_URL"), wiped_data)
    assert rows(wiped_url) == before_rows
    assert files(wiped_data) == before_files
    assert (wiped_data / "session.key").stat().st_mode & 0o777 == 0o600  # owner-only, as it was
    assert archive.stat().st_mode & 0o777 == 0o600
    assert answers_and_report(wiped_env, tmp_path / "after.xlsx") == before

    again = bot(wiped_env, "restore", str(archive))  # the target is no longer empty
    assert again.returncode == 1
    assert "--force" in again.stderr and "Traceback" not in again.stderr
    forced = bot(wiped_env, "restore", "--force", str(archive))
    assert forced.returncode == 0, forced.stderr
    assert rows(wiped_url) == before_rows


def test_sqlite_backup_wipe_restore_round_trip(settings, tmp_path):
    env = {"PGI_DATA_DIR": str(settings.data_dir), "PGI_KB_DIR": str(settings.kb_dir)}
    wiped = {"PGI_DATA_DIR": str(tmp_path / "wiped"), "PGI_KB_DIR": str(settings.kb_dir)}
    round_trip(settings, tmp_path, env, wiped)


@pytest.mark.postgres
def test_postgresql_backup_wipe_restore_round_trip(settings, tmp_path, postgres_url, request):
    other = request.getfixturevalue("postgres_url_2")
    settings = replace(settings, database_url=postgres_url)
    env = {
        "PGI_DATA_DIR": str(settings.data_dir),
        "PGI_KB_DIR": str(settings.kb_dir),
        "DATABASE_URL": postgres_url,
    }
    wiped = {
        "PGI_DATA_DIR": str(tmp_path / "wiped"),
        "PGI_KB_DIR": str(settings.kb_dir),
        "DATABASE_URL": other,
    }
    round_trip(settings, tmp_path, env, wiped)


@pytest.fixture
def postgres_url_2(postgres_server):
    """A second empty database: the one restored into."""
    import uuid

    from sqlalchemy import text

    name = f"pgi_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield postgres_server.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_the_archive_has_a_manifest_with_every_checksum(services, tmp_path):
    seed(services)
    archive = tmp_path / "b.tar.gz"
    summary = backup.create(archive, services.db.url, services.settings.data_dir)
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert names[0] == "manifest.json"
    assert set(manifest["files"]) == set(names[1:])
    assert manifest["database"] == {
        "dialect": "sqlite",
        "member": "database/pgi.sqlite3",
        "revision": summary.revision,
    }
    assert {"data/session.key", "data/reports/bao-cao-2026-06-10.xlsx"} <= set(manifest["files"])
    assert not any(
        n.startswith("data/pgi.sqlite3") for n in names
    )  # the database goes in as its consistent copy


def test_a_damaged_archive_is_refused_before_anything_is_written(services, tmp_path):
    seed(services)
    archive = tmp_path / "b.tar.gz"
    backup.create(archive, services.db.url, services.settings.data_dir)
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(damaged, "w:gz") as dst:
        for info in src.getmembers():
            body = src.extractfile(info).read()
            if info.name == "data/session.key":
                body = b"x" * len(body)
            dst.addfile(info, __import__("io").BytesIO(body))
    target = tmp_path / "empty"
    with pytest.raises(backup.BackupError, match="checksum"):
        backup.restore(damaged, database_url(None, target), target)
    assert not (target / "pgi.sqlite3").exists() and not (target / "session.key").exists()


def test_restore_refuses_another_kind_of_database_and_a_missing_file(services, tmp_path):
    archive = tmp_path / "b.tar.gz"
    backup.create(archive, services.db.url, services.settings.data_dir)
    with pytest.raises(backup.BackupError, match="same kind"):
        backup.restore(archive, "postgresql+psycopg://nobody@127.0.0.1:1/none", tmp_path / "x")
    with pytest.raises(backup.BackupError, match="no such file"):
        backup.restore(tmp_path / "missing.tar.gz", services.db.url, tmp_path / "x")
    not_tar = tmp_path / "notes.txt"
    not_tar.write_text("hello")
    with pytest.raises(backup.BackupError, match="not a readable backup"):
        backup.restore(not_tar, services.db.url, tmp_path / "x")
