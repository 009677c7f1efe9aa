"""Reading an uploaded knowledge base safely: one YAML file, or a zip of the knowledge-base folder.

A zip is refused as a whole when any entry points outside the archive (absolute paths, ``..``,
links), when it holds too many entries, or when it would unpack to more than MAX_UNPACKED bytes
(counted while reading, not trusted from the archive's directory) — a zip bomb stops there.
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
import zlib
from pathlib import PurePosixPath

from bot.app.i18n import N_

MAX_FILE = 2 * 1024 * 1024  # one YAML file
MAX_ZIP = 5 * 1024 * 1024  # the archive as uploaded
MAX_UNPACKED = 20 * 1024 * 1024  # everything it unpacks to
MAX_ENTRIES = 200
YAML_NAME = re.compile(r"^[\w.-]+\.ya?ml$")


class UploadError(ValueError):
    """The upload cannot be used; ``args[0]`` says why in English (translated by the caller's
    catalog)."""

    def __init__(self, message: str, **values: object):
        super().__init__(message)
        self.message = message
        self.values = values


def yaml_file(filename: str, data: bytes) -> tuple[str, str]:
    """(file name, text) of one uploaded YAML file."""
    name = PurePosixPath(filename.replace("\\", "/")).name
    if not YAML_NAME.match(name):
        raise UploadError(
            N_(
                "“{name}” is not a YAML file name (letters, digits, '-', '_', '.', ending in .yaml"
                " or .yml)."
            ),
            name=name,
        )
    if len(data) > MAX_FILE:
        raise UploadError(
            N_("“{name}” is larger than {limit} MB."), name=name, limit=MAX_FILE // (1024 * 1024)
        )
    return name, _text(name, data)


def _text(name: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UploadError(N_("“{name}” is not UTF-8 text; save it as UTF-8."), name=name) from exc


def _parts(name: str) -> list[str]:
    return [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]


# what zipfile raises for an entry it cannot unpack: a bad CRC or a truncated entry (BadZipFile,
# EOFError), a corrupt deflate stream (zlib.error), a password (RuntimeError), an unknown method
# (NotImplementedError)
_UNREADABLE = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    RuntimeError,
    NotImplementedError,
    OSError,
    ValueError,
)


def _unpack(archive: zipfile.ZipFile, info: zipfile.ZipInfo, total: int) -> tuple[bytes, int]:
    """One entry's bytes and the running total, stopping at MAX_UNPACKED."""
    chunks = []
    try:
        with archive.open(info) as f:
            while chunk := f.read(64 * 1024):
                total += len(chunk)
                if total > MAX_UNPACKED:
                    raise UploadError(
                        N_("The archive unpacks to more than {limit} MB; nothing was read."),
                        limit=MAX_UNPACKED // (1024 * 1024),
                    )
                chunks.append(chunk)
    except UploadError:
        raise
    except _UNREADABLE as exc:
        raise UploadError(
            N_(
                "“{name}” in the archive cannot be unpacked (damaged, protected by a password or "
                "compressed in an unsupported way); nothing was read. Make the zip again, "
                "without a password, and upload it."
            ),
            name=info.filename[:200],
        ) from exc
    return b"".join(chunks), total


def zip_files(data: bytes) -> dict[str, str]:
    """File name → text of the YAML files at the root of a zipped knowledge-base folder.

    The folder itself may be the archive's single top entry (``data/agencies.yaml``…). Other files
    (SCHEMA.md) are ignored; YAML files deeper down are refused, since they would be silently lost.
    """
    if len(data) > MAX_ZIP:
        raise UploadError(
            N_("The archive is larger than {limit} MB."), limit=MAX_ZIP // (1024 * 1024)
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UploadError(N_("The file is not a readable zip archive.")) from exc
    if len(entries) > MAX_ENTRIES:
        raise UploadError(N_("The archive holds more than {limit} entries."), limit=MAX_ENTRIES)
    files = []
    for info in entries:
        raw = info.filename
        if (
            raw.startswith(("/", "\\"))
            or re.match(r"^[A-Za-z]:", raw)
            or ".." in raw.replace("\\", "/").split("/")
        ):
            raise UploadError(
                N_("“{name}” in the archive points outside it; nothing was read."), name=raw[:200]
            )
        if stat.S_ISLNK(info.external_attr >> 16):
            raise UploadError(
                N_("“{name}” in the archive is a link; nothing was read."), name=raw[:200]
            )
        if info.is_dir() or _parts(raw)[:1] == ["__MACOSX"]:
            continue
        files.append((info, _parts(raw)))
    tops = {parts[0] for _, parts in files if len(parts) > 1}
    strip = 1 if len(tops) == 1 and all(len(parts) > 1 for _, parts in files) else 0
    out: dict[str, str] = {}
    total = 0
    for info, parts in files:
        rest = parts[strip:]
        if not YAML_NAME.match(rest[-1]):
            continue
        if len(rest) > 1:
            raise UploadError(
                N_(
                    "“{name}” is in a sub-folder; put every YAML file at the top of the"
                    " knowledge-base folder."
                ),
                name=info.filename[:200],
            )
        data_, total = _unpack(archive, info, total)
        out[rest[0]] = _text(rest[0], data_)
    if not out:
        raise UploadError(N_("The archive holds no .yaml file."))
    return out
