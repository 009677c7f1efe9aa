"""Ids typed by users or carried in button data, checked where they enter."""

from __future__ import annotations

MAX_ID = 2**31 - 1  # the database's integer columns


def parse_id(text: str, maximum: int = MAX_ID) -> int | None:
    """A whole number from 0 to ``maximum`` ("#12" allowed); None for anything else."""
    text = (text or "").strip().lstrip("#")
    if not text.isascii() or not text.isdigit() or len(text) > len(str(maximum)):
        return None
    value = int(text)
    return value if value <= maximum else None
