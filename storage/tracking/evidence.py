"""Evidence files kept under the data directory, named by their content's hash.

Channels' references do not last (Zalo's photo URLs expire, Telegram file ids die with the token),
so the bytes are kept: ``<data dir>/evidence/<sha256>.<ext>``, written atomically, the same file
once.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 20 * 1024 * 1024
_EXT = re.compile(r"^[a-z0-9]{1,5}$")


class EvidenceError(ValueError):
    """The file cannot be kept; the message (a catalog msgid) says why."""


@dataclass(frozen=True)
class Kept:
    path: str  # relative to the data directory
    size: int
    sha256: str


def keep(data_dir: Path, content: bytes, file_name: str, max_bytes: int = MAX_BYTES) -> Kept:
    if not content:
        raise EvidenceError("the file is empty")
    if len(content) > max_bytes:
        raise EvidenceError("the file is larger than 20 MB")
    digest = hashlib.sha256(content).hexdigest()
    ext = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else "bin"
    ext = ext if _EXT.match(ext) else "bin"
    rel = f"evidence/{digest}.{ext}"
    target = Path(data_dir) / rel
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_bytes(content)
        os.replace(tmp, target)
    return Kept(rel, len(content), digest)


def path_of(data_dir: Path, rel: str) -> Path | None:
    """The kept file for a stored relative path, never outside the evidence folder."""
    root = (Path(data_dir) / "evidence").resolve()
    target = (Path(data_dir) / rel).resolve()
    return target if target.parent == root and target.is_file() else None
