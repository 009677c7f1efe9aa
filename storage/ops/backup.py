"""One-file backups of everything the bot keeps, and their restore.

An archive (tar.gz) holds ``manifest.json`` — format, when, the database's dialect and schema
revision, and the SHA-256 and size of every other member — then a consistent copy of the database
(SQLite's online backup API, or ``pg_dump`` in its custom format for PostgreSQL) and every file
under the data folder (evidence, reports, a session key kept there), the SQLite files excepted.
The database is copied first: files are written before the rows that name them, so every file a
copied row refers to is in the archive.

A restore checks the manifest and every checksum before it writes anything, and writes only into
an empty data folder and an empty database unless ``force`` is given.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/pgi.sqlite3"
PG_MEMBER = "database/pgi.pgdump"
DATA_PREFIX = "data/"
SQLITE_SUFFIXES = ("", "-wal", "-shm", "-journal")


class BackupError(Exception):
    """The backup or restore cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class Summary:
    archive: Path
    dialect: str
    revision: str | None
    files: int
    size: int


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def sqlite_path(url: str) -> Path | None:
    u = make_url(url)
    if not u.get_backend_name() == "sqlite":
        return None
    if not u.database or u.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(u.database)


def pg_env(url: str) -> dict[str, str]:
    """libpq's variables for a PostgreSQL URL: the password stays off the command line."""
    u = make_url(url)
    env = dict(os.environ)
    for var, value in (
        ("PGHOST", u.host),
        ("PGPORT", u.port),
        ("PGUSER", u.username),
        ("PGPASSWORD", u.password),
        ("PGDATABASE", u.database),
    ):
        if value is not None:
            env[var] = str(value)
    return env


def database_revision(url: str) -> str | None:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(text("select version_num from alembic_version")).scalar()
    finally:
        engine.dispose()


def _run(cmd: list[str], env: dict[str, str], what: str) -> None:
    try:
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(
            f"{cmd[0]} is not installed; install PostgreSQL's client programs "
            "(Debian: apt-get install postgresql-client-15)"
        ) from None
    if done.returncode != 0:
        first = (done.stderr.strip().splitlines() or ["no message"])[0][:300]
        raise BackupError(f"{what} failed: {first}")


def _copy_database(url: str, work: Path) -> tuple[str, str, Path]:
    """A consistent copy of the database in ``work``: (dialect, archive member name, the copy)."""
    path = sqlite_path(url)
    if path is not None:
        if not path.exists():
            raise BackupError(f"no SQLite database at {path}; check PGI_DATA_DIR or DATABASE_URL")
        target = work / "db.sqlite3"
        src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)  # the online backup API: a consistent snapshot while the bot runs
        finally:
            dst.close()
            src.close()
        return "sqlite", SQLITE_MEMBER, target
    target = work / "db.pgdump"
    _run(
        ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"],
        pg_env(url),
        "pg_dump",
    )
    return "postgresql", PG_MEMBER, target


def _data_files(data_dir: Path, skip: set[Path]) -> Iterator[tuple[Path, str]]:
    if not data_dir.is_dir():
        return
    for path in sorted(data_dir.rglob("*")):
        if path.is_file() and not path.is_symlink() and path.resolve() not in skip:
            yield path, DATA_PREFIX + path.relative_to(data_dir).as_posix()


def create(archive: Path, url: str, data_dir: Path) -> Summary:
    """Write the archive (atomically: a partial file never has the final name)."""
    archive = Path(archive)
    db_file = sqlite_path(url)
    skip = {archive.resolve()}
    if db_file is not None:
        skip |= {Path(str(db_file) + s).resolve() for s in SQLITE_SUFFIXES}
    revision = database_revision(url)
    archive.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pgi-backup-") as tmp:
        work = Path(tmp)
        dialect, member, copy = _copy_database(url, work)
        members = [(copy, member)]
        members += list(_data_files(Path(data_dir), skip))
        files = {
            name: {
                "sha256": _sha256(p),
                "size": p.stat().st_size,
                "mode": stat.S_IMODE(p.stat().st_mode),
            }
            for p, name in members
        }
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": {"dialect": dialect, "member": member, "revision": revision},
            "files": files,
        }
        partial = archive.with_name(archive.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            body = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(body), int(datetime.now(UTC).timestamp())
            tar.addfile(info, io.BytesIO(body))
            for path, name in members:
                tar.add(path, arcname=name, recursive=False)
        os.chmod(partial, 0o600)  # it holds the database and any key of the data folder
        os.replace(partial, archive)
    return Summary(archive, dialect, revision, len(members) - 1, archive.stat().st_size)


def _safe_name(name: str) -> bool:
    p = PurePosixPath(name)
    return not p.is_absolute() and ".." not in p.parts and name == p.as_posix()


def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        raw = tar.extractfile(MANIFEST)
    except KeyError:
        raise BackupError("not a backup of this bot: the archive has no manifest.json") from None
    try:
        manifest = json.loads(raw.read()) if raw else None
    except ValueError:
        manifest = None
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != FORMAT
        or not isinstance(manifest.get("files"), dict)
    ):
        raise BackupError(f"manifest.json is not a backup manifest of format {FORMAT}")
    return manifest


