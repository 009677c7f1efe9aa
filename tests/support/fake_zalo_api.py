"""A fake Zalo Bot Platform API on 127.0.0.1 for tests of the Zalo channel, sync or async.

It runs in a background thread (stdlib ``http.server``), like ``tests/support/fake_bot_api.py``::

    with FakeZaloApi(poll_wait=0.2) as zalo:
        api = ZaloApi(zalo.token, base_url=zalo.base_url)
        zalo.inject_text("u1", "hạn nộp báo cáo?")
        update = await api.get_updates(timeout=1)
        await api.send_message(update.chat_id, "20/07/2026")
        call = await zalo.awaited(lambda c: c.method == "sendMessage" and c.ok)

What it imitates, and where each part comes from. "Docs" is the Zalo Bot Platform documentation
(docs.zaloplatforms.com/docs/BOT, "Stable v2.5.0"); "captured" is what integrators recorded from
the live platform in 2026; "assumed" marks what neither says, so the fake picks one behaviour and
the client must not depend on more than that.

* ``/bot<token>/<method>`` by POST (JSON body) or GET (query); per-token bots (docs). An unknown
  token gets ``{ok: false, error_code: 401}`` with HTTP 401 (assumed: the docs only say the token
  is checked). Answers are ``{ok: true, result}`` or ``{ok: false, error_code, description}`` with
  that HTTP status, unless :meth:`errors_with_http_200` asks for errors carried by HTTP 200
  (captured). An unknown method answers 400 (issue 15's reading of the docs' error table).
* The error table (docs): 403 is an *internal server error* (transient, nothing to do with the
  recipient), 404 an *invalid request*, 408 the empty long poll, 429 *quota exceeded* with no
  published number. :meth:`fail_next` uses those descriptions by default.
* ``getUpdates``: ONE update per call, removed from the queue when answered, no offset (docs); an
  empty wait answers ``{ok: false, error_code: 408, description: "Request timeout"}`` with HTTP 200
  after the requested timeout (captured), or ``poll_wait`` seconds to keep tests fast. With a
  webhook set it answers 400 (docs: getUpdates does not work while a webhook is set).
* ``setWebhook(url, secret_token)`` (secret 8-256 characters, docs): injected updates are then
  POSTed, bare (``{event_name, message}``), to the URL with ``X-Bot-Api-Secret-Token``, in order,
  from a worker thread (so a webhook served by the test's own event loop cannot deadlock).
  :meth:`probe_webhook` POSTs an empty body with the secret and no content type, as the platform's
  health probe was captured doing.
* ``sendMessage``: 1-2000 characters (docs), counted in UTF-16 units (assumed: the docs do not say
  how; an emoji counts 2). A recipient who never wrote to the bot (no update injected from that
  chat) or who blocked it gets an error whose description names the recipient (assumed: the docs
  publish no such answer; the fake uses code 400 so that a client reading only the code learns
  nothing). ``sendPhoto`` takes a public http(s) URL only (docs). ``sendChatAction`` takes
  ``typing`` or ``upload_photo`` (docs). A send quota (``send_quota=(N, seconds)`` per bot,
  assumed: no number is published) answers 429 past N sends in the window.
* Updates (docs and captured): ``message.text.received``, ``message.image.received``
  (``photo_url``, ``caption``, ``message_type: CHAT_PHOTO``), ``message.voice.received``
  (``voice_url`` to an .aac file, ``message_type: CHAT_VOICE``), ``message.sticker.received``
  (``message_type: CHAT_STICKER`` assumed) and ``message.unsupported.received`` (no content).
  ``date`` is in milliseconds.
* Groups (docs, "build bot interaction with group", beta): the platform delivers a group message
  only when it @mentions the bot or quote-replies to one of the bot's messages.
  :meth:`inject_group` drops anything else (counted in ``undelivered``). How the mention and the
  quote look in the payload is not documented: the fake keeps the text as typed ("@Trợ lý PGI ...",
  the bot's display name, which ``getMe`` returns beside ``account_name`` — assumed) and adds
  ``quote: {message_id, from: {id}, text}`` for a quote-reply (assumed).
* ``echo_own=True``: every message the bot sends comes back as an update from the bot's own id
  (assumed; integrators report their own messages echoed, without saying how often).
* Photo bytes served at a local URL (:meth:`serve_photo`), so the bot can download the evidence a
  user sent as an image.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import socket
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from tests.support.fake_server import stop_server

DEFAULT_TOKEN = "1459232241454765289:fAkEzAlOsEcReT-0123456789abcdef"
MAX_TEXT = 2000
MAX_POLL = 50  # seconds; longer getUpdates timeouts are cut to this
SEND_METHODS = ("sendMessage", "sendPhoto", "sendSticker")
DISPLAY_NAME = (  # the bot's name as people see it in the app (getMe's display_name: assumed)
    "Trợ lý PGI"
)
METHODS = (
    "getMe",
    "getUpdates",
    "setWebhook",
    "deleteWebhook",
    "getWebhookInfo",
    "sendMessage",
    "sendPhoto",
    "sendSticker",
    "sendChatAction",
)
_BY_LOWER = {m.lower(): m for m in METHODS}


class _ApiError(Exception):
    def __init__(
        self, code: int, description: str, retry_after: int | None = None, html: bool = False
    ):
        super().__init__(description)
        self.code, self.description, self.retry_after, self.html = (
            code,
            description,
            retry_after,
            html,
        )


@dataclass
class Call:
    """One request the bot made, with what the fake answered (``error_code`` None = success)."""

    method: str
    params: dict
    time: float
    token_known: bool
    http_status: int = 200
    error_code: int | None = None
    result: Any = None

    @property
    def ok(self) -> bool:
        return self.error_code is None

    @property
    def chat_id(self) -> str | None:
        return self.params.get("chat_id")

    @property
    def text(self) -> str | None:
        return self.params.get("text", self.params.get("caption"))

    def __repr__(self) -> str:
        text = None if self.text is None else repr(str(self.text)[:60])
        return (
            f"Call({self.method}, chat_id={self.chat_id!r}, text={text},"
            f" error_code={self.error_code})"
        )


@dataclass
class Delivery:
    """One webhook POST: the update, the secret header sent, and the receiver's HTTP status
    (None = no answer)."""

    update: dict
    url: str
    secret: str
    status: int | None
    error: str | None = None


@dataclass
class _Bot:
    token: str
    account_name: str
    can_join_groups: bool
    display_name: str = DISPLAY_NAME
    queue: deque = field(default_factory=deque)
    known_chats: set = field(default_factory=set)
    blocked_chats: set = field(default_factory=set)
    webhook: dict | None = None  # {"url", "secret_token", "updated_at"}
    sends: deque = field(default_factory=deque)  # monotonic times of accepted sends (quota window)
    sent_ids: dict = field(
        default_factory=dict
    )  # message id -> chat id, of what the bot sent (quote-replies)

    @property
    def id(self) -> str:
        return self.token.split(":", 1)[0]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeZaloApi

    def handle_error(self, request, client_address):
        pass  # abandoned long polls and shutdowns are not test failures


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, *args):
        pass

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.fake._connections.add(self.connection)

    def finish(self):
        self.server.fake._connections.discard(self.connection)
        super().finish()

    def do_POST(self):
        url = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            status, ctype, payload, headers = self.server.fake._route(
                self.command, url.path, url.query, body
            )
        except Exception as exc:  # a bug in the fake must not look like a network error
            status, ctype, headers = 500, "application/json", {}
            payload = json.dumps(
                {"ok": False, "error_code": 500, "description": f"fake bug: {exc!r}"}
            ).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST


def _now_ms() -> int:
    return int(time.time() * 1000)


def _message_id() -> str:
    return uuid.uuid4().hex[:20]


def _length(text: str) -> int:
    """Zalo's 2000 "characters", counted in UTF-16 units (assumed: the docs do not say; an emoji
    counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def _http_url(value: Any) -> bool:
    return (
        isinstance(value, str)
        and value.lower().startswith(("http://", "https://"))
        and len(value) > 8
    )


