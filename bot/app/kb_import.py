"""`python -m bot kb import`: a new plan's appendix to a complete knowledge-base folder."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kb.importer import ImportError_, ImportResult, import_onto
from kb.importer.writer import write_folder
from kb.loader import KbError, read_sources

if TYPE_CHECKING:
    from bot.app.config import Settings


def _unsafe_out(out: Path, base: Path) -> str | None:
    """Why ``out`` must not be written (its YAML files are replaced), or None."""
    if out.exists() and not out.is_dir():
        return f"{out} is a file; give a folder for the new knowledge base"
    if out.exists() and out.resolve() == base.resolve():
        return f"{out} is the knowledge base imported onto; write the draft to a new folder"
    if out.is_dir() and any(p.suffix not in (".yaml", ".yml") for p in out.iterdir()):
        return f"{out} holds other files than YAML; give a new or empty folder"
    return None


def active_files(settings: Settings) -> tuple[dict[str, str], int] | None:
    """The files of the knowledge-base version active in the database and its id, or None when no
    database is there (a SQLite file not yet created is not created here) or none is active."""
    from storage.db import database_url
    from storage.knowledge import kb_versions

    if not settings.database_url and not (settings.data_dir / "pgi.sqlite3").is_file():
        return None
    version = kb_versions.active_at(database_url(settings.database_url, settings.data_dir))
    return (dict(version.files), version.id) if version else None


def _base(args: argparse.Namespace, settings: Settings) -> tuple[dict[str, str], Path | None, str]:
    """What the import builds on: (files, their folder if any, how to name it). The active version
    in the database, as the console does, unless ``--kb`` names a folder (``--kb`` alone:
    PGI_KB_DIR); a folder too when there is no database or no active version."""
    if args.kb is None:
        found = active_files(settings)
        if found is not None:
            files, version = found
            return files, None, f"the active knowledge-base version {version} in the database"
        folder, why = settings.kb_dir, " (no active version in a database)"
    else:
        folder, why = (Path(args.kb) if args.kb else settings.kb_dir), ""
    return read_sources(folder), folder, f"the folder {folder}{why}"


def folder_named(named: str) -> bool:
    return named.startswith("the folder")


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    paths = [Path(s) for s in args.sources]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        print(f"no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    base: Path | str = args.kb or settings.kb_dir
    named = f"the folder {base}"
    try:
        files, folder, named = _base(args, settings)
        base = folder or base
        print(f"building on {named}")
        result = import_onto(paths, files)
    except ImportError_ as exc:
        print(f"not imported: {exc}", file=sys.stderr)
        return 1
    except KbError as exc:
        print(
            f"{named} has {len(exc.problems)} problem(s); "
            + (
                f"run `python -m bot kb check {base}`"
                if folder_named(named)
                else "load a valid version with `python -m bot kb load`"
            ),
            file=sys.stderr,
        )
        return 1
    out = Path(args.out)
    why = _unsafe_out(out, Path(base))
    if why:
        print(f"not written: {why}", file=sys.stderr)
        return 2
    problems = write_folder(result.files, out)
    flags = [f.as_dict() for f in result.flags]
    if args.report:
        Path(args.report).write_text(
            json.dumps(flags, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    _print_result(result, out, flags)
    if problems:
        print(f"{len(problems)} problem(s) in {out}; fix them before loading:")
        for p in problems:
            print(f"  {p.located()}")
        return 1
    print(
        f"OK: {out} passes `kb check`; review the flagged cells, then `python -m bot kb load"
        f" {out}`"
    )
    return 0


def _print_result(result: ImportResult, out: Path, flags: list[dict[str, str]]) -> None:
    """What was imported where, and every flagged cell with why."""
    plan = result.draft.plan
    n = sum(len(c["indicators"]) for c in plan["components"])
    doc = plan["document"]
    what = f"replacing {', '.join(result.replaced)}" if result.replaced else "added"
    print(
        f"{doc.get('number') or 'plan without a number'}: {len(plan['components'])} components, "
        f"{n} indicators → {out / result.plan_file} ({what})"
    )
    print(f"{len(flags)} cell(s) to review" + (":" if flags else ""))
    for f in flags:
        print(
            f"  {f['indicator'] or '-'} {f['field']}: {f['chosen']!r} — {f['why']}"
            + (f" (read: {f['read']!r})" if f["read"] and f["read"] != f["chosen"] else "")
        )
