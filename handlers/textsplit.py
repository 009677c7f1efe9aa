"""Splitting long replies for channels with a message-length limit (Telegram 4096, Zalo 2000)."""

from __future__ import annotations

from collections.abc import Callable

LIMIT = 4000  # below Telegram's 4096, leaving room for entities


def split_text(text: str, limit: int = LIMIT, measure: Callable[[str], int] = len) -> list[str]:
    """Split on line boundaries (then on spaces, then hard) so that every part fits the limit."""
    if (
        measure is not len
    ):  # a channel that counts otherwise (Zalo: UTF-16 units): leave a margin for the difference
        limit = max(1, limit - max(0, measure(text) - len(text)))
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            cut = line.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:cut])
            line = line[cut:].lstrip(" ")
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current:
        parts.append(current)
    return [p for p in parts if p.strip()] or [text[:limit]]
