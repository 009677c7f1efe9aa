"""`python -m bot` — run the bot, ask questions, check and load the knowledge base."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date, datetime
from pathlib import Path

from bot.app.config import ConfigError, Settings
from bot.app.i18n import LANGUAGES, pick_language
from bot.core.messages import Incoming, numbered
from kb.loader import KbError, read_sources, validate, with_shipped


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date; write YYYY-MM-DD") from exc


def _dmy(value: str) -> date:
    try:
        return datetime.strptime(value, "%d/%m/%Y").date()
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"'{value}' is not a date; write dd/mm/yyyy, e.g. 20/12/2026"
        ) from exc


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m bot", description="PGI assistant for Lạng Sơn province"
    )
    sub = p.add_subparsers(dest="command")
    sub.add_parser(
        "run",
        help=(
            "run the bot (Zalo and/or Telegram when their tokens are set, else a local terminal"
            " chat)"
        ),
    )
    ask = sub.add_parser("ask", help="answer one question, or a batch of JSON lines")
    ask.add_argument("question", nargs="*")
    ask.add_argument(
        "--as", dest="as_agency", help="the asker's agency, for 'tôi / đơn vị mình' questions"
    )
    ask.add_argument(
        "--now",
        type=_date,
        help="today's date (YYYY-MM-DD, Asia/Ho_Chi_Minh) for deadline questions",
    )
    ask.add_argument("--lang", choices=["vi", "en"], default="vi")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    ask.add_argument(
        "--batch", metavar="FILE", help='JSON lines {"q": ..., "as": ..., "now": ..., "lang": ...}'
    )
    kb = sub.add_parser("kb", help="knowledge-base commands")
    kb_sub = kb.add_subparsers(dest="kb_command", required=True)
    check = kb_sub.add_parser("check", help="validate knowledge-base files and list every problem")
    check.add_argument("path", nargs="?")
    load = kb_sub.add_parser("load", help="validate files and load them as the new active version")
    load.add_argument("path", nargs="?")
    load.add_argument(
        "--by", default="command line", help="who loads it (recorded with the version)"
    )
    kb_sub.add_parser("show", help="show the active version")
    imp = kb_sub.add_parser(
        "import",
        help="draft a knowledge-base folder from a new plan's appendix (Word, PDF, scan, text)",
    )
    imp.add_argument(
        "sources",
        nargs="+",
        metavar="SOURCE",
        help=".docx, .pdf, .txt, or page images (.png, .jpg) in order",
    )
    imp.add_argument(
        "--out", metavar="DIR", required=True, help="write the complete knowledge-base folder here"
    )
    imp.add_argument(
        "--report", metavar="FLAGS.json", help="write the cells to review as a JSON list"
    )
    imp.add_argument(
        "--kb",
        metavar="DIR",
        nargs="?",
        const="",
        help=(
            "build on this folder (alone: PGI_KB_DIR) instead of the version active in the"
            " database"
        ),
    )
    report = sub.add_parser(
        "report",
        help="the consolidated progress report of the current plan (Word, Excel, chart, summary)",
    )
    report.add_argument(
        "--docx",
        metavar="FILE",
        help=(
            "write the report to UBND tỉnh here (Word, Decree 30/2020/NĐ-CP layout; "
            "its appendix, the workbook, goes beside it unless --xlsx names it)"
        ),
    )
    report.add_argument("--xlsx", metavar="FILE", help="write the Excel workbook here")
    report.add_argument("--png", metavar="FILE", help="also write the chart here")
    report.add_argument(
        "--signer",
        metavar="NAME",
        help="the signer's full name in the Word report (left blank without it)",
    )
    report.add_argument(
        "--deputy",
        action="store_true",
        help="signed by a deputy director: KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC",
    )
    report.add_argument(
        "--as-of", dest="as_of", type=_dmy, help="the report's date (dd/mm/yyyy; default today)"
    )
    report.add_argument("--lang", choices=["vi", "en"], default="vi")
    web = sub.add_parser(
        "web", help="serve the web console alone on PORT (with /healthz), without any chat token"
    )
    web.add_argument(
        "--host", help="address to listen on (default: HOST, else 127.0.0.1; 0.0.0.0 for all)"
    )
    sub.add_parser(
        "web-link",
        help="print a one-time sign-in link to the web console, as an admin (valid 15 minutes)",
    )
    sub.add_parser(
        "web-rotate-key",
        help="replace the console's session-signing key (the old one works 8 more hours)",
    )
    db = sub.add_parser("db", help="database commands")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply database migrations")
    backup = sub.add_parser(
        "backup", help="write the database, evidence, reports and data-folder files to one archive"
    )
    backup.add_argument("file", help="the archive to write (.tar.gz)")
    restore = sub.add_parser(
        "restore",
        help="check a backup archive and restore it into an empty database and data folder",
    )
    restore.add_argument("file", help="the archive written by `backup`")
    restore.add_argument(
        "--force",
        action="store_true",
        help="overwrite a database and data folder that are not empty",
    )
    return p


def read_env_file(path: Path | None = None) -> Path | None:
    """The settings of a .env file (PGI_ENV_FILE, else ./.env) for the variables the environment
    does not set."""
    from dotenv import load_dotenv

    target = path or Path(os.environ.get("PGI_ENV_FILE") or ".env")
    if not target.is_file():
        return None
    load_dotenv(target, override=False)
    return target


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        read_env_file()
        settings = Settings.from_env()
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    from bot.app.services import setup_logging

    terminal = args.command in (None, "run") and not (
        settings.telegram_token or settings.zalo_token
    )
    quiet = terminal or args.command in (  # no log lines inside a chat or a command's output
        "ask",
        "kb",
        "db",
        "report",
        "web-link",
        "web-rotate-key",
        "backup",
        "restore",
    )
    setup_logging(
        "WARNING" if quiet else settings.log_level,
        *settings.secrets(),
        personal_data=settings.log_personal_data,
        json_lines=settings.log_format == "json",
    )
    try:
        if args.command == "ask":
            return cmd_ask(args, settings)
        if args.command == "report":
            return cmd_report(args, settings)
        if args.command == "kb":
            return cmd_kb(args, settings)
        if args.command in ("web", "web-link", "web-rotate-key"):
            return cmd_web(args, settings)
        if args.command == "db":
            return cmd_db(settings)
        if args.command in ("backup", "restore"):
            return cmd_backup(args, settings)
        return cmd_run(settings)
    except KbError as exc:  # the first start with no valid knowledge base to load
        print(kb_not_loaded(exc, settings.kb_dir), file=sys.stderr)
        return 2


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
    """`backup FILE` and `restore FILE [--force]` (see storage/ops/backup.py)."""
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


def kb_not_loaded(exc: KbError, kb_dir: Path) -> str:
    """One line saying why the bot cannot start without a knowledge base, and what to do."""
    if len(exc.problems) == 1:
        return (
            f"no knowledge base is loaded and none could be read: {exc.problems[0]}"
            f" (PGI_KB_DIR={kb_dir})"
        )
    return (
        f"no knowledge base is loaded and the files in {kb_dir} have {len(exc.problems)} problems;"
        f" run `python -m bot kb check {kb_dir}` to list them"
    )


def cmd_run(settings: Settings) -> int:
    from bot.app.services import build_services

    services = build_services(settings)
    try:
        from handlers.channels import ChannelRejected, ChannelUnreachable, configured

        if configured(settings):  # every channel whose settings are present (handlers/channels.py)
            from handlers.runner import run

            try:
                return run(services)
            except ChannelRejected as exc:
                print(exc, file=sys.stderr)
                return 2
            except ChannelUnreachable as exc:
                print(exc, file=sys.stderr)
                return 1
        from bot.app import terminal

        return terminal.run(services.conversation)
    finally:
        services.close()


class BatchError(Exception):
    """A batch file or line the command cannot use; the message names the file, the line and the
    field."""


def _batch_lines(path: str):
    """(line number, bytes) of the batch file, or of standard input for "-"."""
    if path == "-":
        yield from enumerate(sys.stdin.buffer, 1)
        return
    try:
        f = open(path, "rb")  # noqa: SIM115 - closed below; opening errors are told apart
    except FileNotFoundError:
        raise BatchError(
            f"{path}: no such file; give a JSON-lines file, or - for standard input"
        ) from None
    except IsADirectoryError:
        raise BatchError(
            f"{path}: is a folder; give a JSON-lines file, or - for standard input"
        ) from None
    except OSError as exc:
        raise BatchError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    with f:
        try:
            yield from enumerate(f, 1)
        except OSError as exc:
            raise BatchError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def _batch_row(name: str, n: int, raw: bytes) -> dict | None:
    """One checked batch line (None for a blank one): "q" a text; "as", "now", "lang" texts if
    given."""
    where = f"{name}:{n}"
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BatchError(
            f"{where}: not UTF-8 text (byte {exc.start + 1} of the line); save the file as UTF-8"
        ) from None
    if not line.strip():
        return None
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BatchError(
            f'{where}: not a JSON object ({exc.msg}); each line must be like {{"q": "..."}}'
        ) from None
    except RecursionError:
        raise BatchError(
            f'{where}: the JSON is nested too deeply; each line must be like {{"q": "..."}}'
        ) from None
    if not isinstance(row, dict) or not isinstance(row.get("q"), str):
        raise BatchError(f'{where}: each line must be a JSON object with a "q" text')
    for key in ("as", "now", "lang"):
        value = row.get(key)
        if value is not None and not isinstance(value, str):
            raise BatchError(f'{where}: field "{key}" must be a text, not {_json_kind(value)}')
    if row.get("now"):
        try:
            date.fromisoformat(row["now"])
        except ValueError:
            raise BatchError(
                f'{where}: field "now": {row["now"][:40]!r} is not a date; write YYYY-MM-DD'
            ) from None
    if row.get("lang") and row["lang"].lower().replace("_", "-").split("-")[0] not in LANGUAGES:
        raise BatchError(
            f'{where}: field "lang": {row["lang"][:40]!r} is not a language; use vi or en'
        )
    return row


def _json_kind(value) -> str:
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        list: "a list",
        dict: "an object",
    }.get(type(value), "text")


def cmd_web(args: argparse.Namespace, settings: Settings) -> int:
    """`web`: the console alone, served by uvicorn; `web-link`: a sign-in link for the person at
    this terminal."""
    from bot.app.services import build_services
    from handlers.web import make_server_admin_link, rotate_session_key, serve_alone

    services = build_services(settings)
    try:
        if args.command == "web-link":
            print(make_server_admin_link(services))
            print(_server_note(settings), file=sys.stderr)
            return 0
        if args.command == "web-rotate-key":
            return rotate_session_key(services)
        serve_alone(services, args.host or settings.host)
        return 0
    finally:
        services.close()


def _server_note(settings: Settings) -> str:
    """Where the link leads, and whether a console answers there now (its /healthz)."""
    import urllib.error
    import urllib.request

    from bot.app.links import base_url

    base = base_url(settings)
    where = ("PGI_PUBLIC_URL" if settings.public_url else "PORT") + f" → {base}"
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=3) as response:  # noqa: S310 - our own URL
            running = response.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        running = False
    if running:
        return f"the link is for the console at {where}, which answers now"
    return (
        f"no console answers at {where} now: start it with `python -m bot web` (or `python -m bot"
        " run`) with the same PGI_PUBLIC_URL and PORT, then open the link within 15 minutes"
    )


def _batch_rows(path: str) -> list[tuple[int, dict | BatchError]]:
    """(line number, checked row or what is wrong with it) for each non-blank line of the batch."""
    name = "<stdin>" if path == "-" else path
    out: list[tuple[int, dict | BatchError]] = []
    for n, raw in _batch_lines(path):
        try:
            row = _batch_row(name, n, raw)
        except BatchError as exc:
            out.append((n, exc))
            continue
        if row is not None:
            out.append((n, row))
    return out


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    """One question, or a batch: a bad line gets an error object of its own, the others are
    answered."""
    from bot.app.services import build_services

    if args.batch:
        try:
            rows = _batch_rows(args.batch)
        except BatchError as exc:
            print(exc, file=sys.stderr)
            return 2
    elif args.question:
        rows = [(1, {"q": " ".join(args.question)})]
    else:
        print(
            'give a question, e.g. python -m bot ask "Sở Xây dựng chủ trì chỉ số nào?"',
            file=sys.stderr,
        )
        return 2
    services = build_services(settings)
    failed = 0
    try:
        for n, row in rows:
            if isinstance(row, BatchError):
                failed += 1
                print(row, file=sys.stderr)
                print(json.dumps({"line": n, "error": str(row)}, ensure_ascii=False))
                continue
            now = row.get("now")
            msg = Incoming(
                text=row["q"],
                channel="cli",
                lang=pick_language(row.get("lang") or args.lang),
                as_agency=row.get("as") or args.as_agency,
                today=date.fromisoformat(now) if now else args.now,
            )
            reply = services.conversation.answer(msg)
            if args.json or args.batch:
                print(json.dumps(reply.json, ensure_ascii=False))
            else:
                print(numbered(reply.text, reply.choices))
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader stopped early (`ask … | head`): nothing more to say, and no traceback at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    finally:
        services.close()
    return 1 if failed else 0


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
