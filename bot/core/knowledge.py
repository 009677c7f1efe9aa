"""The active knowledge base: loaded from storage, rebuilt aside on reload, swapped in at once.

Readers take ``service.current`` once per question and use that snapshot throughout, so a question
asked during a reload is answered from one consistent version.
"""

from __future__ import annotations

import logging
import re
import threading
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from bot.app.i18n import CHANNEL_NAMES, N_, Translator, channel_name
from kb.ask.engine import Engine
from kb.diff import KbDiff, diff
from kb.index import KbIndex
from kb.loader import KbError, Problem, checksum, load, read_sources
from kb.model import Document, KnowledgeBase
from storage.db import Database, Session
from storage.knowledge import kb_versions
from storage.knowledge.kb_versions import KbVersionInfo

log = logging.getLogger(__name__)
SHIPPED_BY = N_("system (shipped knowledge base)")  # stored in English, shown translated
# "Admin An (zalo)": a person and the channel they reloaded from (bot/flows/admin.py)
_BY_CHANNEL = re.compile(r"^(?P<name>.+) \((?P<channel>[a-z]+)\)$")


def loaded_by(tr: Translator, text: str | None) -> str:
    """Who loaded a version, as stored ("system (shipped knowledge base)", "command line",
    "Admin An (zalo)"), in the reader's language; a person's name is kept."""
    if not text:
        return ""
    m = _BY_CHANNEL.match(text)
    if m and m["channel"] in CHANNEL_NAMES:
        return "{name} ({channel})".format(
            name=tr.gettext(m["name"]), channel=channel_name(tr, m["channel"])
        )
    return tr.gettext(text)


@dataclass(frozen=True)
class ActiveKb:
    version: KbVersionInfo
    kb: KnowledgeBase
    index: KbIndex
    engine: Engine

    @property
    def plan(self) -> Document:
        """The current assignment plan (every valid knowledge base has one)."""
        return self.index.require_plan()


@dataclass(frozen=True)
class LoadResult:
    ok: bool
    problems: list[Problem]
    version: KbVersionInfo | None = None
    changes: KbDiff | None = None
    unchanged: bool = False


def build(version: KbVersionInfo) -> ActiveKb:
    kb = load(version.files)
    index = KbIndex(kb)
    return ActiveKb(version, kb, index, Engine(index))


class KnowledgeService:
    def __init__(self, db: Database, shipped_dir: Path):
        self.db = db
        self.shipped_dir = shipped_dir
        self._active: ActiveKb | None = None
        self._write_lock = threading.Lock()

    @property
    def current(self) -> ActiveKb:
        active = self._active
        if active is None:
            raise RuntimeError("knowledge base not loaded; call start() first")
        return active

    def start(self) -> ActiveKb:
        """Load the active version; on a fresh database, store the shipped knowledge base first."""
        with self.db.session() as session:
            version = kb_versions.active(session)
        if version is None:
            result = self.load_from(self.shipped_dir, created_by=SHIPPED_BY)
            if not result.ok:
                raise KbError(result.problems)
            return self.current
        self._active = build(version)
        return self._active

    def load_from(
        self,
        path: Path,
        created_by: str,
        user_id: int | None = None,
        session: Session | None = None,
    ) -> LoadResult:
        """Validate files and, when valid, store them as a new active version and swap it in.

        ``session``: the caller's transaction (a chat command's unit of work), so that SQLite,
        which lets one writer in at a time, is not asked for a second write transaction while it is
        open.
        """
        try:
            files = read_sources(path)
            kb = load(files)
        except KbError as exc:
            return LoadResult(False, exc.problems)
        with self._write_lock:
            previous = self._active
            digest = checksum(files)
            if previous is not None and previous.version.checksum == digest:
                return LoadResult(True, [], previous.version, None, unchanged=True)
            index = KbIndex(kb)
            with self.db.session() if session is None else nullcontext(session) as s:
                version = kb_versions.add_active(
                    s,
                    files=files,
                    checksum=digest,
                    counts=kb.counts(),
                    source=str(path),
                    created_by=created_by,
                    created_by_user_id=user_id,
                )
            self._active = ActiveKb(version, kb, index, Engine(index))
            log.info("knowledge base version %s active (%s)", version.id, version.counts)
            return LoadResult(True, [], version, diff(previous.kb if previous else None, kb))

    def stage(
        self, files: dict[str, str], source: str, created_by: str, user_id: int | None = None
    ) -> LoadResult:
        """Validate files and, when valid, store them as a new version that is not active yet.

        ``changes`` compares it with the active version; a set equal to the active one is not
        stored.
        """
        try:
            kb = load(files)
        except KbError as exc:
            return LoadResult(False, exc.problems)
        active = self.current
        digest = checksum(files)
        if active.version.checksum == digest:
            return LoadResult(True, [], active.version, None, unchanged=True)
        with self.db.session() as session:
            version = kb_versions.add_inactive(
                session,
                files=files,
                checksum=digest,
                counts=kb.counts(),
                source=source,
                created_by=created_by,
                created_by_user_id=user_id,
            )
        return LoadResult(True, [], version, diff(active.kb, kb))

    def changes_of(self, version_id: int) -> tuple[KbVersionInfo, KbDiff] | None:
        """A stored version and what activating it would change against the active one."""
        with self.db.session() as session:
            version = kb_versions.get(session, version_id)
        if version is None:
            return None
        return version, diff(self.current.kb, load(version.files))

    def activate_version(self, version_id: int, by: str) -> LoadResult:
        """Make a stored version (a reviewed upload, or an earlier one: a rollback) the active
        one and swap it in."""
        with self._write_lock:
            with self.db.session() as session:
                stored = kb_versions.get(session, version_id)
            if stored is None:
                return LoadResult(
                    False, [Problem.of(f"#{version_id}", "", N_("no such knowledge-base version"))]
                )
            try:
                built = build(stored)
            except KbError as exc:
                return LoadResult(False, exc.problems)
            previous = self._active
            with self.db.session() as session:
                version = kb_versions.activate(session, version_id)
            assert version is not None
            self._active = ActiveKb(version, built.kb, built.index, built.engine)
            log.info("knowledge base version %s activated by %s", version_id, by)
            return LoadResult(True, [], version, diff(previous.kb if previous else None, built.kb))
