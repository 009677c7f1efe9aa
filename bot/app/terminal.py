"""The local terminal chat: the same conversation core as Zalo and Telegram, for trying the bot without a token."""

from __future__ import annotations

import sys
from typing import TextIO

from bot.core.dispatch import Conversation
from bot.core.messages import Incoming, Reply, numbered

COMMANDS_HELP = {
    "vi": "Gõ câu hỏi (có dấu hoặc không dấu). Lệnh: /lang en|vi — ngôn ngữ, /as TÊN CƠ QUAN — hỏi với tư cách cơ quan, "
          "/quit — thoát. Gõ số để chọn khi bot đưa danh sách.",
    "en": "Type a question (Vietnamese with or without diacritics, or English). Commands: /lang en|vi, "
          "/as AGENCY NAME — ask as that agency, /quit. Type a number to pick from a list.",
}
LOCAL_USER = "local"


def print_reply(reply: Reply | None, out: TextIO) -> None:
    if reply is None or reply.silent and not reply.toast:
        return
    text = numbered(reply.text or reply.toast or "", reply.choices)
    if reply.files:
        text += "\n" + "\n".join(f"[{path}]" for path in reply.files)
    out.write(text + "\n\n")
    out.flush()


def run(conversation: Conversation, lang: str = "vi", stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    stdin = stdin or sys.stdin
    out = stdout or sys.stdout
    as_agency: str | None = None
    fixed_lang: str | None = None  # /lang fixes it; otherwise the stored choice (/ngonngu) applies
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
            fixed_lang = lang
            out.write(f"lang = {lang}\n\n")
            continue
        if text.startswith("/as"):
            as_agency = text[3:].strip() or None
            out.write(f"as = {as_agency or '-'}\n\n")
            continue
        msg = Incoming(text, "terminal", LOCAL_USER, LOCAL_USER, lang=fixed_lang, as_agency=as_agency, user_name="Terminal")
        print_reply(conversation.handle(msg), out)
