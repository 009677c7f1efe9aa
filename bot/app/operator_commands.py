"""The operator's commands at the terminal: `kb check|load|show|import`, `report`, `db upgrade`,
`backup` and `restore`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.app.config import Settings
from kb.loader import KbError, read_sources, validate, with_shipped


def cmd_kb(args: argparse.Namespace, settings: Settings) -> int:
    if args.kb_command == "import":
        from bot.app.kb_import import cmd_import

        return cmd_import(args, settings)
    if args.kb_command == "check":
        return cmd_kb_check(Path(args.path) if args.path else settings.kb_dir, settings.kb_dir)
    from bot.app.services import build_services

    services = build_services(settings, load_kb=args.kb_command == "show")
    try:
        if args.kb_command == "show":
            v = services.knowledge.current.version
            print(
                f"version {v.id}, loaded {v.created_at:%Y-%m-%d %H:%M} UTC by {v.created_by} from"
                f" {v.source}"
            )
            print(", ".join(f"{n} {k}" for k, n in v.counts.items()))
            return 0
        path = Path(args.path) if args.path else settings.kb_dir
        result = services.knowledge.load_from(path, created_by=args.by)
        if not result.ok:
            print(
                f"not loaded: {len(result.problems)} problem(s) in {path}; the active version is"
                " unchanged:"
            )
            for p in result.problems:
                print(f"  {p.located()}")
            return 1
        assert result.version is not None
        if result.unchanged:
            print(f"unchanged: {path} is already the active version {result.version.id}")
            return 0
        print(
            f"loaded version {result.version.id} from {path}: "
            + ", ".join(f"{n} {k}" for k, n in result.version.counts.items())
        )
        return 0
    finally:
        services.close()


def cmd_kb_check(path: Path, kb_dir: Path) -> int:
    """`kb check PATH`: every problem with its file and line; a single file or a folder without the
    agency registry is checked with the files of ``kb_dir`` around it (named in the output)."""
    borrowed: list[str] = []
    try:
        sources = read_sources(path)
        if path.resolve() != kb_dir.resolve():
            sources, borrowed = with_shipped(sources, _shipped(kb_dir), one_file=path.is_file())
        kb, problems = validate(sources)
    except KbError as exc:
        kb, problems = None, exc.problems
    if borrowed:
        print(f"checked with {', '.join(borrowed)} from {kb_dir}")
    if problems or kb is None:
        print(f"{len(problems)} problem(s) in {path}:")
        for p in sorted(problems, key=lambda p: (p.file, p.line or 0)):
            print(f"  {p.located()}")
        return 1
    counts = ", ".join(f"{v} {k}" for k, v in kb.counts().items())
    print(f"OK: {path} — {counts}")
    return 0


def _shipped(kb_dir: Path) -> dict[str, str]:
    """The files of the configured knowledge base (nothing when it cannot be read: then the check
    reports what the given files lack)."""
    try:
        return read_sources(kb_dir)
    except KbError:
        return {}


def cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app.services import build_services
    from bot.reporting.chart import write_chart
    from bot.reporting.official import DEPUTY, DIRECTOR, Signer, write_official_report
    from bot.reporting.report import load_report, summary_text
    from bot.reporting.status import StatusRules
    from bot.reporting.workbook import write_workbook

    if not args.docx and not args.xlsx:
        print(
            "report: give --docx FILE (the report to UBND tỉnh) or --xlsx FILE (the workbook), or"
            " both",
            file=sys.stderr,
        )
        return 2
    xlsx = Path(args.xlsx) if args.xlsx else Path(args.docx).with_suffix(".xlsx")
    services = build_services(settings)
    try:
        conv = services.conversation
        today = args.as_of or conv.now().astimezone(conv.tz).date()
        with services.db.session() as s:
            data = load_report(
                s, services.knowledge.current, StatusRules.from_settings(settings), today, conv.tz
            )
        tr = services.translations.get(args.lang)
        written = [str(write_workbook(tr, data, xlsx, conv.tz))]
        if args.docx:
            signer = Signer(
                DEPUTY if args.deputy else DIRECTOR, (args.signer or "").strip() or None
            )
            written.insert(
                0,
                str(
                    write_official_report(
                        services.translations.get("vi"),
                        data,
                        args.docx,
                        conv.tz,
                        appendix=xlsx.name,
                        signer=signer,
                    )
                ),
            )
        if args.png:
            written.append(str(write_chart(tr, data.board, args.png)))
        print(summary_text(tr, data.board))
        print("written: " + ", ".join(written))
    finally:
        services.close()
    return 0


def cmd_db(settings: Settings) -> int:
    """`db upgrade`: the migrations up to the newest, then the revision the database is at."""
    from bot.app.services import build_services
    from storage.ops.backup import database_revision

    services = build_services(settings, load_kb=False)
    try:
        print(f"database schema is up to date (revision {database_revision(services.db.url)})")
    finally:
        services.close()
    return 0


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    """`backup FILE` and `restore FILE [--force]` (see storage/backup.py)."""
    from storage.db import database_url
    from storage.ops import backup

    url = database_url(settings.database_url, settings.data_dir)
    try:
        if args.command == "backup":
            done = backup.create(Path(args.file), url, settings.data_dir)
            print(
                f"written: {done.archive} ({done.size} bytes): {done.dialect} database at revision"
                f" {done.revision}, {done.files} file(s) of the data folder"
            )
            return 0
        done = backup.restore(Path(args.file), url, settings.data_dir, force=args.force)
    except backup.BackupError as exc:
        print(f"{args.command}: {exc}", file=sys.stderr)
        return 1
    print(
        f"restored from {done.archive}: {done.dialect} database at revision {done.revision}, "
        f"{done.files} file(s) into {settings.data_dir}; next: python -m bot db upgrade"
    )
    return 0