class FakeZaloApi:
    """Zalo Bot API imitation; see the module docstring. ``token`` is the default bot's token."""

    def __init__(
        self,
        tokens: tuple[str, ...] = (DEFAULT_TOKEN,),
        poll_wait: float | None = None,
        can_join_groups: bool = False,
        send_quota: tuple[int, float] | None = None,
        webhook_wrapped: bool = False,
        port: int = 0,
        echo_own: bool = False,
    ):
        self.poll_wait, self.send_quota, self.webhook_wrapped = (
            poll_wait,
            send_quota,
            webhook_wrapped,
        )
        self.echo_own = echo_own
        self.undelivered = (
            0  # group messages the platform does not pass on (no mention, no quote of the bot)
        )
        self._requested_port = port
        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self._bots: dict[str, _Bot] = {}
        for i, token in enumerate(tokens):
            self.add_bot(token, account_name=f"bot.pgi{i or ''}", can_join_groups=can_join_groups)
        self._calls: list[Call] = []  # answered requests
        self._arrived: Counter[str] = Counter()  # requests received, answered or not yet
        self._faults: list[dict] = []
        self._http200: set[str] | bool = False
        self._photos: dict[str, tuple[bytes, str]] = {}
        self.photo_downloads: Counter = Counter()
        self.deliveries: list[Delivery] = []
        self._outbox: deque = deque()  # (bot token, update) waiting for the webhook worker
        self._connections: set[socket.socket] = set()
        self._httpd: _Server | None = None
        self._threads: list[threading.Thread] = []
        self._stopping = False
        self._sends_open = threading.Event()
        self._sends_open.set()
        self._deliver_held = True
        self.held = 0  # send requests that waited behind hold_sends()

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> FakeZaloApi:
        self._stopping = False
        self._httpd = _Server(("127.0.0.1", self._requested_port), _Handler)
        self._httpd.fake = self
        self._threads = [
            threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.05},
                name="FakeZaloApi",
                daemon=True,
            ),
            threading.Thread(target=self._deliver_loop, name="FakeZaloApi-webhooks", daemon=True),
        ]
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        """Wakes long polls, closes keep-alive connections and the socket (well under a second)."""
        if not self._httpd:
            return
        with self._cond:
            self._stopping = True
        stop_server(self._httpd, self._cond, self._connections, self._threads)
        self._httpd = None

    def __enter__(self) -> FakeZaloApi:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    async def __aenter__(self) -> FakeZaloApi:
        return self.start()

    async def __aexit__(self, *exc) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        """What ``ZaloApi(base_url=...)`` takes (ZALO_API_BASE_URL): requests go to
        ``{base_url}/bot{token}/{method}``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def token(self) -> str:
        return next(iter(self._bots))

    # ------------------------------------------------------------------ configuration
    def add_bot(
        self, token: str, account_name: str = "bot.pgi", can_join_groups: bool = False
    ) -> None:
        with self._lock:
            self._bots[token] = _Bot(token, account_name, can_join_groups)

    def set_can_join_groups(self, value: bool, token: str | None = None) -> None:
        with self._lock:
            self._bot(token).can_join_groups = value

    def fail_next(
        self,
        code: int,
        times: int = 1,
        method: str = "*",
        description: str | None = None,
        retry_after: int | None = None,
        html: bool = False,
    ) -> None:
        """The next ``times`` calls of ``method`` ("*" = any but getUpdates) fail with ``code``.

        ``html=True`` answers an HTML page with that HTTP status (a proxy's 502), not Zalo's JSON;
        ``retry_after`` adds a ``Retry-After`` header and ``parameters.retry_after`` to a 429.
        """
        # the descriptions of Zalo's error table (403 is its internal error, 404 an invalid
        # request)
        defaults = {
            400: "Bad request",
            401: "Unauthorized: invalid bot token",
            403: "Internal server error",
            404: "Invalid request",
            408: "Request timeout",
            429: "Quota exceeded",
            500: "Internal server error",
            502: "Bad gateway",
            503: "Service unavailable",
        }
        with self._lock:
            self._faults.append(
                {
                    "method": method.lower(),
                    "times": times,
                    "error": _ApiError(
                        code, description or defaults.get(code, "Error"), retry_after, html
                    ),
                }
            )

    def errors_with_http_200(self, *methods: str) -> None:
        """Zalo's quirk: error answers of ``methods`` (all when none given) come with HTTP 200."""
        with self._lock:
            self._http200 = {m.lower() for m in methods} if methods else True

    def block(self, chat_id: str, token: str | None = None) -> None:
        """The user blocked the bot: sends to the chat are refused from now on, naming the
        recipient."""
        with self._lock:
            self._bot(token).blocked_chats.add(str(chat_id))

    def serve_photo(
        self, content: bytes, content_type: str = "image/jpeg", name: str | None = None
    ) -> str:
        """Serves ``content`` at a local URL (what an image update's ``photo_url`` points to)
        and returns it."""
        name = name or f"{uuid.uuid4().hex}.jpg"
        with self._lock:
            self._photos[name] = (content, content_type)
        return f"{self.base_url}/photos/{name}"

    # ------------------------------------------------------------------ injecting updates
    def inject(self, update: dict, token: str | None = None) -> dict:
        """Queues any update dict as is (for odd or hostile shapes); it goes to the webhook if
        one is set."""
        with self._cond:
            bot = self._bot(token)
            message = update.get("message") if isinstance(update, dict) else None
            if (
                isinstance(message, dict)
                and isinstance(message.get("chat"), dict)
                and message["chat"].get("id") is not None
            ):
                bot.known_chats.add(str(message["chat"]["id"]))
            if bot.webhook:
                self._outbox.append((bot.token, update))
            else:
                bot.queue.append(update)
            self._cond.notify_all()
        return update

    def _user_update(
        self,
        event: str,
        user_id: str,
        chat_id: str | None,
        chat_type: str,
        display_name: str,
        token: str | None,
        **fields,
    ) -> dict:
        chat_type = chat_type.upper()
        chat_id = str(user_id if chat_id is None else chat_id)
        message = {
            "from": {"id": str(user_id), "display_name": display_name, "is_bot": False},
            "chat": {"id": chat_id, "chat_type": chat_type},
            "message_id": _message_id(),
            "date": _now_ms(),
            **{k: v for k, v in fields.items() if v is not None},
        }
        return self.inject({"event_name": event, "message": message}, token)

    def inject_text(
        self,
        user_id: str,
        text: str,
        chat_id: str | None = None,
        chat_type: str = "PRIVATE",
        display_name: str = "Nguyễn Văn A",
        token: str | None = None,
    ) -> dict:
        """A user's text message; from now on the bot may write to that chat (private or group)."""
        return self._user_update(
            "message.text.received", user_id, chat_id, chat_type, display_name, token, text=text
        )

    def inject_image(
        self,
        user_id: str,
        content: bytes | None = None,
        photo_url: str | None = None,
        caption: str | None = None,
        chat_id: str | None = None,
        chat_type: str = "PRIVATE",
        display_name: str = "Nguyễn Văn A",
        photo_field: str = "photo_url",
        token: str | None = None,
    ) -> dict:
        """A user's image: ``content`` is served locally (see :meth:`serve_photo`) unless
        ``photo_url`` is given.

        ``photo_field`` is the key the URL goes under ("photo_url", or "photo" as some docs show
        it).
        """
        if photo_url is None:
            photo_url = self.serve_photo(
                content if content is not None else b"\xff\xd8\xff\xe0fake-jpeg\xff\xd9"
            )
        return self._user_update(
            "message.image.received",
            user_id,
            chat_id,
            chat_type,
            display_name,
            token,
            caption=caption,
            message_type="CHAT_PHOTO",
            **{photo_field: photo_url},
        )

    def inject_voice(
        self,
        user_id: str,
        voice_url: str | None = None,
        chat_id: str | None = None,
        chat_type: str = "PRIVATE",
        display_name: str = "Nguyễn Văn A",
        token: str | None = None,
    ) -> dict:
        """A voice message: ``voice_url`` to an .aac file (captured), ``message_type:
        CHAT_VOICE``."""
        voice_url = voice_url or self.serve_photo(
            b"\xff\xf1fake-aac", "audio/aac", f"{uuid.uuid4().hex}.aac"
        )
        return self._user_update(
            "message.voice.received",
            user_id,
            chat_id,
            chat_type,
            display_name,
            token,
            voice_url=voice_url,
            message_type="CHAT_VOICE",
        )

    def inject_group(
        self,
        user_id: str,
        group_id: str,
        text: str,
        mention: bool = False,
        quote: str | None = None,
        display_name: str = "Nguyễn Văn A",
        token: str | None = None,
    ) -> dict | None:
        """A group message as the platform passes it on: only with ``mention`` (the text starts
        with "@<display name> ") or a ``quote`` of one of the bot's own message ids; anything
        else is not delivered (None, and ``undelivered`` counts it)."""
        with self._lock:
            bot = self._bot(token)
            quoted = bot.sent_ids.get(quote) == str(group_id) if quote else False
            shown = bot.display_name
        if not mention and not quoted:
            with self._lock:
                self.undelivered += 1
            return None
        if mention:
            text = f"@{shown} {text}"
        extra = (
            {"quote": {"message_id": quote, "from": {"id": self._bot(token).id}}} if quoted else {}
        )
        return self._user_update(
            "message.text.received",
            user_id,
            group_id,
            "GROUP",
            display_name,
            token,
            text=text,
            **extra,
        )

    def probe_webhook(self, token: str | None = None) -> Delivery:
        """The platform's health probe, as captured: the secret header, an empty body, no
        content type."""
        with self._lock:
            hook = dict(self._bot(token).webhook or {})
        url = urlsplit(hook["url"])
        connection = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=10)
        try:  # http.client, not urllib: urllib would add a form content type to an empty body
            connection.request(
                "POST",
                url.path or "/",
                body=b"",
                headers={"X-Bot-Api-Secret-Token": hook["secret_token"]},
            )
            delivery = Delivery(
                {}, hook["url"], hook["secret_token"], connection.getresponse().status
            )
        except OSError as exc:
            delivery = Delivery({}, hook["url"], hook["secret_token"], None, repr(exc))
        finally:
            connection.close()
        with self._cond:
            self.deliveries.append(delivery)
        return delivery

    def inject_sticker(
        self,
        user_id: str,
        sticker: str = "0e078a2fb66a5f34067b",
        chat_id: str | None = None,
        chat_type: str = "PRIVATE",
        display_name: str = "Nguyễn Văn A",
        token: str | None = None,
    ) -> dict:
        return self._user_update(
            "message.sticker.received",
            user_id,
            chat_id,
            chat_type,
            display_name,
            token,
            sticker=sticker,
            message_type="CHAT_STICKER",
        )

    def inject_unsupported(
        self,
        user_id: str,
        chat_id: str | None = None,
        chat_type: str = "PRIVATE",
        display_name: str = "Nguyễn Văn A",
        token: str | None = None,
    ) -> dict:
        """A message kind the Bot API does not pass on (file, location...): no content at all
        (captured)."""
        return self._user_update(
            "message.unsupported.received", user_id, chat_id, chat_type, display_name, token
        )

    # ------------------------------------------------------------------ inspection
    def arrived(self, method: str) -> int:
        """Requests of ``method`` received so far, a long poll still waiting included (``calls``
        lists the answered ones)."""
        with self._lock:
            return self._arrived[method.lower()]

    def calls(self, method: str | None = None) -> list[Call]:
        with self._lock:
            return [c for c in self._calls if method is None or c.method.lower() == method.lower()]

    def sent(self, chat_id: str | None = None) -> list[Call]:
        """Successful sendMessage/sendPhoto/sendSticker calls, oldest first, optionally for one
        chat."""
        return [
            c
            for c in self.calls()
            if c.method in SEND_METHODS and c.ok and (chat_id is None or c.chat_id == str(chat_id))
        ]

    def texts(self, chat_id: str | None = None) -> list[str]:
        return [c.text for c in self.sent(chat_id) if c.text is not None]

    def pending(self, token: str | None = None) -> int:
        """Updates still waiting in the bot's getUpdates queue."""
        with self._lock:
            return len(self._bot(token).queue)

    def webhook(self, token: str | None = None) -> dict | None:
        with self._lock:
            hook = self._bot(token).webhook
            return dict(hook) if hook else None

    @property
    def request_count(self) -> int:
        with self._lock:
            return len(self._calls)

    @property
    def requests_by_method(self) -> Counter:
        with self._lock:
            return Counter(c.method for c in self._calls)

    @property
    def too_many_requests(self) -> int:
        """How many answers were 429."""
        with self._lock:
            return sum(c.error_code == 429 for c in self._calls)

    def _matcher(self, predicate: Callable[[Call], bool] | str | None) -> Callable[[Call], bool]:
        if predicate is None:
            return lambda c: True
        if isinstance(predicate, str):
            return lambda c: c.method.lower() == predicate.lower()
        return predicate

    def _first(self, match: Callable[[Call], bool]) -> Call | None:
        return next((c for c in self.calls() if match(c)), None)

    def wait_for(
        self, predicate: Callable[[Call], bool] | str | None, timeout: float = 5.0
    ) -> Call:
        """Blocks until a recorded Call matches (a callable, or a method name); returns the
        first match."""
        match, deadline = self._matcher(predicate), time.monotonic() + timeout
        while (call := self._first(match)) is None:
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"no matching call within {timeout}s; calls: {self.calls()[-10:]}"
                )
            time.sleep(0.01)
        return call

    async def awaited(
        self, predicate: Callable[[Call], bool] | str | None, timeout: float = 5.0
    ) -> Call:
        """Async twin of :meth:`wait_for` (sleeps with asyncio so the bot under test keeps
        running)."""
        match, deadline = self._matcher(predicate), time.monotonic() + timeout
        while (call := self._first(match)) is None:
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"no matching call within {timeout}s; calls: {self.calls()[-10:]}"
                )
            await asyncio.sleep(0.01)
        return call

    # ------------------------------------------------------------------ HTTP
    def _bot(self, token: str | None) -> _Bot:
        return self._bots[token or self.token]

    def _route(
        self, verb: str, path: str, query: str, body: bytes
    ) -> tuple[int, str, bytes, dict]:
        if verb == "GET" and path.startswith("/photos/"):
            with self._lock:
                photo = self._photos.get(unquote(path[len("/photos/") :]))
                if photo:
                    self.photo_downloads[path] += 1
            if photo:
                return 200, photo[1], photo[0], {}
            return 404, "text/plain", b"not found", {}
        parts = path.split("/")
        if len(parts) != 3 or not parts[1].startswith("bot") or len(parts[1]) <= 3:
            return (
                404,
                "application/json",
                b'{"ok":false,"error_code":404,"description":"Not found"}',
                {},
            )
        token, name = unquote(parts[1][3:]), parts[2]
        method = _BY_LOWER.get(name.lower(), name)
        try:
            params = dict(parse_qsl(query))
            if body:
                decoded = json.loads(body)
                if not isinstance(decoded, dict):
                    raise ValueError("the body must be a JSON object")
                params.update(decoded)
        except (ValueError, UnicodeDecodeError) as exc:
            return self._answer(
                method, token, {}, _ApiError(400, f"Bad request: invalid JSON body ({exc})")
            )
        with self._lock:
            self._arrived[method.lower()] += 1
            bot = self._bots.get(token)
            fault = None if bot is None else self._take_fault(method)
        if bot is None:
            return self._answer(
                method, token, params, _ApiError(401, "Unauthorized: invalid bot token")
            )
        if fault:
            return self._answer(method, token, params, fault)
        try:
            result = self._handle(bot, method, params)
        except _ApiError as exc:
            return self._answer(method, token, params, exc)
        return self._answer(method, token, params, None, result)

    def _take_fault(self, method: str) -> _ApiError | None:
        for fault in self._faults:
            if fault["method"] == method.lower() or (
                fault["method"] == "*" and method != "getUpdates"
            ):
                fault["times"] -= 1
                if fault["times"] <= 0:
                    self._faults.remove(fault)
                return fault["error"]
        return None

    def _answer(
        self, method: str, token: str, params: dict, error: _ApiError | None, result: Any = None
    ):
        with self._cond:
            known = token in self._bots
            if error is None:
                status, headers = 200, {}
                answer = {"ok": True} if result is None else {"ok": True, "result": result}
                payload, ctype = (
                    json.dumps(answer, ensure_ascii=False).encode(),
                    "application/json",
                )
            elif error.html:
                # a proxy's error page, which (as some do) echoes the requested path, token
                # included
                status, headers, ctype = error.code, {}, "text/html; charset=utf-8"
                payload = (
                    f"<html><head><title>{error.code} {error.description}</title></head>"
                    f"<body><h1>{error.description}</h1><p>upstream"
                    f" failed for /bot{token}/{method}</p></body></html>"
                ).encode()
            else:
                quirk = self._http200 is True or (
                    isinstance(self._http200, set) and method.lower() in self._http200
                )
                # getUpdates' empty wait is a 408 inside an HTTP 200, like Zalo's; so is a code
                # that is no HTTP status
                status = (
                    200
                    if quirk or error.code == 408 or not 400 <= error.code <= 599
                    else error.code
                )
                answer = {"ok": False, "error_code": error.code, "description": error.description}
                headers = {}
                if error.retry_after is not None:
                    answer["parameters"] = {"retry_after": error.retry_after}
                    headers["Retry-After"] = str(error.retry_after)
                payload, ctype = (
                    json.dumps(answer, ensure_ascii=False).encode(),
                    "application/json",
                )
            shown = {k: "<secret>" if k == "secret_token" else v for k, v in params.items()}
            self._calls.append(
                Call(
                    method,
                    shown,
                    time.time(),
                    known,
                    status,
                    None if error is None else error.code,
                    result,
                )
            )
            self._cond.notify_all()
        return status, ctype, payload, headers

    # ------------------------------------------------------------------ methods
    def hold_sends(self) -> None:
        """Sends wait (the request is in flight) until :meth:`release_sends`: a test can stop
        the bot meanwhile."""
        self._sends_open.clear()

    def release_sends(self, deliver: bool = True) -> None:
        """Let held sends go on; with ``deliver=False`` they fail with 500 (the bot that sent
        them is gone)."""
        self._deliver_held = deliver
        self._sends_open.set()

    def _handle(self, bot: _Bot, method: str, params: dict) -> Any:
        if method == "getUpdates":
            return self._get_updates(bot, params)
        if method in SEND_METHODS and not self._sends_open.is_set():
            with self._lock:
                self.held += 1
            self._sends_open.wait()
            if not self._deliver_held:
                raise _ApiError(500, "Internal error: the request was dropped")
        with self._lock:
            if method == "getMe":
                return {
                    "id": bot.id,
                    "account_name": bot.account_name,
                    "display_name": bot.display_name,
                    "account_type": "BASIC",
                    "can_join_groups": bot.can_join_groups,
                }
            if method == "setWebhook":
                url, secret = params.get("url"), params.get("secret_token")
                if not _http_url(url):
                    raise _ApiError(400, "Bad request: url must be an HTTPS URL")
                if not isinstance(secret, str) or not 8 <= len(secret) <= 256:
                    raise _ApiError(400, "Bad request: secret_token must be 8 to 256 characters")
                bot.webhook = {"url": url, "secret_token": secret, "updated_at": _now_ms()}
                self._cond.notify_all()  # a getUpdates waiting now ends
                return {"url": url, "updated_at": bot.webhook["updated_at"]}
            if method == "deleteWebhook":
                bot.webhook = None
                return {"url": "", "updated_at": _now_ms()}
            if method == "getWebhookInfo":
                return (
                    {"url": bot.webhook["url"], "updated_at": bot.webhook["updated_at"]}
                    if bot.webhook
                    else {"url": ""}
                )
            if method in SEND_METHODS or method == "sendChatAction":
                return self._send(bot, method, params)
        raise _ApiError(400, f"Invalid request: unknown method {method}")

    def _get_updates(self, bot: _Bot, params: dict) -> dict:
        if bot.webhook:
            raise _ApiError(
                400,
                "Bad request: getUpdates is unavailable while a webhook is set; call deleteWebhook"
                " first",
            )
        try:
            wait = min(float(params.get("timeout", 30)), MAX_POLL)
        except (TypeError, ValueError):
            raise _ApiError(400, "Bad request: timeout must be a number of seconds") from None
        if self.poll_wait is not None:
            wait = min(wait, self.poll_wait)
        deadline = time.monotonic() + max(wait, 0)
        with self._cond:
            while not bot.queue:
                left = deadline - time.monotonic()
                if left <= 0 or self._stopping or bot.webhook:
                    raise _ApiError(408, "Request timeout")
                self._cond.wait(left)
            return bot.queue.popleft()

    def _send(self, bot: _Bot, method: str, params: dict) -> dict | None:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, str) or not chat_id:
            raise _ApiError(400, "Bad request: chat_id is required")
        if method == "sendMessage":
            text = params.get("text")
            if not isinstance(text, str) or not 1 <= _length(text) <= MAX_TEXT:
                raise _ApiError(400, f"Bad request: text must be 1 to {MAX_TEXT} characters")
        elif method == "sendPhoto":
            if not _http_url(params.get("photo")):
                raise _ApiError(400, "Bad request: photo must be a public http(s) URL")
            caption = params.get("caption")
            if caption is not None and (
                not isinstance(caption, str) or _length(caption) > MAX_TEXT
            ):
                raise _ApiError(400, f"Bad request: caption must be at most {MAX_TEXT} characters")
        elif method == "sendSticker":
            if not isinstance(params.get("sticker"), str) or not params["sticker"]:
                raise _ApiError(400, "Bad request: sticker is required")
        elif params.get("action") not in ("typing", "upload_photo"):
            raise _ApiError(400, "Bad request: action must be typing or upload_photo")
        # assumed wording and code (not documented): the description names the recipient
        if chat_id in bot.blocked_chats:
            raise _ApiError(400, "Invalid request: the user has blocked this bot")
        if chat_id not in bot.known_chats:
            raise _ApiError(400, "Invalid request: the user has not interacted with this bot yet")
        if method == "sendChatAction":
            return None
        if self.send_quota:
            limit, window = self.send_quota
            now = time.monotonic()
            while bot.sends and bot.sends[0] <= now - window:
                bot.sends.popleft()
            if len(bot.sends) >= limit:
                raise _ApiError(429, "Quota exceeded")
            bot.sends.append(now)
        message_id = _message_id()
        bot.sent_ids[message_id] = chat_id
        if self.echo_own:
            echo = {
                "from": {"id": bot.id, "display_name": bot.display_name},
                "chat": {"id": chat_id, "chat_type": "PRIVATE"},
                "message_id": message_id,
                "date": _now_ms(),
                "text": params.get("text") or params.get("caption") or "",
            }
            (
                self._outbox.append(
                    (bot.token, {"event_name": "message.text.received", "message": echo})
                )
                if bot.webhook
                else bot.queue.append({"event_name": "message.text.received", "message": echo})
            )
        return {"message_id": message_id, "date": _now_ms()}

    # ------------------------------------------------------------------ webhook delivery
    def _deliver_loop(self) -> None:
        while True:
            with self._cond:
                while not self._outbox and not self._stopping:
                    self._cond.wait(0.5)
                if self._stopping:
                    return
                token, update = self._outbox.popleft()
                hook = dict(self._bots[token].webhook or {})
            if not hook:
                with self._cond:
                    self._bots[token].queue.append(
                        update
                    )  # the webhook went away meanwhile: poll it
                    self._cond.notify_all()
                continue
            body = {"ok": True, "result": update} if self.webhook_wrapped else update
            request = urllib.request.Request(
                hook["url"],
                data=json.dumps(body, ensure_ascii=False).encode(),
                method="POST",
                headers={
                    "Content-Type": "application/json",
                    "X-Bot-Api-Secret-Token": hook["secret_token"],
                },
            )
            delivery = self._post(request, update, hook)
            with self._cond:
                self.deliveries.append(delivery)
                self._cond.notify_all()

    @staticmethod
    def _post(request: urllib.request.Request, update: dict, hook: dict) -> Delivery:
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status, error = response.status, None
        except urllib.error.HTTPError as exc:
            status, error = exc.code, None
        except (OSError, ValueError) as exc:
            status, error = None, repr(exc)
        return Delivery(update, hook["url"], hook["secret_token"], status, error)

    def wait_for_deliveries(self, count: int, timeout: float = 5.0) -> list[Delivery]:
        """Blocks until ``count`` webhook POSTs were made (answered or not); returns them all."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.deliveries) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(
                        f"{len(self.deliveries)} webhook deliveries within {timeout}s, {count}"
                        " expected"
                    )
                self._cond.wait(left)
            return list(self.deliveries)
