"""`python -m bot ask`: one question, or a batch file of JSON lines, each checked and answered on
its own."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date

from bot.app.config import Settings
from bot.app.i18n import LANGUAGES, pick_language
from bot.core.messages import Incoming, numbered


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
