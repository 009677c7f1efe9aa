"""`python -m bot kb import`: a new plan's appendix to a complete knowledge-base folder."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kb.importer import ImportError_, import_sources
from kb.importer.writer import write_folder
from kb.loader import KbError


def _unsafe_out(out: Path, base: Path) -> str | None:
    """Why ``out`` must not be written (its YAML files are replaced), or None."""
    if out.exists() and not out.is_dir():
        return f"{out} is a file; give a folder for the new knowledge base"
    if out.exists() and out.resolve() == base.resolve():
        return f"{out} is the knowledge base imported onto; write the draft to a new folder"
    if out.is_dir() and any(p.suffix not in (".yaml", ".yml") for p in out.iterdir()):
        return f"{out} holds other files than YAML; give a new or empty folder"
    return None


def cmd_import(args: argparse.Namespace, kb_dir: Path) -> int:
    base = Path(args.kb) if args.kb else kb_dir
    paths = [Path(s) for s in args.sources]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        print(f"no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    try:
        result = import_sources(paths, base)
    except ImportError_ as exc:
        print(f"not imported: {exc}", file=sys.stderr)
        return 1
    except KbError as exc:
        print(
            f"the knowledge base in {base} has {len(exc.problems)} problem(s); "
            f"run `python -m bot kb check {base}`",
            file=sys.stderr,
        )
        return 1
    out = Path(args.out)
    why = _unsafe_out(out, base)
    if why:
        print(f"not written: {why}", file=sys.stderr)
        return 2
    problems = write_folder(result.files, out)
    flags = [f.as_dict() for f in result.flags]
    if args.report:
        Path(args.report).write_text(
            json.dumps(flags, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
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
    if problems:
        print(f"{len(problems)} problem(s) in {out}; fix them before loading:")
        for p in problems:
            print(f"  {p.located()}")
        return 1
    print(
        f"OK: {out} passes `kb check`; review the flagged cells, "
        f"then `python -m bot kb load {out}`"
    )
    return 0
