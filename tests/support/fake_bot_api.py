"""A fake Telegram Bot API server for end-to-end tests of python-telegram-bot (PTB) 22
applications.

The server runs in a background thread, so it serves sync and async tests alike::

    with FakeBotApi() as api:
        app = (ApplicationBuilder().token("123456:TEST").base_url(api.base_url)
               .base_file_url(api.base_file_url).build())
        ...  # start the application (polling) in the test
        api.send_text(42, "/start")
        call = await api.awaited(lambda c: c.method == "sendMessage" and c.params["chat_id"] == 42)

What it imitates:

* The HTTP surface: ``/bot<token>/<method>`` (GET or POST; any token is accepted) with JSON,
  ``application/x-www-form-urlencoded`` or ``multipart/form-data`` bodies. PTB 22's
  ``HTTPXRequest`` posts form data in which strings are sent as-is and every other value (ints,
  bools, ``reply_markup``, ``scope``, ``entities``...) is ``json.dumps``-ed, switching to multipart
  with the same fields when it uploads files. Method names are case-insensitive. Answers are
  ``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code": N, "description": ...,
  "parameters": {...}}`` with HTTP status N, as Telegram's. ``/file/bot<token>/<file_path>`` serves
  file contents (what ``File.download_*`` fetches).
* Telegram's rules that commonly break bots: message ids per chat, integer Unix dates, HTML parse
  mode (only the documented tags, strict nesting; the result carries plain text + entities),
  MarkdownV2 reserved characters, 4096/1024 character limits, 64-byte callback_data, "message is
  not modified", "message to delete not found", getUpdates offsets/long polling/conflicts, the 20
  MB getFile limit, kicked/blocked chats, group -> supergroup migration, flood limits (429 +
  retry_after), and the default allowed_updates (chat_member, message_reaction and
  message_reaction_count are only delivered when asked for).

It is lenient where a test cannot know better: editing a message id it never saw succeeds, and
sending to a chat it never saw works (unless ``strict_chats=True``, which answers "chat not found"
like Telegram).
"""

from __future__ import annotations

import asyncio
import bisect
import copy
import json
import math
import re
import socket
import threading
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from tests.support.fake_server import stop_server

GROUP_ANONYMOUS_BOT = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}
DEFAULT_BOT_ID = 7000000001
MAX_DOWNLOAD = 20 * 1024 * 1024  # getFile refuses bigger files
NOT_DEFAULT_UPDATES = {"chat_member", "message_reaction", "message_reaction_count"}
SEND_METHODS_EXCLUDED = {"sendchataction"}  # send* methods that are not messages
MESSAGE_KEYS = ("message", "edited_message", "channel_post", "edited_channel_post")
# Form fields that are plain strings and must not be JSON-decoded even if they look like numbers.
STRING_FIELDS = {
    "text",
    "caption",
    "callback_query_id",
    "inline_message_id",
    "url",
    "description",
    "short_description",
    "name",
    "title",
    "file_id",
    "language_code",
    "parse_mode",
    "secret_token",
    "emoji",
    "question",
    "explanation",
    "business_connection_id",
    "document",
    "photo",
    "video",
    "audio",
    "voice",
    "animation",
    "sticker",
    "thumbnail",
    "query",
    "first_name",
    "last_name",
    "phone_number",
    "custom_title",
    "invite_link",
    "message_effect_id",
    "payload",
    "ip_address",
    "action",
    "cache_time_text",
}


class _ApiError(Exception):
    """An error answer: ``{"ok": false, "error_code", "description", "parameters"?}`` with that
    HTTP status."""

    def __init__(self, code: int, description: str, parameters: dict | None = None):
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters


@dataclass
class Call:
    """One request the bot made. ``result`` is what was answered (None for errors, see
    ``status``/``error``)."""

    method: str
    params: dict
    time: float
    status: int = 200
    result: Any = None
    error: str | None = None
    token: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def text(self) -> str | None:
        return self.params.get("text", self.params.get("caption"))

    def __repr__(self) -> str:
        text = self.text if self.text is None else repr(self.text[:60])
        return (
            f"Call({self.method}, chat_id={self.params.get('chat_id')!r}, text={text},"
            f" status={self.status})"
        )


def _u16(text: str) -> int:
    """Telegram measures entity offsets/lengths in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _decode_field(name: str, value: str) -> Any:
    """Undo PTB's form encoding: non-string values arrive JSON-encoded (``"42"``, ``"true"``,
    ``'{"inline_keyboard": ...}'``)."""
    if name in STRING_FIELDS or not value:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value  # "@channelname", plain strings


def _parse_multipart(content_type: str, body: bytes) -> dict:
    """multipart/form-data as httpx writes it; file parts become ``{"file_name", "mime_type",
    "file_size", "content"}``."""
    boundary = re.search(r'boundary="?([^";]+)"?', content_type).group(1).encode()
    params: dict = {}
    for part in body.split(b"--" + boundary)[1:]:
        if part.startswith(b"--"):
            break
        head, _, content = part[2:].partition(b"\r\n\r\n")
        content = content[:-2] if content.endswith(b"\r\n") else content
        headers = head.decode("utf-8", "replace")
        fields = {k.lower(): v for k, v in re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', headers)}
        fields = {k: unquote(v.replace("\\\\", "\\")) for k, v in fields.items()}
        if "filename" in fields:
            mime = re.search(r"content-type:\s*([^\r\n;]+)", headers, re.I)
            params[fields["name"]] = {
                "file_name": fields["filename"],
                "mime_type": mime.group(1).strip() if mime else None,
                "file_size": len(content),
                "content": content,
            }
        else:
            params[fields["name"]] = _decode_field(fields["name"], content.decode("utf-8"))
    return params


def _parse_params(content_type: str, body: bytes, query: str) -> dict:
    params = {k: _decode_field(k, v) for k, v in parse_qsl(query, keep_blank_values=True)}
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/json" and body:
        params.update(json.loads(body))
    elif kind == "application/x-www-form-urlencoded":
        params.update(
            {k: _decode_field(k, v) for k, v in parse_qsl(body.decode(), keep_blank_values=True)}
        )
    elif kind == "multipart/form-data":
        params.update(_parse_multipart(content_type, body))
    return params


_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}


class _TelegramHtml(HTMLParser):
    """parse_mode=HTML: only Telegram's tags, strictly nested; produces the plain text and its
    entities."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.source, self.text, self.stack, self.entities = source, "", [], []
        self._lines = [0] + [i + 1 for i, c in enumerate(source) if c == "\n"]

    def _fail(self, what: str) -> None:
        line, col = self.getpos()
        offset = len(self.source[: self._lines[line - 1] + col].encode())
        raise _ApiError(400, f"Bad Request: can't parse entities: {what} at byte offset {offset}")

    def handle_starttag(self, tag, attrs):
        if tag not in _HTML_TAGS:
            self._fail(f'unsupported start tag "{tag}"')
        self.stack.append((tag, _u16(self.text), dict(attrs)))

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1][0] != tag:
            self._fail("unexpected end tag")
        name, start, attrs = self.stack.pop()
        if _u16(self.text) > start:
            entity = {"type": _HTML_TAGS[name], "offset": start, "length": _u16(self.text) - start}
            if name == "a":
                entity["url"] = attrs.get("href") or ""
            if name == "tg-emoji":
                entity["custom_emoji_id"] = attrs.get("emoji-id", "")
            self.entities.append(entity)

    def handle_data(self, data):
        self.text += data

    def parse(self) -> tuple[str, list]:
        self.feed(self.source)
        self.close()
        if self.stack:
            raise _ApiError(
                400,
                "Bad Request: can't parse entities: can't find end tag corresponding to start tag"
                f' "{self.stack[-1][0]}"',
            )
        return self.text, sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))


