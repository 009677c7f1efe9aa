"""Repository of knowledge-base versions. Takes a session; never commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.models.knowledge import KbVersion


@dataclass(frozen=True)
class KbVersionInfo:
    id: int
    created_at: datetime
    created_by: str
    source: str
    checksum: str
    counts: dict
    files: dict[str, str]
    is_active: bool = False


def _info(row: KbVersion) -> KbVersionInfo:
    return KbVersionInfo(
        row.id,
        row.created_at,
        row.created_by,
        row.source,
        row.checksum,
        dict(row.counts),
        dict(row.files),
        row.is_active,
    )


def active(session: Session) -> KbVersionInfo | None:
    row = session.scalars(
        select(KbVersion).where(KbVersion.is_active.is_(True)).order_by(KbVersion.id.desc())
    ).first()
    return _info(row) if row else None


def get(session: Session, version_id: int) -> KbVersionInfo | None:
    row = session.get(KbVersion, version_id)
    return _info(row) if row else None


def add_active(
    session: Session,
    *,
    files: dict[str, str],
    checksum: str,
    counts: dict,
    source: str,
    created_by: str,
    created_by_user_id: int | None = None,
) -> KbVersionInfo:
    """Store a validated knowledge base and make it the active one (in the caller's
    transaction)."""
    session.execute(update(KbVersion).where(KbVersion.is_active.is_(True)).values(is_active=False))
    return _store(session, files, checksum, counts, source, created_by, created_by_user_id, True)


def add_inactive(
    session: Session,
    *,
    files: dict[str, str],
    checksum: str,
    counts: dict,
    source: str,
    created_by: str,
    created_by_user_id: int | None = None,
) -> KbVersionInfo:
    """Store a validated knowledge base without activating it (an upload waiting for review)."""
    return _store(session, files, checksum, counts, source, created_by, created_by_user_id, False)


def _store(
    session: Session,
    files: dict[str, str],
    checksum: str,
    counts: dict,
    source: str,
    created_by: str,
    created_by_user_id: int | None,
    active: bool,
) -> KbVersionInfo:
    row = KbVersion(
        files=files,
        checksum=checksum,
        counts=counts,
        source=source[:500],
        created_by=created_by[:200],
        created_by_user_id=created_by_user_id,
        is_active=active,
    )
    session.add(row)
    session.flush()
    return _info(row)


def activate(session: Session, version_id: int) -> KbVersionInfo | None:
    """Make a stored version the only active one (in the caller's transaction); None if there is
    none."""
    row = session.get(KbVersion, version_id)
    if row is None:
        return None
    session.execute(
        update(KbVersion)
        .where(KbVersion.is_active.is_(True), KbVersion.id != version_id)
        .values(is_active=False)
    )
    row.is_active = True
    session.flush()
    return _info(row)


def history(session: Session, limit: int = 10) -> list[KbVersionInfo]:
    rows = session.scalars(select(KbVersion).order_by(KbVersion.id.desc()).limit(limit)).all()
    return [_info(r) for r in rows]


def active_at(url: str) -> KbVersionInfo | None:
    """The active version of the database at ``url``, read without migrating it, or None when it
    has no knowledge-base table yet or no active version (for commands that need no running
    bot)."""
    from sqlalchemy import inspect

    from storage.db import make_engine

    engine = make_engine(url)
    try:
        if not inspect(engine).has_table(KbVersion.__tablename__):
            return None
        with Session(engine) as session:
            return active(session)
    finally:
        engine.dispose()