def verify(archive: Path, into: Path) -> dict:
    """Extract the archive into ``into`` and check every member against the manifest."""
    try:
        tar = tarfile.open(archive, "r:gz")
    except FileNotFoundError:
        raise BackupError(f"{archive}: no such file") from None
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{archive}: not a readable backup archive ({exc})") from None
    with tar:
        manifest = read_manifest(tar)
        files: dict = manifest["files"]
        seen = set()
        for info in tar.getmembers():
            if info.name == MANIFEST:
                continue
            if info.name not in files or not info.isfile() or not _safe_name(info.name):
                raise BackupError(f"{archive}: member {info.name!r} is not in the manifest")
            target = into / info.name
            target.parent.mkdir(parents=True, exist_ok=True)
            with tar.extractfile(info) as src, target.open("wb") as dst:  # type: ignore[union-attr]
                shutil.copyfileobj(src, dst)
            if _sha256(target) != files[info.name]["sha256"]:
                raise BackupError(
                    f"{archive}: {info.name} does not match its checksum; the archive is damaged"
                )
            seen.add(info.name)
    missing = sorted(set(files) - seen)
    if missing:
        raise BackupError(
            f"{archive}: {len(missing)} file(s) of the manifest are missing, e.g. {missing[0]}"
        )
    return manifest


def _tables(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return inspect(conn).get_table_names()
    finally:
        engine.dispose()


def _occupied(url: str, data_dir: Path) -> list[str]:
    """What a restore would overwrite: tables in the database, files in the data folder."""
    found = []
    db_file = sqlite_path(url)
    if db_file is None or db_file.exists():
        tables = _tables(url)
        if tables:
            found.append(f"the database has {len(tables)} table(s)")
    skip = {Path(str(db_file) + s).resolve() for s in SQLITE_SUFFIXES} if db_file else set()
    files = list(_data_files(data_dir, skip))
    if files:
        found.append(f"the data folder {data_dir} has {len(files)} file(s)")
    return found


def _same_kind(manifest: dict, url: str) -> None:
    dialect = manifest["database"]["dialect"]
    db_file = sqlite_path(url)
    if (db_file is not None) != (dialect == "sqlite"):
        target = "SQLite" if db_file is not None else "PostgreSQL"
        raise BackupError(
            f"the backup holds a {dialect} database and DATABASE_URL points at {target}; "
            "restore into the same kind of database"
        )


def _restore_database(manifest: dict, work: Path, url: str, force: bool) -> None:
    member = work / manifest["database"]["member"]
    db_file = sqlite_path(url)
    if db_file is not None:
        db_file.parent.mkdir(parents=True, exist_ok=True)
        for suffix in SQLITE_SUFFIXES[1:]:
            Path(str(db_file) + suffix).unlink(missing_ok=True)
        partial = db_file.with_name(db_file.name + ".partial")
        shutil.copyfile(member, partial)
        os.replace(partial, db_file)
        return
    cmd = [
        "pg_restore",
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
    ]
    if force:
        cmd += ["--clean", "--if-exists"]
    env = pg_env(url)
    _run([*cmd, f"--dbname={env.get('PGDATABASE', '')}", str(member)], env, "pg_restore")


def restore(archive: Path, url: str, data_dir: Path, force: bool = False) -> Summary:
    """Check, then restore its database and files (into empty ones, unless ``force``)."""
    data_dir = Path(data_dir)
    with tempfile.TemporaryDirectory(prefix="pgi-restore-") as tmp:
        work = Path(tmp)
        manifest = verify(Path(archive), work)
        _same_kind(manifest, url)
        try:
            occupied = _occupied(url, data_dir)
        except OperationalError as exc:
            raise BackupError(
                f"the database cannot be reached ({str(exc.orig).splitlines()[0][:200]}); "
                "check DATABASE_URL"
            ) from None
        if occupied and not force:
            raise BackupError(
                "; ".join(occupied) + ": restore only into an empty database and data folder, "
                "or give --force to overwrite them"
            )
        _restore_database(manifest, work, url, force)
        names = [n for n in manifest["files"] if n.startswith(DATA_PREFIX)]
        for name in names:
            target = data_dir / name[len(DATA_PREFIX) :]
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".partial")
            shutil.copyfile(work / name, partial)
            # each file keeps its mode: a key file stays owner-only
            os.chmod(partial, manifest["files"][name].get("mode", 0o600) & 0o777)
            os.replace(partial, target)
    size = Path(archive).stat().st_size
    return Summary(
        Path(archive),
        manifest["database"]["dialect"],
        manifest["database"]["revision"],
        len(names),
        size,
    )
