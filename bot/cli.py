"""`python -m bot` — run the bot, ask questions, check and load the knowledge base."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from bot.config import ConfigError, Settings
from bot.core import Incoming
from bot.i18n import pick_language
from kb.loader import KbError, read_sources, validate


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date; write YYYY-MM-DD") from exc


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bot", description="PGI assistant for Lạng Sơn province")
    sub = p.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot (Telegram with TELEGRAM_BOT_TOKEN, else a local terminal chat)")
    ask = sub.add_parser("ask", help="answer one question, or a batch of JSON lines")
    ask.add_argument("question", nargs="*")
    ask.add_argument("--as", dest="as_agency", help="the asker's agency, for 'tôi / đơn vị mình' questions")
    ask.add_argument("--now", type=_date, help="today's date (YYYY-MM-DD, Asia/Ho_Chi_Minh) for deadline questions")
    ask.add_argument("--lang", choices=["vi", "en"], default="vi")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    ask.add_argument("--batch", metavar="FILE", help='JSON lines {"q": ..., "as": ..., "now": ..., "lang": ...}')
    kb = sub.add_parser("kb", help="knowledge-base commands")
    kb_sub = kb.add_subparsers(dest="kb_command", required=True)
    check = kb_sub.add_parser("check", help="validate knowledge-base files and list every problem")
    check.add_argument("path", nargs="?")
    load = kb_sub.add_parser("load", help="validate files and load them as the new active version")
    load.add_argument("path", nargs="?")
    load.add_argument("--by", default="command line", help="who loads it (recorded with the version)")
    kb_sub.add_parser("show", help="show the active version")
    web = sub.add_parser("web", help="serve the web console alone on PORT (with /healthz), without any chat token")
    web.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1; 0.0.0.0 for all)")
    sub.add_parser("web-link", help="print a one-time sign-in link to the web console, as an admin (valid 15 minutes)")
    db = sub.add_parser("db", help="database commands")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply database migrations")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    from bot.services import setup_logging

    setup_logging("WARNING" if args.command in ("ask", "kb", "db", "web-link") else settings.log_level, settings.telegram_token)
    if args.command == "ask":
        return cmd_ask(args, settings)
    if args.command == "kb":
        return cmd_kb(args, settings)
    if args.command in ("web", "web-link"):
        return cmd_web(args, settings)
    if args.command == "db":
        from bot.services import build_services

        build_services(settings, load_kb=False).close()
        print("database schema is up to date")
        return 0
    return cmd_run(settings)


def cmd_run(settings: Settings) -> int:
    from bot.services import build_services

    services = build_services(settings)
    try:
        if settings.telegram_token:
            from bot.telegram_app import run_telegram

            run_telegram(services)
            return 0
        from bot import terminal

        return terminal.run(services.conversation)
    finally:
        services.close()


def cmd_web(args: argparse.Namespace, settings: Settings) -> int:
    """`web`: the console alone, served by uvicorn; `web-link`: a sign-in link for the person at this terminal."""
    from bot.services import build_services
    from handlers.web import make_server_admin_link, web_app

    services = build_services(settings)
    try:
        if args.command == "web-link":
            print(make_server_admin_link(services))
            return 0
        import uvicorn

        uvicorn.run(web_app(services), host=args.host, port=settings.port, log_level=settings.log_level.lower())
        return 0
    finally:
        services.close()


def _batch_rows(path: str) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path}:{n}: not a JSON object ({exc.msg}); each line must be like {{\"q\": \"...\"}}") from exc
            if not isinstance(row, dict) or not isinstance(row.get("q"), str):
                raise SystemExit(f'{path}:{n}: each line must be a JSON object with a "q" text')
            rows.append(row)
    return rows


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services import build_services

    if args.batch:
        rows = _batch_rows(args.batch)
    elif args.question:
        rows = [{"q": " ".join(args.question)}]
    else:
        print("give a question, e.g. python -m bot ask \"Sở Xây dựng chủ trì chỉ số nào?\"", file=sys.stderr)
        return 2
    services = build_services(settings)
    try:
        for row in rows:
            now = row.get("now")
            try:
                today = date.fromisoformat(now) if now else args.now
            except ValueError:
                today = args.now
            msg = Incoming(
                text=row["q"], channel="cli", lang=pick_language(row.get("lang") or args.lang),
                as_agency=row.get("as") or args.as_agency, today=today,
            )
            reply = services.conversation.ask(msg)
            if args.json or args.batch:
                print(json.dumps(reply.json, ensure_ascii=False))
            else:
                print(reply.text)
        sys.stdout.flush()
    finally:
        services.close()
    return 0


def cmd_kb(args: argparse.Namespace, settings: Settings) -> int:
    if args.kb_command == "check":
        path = Path(args.path) if args.path else settings.kb_dir
        try:
            kb, problems = validate(read_sources(path))
        except KbError as exc:
            kb, problems = None, exc.problems
        if problems or kb is None:
            print(f"{len(problems)} problem(s) in {path}:")
            for p in problems:
                print(f"  {p}")
            return 1
        counts = ", ".join(f"{v} {k}" for k, v in kb.counts().items())
        print(f"OK: {path} — {counts}")
        return 0
    from bot.services import build_services

    services = build_services(settings, load_kb=args.kb_command == "show")
    try:
        if args.kb_command == "show":
            v = services.knowledge.current.version
            print(f"version {v.id}, loaded {v.created_at:%Y-%m-%d %H:%M} UTC by {v.created_by} from {v.source}")
            print(", ".join(f"{n} {k}" for k, n in v.counts.items()))
            return 0
        path = Path(args.path) if args.path else settings.kb_dir
        result = services.knowledge.load_from(path, created_by=args.by)
        if not result.ok:
            print(f"not loaded: {len(result.problems)} problem(s) in {path}; the active version is unchanged:")
            for p in result.problems:
                print(f"  {p}")
            return 1
        assert result.version is not None
        if result.unchanged:
            print(f"unchanged: {path} is already the active version {result.version.id}")
            return 0
        print(f"loaded version {result.version.id} from {path}: " + ", ".join(f"{n} {k}" for k, n in result.version.counts.items()))
        return 0
    finally:
        services.close()
