"""What an update says, read from what a member types: its status (the labels, and the words that
name them), its percentage and its note; and the one-line form of /capnhat."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.app.i18n import N_, Translator
from bot.flows.progress.rules import Refusal
from kb.codes import parse_code
from kb.normalize import fold

STATUS_LABELS = {
    "not_started": N_("Not started"),
    "in_progress": N_("In progress"),
    "done": N_("Done"),
    "blocked": N_("Having difficulties"),
}
_STATUS_WORDS = [
    ("chua bat dau", "not_started"),
    ("not started", "not_started"),
    ("dang thuc hien", "in_progress"),
    ("dang lam", "in_progress"),
    ("in progress", "in_progress"),
    ("hoan thanh", "done"),
    ("da xong", "done"),
    ("xong", "done"),
    ("done", "done"),
    ("completed", "done"),
    ("gap kho khan", "blocked"),
    ("kho khan", "blocked"),
    ("vuong mac", "blocked"),
    ("blocked", "blocked"),
]


@dataclass(frozen=True)
class Draft:
    code: str
    status: str
    percent: int | None
    note: str | None


def parse_percent_and_note(tr: Translator, text: str) -> tuple[int | None, str | None, str | None]:
    """ "70% đã sửa 3 công trình" -> (70, None, "đã sửa 3 công trình"); "hoàn thành" -> (None,
    "done", None)."""
    text = (text or "").strip()
    percent = None
    m = re.match(r"^(-?\d{1,4})\s*%?(?:[\s,.;:]+|$)(.*)$", text, re.S)
    if m:
        percent, text = int(m.group(1)), m.group(2)
    else:
        m = re.search(r"(?<!\S)(-?\d{1,4})\s*%", text)
        if m:
            percent, text = int(m.group(1)), text[: m.start()] + text[m.end() :]
    if percent is not None and not 0 <= percent <= 100:
        raise Refusal(
            tr.gettext("The percentage must be between 0 and 100 (you wrote {value}%).").format(
                value=percent
            )
        )
    text = text.strip(" ,.;:-")
    status = None
    folded = fold(text)
    for words, code in _STATUS_WORDS:
        if folded == words or folded.startswith(words + " "):
            status = code
            text = " ".join(text.split()[len(words.split()) :]).strip(" ,.;:-")
            break
    return percent, status, (text or None)


def parse_one_line(tr: Translator, args: str) -> Draft:
    parts = args.strip().replace(":", " : ", 1).split(None, 1)
    code = parse_code(parts[0]) if parts else None
    if code is None:
        raise Refusal(
            tr.gettext(
                "Write the indicator code first, e.g. /capnhat 1.5 70% đã sửa 3 công trình."
            )
        )
    rest = parts[1].lstrip(" :-") if len(parts) > 1 else ""
    percent, status, note = parse_percent_and_note(tr, rest)
    if status is None:
        status = "done" if percent == 100 else "in_progress"
    return Draft(code, status, percent, note)