def _check_markdown_v2(text: str) -> None:
    """MarkdownV2: ``#+-={}.!()|>`` must be escaped outside code and link URLs (the classic
    "reserved" error)."""
    i, code = 0, None
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
        elif code:
            i, code = (i + len(code), None) if text.startswith(code, i) else (i + 1, code)
        elif text.startswith("```", i) or c == "`":
            code = "```" if text.startswith("```", i) else "`"
            i += len(code)
        elif c == "]" and text.startswith("(", i + 1):
            end = text.find(")", i + 2)
            i = len(text) if end < 0 else end + 1
        elif text.startswith("||", i):
            i += 2
        elif c in "#+-={}.!()|" or (c == ">" and i > 0 and text[i - 1] != "\n"):
            raise _ApiError(
                400,
                f"Bad Request: can't parse entities: Character '{c}' is reserved and must be"
                " escaped with the preceding '\\'",
            )
        else:
            i += 1


_METHODS: dict[str, tuple[str, Callable]] = {}


def _method(name: str):
    def register(func):
        _METHODS[name.lower()] = (name, func)
        return func

    return register


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    api: FakeBotApi

    def handle_error(self, request, client_address):
        pass  # clients that hung up (abandoned long polls, shutdown) are not test failures


class _Handler(BaseHTTPRequestHandler):
    """HTTP/1.1 keep-alive, like api.telegram.org (httpx reuses connections)."""

    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, *args):
        pass

    def setup(self):
        super().setup()
        self.connection.setsockopt(
            socket.IPPROTO_TCP, socket.TCP_NODELAY, 1
        )  # no 40 ms Nagle/delayed-ACK stalls
        self.server.api._connections.add(self.connection)

    def finish(self):
        self.server.api._connections.discard(self.connection)
        super().finish()

    def do_POST(self):
        url, body = (
            urlsplit(self.path),
            self.rfile.read(int(self.headers.get("Content-Length") or 0)),
        )
        try:
            status, ctype, payload = self.server.api._route(
                url.path, url.query, self.headers.get("Content-Type", ""), body
            )
        except Exception as exc:  # a bug in the fake must not look like a network error
            status, ctype = 500, "application/json"
            payload = json.dumps(
                {"ok": False, "error_code": 500, "description": f"Internal Server Error: {exc!r}"}
            ).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST


