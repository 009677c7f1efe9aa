"""`python -m bot` — run the bot, ask questions, check and load the knowledge base."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date, datetime
from pathlib import Path

from bot.app.ask_command import cmd_ask
from bot.app.config import Settings
from bot.app.operator_commands import cmd_backup, cmd_db, cmd_kb, cmd_report
from bot.app.setting_values import ConfigError
from kb.loader import KbError


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
    _add_ask(sub)
    _add_kb(sub)
    _add_report(sub)
    _add_web(sub)
    db = sub.add_parser("db", help="database commands")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply database migrations")
    _add_backup(sub)
    return p


def _add_ask(sub) -> None:
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


def _add_kb(sub) -> None:
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


def _add_report(sub) -> None:
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


def _add_web(sub) -> None:
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


def _add_backup(sub) -> None:
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
