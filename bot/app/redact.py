"""Secrets never reach any output: log records (message, traceback, stack) and uncaught exceptions.

The secrets are the values of the settings marked secret (see ``Settings.secrets``): the bot token,
the password in DATABASE_URL, and any token or webhook secret a later channel adds. A library may
print them anywhere — python-telegram-bot puts the token in request URLs and in the text of
``InvalidToken`` — so redaction happens on the final text, after formatting, not on the message
alone.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import traceback
from collections.abc import Iterable
from urllib.parse import quote

MASK = "***"
MIN_SECRET = 4  # shorter values would mask ordinary words (an empty or one-letter password)


class Redactor:
    """Replaces every known secret, and its URL-encoded form, in a text."""

    def __init__(self, secrets: Iterable[str | None] = ()):
        self.secrets: list[str] = []
        self.add(*secrets)

    def add(self, *secrets: str | None) -> None:
        found = set(self.secrets)
        for s in secrets:
            if s and len(s) >= MIN_SECRET:
                found.update({s, quote(s, safe=""), quote(s)})
        # longest first, so a secret that contains another is masked whole
        self.secrets = sorted(found, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for s in self.secrets:
            if s in text:
                text = text.replace(s, MASK)
        return text


class RedactingFormatter(logging.Formatter):
    """Formats a record as usual — message, exception text, stack — then masks every secret in
    it."""

    def __init__(self, redactor: Redactor, fmt: str | None = None, datefmt: str | None = None):
        super().__init__(fmt, datefmt)
        self.redactor = redactor

    def format(self, record: logging.LogRecord) -> str:
        return self.redactor(super().format(record))


class JsonFormatter(RedactingFormatter):
    """One JSON object a line (LOG_FORMAT=json), for log shipping: time, level, logger, message
    and, when there is one, the traceback; every field masked like the plain format before
    encoding."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": (
                self.formatTime(record, "%Y-%m-%dT%H:%M:%S")
                + f".{int(record.msecs):03d}"
                + _utc_offset(record.created)
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": self.redactor(record.getMessage()),
        }
        if record.exc_info:
            entry["exception"] = self.redactor(self.formatException(record.exc_info))
        elif record.exc_text:
            entry["exception"] = self.redactor(record.exc_text)
        if record.stack_info:
            entry["stack"] = self.redactor(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False)


def _utc_offset(created: float) -> str:
    from datetime import datetime

    return datetime.fromtimestamp(created).astimezone().strftime("%z")


class RedactSecrets(logging.Filter):
    """Masks secrets in a record's message for handlers whose formatter is not ours."""

    def __init__(self, *secrets: Redactor | str | None):
        super().__init__()
        given = [s for s in secrets if isinstance(s, Redactor)]
        self.redactor = (
            given[0] if given else Redactor(s for s in secrets if not isinstance(s, Redactor))
        )

    def filter(self, record: logging.LogRecord) -> bool:
        if self.redactor.secrets:
            message = record.getMessage()
            clean = self.redactor(message)
            if clean != message:
                record.msg, record.args = clean, ()
        return True


_INSTALLED: list[Redactor] = []  # the redactors of the process's outputs (see install)


def add_secret(*secrets: str | None) -> None:
    """A secret made at run time (a random webhook secret) is masked from now on, at every log
    level, whatever else the settings let through."""
    for redactor in _INSTALLED:
        redactor.add(*secrets)


def install(
    redactor: Redactor,
    fmt: str,
    level: str | int,
    personal_data: bool = False,
    json_lines: bool = False,
) -> None:
    """Route the root logger, warnings and every uncaught exception through the redactor (and,
    unless ``personal_data``, keep people's texts and names out of the log); ``json_lines``
    writes one JSON object a line instead of ``fmt``."""
    _INSTALLED.append(redactor)
    logging.basicConfig(level=level, format=fmt)
    for handler in logging.getLogger().handlers:
        handler.setFormatter(
            JsonFormatter(redactor) if json_lines else RedactingFormatter(redactor, fmt)
        )
        if not personal_data:
            handler.addFilter(HidePersonalData())
        handler.addFilter(RedactSecrets(redactor))
    logging.captureWarnings(True)
    install_excepthooks(redactor)


def format_exception(redactor: Redactor, exc_type, exc, tb) -> str:
    return redactor("".join(traceback.format_exception(exc_type, exc, tb)))


def install_excepthooks(redactor: Redactor) -> None:
    """Python's own printing of uncaught exceptions (main thread, threads, asyncio) masks
    secrets too."""

    def excepthook(exc_type, exc, tb):
        sys.stderr.write(format_exception(redactor, exc_type, exc, tb))

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else "?"
        sys.stderr.write(
            f"Exception in thread {name}:\n"
            + format_exception(redactor, args.exc_type, args.exc_value, args.exc_traceback)
        )

    sys.excepthook = excepthook
    threading.excepthook = thread_hook
    # asyncio prints unhandled task and callback errors through the "asyncio" logger, whose records
    # the formatter above masks; it needs no hook of its own


# Log messages whose arguments carry what people wrote or who they are (texts, names, whole
# updates), by their format string, with the positions of those arguments. Kept out of the logs
# unless PGI_LOG_PERSONAL_DATA=1 (for a developer's own machine); the record itself stays, so the
# log still shows that a call was made and which one.
PERSONAL_ARGS: dict[str, tuple[int, ...]] = {
    "Calling Bot API endpoint `%s` with parameters `%s`": (1,),  # python-telegram-bot, DEBUG
    "Call to Bot API endpoint `%s` finished with return value `%s`": (1,),
    "Processing update %s": (0,),
    "Dropping pending update: %s": (0,),
    "Webhook received data: %s": (0,),
    'Can not load invalid JSON data: "%s"': (0,),
    "error while handling an update: %r": (0,),  # handlers/telegram/adapter.py on_error
}
HIDDEN = "<personal data hidden; PGI_LOG_PERSONAL_DATA=1 shows it>"


class _Hidden(str):
    """Stands in for a hidden argument, printed the same by %s and %r."""

    def __repr__(self) -> str:
        return str(self)


class HidePersonalData(logging.Filter):
    """Replaces the personal arguments of known log messages (see ``PERSONAL_ARGS``) at every
    level."""

    def filter(self, record: logging.LogRecord) -> bool:
        hide = PERSONAL_ARGS.get(record.msg) if isinstance(record.msg, str) else None
        if hide and isinstance(record.args, tuple):
            args = list(record.args)
            for i in hide:
                if i < len(args):
                    update_id = getattr(args[i], "update_id", None)
                    args[i] = _Hidden(
                        f"update {update_id} ({HIDDEN})" if update_id is not None else HIDDEN
                    )
            record.args = tuple(args)
        return True
