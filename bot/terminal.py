"""The local terminal chat: the same conversation core as Telegram, for trying the bot without a token."""

from __future__ import annotations

import sys
from typing import TextIO

from bot.core import Conversation, Incoming, Reply

COMMANDS_HELP = {
    "vi": "Gõ câu hỏi (có dấu hoặc không dấu). Lệnh: /lang en|vi — ngôn ngữ, /as TÊN CƠ QUAN — hỏi với tư cách cơ quan, "
          "/quit — thoát. Gõ số để chọn khi bot hỏi lại.",
    "en": "Type a question (Vietnamese with or without diacritics, or English). Commands: /lang en|vi, "
          "/as AGENCY NAME — ask as that agency, /quit. Type a number to pick a choice.",
}


def print_reply(reply: Reply, out: TextIO) -> None:
    # choices are already numbered in the text; the user answers with the number
    out.write(reply.text + "\n\n")
    out.flush()


def run(conversation: Conversation, lang: str = "vi", stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    stdin = stdin or sys.stdin
    out = stdout or sys.stdout
    as_agency: str | None = None
    out.write("PGI Lạng Sơn — trợ lý chỉ số xanh (local chat). " + COMMANDS_HELP[lang] + "\n\n")
    out.flush()
    while True:
        out.write("> ")
        out.flush()
        line = stdin.readline()
        if not line:
            return 0
        text = line.strip()
        if not text:
            continue
        if text in ("/quit", "/exit", "quit", "exit"):
            return 0
        if text.startswith("/lang"):
            arg = text[5:].strip()
            lang = arg if arg in ("vi", "en") else lang
            out.write(f"lang = {lang}\n\n")
            continue
        if text.startswith("/as"):
            as_agency = text[3:].strip() or None
            out.write(f"as = {as_agency or '-'}\n\n")
            continue
        if text in ("/help", "/start"):
            text = "help"
        print_reply(conversation.handle(Incoming(text, "terminal", 0, None, lang, as_agency)), out)
