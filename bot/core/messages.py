"""The message types every channel speaks with the conversation core.

A channel adapter turns its update into an :class:`Incoming` and draws the :class:`Reply`; nothing
here knows any channel: text is plain, choices are neutral, and length limits belong to the
channel.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from kb.ask.answers import Answer

PRIVATE, GROUP = "private", "group"

# control characters (C0 but tab and line breaks, DEL, C1) and lone surrogates: PostgreSQL refuses
# NUL in text and lone surrogates in any encoding, and none of them means anything in a chat
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Text as it may be stored and shown: control characters removed, line breaks and tabs
    kept."""
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


def clean_payload(value: Any) -> Any:
    """A channel's update (JSON) with :func:`clean_text` applied to every string in it, keys
    included."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {
            clean_text(k) if isinstance(k, str) else k: clean_payload(v) for k, v in value.items()
        }
    if isinstance(value, list):
        return [clean_payload(v) for v in value]
    return value


def _clean_fields(obj: object) -> None:
    """:func:`clean_text` on every text field of a (frozen) dataclass."""
    for f in fields(obj):  # type: ignore[arg-type]
        value = getattr(obj, f.name)
        if isinstance(value, str) and value and _CONTROL.search(value):
            object.__setattr__(obj, f.name, clean_text(value))


@dataclass(frozen=True)
class Address:
    """A chat on a channel. Ids that come from a channel are text."""

    channel: str
    chat_id: str


@dataclass(frozen=True)
class Attachment:
    kind: str  # "document" | "photo" | "voice" (not listened to: the bot reads typed text)
    ref: str  # the channel's reference (a Telegram file id, a Zalo photo URL)
    file_name: str
    mime_type: str | None = None
    size: int | None = None
    content: bytes | None = None  # downloaded by the channel, to be kept as evidence

    def __post_init__(self) -> None:
        _clean_fields(self)


@dataclass(frozen=True)
class Incoming:
    text: str
    channel: str = "terminal"
    chat_id: str = "0"
    user_id: str | None = None  # the sender's id on the channel; None for anonymous group admins
    lang: str | None = None  # language fixed by the caller (CLI); otherwise chosen from the user
    as_agency: str | None = None  # agency to answer "tôi" questions for, when the caller fixes it
    today: date | None = None
    chat_type: str = PRIVATE  # PRIVATE | GROUP
    chat_title: str = ""
    user_name: str = ""
    username: str | None = None
    language_code: str | None = None  # what the channel says the user's app language is
    callback: str | None = None  # data of a pressed button (channels with buttons)
    attachment: Attachment | None = None
    is_group_admin: bool = False  # the sender administers this group chat
    edited: bool = False
    update_id: str | None = None  # the channel's id of the update: processed once
    bot_id: str = ""  # which bot of the channel received it

    def __post_init__(self) -> None:
        _clean_fields(self)  # where text enters, for every channel: cleaned once, here

    @property
    def address(self) -> Address:
        return Address(self.channel, self.chat_id)

    @property
    def private(self) -> bool:
        return self.chat_type == PRIVATE


@dataclass(frozen=True)
class Choice:
    """One of the answers the bot offers: a button on Telegram, a numbered line on Zalo and the
    terminal."""

    label: str
    data: str

    def as_dict(self) -> dict[str, str]:
        """How a choice is stored (the ledger's buttons, the open choices of a chat): storage
        knows no bot type."""
        return {"label": self.label, "data": self.data}

    @staticmethod
    def from_dict(d: dict) -> Choice:
        return Choice(str(d["label"]), str(d["data"]))


@dataclass
class Reply:
    text: str
    choices: list[Choice] = field(default_factory=list)
    choice_extra: dict = field(
        default_factory=dict
    )  # kept with the choices (e.g. the questions they stand for)
    answer: Answer | None = None
    json: dict | None = None
    edit: bool = False  # a channel with buttons may replace the message whose button was pressed
    toast: str | None = (
        None  # short notice for a pressed button (channels without buttons show it as text)
    )
    silent: bool = False  # nothing to send (e.g. a group message not addressed to the bot)
    deliver_now: bool = False  # the delivery ledger has new rows: the channel should send them now
    files: list[str] = field(
        default_factory=list
    )  # files under the data directory, for channels that send files
    file_links: str = (
        ""  # the same files as one-time download links, for channels that cannot send files
    )

    def as_dict(self) -> dict:
        """What an inbox keeps of a reply until it is sent."""
        return {
            "text": self.text,
            "choices": [[c.label, c.data] for c in self.choices],
            "toast": self.toast,
            "silent": self.silent,
            "deliver_now": self.deliver_now,
            "files": self.files,
            "file_links": self.file_links,
        }

    @staticmethod
    def from_dict(d: dict) -> Reply:
        return Reply(
            d.get("text", ""),
            [Choice(label, data) for label, data in d.get("choices", [])],
            toast=d.get("toast"),
            silent=bool(d.get("silent")),
            deliver_now=bool(d.get("deliver_now")),
            files=list(d.get("files", [])),
            file_links=d.get("file_links", ""),
        )


def notice(text: str, pressed: bool) -> Reply:
    """A short answer that is a button's notice when a button was pressed, and a message when
    typed."""
    return Reply(text, toast=text[:190], silent=pressed)


def numbered(text: str, choices: list[Choice]) -> str:
    """Choices drawn as a numbered list under the text, for channels without buttons."""
    if not choices:
        return text
    lines = [text, ""] if text else []
    lines.extend(f"{i}. {c.label}" for i, c in enumerate(choices, 1))
    return "\n".join(lines)


PAGE = 1200  # characters: about one phone screen


def _cut_line(line: str, limit: int) -> list[str]:
    """A line longer than a page, cut between words (never inside one)."""
    out: list[str] = []
    while len(line) > limit:
        cut = line.rfind(" ", 0, limit)
        cut = cut if cut > 0 else limit
        out.append(line[:cut].rstrip())
        line = line[cut:].lstrip()
    return [*out, line] if line else out


def pages(text: str, limit: int = PAGE) -> list[str]:
    """A long text as pages of at most ``limit`` characters, cut between lines (or words)."""
    if len(text) <= limit:
        return [text]
    out: list[str] = []
    current: list[str] = []
    size = 0
    for raw in text.split("\n"):
        for line in _cut_line(raw, limit) if raw else [raw]:
            if current and size + 1 + len(line) > limit:
                out.append("\n".join(current).strip("\n"))
                current, size = [], 0
            current.append(line)
            size += len(line) + (1 if size else 0)
    if current:
        out.append("\n".join(current).strip("\n"))
    return [p for p in out if p]