class FakeBotApi:
    """Telegram Bot API imitation on 127.0.0.1:<port>; see the module docstring for what it
    mimics."""

    def __init__(
        self,
        port: int = 0,
        latency: float = 0.0,
        bot_id: int = DEFAULT_BOT_ID,
        username: str = "pgi_test_bot",
        first_name: str = "PGI Test Bot",
        strict_chats: bool = False,
    ):
        self.latency, self.strict_chats = latency, strict_chats
        self._requested_port, self._bot_id, self._username, self._first_name = (
            port,
            bot_id,
            username,
            first_name,
        )
        self.token: str | None = None
        self.tokens_seen: list[str] = []
        self.too_many_requests = 0
        self.duplicates = 0
        self.dropped_updates: list[dict] = []  # updates filtered out by allowed_updates
        self.webhook_url = ""
        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self._connections: set[socket.socket] = set()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._calls: list[Call] = []  # answered requests
        self._arrived: Counter[str] = Counter()  # requests received, answered or not yet
        self._queue: list[
            list
        ] = []  # [update_id, update, sticky]; sticky = raw re-delivery ignoring offset once
        self._next_update_id = 100_000_001
        self._allowed_updates: list[str] = []
        self._poll_generation = 0
        self._message_ids: dict[int, int] = defaultdict(int)
        self._messages: dict[tuple[int, int], dict] = {}
        self._deleted: set[tuple[int, int]] = set()
        self._chats: dict[int, dict] = {}
        self._users: dict[int, dict] = {}
        self._admins: dict[int, dict[int, str]] = {}
        self._gone: dict[int, str] = {}  # chat_id -> "kicked" | "left" (bot removed / blocked)
        self._migrated: dict[int, int] = {}
        self._faults: list[dict] = []
        self._commands: dict[tuple[str, str], list] = {}
        self._files: dict[str, dict] = {}
        self._file_seq = 0
        self._callback_seq = 0
        self._answered: set[str] = set()
        self._limits: dict | None = None
        self._windows: dict[Any, deque] = defaultdict(deque)
        self._text_counts: Counter = Counter()

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> FakeBotApi:
        self._stopping = False
        self._httpd = _Server(("127.0.0.1", self._requested_port), _Handler)
        self._httpd.api = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="FakeBotApi",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Wakes long polls, closes keep-alive connections and the listening socket (well under
        a second)."""
        if not self._httpd:
            return
        with self._cond:
            self._stopping = True
        stop_server(
            self._httpd, self._cond, self._connections, [self._thread] if self._thread else []
        )
        self._httpd = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    async def __aenter__(self):
        return self.start()

    async def __aexit__(self, *exc):
        self.stop()

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    @property
    def bot_user(self) -> dict:
        """The bot as a User; like Telegram, its id is the token's numeric prefix when there is
        one."""
        prefix = (self.token or "").split(":")[0]
        return {
            "id": int(prefix) if prefix.isdigit() else self._bot_id,
            "is_bot": True,
            "first_name": self._first_name,
            "username": self._username,
        }

    # ------------------------------------------------------------------ HTTP routing
    def _route(
        self, path: str, query: str, content_type: str, body: bytes
    ) -> tuple[int, str, bytes]:
        if m := re.fullmatch(r"/file/bot([^/]+)/(.+)", path):
            with self._lock:
                record = next(
                    (f for f in self._files.values() if f["file_path"] == unquote(m.group(2))),
                    None,
                )
            if record:
                return (
                    200,
                    "application/octet-stream",
                    record["content"] or bytes(min(record["file_size"], MAX_DOWNLOAD)),
                )
            return (
                404,
                "application/json",
                b'{"ok":false,"error_code":404,"description":"Not Found"}',
            )
        if not (m := re.fullmatch(r"/bot([^/]+)/([A-Za-z]+)", path)):
            return (
                404,
                "application/json",
                b'{"ok":false,"error_code":404,"description":"Not Found"}',
            )
        started = time.time()
        arrived = (
            time.monotonic()
        )  # flood limits count requests when they arrive, as Telegram's edge does
        try:
            params = _parse_params(content_type, body, query)
        except (ValueError, AttributeError) as exc:
            params, bad = {}, _ApiError(400, f"Bad Request: can't parse request: {exc}")
        else:
            bad = None
        with self._lock:
            self._arrived[m.group(2).lower()] += 1
        if self.latency:
            time.sleep(self.latency)
        return self._call(m.group(1), m.group(2), params, started, bad, arrived)

    def _call(
        self,
        token: str,
        name: str,
        params: dict,
        started: float,
        error: _ApiError | None,
        arrived: float | None = None,
    ):
        canonical, handler = _METHODS.get(name.lower(), (name, None))
        with self._cond:
            self.token = token
            if token not in self.tokens_seen:
                self.tokens_seen.append(token)
            try:
                if error:
                    raise error
                self._check_faults(canonical, params, arrived)
                try:
                    result = (
                        handler(self, params) if handler else self._catch_all(canonical, params)
                    )
                except (
                    KeyError,
                    TypeError,
                    ValueError,
                    AttributeError,
                ) as exc:  # malformed parameters
                    raise _ApiError(400, f"Bad Request: invalid parameters: {exc!r}") from exc
                answer, status = {"ok": True, "result": result}, 200
            except _ApiError as exc:
                result, status = None, exc.code
                answer = {"ok": False, "error_code": exc.code, "description": exc.description}
                if exc.parameters:
                    answer["parameters"] = exc.parameters
                self.too_many_requests += exc.code == 429
            payload = json.dumps(answer, ensure_ascii=False).encode()
            result = copy.deepcopy(result)
            self._calls.append(
                Call(canonical, params, started, status, result, answer.get("description"), token)
            )
            self._cond.notify_all()
        return status, "application/json", payload

    # ------------------------------------------------------------------ faults, chats, limits
    def _check_faults(self, method: str, params: dict, arrived: float | None = None) -> None:
        chat_id = (
            self._resolve(params["chat_id"]) if params.get("chat_id") not in (None, "") else None
        )
        for fault in self._faults:
            if (
                fault["method"] in (method.lower(), "*")
                and fault["chat_id"] in (None, chat_id)
                and (fault["method"] != "*" or method != "getUpdates")
            ):
                fault["times"] -= 1
                if fault["times"] <= 0:
                    self._faults.remove(fault)
                raise _ApiError(fault["code"], fault["description"], fault["parameters"])
        if chat_id is None:
            return
        if chat_id in self._migrated:
            raise _ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": self._migrated[chat_id]},
            )
        if chat_id in self._gone:
            kind = self._chat(chat_id)["type"]
            if kind == "private":
                raise _ApiError(403, "Forbidden: bot was blocked by the user")
            verb = "was kicked from" if self._gone[chat_id] == "kicked" else "is not a member of"
            raise _ApiError(403, f"Forbidden: bot {verb} the {kind} chat")
        if self.strict_chats and chat_id not in self._chats:
            raise _ApiError(400, "Bad Request: chat not found")
        low = method.lower()
        if self._limits and (
            low.startswith("send")
            and low not in SEND_METHODS_EXCLUDED
            or low in ("copymessage", "forwardmessage")
        ):
            self._check_limits(chat_id, arrived)

    def _check_limits(self, chat_id: int, arrived: float | None = None) -> None:
        """Flood control with sliding windows; over the limit -> 429 with the seconds until a
        slot frees up."""
        now = time.monotonic() if arrived is None else arrived
        group = chat_id < 0
        checks = [
            ("global", 1.0, self._limits["global_per_second"]),
            (
                chat_id,
                60.0 if group else 1.0,
                self._limits["per_group_per_minute" if group else "per_chat_per_second"],
            ),
        ]
        wait = 0.0
        for key, span, limit in checks:
            window = self._windows[key]
            while (
                window and window[0] <= now - span - 5.0
            ):  # keep a little history: arrivals may be checked out of order
                window.popleft()
            recent = [t for t in window if now - span < t <= now]
            if len(recent) >= limit:
                wait = max(wait, recent[0] + span - now)
        if wait:
            retry = max(1, math.ceil(wait))
            raise _ApiError(429, f"Too Many Requests: retry after {retry}", {"retry_after": retry})
        for key, _, _ in checks:
            bisect.insort(self._windows[key], now)

    def _resolve(self, chat_id: Any) -> int:
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            for chat in self._chats.values():
                if chat.get("username", "").lower() == chat_id[1:].lower():
                    return chat["id"]
            raise _ApiError(400, "Bad Request: chat not found")
        try:
            return int(chat_id)
        except (TypeError, ValueError):
            raise _ApiError(
                400,
                "Bad Request: chat_id is empty" if not chat_id else "Bad Request: chat not found",
            ) from None

    def _chat(self, chat_id: int, chat_type: str | None = None, title: str | None = None) -> dict:
        """A Chat object: "private" for positive ids, "supergroup" for -100..., "group" for
        other negatives."""
        if chat_id in self._chats and not (chat_type or title):
            return dict(self._chats[chat_id])
        if chat_type is None:
            chat_type = (
                "private"
                if chat_id > 0
                else "supergroup"
                if str(chat_id).startswith("-100")
                else "group"
            )
        if chat_type == "private":
            user = self._users.get(chat_id, {"first_name": "User"})
            chat = {
                "id": chat_id,
                "type": "private",
                **{k: user[k] for k in ("first_name", "last_name", "username") if k in user},
            }
        else:
            old = self._chats.get(chat_id, {})
            chat = {
                "id": chat_id,
                "type": chat_type,
                "title": title or old.get("title") or f"Test {chat_type} {chat_id}",
            }
        self._chats[chat_id] = chat
        return dict(chat)

    # ------------------------------------------------------------------ message helpers
    def _next_message_id(self, chat_id: int) -> int:
        self._message_ids[chat_id] += 1
        return self._message_ids[chat_id]

    def _format(
        self, text: str, params: dict, entities_key: str, limit: int, what: str
    ) -> tuple[str, list | None]:
        mode = str(params.get("parse_mode") or "").lower()
        entities = params.get(entities_key)
        if mode == "html":
            text, entities = _TelegramHtml(text).parse()
        elif mode == "markdownv2":
            _check_markdown_v2(text)
        if len(text) > limit:
            raise _ApiError(400, f"Bad Request: {what} is too long")
        return text, entities or None

    def _markup(self, params: dict) -> dict | None:
        """Inline keyboards are echoed in the Message (reply keyboards are not, as in Telegram)."""
        markup = params.get("reply_markup")
        if not isinstance(markup, dict) or "inline_keyboard" not in markup:
            return None
        for button in (b for row in markup["inline_keyboard"] for b in row):
            if (
                "callback_data" in button
                and not 1 <= len(str(button["callback_data"]).encode()) <= 64
            ):
                raise _ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
            if set(button) <= {"text"}:
                raise _ApiError(
                    400,
                    "Bad Request: can't parse inline keyboard button: Text buttons are unallowed"
                    " in the inline keyboard",
                )
        return markup

    def _bot_message(self, params: dict, **fields) -> dict:
        """A Message sent by the bot: next message_id of the chat, from = the bot, integer date,
        optional reply."""
        chat_id, markup = self._resolve(params.get("chat_id")), self._markup(params)
        reply = params.get("reply_parameters") or (
            {"message_id": params["reply_to_message_id"]}
            if params.get("reply_to_message_id")
            else None
        )
        original = self._messages.get((chat_id, reply["message_id"])) if reply else None
        if reply and not original and not reply.get("allow_sending_without_reply"):
            raise _ApiError(400, "Bad Request: message to be replied not found")
        msg = {
            "message_id": self._next_message_id(chat_id),
            "from": self.bot_user,
            "chat": self._chat(chat_id),
            "date": int(time.time()),
        }
        if params.get("message_thread_id"):
            msg["message_thread_id"] = params["message_thread_id"]
        if original:
            msg["reply_to_message"] = {
                k: v for k, v in original.items() if k != "reply_to_message"
            }
        msg.update({k: v for k, v in fields.items() if v is not None})
        if markup:
            msg["reply_markup"] = markup
        self._messages[(chat_id, msg["message_id"])] = msg
        return msg

    def _edit(self, params: dict, **changes) -> dict | bool:
        if params.get("inline_message_id"):
            return True
        chat_id, message_id = (
            self._resolve(params.get("chat_id")),
            int(params.get("message_id") or 0),
        )
        old = self._messages.get((chat_id, message_id))
        if old is None and (chat_id, message_id) in self._deleted:
            raise _ApiError(400, "Bad Request: message to edit not found")
        if old is not None and old.get("from", {}).get("id") != self.bot_user["id"]:
            raise _ApiError(400, "Bad Request: message can't be edited")
        base = old or {
            "message_id": message_id,
            "from": self.bot_user,
            "chat": self._chat(chat_id),
            "date": int(time.time()),
        }
        new = {k: v for k, v in base.items() if k not in ("reply_markup", "edit_date", *changes)}
        new.update({k: v for k, v in changes.items() if v is not None})
        if markup := self._markup(params):
            new["reply_markup"] = markup
        if old is not None and {k: v for k, v in old.items() if k != "edit_date"} == new:
            raise _ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply"
                " markup are exactly the same as a current content and reply markup of the"
                " message",
            )
        new["edit_date"] = int(time.time())
        self._messages[(chat_id, message_id)] = new
        return new

    def _store_file(
        self, folder: str, prefix: str, size: int, content: bytes | None = None, **extra
    ) -> dict:
        self._file_seq += 1
        n = self._file_seq
        suffix = (
            "." + extra["file_name"].rsplit(".", 1)[-1]
            if "." in extra.get("file_name", "")
            else ".jpg"
            if folder == "photos"
            else ""
        )
        record = {
            "file_id": f"{prefix}{n:012d}",
            "file_unique_id": f"AQAD{n:08d}",
            "file_size": size,
            "file_path": f"{folder}/file_{n}{suffix}",
            "content": content,
            **extra,
        }
        self._files[record["file_id"]] = record
        return record

    def _input_file(self, params: dict, field: str, folder: str, prefix: str) -> dict:
        value = params.get(field)
        if isinstance(value, dict) and "content" in value:
            extra = (
                {"file_name": value["file_name"], "mime_type": value["mime_type"]}
                if field == "document"
                else {}
            )
            return self._store_file(folder, prefix, value["file_size"], value["content"], **extra)
        if isinstance(value, str) and value in self._files:
            return self._files[value]
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return self._store_file(
                folder,
                prefix,
                0,
                b"",
                **({"file_name": value.rsplit("/", 1)[-1]} if field == "document" else {}),
            )
        if not value:
            raise _ApiError(400, f"Bad Request: there is no {field} in the request")
        raise _ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")

    @staticmethod
    def _public(record: dict, *keys: str) -> dict:
        return {
            k: record[k]
            for k in ("file_id", "file_unique_id", "file_size", *keys)
            if record.get(k) is not None
        }

    # ------------------------------------------------------------------ Bot API methods
    @_method("getMe")
    def _get_me(self, p):
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    @_method("getUpdates")
    def _get_updates(self, p):
        """Long polling: confirm ids < offset, answer at once when something is queued, else
        wait up to timeout."""
        if self.webhook_url:
            raise _ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook"
                " to delete the webhook first",
            )
        if p.get("allowed_updates") is not None:
            self._allowed_updates = list(p["allowed_updates"])
        offset, limit = int(p.get("offset") or 0), min(max(int(p.get("limit") or 100), 1), 100)
        if offset < 0:
            self._queue = sorted(self._queue, key=lambda e: e[0])[offset:]
        elif offset:
            self._queue = [e for e in self._queue if e[0] >= offset or e[2]]
        self._poll_generation += 1
        generation, deadline = (
            self._poll_generation,
            time.monotonic() + float(p.get("timeout") or 0),
        )
        while True:
            if generation != self._poll_generation:
                raise _ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one bot"
                    " instance is running",
                )
            batch = self._take_updates(limit)
            remaining = deadline - time.monotonic()
            if batch or remaining <= 0 or self._stopping:
                return batch
            self._cond.wait(min(remaining, 0.5))

    def _take_updates(self, limit: int) -> list[dict]:
        allowed = set(self._allowed_updates)
        batch = []
        for entry in sorted(self._queue, key=lambda e: e[0]):
            kind = next(k for k in entry[1] if k != "update_id")
            if (kind not in allowed) if allowed else (kind in NOT_DEFAULT_UPDATES):
                self._queue.remove(entry)
                self.dropped_updates.append(entry[1])
                continue
            batch.append(entry)
            if len(batch) >= limit:
                break
        for entry in batch:
            entry[2] = False
        return [copy.deepcopy(e[1]) for e in batch]

    @_method("setWebhook")
    def _set_webhook(self, p):
        self.webhook_url = p.get("url") or ""
        if p.get("drop_pending_updates"):
            self._queue.clear()
        return True

    @_method("deleteWebhook")
    def _delete_webhook(self, p):
        return self._set_webhook({"drop_pending_updates": p.get("drop_pending_updates")})

    @_method("getWebhookInfo")
    def _get_webhook_info(self, p):
        info = {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._queue),
        }
        return {**info, "max_connections": 40} if self.webhook_url else info

    @staticmethod
    def _commands_key(p) -> tuple[str, str]:
        return (
            json.dumps(p.get("scope") or {"type": "default"}, sort_keys=True),
            p.get("language_code") or "",
        )

    @_method("setMyCommands")
    def _set_my_commands(self, p):
        commands = p.get("commands") or []
        for cmd in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", str(cmd.get("command", ""))):
                raise _ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(cmd.get("description", "")).strip()) <= 256:
                raise _ApiError(
                    400,
                    (
                        "Bad Request: command description is empty"
                        if not cmd.get("description")
                        else "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID"
                    ),
                )
        self._commands[self._commands_key(p)] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    @_method("getMyCommands")
    def _get_my_commands(self, p):
        return self._commands.get(self._commands_key(p), [])

    @_method("deleteMyCommands")
    def _delete_my_commands(self, p):
        self._commands.pop(self._commands_key(p), None)
        return True

    @_method("sendMessage")
    def _send_message(self, p):
        text, entities = self._format(str(p.get("text") or ""), p, "entities", 4096, "message")
        if not text.strip():
            raise _ApiError(400, "Bad Request: message text is empty")
        msg = self._bot_message(p, text=text, entities=entities)
        key = (msg["chat"]["id"], text)
        self.duplicates += self._text_counts[key] > 0
        self._text_counts[key] += 1
        return msg

    @_method("editMessageText")
    def _edit_message_text(self, p):
        text, entities = self._format(str(p.get("text") or ""), p, "entities", 4096, "message")
        if not text.strip():
            raise _ApiError(400, "Bad Request: message text is empty")
        return self._edit(p, text=text, entities=entities)

    @_method("editMessageReplyMarkup")
    def _edit_message_reply_markup(self, p):
        return self._edit(p)

    @_method("deleteMessage")
    def _delete_message(self, p):
        key = (self._resolve(p.get("chat_id")), int(p.get("message_id") or 0))
        if key in self._deleted:
            raise _ApiError(400, "Bad Request: message to delete not found")
        self._messages.pop(key, None)
        self._deleted.add(key)
        return True

    @_method("answerCallbackQuery")
    def _answer_callback_query(self, p):
        query_id = str(p.get("callback_query_id"))
        if query_id in self._answered:
            raise _ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is"
                " invalid",
            )
        self._answered.add(query_id)
        return True

    @_method("sendDocument")
    def _send_document(self, p):
        caption, entities = self._format(
            str(p.get("caption") or ""), p, "caption_entities", 1024, "message caption"
        )
        record = self._input_file(p, "document", "documents", "BQACAgIAAxkBAAI")
        document = self._public(record, "file_name", "mime_type")
        return self._bot_message(
            p, document=document, caption=caption or None, caption_entities=entities
        )

    @_method("sendPhoto")
    def _send_photo(self, p):
        caption, entities = self._format(
            str(p.get("caption") or ""), p, "caption_entities", 1024, "message caption"
        )
        record = self._input_file(p, "photo", "photos", "AgACAgIAAxkBAAI")
        return self._bot_message(
            p, photo=self._photo_sizes(record), caption=caption or None, caption_entities=entities
        )

    def _photo_sizes(self, record: dict, width: int = 1280, height: int = 960) -> list[dict]:
        thumb = {
            "file_id": record["file_id"] + "_s",
            "file_unique_id": record["file_unique_id"] + "s",
            "file_size": min(record["file_size"], 1500),
            "width": 90,
            "height": max(1, 90 * height // width),
        }
        return [thumb, {**self._public(record), "width": width, "height": height}]

    @_method("getChat")
    def _get_chat(self, p):
        chat = self._chat(self._resolve(p.get("chat_id")))
        gifts = dict.fromkeys(
            (
                "unlimited_gifts",
                "limited_gifts",
                "unique_gifts",
                "premium_subscription",
                "gifts_from_channels",
            ),
            False,
        )
        return {
            **chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": gifts,
        }

    def _member(self, chat_id: int, user_id: int) -> dict:
        bot = self.bot_user
        user = (
            bot
            if user_id == bot["id"]
            else self._users.get(user_id, {"id": user_id, "is_bot": False, "first_name": "User"})
        )
        status = self._gone.get(chat_id) if user_id == bot["id"] else None
        status = status or self._admins.get(chat_id, {}).get(user_id, "member")
        if status == "creator":
            return {"user": user, "status": "creator", "is_anonymous": False}
        if status == "administrator":
            rights = (
                "can_manage_chat",
                "can_delete_messages",
                "can_manage_video_chats",
                "can_restrict_members",
                "can_change_info",
                "can_invite_users",
                "can_post_stories",
                "can_edit_stories",
                "can_delete_stories",
                "can_pin_messages",
            )
            return {
                "user": user,
                "status": status,
                "can_be_edited": False,
                "is_anonymous": False,
                "can_promote_members": False,
                **dict.fromkeys(rights, True),
            }
        return {
            "user": user,
            "status": status,
            **({"until_date": 0} if status == "kicked" else {}),
        }

    @_method("getChatMember")
    def _get_chat_member(self, p):
        return self._member(self._resolve(p.get("chat_id")), int(p.get("user_id") or 0))

    @_method("getChatAdministrators")
    def _get_chat_administrators(self, p):
        chat_id = self._resolve(p.get("chat_id"))
        if self._chat(chat_id)["type"] == "private":
            raise _ApiError(400, "Bad Request: there are no administrators in the private chat")
        admins = sorted(self._admins.get(chat_id, {}).items(), key=lambda kv: kv[1] != "creator")
        return [self._member(chat_id, user_id) for user_id, _ in admins]

    @_method("leaveChat")
    def _leave_chat(self, p):
        self._gone[self._resolve(p.get("chat_id"))] = "left"
        return True

    @_method("getFile")
    def _get_file(self, p):
        record = self._files.get(str(p.get("file_id")))
        if record is None:
            raise _ApiError(400, "Bad Request: invalid file_id")
        if record["file_size"] > MAX_DOWNLOAD:
            raise _ApiError(400, "Bad Request: file is too big")
        return self._public(record, "file_path")

    def _catch_all(self, method: str, p: dict):
        """Anything else succeeds: send* answer a Message (so PTB can parse it), copyMessage a
        MessageId, others true."""
        low = method.lower()
        if low == "sendmediagroup":
            return [
                self._bot_message(
                    p, caption=m.get("caption"), media_group_id="13" + str(time.time_ns())[-10:]
                )
                for m in p["media"]
            ]
        if low.startswith("send") and low not in SEND_METHODS_EXCLUDED or low == "forwardmessage":
            return self._bot_message(p, caption=p.get("caption"))
        if low == "copymessage":
            return {"message_id": self._next_message_id(self._resolve(p.get("chat_id")))}
        return True

    # ------------------------------------------------------------------ recording helpers
    def arrived(self, method: str) -> int:
        """Requests of ``method`` received so far, a long poll still waiting included (``calls``
        lists the answered ones)."""
        with self._lock:
            return self._arrived[method.lower()]

    def calls(self, method: str | None = None) -> list[Call]:
        with self._lock:
            return [c for c in self._calls if method is None or c.method.lower() == method.lower()]

    def sent_messages(self, chat_id: int | str | None = None) -> list[Call]:
        """Successful sendMessage/sendDocument/sendPhoto/editMessageText calls, optionally for
        one chat."""
        kinds = {"sendmessage", "senddocument", "sendphoto", "editmessagetext"}
        return [
            c
            for c in self.calls()
            if c.method.lower() in kinds
            and c.ok
            and (chat_id is None or str(c.params.get("chat_id")) == str(chat_id))
        ]

    def last_text(self, chat_id: int | str) -> str | None:
        sent = self.sent_messages(chat_id)
        return sent[-1].text if sent else None

    def last_message(self, chat_id: int) -> dict | None:
        """The current state (after edits) of the newest message the bot sent to the chat."""
        with self._lock:
            mine = [
                m
                for (c, _), m in self._messages.items()
                if c == chat_id and m.get("from", {}).get("id") == self.bot_user["id"]
            ]
            return copy.deepcopy(max(mine, key=lambda m: m["message_id"])) if mine else None

    def clear_calls(self) -> None:
        with self._lock:
            self._calls.clear()

    def duplicate_texts(self) -> dict[tuple[int, str], int]:
        """(chat_id, text) pairs sent by sendMessage more than once, with their counts."""
        with self._lock:
            return {key: n for key, n in self._text_counts.items() if n > 1}

    @staticmethod
    def _matcher(predicate) -> Callable[[Call], bool]:
        if predicate is None:
            return lambda c: True
        if isinstance(predicate, str):
            return lambda c: c.method.lower() == predicate.lower()
        return predicate

    def _first(self, match) -> Call | None:
        return next((c for c in self.calls() if match(c)), None)

    def _timeout_error(self, timeout: float) -> AssertionError:
        seen = "\n  ".join(repr(c) for c in self.calls()) or "(none)"
        return AssertionError(f"no matching Bot API call within {timeout}s; calls seen:\n  {seen}")

    def wait_for(
        self, predicate: Callable[[Call], bool] | str | None, timeout: float = 5.0
    ) -> Call:
        """Block until a recorded Call matches (a callable, or a method name); returns the first
        match."""
        match, deadline = self._matcher(predicate), time.monotonic() + timeout
        while (call := self._first(match)) is None:
            if time.monotonic() > deadline:
                raise self._timeout_error(timeout)
            time.sleep(0.01)
        return call

    def wait_polling(self, timeout: float = 60.0) -> None:
        """Block until the bot's first long poll has reached the server (answered or not)."""
        deadline = time.monotonic() + timeout
        while not self.arrived("getUpdates"):
            if time.monotonic() > deadline:
                raise self._timeout_error(timeout)
            time.sleep(0.01)

    async def awaited(
        self, predicate: Callable[[Call], bool] | str | None, timeout: float = 5.0
    ) -> Call:
        """Async twin of :meth:`wait_for` (polls with asyncio.sleep so the bot keeps running)."""
        match, deadline = self._matcher(predicate), time.monotonic() + timeout
        while (call := self._first(match)) is None:
            if time.monotonic() > deadline:
                raise self._timeout_error(timeout)
            await asyncio.sleep(0.01)
        return call

    # ------------------------------------------------------------------ configuration / fault
    # injection
    def fail_next(
        self,
        method: str,
        error_code: int,
        description: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
        chat_id: int | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        """The next ``times`` calls of ``method`` ("*" = any but getUpdates), optionally only
        for ``chat_id``, fail."""
        if error_code == 429 and retry_after is None:
            retry_after = 1
        defaults = {
            400: "Bad Request: chat not found",
            401: "Unauthorized",
            403: "Forbidden: bot was blocked by the user",
            404: "Not Found",
            409: (
                "Conflict: terminated by other getUpdates request; make sure that only one bot"
                " instance is running"
            ),
            429: f"Too Many Requests: retry after {retry_after}",
            500: "Internal Server Error",
            502: "Bad Gateway",
        }
        if migrate_to_chat_id is not None and description is None:
            description = "Bad Request: group chat was upgraded to a supergroup chat"
        parameters = {
            k: v
            for k, v in {
                "retry_after": retry_after,
                "migrate_to_chat_id": migrate_to_chat_id,
            }.items()
            if v is not None
        }
        with self._lock:
            self._faults.append(
                {
                    "method": method.lower(),
                    "code": error_code,
                    "description": description or defaults.get(error_code, "Error"),
                    "parameters": parameters or None,
                    "times": times,
                    "chat_id": chat_id,
                }
            )

    def kick(self, chat_id: int) -> None:
        """Every later request for the chat fails with 403 (kicked from group / blocked by the
        user for private chats)."""
        with self._lock:
            self._gone[chat_id] = "kicked"

    block = kick

    def migrate(self, chat_id: int, new_chat_id: int) -> None:
        """Later requests for the old group id fail with 400 + parameters.migrate_to_chat_id."""
        with self._lock:
            self._migrated[chat_id] = new_chat_id
            self._chat(new_chat_id, "supergroup", self._chats.get(chat_id, {}).get("title"))

    def set_admins(self, chat_id: int, user_ids, owner_id: int | None = None) -> None:
        """getChatMember/getChatAdministrators answer these as administrators (owner as
        "creator")."""
        with self._lock:
            self._admins[chat_id] = {
                **dict.fromkeys(user_ids, "administrator"),
                **({owner_id: "creator"} if owner_id else {}),
            }

    def enforce_limits(
        self,
        global_per_second: int = 30,
        per_group_per_minute: int = 20,
        per_chat_per_second: int = 1,
    ) -> None:
        """Turn on Telegram-like flood control for message-sending methods (off by default)."""
        with self._lock:
            self._limits = {
                "global_per_second": global_per_second,
                "per_group_per_minute": per_group_per_minute,
                "per_chat_per_second": per_chat_per_second,
            }
            self._windows.clear()

    # ------------------------------------------------------------------ injecting updates
    def push_update(self, update: dict) -> dict:
        """Queue an update for getUpdates, giving it the next update_id unless it has one."""
        with self._cond:
            if "update_id" not in update:
                update["update_id"] = self._next_update_id
            return self._enqueue(update, sticky=False)

    def push_raw_update(self, update: dict) -> dict:
        """Queue an update keeping its update_id and delivering it once even below the confirmed
        offset (a re-delivery)."""
        with self._cond:
            return self._enqueue(update, sticky=True)

    def _enqueue(self, update: dict, sticky: bool) -> dict:
        self._next_update_id = max(self._next_update_id, update["update_id"] + 1)
        for key in MESSAGE_KEYS:
            if msg := update.get(key):
                chat_id = msg["chat"]["id"]
                self._chats.setdefault(chat_id, msg["chat"])
                self._message_ids[chat_id] = max(self._message_ids[chat_id], msg["message_id"])
                self._messages[(chat_id, msg["message_id"])] = msg
        self._queue.append([update["update_id"], update, sticky])
        self._cond.notify_all()
        return update

    def _known_user(self, user_id: int) -> dict:
        return self._users.get(user_id) or self._user(user_id)

    def _user(
        self,
        user_id: int,
        first_name: str = "User",
        username: str | None = None,
        language_code: str | None = "vi",
    ) -> dict:
        user = {"id": user_id, "is_bot": False, "first_name": first_name}
        user.update(
            {k: v for k, v in (("username", username), ("language_code", language_code)) if v}
        )
        self._users[user_id] = user
        return user

    def _user_message(
        self, user: dict, chat_id: int | None, chat_type: str, title: str | None = None, **fields
    ) -> dict:
        chat_id = user["id"] if chat_id is None else chat_id
        if chat_type == "private" and chat_id < 0:
            chat_type = None  # infer group/supergroup from the id
        chat = self._chat(chat_id, chat_type, title)
        msg = {
            "message_id": self._next_message_id(chat_id),
            "from": user,
            "chat": chat,
            "date": int(time.time()),
        }
        msg.update({k: v for k, v in fields.items() if v is not None})
        return msg

    def send_text(
        self,
        user_id: int,
        text: str,
        chat_id: int | None = None,
        chat_type: str = "private",
        first_name: str = "User",
        username: str | None = None,
        language_code: str = "vi",
        reply_to_message: dict | None = None,
        entities: list | None = None,
    ) -> dict:
        """A user's text message (a bot_command entity is added for "/cmd ..." like Telegram's
        clients do)."""
        if entities is None and text.startswith("/"):
            entities = [
                {"type": "bot_command", "offset": 0, "length": _u16(text.split(maxsplit=1)[0])}
            ]
        with self._lock:
            user = self._user(user_id, first_name, username, language_code)
            msg = self._user_message(
                user,
                chat_id,
                chat_type,
                text=text,
                entities=entities or None,
                reply_to_message=reply_to_message,
            )
            return self.push_update({"message": msg})

    def edited_text(
        self,
        user_id: int,
        message: dict | int,
        text: str,
        chat_id: int | None = None,
        first_name: str = "User",
        username: str | None = None,
        language_code: str = "vi",
    ) -> dict:
        """An edited_message update for a message the user sent earlier (a Message dict or its
        message_id)."""
        with self._lock:
            if isinstance(message, int):
                key = (user_id if chat_id is None else chat_id, message)
                message = self._messages.get(key) or {
                    "message_id": message,
                    "chat": self._chat(key[0]),
                    "date": int(time.time()) - 1,
                }
            user = self._user(user_id, first_name, username, language_code)
            edited = {
                **{k: v for k, v in message.items() if k != "entities"},
                "from": user,
                "text": text,
                "edit_date": int(time.time()),
            }
            if text.startswith("/"):
                edited["entities"] = [
                    {"type": "bot_command", "offset": 0, "length": _u16(text.split(maxsplit=1)[0])}
                ]
            return self.push_update({"edited_message": edited})

    def press_button(
        self,
        user_id: int,
        message: dict | Call,
        data: str,
        chat_id: int | None = None,
        first_name: str = "User",
        username: str | None = None,
        language_code: str = "vi",
    ) -> dict:
        """A callback_query from an inline button of a message the bot sent (a Message dict, or
        the Call that sent it)."""
        message = message.result if isinstance(message, Call) else message
        with self._lock:
            chat = message.get("chat") or self._chat(user_id if chat_id is None else chat_id)
            message = copy.deepcopy(
                self._messages.get((chat["id"], message["message_id"]), {**message, "chat": chat})
            )
            buttons = [
                b.get("callback_data")
                for row in message.get("reply_markup", {}).get("inline_keyboard", [])
                for b in row
            ]
            if buttons and data not in buttons:
                raise AssertionError(
                    f"message {message['message_id']} has no button with callback_data {data!r}:"
                    f" {buttons}"
                )
            self._callback_seq += 1
            query = {
                "id": str(4_000_000_000_000 + self._callback_seq),
                "from": self._user(user_id, first_name, username, language_code),
                "message": message,
                "chat_instance": str(abs(chat["id"]) * 7919 % 10**12),
                "data": data,
            }
            return self.push_update({"callback_query": query})

    def send_document(
        self,
        user_id: int,
        file_name: str,
        mime_type: str,
        file_size: int,
        chat_id: int | None = None,
        caption: str | None = None,
        content: bytes | None = None,
        chat_type: str = "private",
        first_name: str = "User",
        username: str | None = None,
        language_code: str = "vi",
    ) -> dict:
        """A user's document; getFile + download of it works (content defaults to file_size zero
        bytes)."""
        with self._lock:
            record = self._store_file(
                "documents",
                "BQACAgIAAxkBAAI",
                file_size,
                content,
                file_name=file_name,
                mime_type=mime_type,
            )
            user = self._user(user_id, first_name, username, language_code)
            msg = self._user_message(
                user,
                chat_id,
                chat_type,
                document=self._public(record, "file_name", "mime_type"),
                caption=caption,
            )
            return self.push_update({"message": msg})

    def send_photo(
        self,
        user_id: int,
        file_size: int = 120_000,
        width: int = 1280,
        height: int = 960,
        chat_id: int | None = None,
        caption: str | None = None,
        content: bytes | None = None,
        chat_type: str = "private",
        first_name: str = "User",
        username: str | None = None,
        language_code: str = "vi",
    ) -> dict:
        """A user's photo as Telegram sends it: a list of PhotoSize, smallest first."""
        with self._lock:
            record = self._store_file("photos", "AgACAgIAAxkBAAI", file_size, content)
            user = self._user(user_id, first_name, username, language_code)
            msg = self._user_message(
                user,
                chat_id,
                chat_type,
                photo=self._photo_sizes(record, width, height),
                caption=caption,
            )
            return self.push_update({"message": msg})

    def bot_added_to_group(
        self, chat_id: int, title: str, by_user_id: int, chat_type: str | None = None
    ) -> list[dict]:
        """my_chat_member (left -> member) followed by the service message with
        new_chat_members."""
        with self._lock:
            self._gone.pop(chat_id, None)
            chat, user, now = (
                self._chat(chat_id, chat_type, title),
                self._known_user(by_user_id),
                int(time.time()),
            )
            member = {
                "chat": chat,
                "from": user,
                "date": now,
                "old_chat_member": {"user": self.bot_user, "status": "left"},
                "new_chat_member": {"user": self.bot_user, "status": "member"},
            }
            first = self.push_update({"my_chat_member": member})
            msg = self._user_message(user, chat_id, chat["type"], new_chat_members=[self.bot_user])
            return [first, self.push_update({"message": msg})]

    def bot_removed_from_group(
        self, chat_id: int, by_user_id: int, status: str = "kicked"
    ) -> dict:
        """my_chat_member (member -> kicked/left); later requests for the chat then fail with
        403 like Telegram's."""
        with self._lock:
            new = {
                "user": self.bot_user,
                "status": status,
                **({"until_date": 0} if status == "kicked" else {}),
            }
            member = {
                "chat": self._chat(chat_id),
                "from": self._known_user(by_user_id),
                "date": int(time.time()),
                "old_chat_member": {"user": self.bot_user, "status": "member"},
                "new_chat_member": new,
            }
            self._gone[chat_id] = status
            return self.push_update({"my_chat_member": member})

    def group_migrated(
        self, old_chat_id: int, new_chat_id: int | None = None, by_user_id: int = 1
    ) -> list[dict]:
        """A group upgraded to a supergroup: migrate_to_chat_id in the old chat,
        migrate_from_chat_id in the new one."""
        new_chat_id = new_chat_id if new_chat_id is not None else int(f"-100{abs(old_chat_id)}")
        with self._lock:
            title = self._chat(old_chat_id)["title"]
            first = self.push_update(
                {
                    "message": self._user_message(
                        self._known_user(by_user_id),
                        old_chat_id,
                        "group",
                        title,
                        migrate_to_chat_id=new_chat_id,
                    )
                }
            )
            self.migrate(old_chat_id, new_chat_id)
            msg = self._user_message(
                GROUP_ANONYMOUS_BOT,
                new_chat_id,
                "supergroup",
                title,
                migrate_from_chat_id=old_chat_id,
            )
            msg["sender_chat"] = msg["chat"]
            return [first, self.push_update({"message": msg})]

    def channel_post(
        self,
        chat_id: int,
        text: str,
        title: str = "Test channel",
        username: str | None = None,
        entities: list | None = None,
    ) -> dict:
        """A channel_post update: no ``from``, sender_chat = the channel."""
        with self._lock:
            chat = self._chat(chat_id, "channel", title)
            if username:
                chat["username"] = self._chats[chat_id]["username"] = username
            msg = {
                "message_id": self._next_message_id(chat_id),
                "sender_chat": chat,
                "chat": chat,
                "date": int(time.time()),
                "text": text,
            }
            if entities:
                msg["entities"] = entities
            return self.push_update({"channel_post": msg})

    def anonymous_admin_message(self, chat_id: int, text: str, title: str | None = None) -> dict:
        """A message by an anonymous group admin: from = GroupAnonymousBot, sender_chat = the
        group itself."""
        with self._lock:
            msg = self._user_message(GROUP_ANONYMOUS_BOT, chat_id, "private", title, text=text)
            msg["sender_chat"] = msg["chat"]
            if text.startswith("/"):
                msg["entities"] = [
                    {"type": "bot_command", "offset": 0, "length": _u16(text.split(maxsplit=1)[0])}
                ]
            return self.push_update({"message": msg})
