"""The Zalo Bot API client, against the fake Zalo API: methods, errors, redaction and update
parsing."""

from __future__ import annotations

import ast
import logging
import socket
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.zalo.api import MAX_TEXT, ZaloApi, ZaloBotInfo, check_webhook_secret, zalo_length
from handlers.zalo.errors import (
    ZaloBadRequest,
    ZaloError,
    ZaloForbidden,
    ZaloNetworkError,
    ZaloRateLimited,
    ZaloRecipientRefused,
    ZaloServerError,
    ZaloUnauthorized,
)
from handlers.zalo.updates import ZaloUpdate, parse_update
from tests.support.fake_zalo_api import DEFAULT_TOKEN, FakeZaloApi

USER = "e4ea2cd5189df1c3a88c"
GROUP = "g-7f3a9c0d1e2b"
SECRET = "webhook-secret-123"
TOKEN_SECRET_HALF = DEFAULT_TOKEN.split(":", 1)[1]


@pytest.fixture
async def api(zalo):
    async with ZaloApi(DEFAULT_TOKEN, base_url=zalo.base_url, timeout=5) as client:
        yield client


def leaks(text: str) -> bool:
    return DEFAULT_TOKEN in text or TOKEN_SECRET_HALF in text


# ---------------------------------------------------------------------------------------- methods
async def test_get_me(api):
    """getMe gives the bot's id, account name and whether it can join groups."""
    me = await api.get_me()
    assert ZaloBotInfo("1459232241454765289", "bot.pgi", "BASIC", False, {}) == me


async def test_get_updates_returns_one_parsed_update(zalo, api):
    """A text message comes back as a ZaloUpdate with string ids, the name and an aware date."""
    sent = zalo.inject_text(USER, "Sở Xây dựng phụ trách chỉ số nào?", display_name="Trần Thị B")
    update = await api.get_updates(timeout=1)
    expected = ZaloUpdate(
        update_key=f"zalo:{sent['message']['message_id']}",
        event="message.text.received",
        chat_id=USER,
        chat_type="private",
        user_id=USER,
        display_name="Trần Thị B",
        is_bot=False,
        text="Sở Xây dựng phụ trách chỉ số nào?",
        caption=None,
        photo_url=None,
        sticker=None,
        date=datetime.fromtimestamp(sent["message"]["date"] / 1000, UTC),
        raw=sent,
    )
    assert expected == update
    assert sent == update.raw and update.date.tzinfo is not None


async def test_an_empty_wait_is_none(api):
    """Zalo's 408 after an empty long poll is not an error: get_updates answers None."""
    assert None is await api.get_updates(timeout=1)


async def test_the_read_timeout_outlasts_the_long_poll():
    """A long poll longer than the client's ordinary timeout still ends in None, not a timeout
    error."""
    with FakeZaloApi() as zalo:  # no poll_wait: the fake really waits the 1 s asked for
        async with ZaloApi(DEFAULT_TOKEN, base_url=zalo.base_url, timeout=0.3) as api:
            started = time.monotonic()
            result = await api.get_updates(timeout=1)
    assert (None, True) == (result, time.monotonic() - started >= 0.9)


async def test_get_updates_sends_the_timeout_as_the_docs_show(zalo, api):
    """The timeout goes as a string of seconds, as the documented examples send it."""
    await api.get_updates(timeout=1)
    assert {"timeout": "1"} == zalo.calls("getUpdates")[0].params


async def test_an_image_update(zalo, api):
    """An image carries a downloadable photo_url and its caption."""
    sent = zalo.inject_image(USER, content=b"evidence-bytes", caption="biên bản")
    update = await api.get_updates(timeout=1)
    async with httpx.AsyncClient() as client:
        downloaded = (await client.get(update.photo_url)).content
    assert ("message.image.received", "biên bản", b"evidence-bytes") == (
        update.event,
        update.caption,
        downloaded,
    )
    assert sent["message"]["photo_url"] == update.photo_url


async def test_a_group_update(zalo, api):
    """A message in a group has the group as chat and the writer as user."""
    zalo.inject_text(USER, "@bot hạn nộp?", chat_id=GROUP, chat_type="GROUP")
    update = await api.get_updates(timeout=1)
    assert ("group", GROUP, USER, True) == (
        update.chat_type,
        update.chat_id,
        update.user_id,
        update.is_group,
    )


async def test_sticker_and_unsupported_updates(zalo, api):
    """Stickers and unsupported kinds are parsed too, so the bot can answer "text only, please"."""
    zalo.inject_sticker(USER, sticker="abc123")
    zalo.inject_unsupported(USER)
    first, second = await api.get_updates(timeout=1), await api.get_updates(timeout=1)
    assert [("message.sticker.received", "abc123"), ("message.unsupported.received", None)] == [
        (first.event, first.sticker),
        (second.event, second.sticker),
    ]


async def test_an_unreadable_polled_update_is_dropped_with_a_warning(zalo, api, caplog):
    """An update without chat or sender cannot be answered: None, and a warning names its keys."""
    zalo.inject({"event_name": "message.text.received", "message": {"text": "ai gửi?"}})
    with caplog.at_level(logging.WARNING, logger="handlers.zalo.api"):
        result = await api.get_updates(timeout=1)
    assert None is result
    assert [
        "Zalo getUpdates answered an update this client cannot read (keys: ['event_name',"
        " 'message']); it is dropped"
    ] == [r.getMessage() for r in caplog.records if r.name == "handlers.zalo.api"]


async def test_send_message_returns_the_message_id(zalo, api):
    """sendMessage answers Zalo's message id; the fake saw the text."""
    zalo.inject_text(USER, "hỏi")
    message_id = await api.send_message(USER, "trả lời")
    assert (zalo.sent(USER)[0].result["message_id"], ["trả lời"]) == (message_id, zalo.texts(USER))


async def test_send_message_of_exactly_max_text(zalo, api):
    """MAX_TEXT characters go through."""
    zalo.inject_text(USER, "hỏi")
    await api.send_message(USER, "ạ" * MAX_TEXT)
    assert [MAX_TEXT] == [len(t) for t in zalo.texts(USER)]


@pytest.mark.parametrize("text", ["a" * (MAX_TEXT + 1), "😀" * 1001, ""])
async def test_a_text_out_of_bounds_is_refused_before_sending(zalo, api, text):
    """Too long (counted in UTF-16 units) or empty: ZaloBadRequest, and no request spends quota."""
    zalo.inject_text(USER, "hỏi")
    with pytest.raises(ZaloBadRequest, match="not sent"):
        await api.send_message(USER, text)
    assert 0 == zalo.requests_by_method["sendMessage"]


async def test_send_photo(zalo, api):
    """sendPhoto sends a public URL with an optional caption and returns the message id."""
    zalo.inject_text(USER, "hỏi")
    message_id = await api.send_photo(USER, "https://placehold.co/600x400", caption="ảnh")
    call = zalo.sent(USER)[0]
    assert (
        call.result["message_id"],
        {"chat_id": USER, "photo": "https://placehold.co/600x400", "caption": "ảnh"},
    ) == (
        message_id,
        call.params,
    )


async def test_send_photo_refuses_a_local_file(zalo, api):
    """Only public http(s) URLs: Zalo has no upload."""
    with pytest.raises(ZaloBadRequest):
        await api.send_photo(USER, "/tmp/evidence.jpg")
    assert 0 == zalo.request_count


async def test_send_sticker_and_chat_action(zalo, api):
    """sendSticker returns an id; sendChatAction returns nothing."""
    zalo.inject_text(USER, "hỏi")
    sticker_id = await api.send_sticker(USER, "0e078a2fb66a5f34067b")
    typing = await api.send_chat_action(USER)
    assert (True, None, "typing") == (
        isinstance(sticker_id, str),
        typing,
        zalo.calls("sendChatAction")[0].params["action"],
    )


async def test_webhook_lifecycle(zalo, api):
    """setWebhook, getWebhookInfo and deleteWebhook report the URL and when it changed."""
    created = await api.set_webhook("https://pgi.example.org/zalo", SECRET)
    info = await api.get_webhook_info()
    deleted = await api.delete_webhook()
    assert ("https://pgi.example.org/zalo", "https://pgi.example.org/zalo", "") == (
        created.url,
        info.url,
        deleted.url,
    )
    assert created.updated_at is not None and created.updated_at.tzinfo is not None
    assert None is zalo.webhook()


async def test_get_updates_fails_while_a_webhook_is_set(api):
    """Polling and a webhook exclude each other: getUpdates is then a bad request."""
    await api.set_webhook("https://pgi.example.org/zalo", SECRET)
    with pytest.raises(ZaloBadRequest, match="deleteWebhook"):
        await api.get_updates(timeout=1)


@pytest.mark.parametrize("secret", ["short", "x" * 257])
async def test_a_bad_webhook_secret_is_refused_before_sending(zalo, api, secret):
    """secret_token must be 8 to 256 characters."""
    with pytest.raises(ZaloBadRequest):
        await api.set_webhook("https://pgi.example.org/zalo", secret)
    assert 0 == zalo.request_count


async def test_a_shared_client_is_not_closed(zalo):
    """aclose closes only the httpx client the ZaloApi made itself."""
    async with httpx.AsyncClient() as shared:
        api = ZaloApi(DEFAULT_TOKEN, base_url=zalo.base_url, client=shared)
        await api.get_me()
        await api.aclose()
        await api.aclose()
        assert False is shared.is_closed


# ---------------------------------------------------------------------------------------- errors
async def test_a_bad_token_is_unauthorized(zalo):
    """An unknown token raises ZaloUnauthorized with Zalo's code."""
    async with ZaloApi("999:not-the-right-secret", base_url=zalo.base_url) as api:
        with pytest.raises(ZaloUnauthorized) as caught:
            await api.get_me()
    assert 401 == caught.value.code


async def test_a_stranger_is_refused_by_name(api):
    """Writing to someone who never wrote to the bot: the answer names the recipient, whatever
    its code."""
    with pytest.raises(ZaloRecipientRefused) as caught:
        await api.send_message("stranger", "chào")
    assert (400, "sendMessage") == (caught.value.code, caught.value.method)


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        (403, ZaloServerError),
        (408, ZaloServerError),
        (500, ZaloServerError),
        (404, ZaloBadRequest),
        (429, ZaloRateLimited),
    ],
)
async def test_errors_as_zalos_error_table_defines_them(zalo, api, code, kind):
    """403 is Zalo's internal server error and 408 a timeout (both transient), 404 an invalid
    request, 429 the quota; none of them says anything about the recipient."""
    zalo.inject_text(USER, "hỏi")
    zalo.fail_next(code, method="sendMessage")
    with pytest.raises(ZaloError) as caught:
        await api.send_message(USER, "x")
    assert (kind, False) == (type(caught.value), isinstance(caught.value, ZaloRecipientRefused))


async def test_a_blocked_user_is_forbidden_also_in_an_http_200(zalo, api):
    """The same error inside an HTTP 200 (Zalo's quirk) is still ZaloForbidden."""
    zalo.inject_text(USER, "hỏi")
    zalo.block(USER)
    zalo.errors_with_http_200()
    with pytest.raises(ZaloForbidden):
        await api.send_message(USER, "x")


async def test_a_description_that_says_forbidden_is_forbidden(zalo, api):
    """An unknown error code whose description says the user never wrote is ZaloForbidden."""
    zalo.errors_with_http_200()
    zalo.fail_next(-201, method="sendMessage", description="User has not interacted with the bot")
    with pytest.raises(ZaloForbidden) as caught:
        await api.send_message(USER, "x")
    assert -201 == caught.value.code


async def test_a_server_400_is_a_bad_request(zalo, api):
    """Zalo's own 400 (here forced) raises ZaloBadRequest."""
    zalo.fail_next(400, method="sendMessage", description="Bad request: chat_id is invalid")
    with pytest.raises(ZaloBadRequest, match="chat_id is invalid"):
        await api.send_message(USER, "x")


async def test_the_quota_is_rate_limited():
    """Past the quota: ZaloRateLimited, without retry_after since Zalo gives no hint."""
    with FakeZaloApi(send_quota=(1, 60)) as zalo:
        zalo.inject_text(USER, "hỏi")
        async with ZaloApi(DEFAULT_TOKEN, base_url=zalo.base_url) as api:
            await api.send_message(USER, "1")
            with pytest.raises(ZaloRateLimited) as caught:
                await api.send_message(USER, "2")
    assert (429, None, 1) == (caught.value.code, caught.value.retry_after, zalo.too_many_requests)


async def test_a_retry_hint_is_kept(zalo, api):
    """A 429 with a Retry-After hint gives retry_after in seconds."""
    zalo.fail_next(429, retry_after=7)
    with pytest.raises(ZaloRateLimited) as caught:
        await api.get_me()
    assert 7.0 == caught.value.retry_after


async def test_a_429_in_an_http_200_is_rate_limited(zalo, api):
    """Quota errors inside an HTTP 200 are recognised by their error_code."""
    zalo.errors_with_http_200()
    zalo.fail_next(429, description="Quota exceeded, retry after 30 seconds")
    with pytest.raises(ZaloRateLimited) as caught:
        await api.get_me()
    assert 30.0 == caught.value.retry_after


@pytest.mark.parametrize("quirk", [False, True])
async def test_a_500_is_a_server_error(zalo, api, quirk):
    """500, with HTTP 500 or inside an HTTP 200, raises ZaloServerError."""
    if quirk:
        zalo.errors_with_http_200()
    zalo.fail_next(500)
    with pytest.raises(ZaloServerError) as caught:
        await api.get_me()
    assert 500 == caught.value.code


async def test_a_non_json_502_is_a_server_error_without_the_token(zalo, api):
    """An HTML 502 page (which echoes the URL) raises ZaloServerError, and the token is redacted
    from it."""
    zalo.fail_next(502, html=True)
    with pytest.raises(ZaloServerError) as caught:
        await api.get_me()
    assert (502, False, True) == (
        caught.value.code,
        leaks(str(caught.value)),
        "<redacted>" in str(caught.value),
    )


async def test_a_refused_connection_is_a_network_error():
    """Nothing listening: ZaloNetworkError, with no httpx exception (and its URL) chained."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with ZaloApi(DEFAULT_TOKEN, base_url=f"http://127.0.0.1:{port}") as api:
        with pytest.raises(ZaloNetworkError) as caught:
            await api.get_me()
    assert (None, None, True) == (
        caught.value.code,
        caught.value.__cause__,
        caught.value.__suppress_context__,
    )


async def test_a_silent_server_is_a_network_error():
    """A server that accepts and never answers: the timeout becomes ZaloNetworkError."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        async with ZaloApi(
            DEFAULT_TOKEN, base_url=f"http://127.0.0.1:{sock.getsockname()[1]}", timeout=0.3
        ) as api:
            with pytest.raises(ZaloNetworkError, match="Timeout"):
                await api.get_me()


def test_every_error_is_a_zalo_error():
    """One base class: callers can catch ZaloError and sort by subclass."""
    classes = [
        ZaloUnauthorized,
        ZaloBadRequest,
        ZaloForbidden,
        ZaloRateLimited,
        ZaloServerError,
        ZaloNetworkError,
    ]
    assert [True] * 6 == [issubclass(c, ZaloError) for c in classes]


# ---------------------------------------------------------------------------------------- the
# token stays secret
async def test_the_token_appears_in_no_exception_and_no_log_record(zalo, caplog):
    """Every failure, logged at DEBUG (httpx's request lines included): no token in any text or
    repr."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(
        logging.DEBUG, logger="httpx"
    )  # the bot's logging setup keeps httpx at WARNING
    errors: list[BaseException] = []
    async with ZaloApi(DEFAULT_TOKEN, base_url=zalo.base_url, timeout=2) as api:
        assert not leaks(repr(api))
        zalo.inject_text(USER, "hỏi")
        await api.get_updates(timeout=1)
        await api.send_message(USER, "ok")
        await api.set_webhook("https://pgi.example.org/zalo", SECRET)
        await api.delete_webhook()
        for code, html in [
            (401, False),
            (400, False),
            (403, False),
            (429, False),
            (500, False),
            (502, True),
        ]:
            zalo.fail_next(
                code,
                html=html,
                description=f"echo of /bot{DEFAULT_TOKEN}/getMe" if not html else None,
            )
            try:
                await api.get_me()
            except ZaloError as exc:
                errors.append(exc)
        try:
            await api.send_message("stranger", "x")
        except ZaloError as exc:
            errors.append(exc)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with ZaloApi(DEFAULT_TOKEN, base_url=f"http://127.0.0.1:{port}") as api:
        try:
            await api.get_me()
        except ZaloError as exc:
            errors.append(exc)
    texts = [t for e in errors for t in (str(e), repr(e), e.description)]
    texts += [r.getMessage() for r in caplog.records]
    assert 8 == len(errors)
    assert any(r.name == "httpx" for r in caplog.records)  # httpx did log its request lines...
    assert [] == [t for t in texts if leaks(t) or SECRET in t]  # ...without the token


async def test_redaction_ends_with_the_client(zalo, caplog):
    """After aclose, the httpx filter no longer rewrites this token (nothing left registered)."""
    api = ZaloApi(DEFAULT_TOKEN, base_url=zalo.base_url)
    await api.aclose()
    caplog.set_level(
        logging.INFO, logger="httpx"
    )  # the bot's logging setup keeps httpx at WARNING
    logging.getLogger("httpx").info("line with %s", DEFAULT_TOKEN)
    assert [f"line with {DEFAULT_TOKEN}"] == [
        r.getMessage() for r in caplog.records if r.name == "httpx"
    ]


def test_a_malformed_token_is_refused_without_showing_it():
    """A token with a slash or spaces cannot go in the path: ValueError, token not in the
    message."""
    with pytest.raises(ValueError) as caught:
        ZaloApi("123:abc/def ghi")
    assert "abc/def" not in str(caught.value)


# ----------------------------------------------------------------------------------------
# parse_update
def _update(**message) -> dict:
    base = {
        "from": {"id": USER, "display_name": "A", "is_bot": False},
        "chat": {"id": USER, "chat_type": "PRIVATE"},
        "message_id": "m1",
        "date": 1766619597466,
        "text": "xin chào",
    }
    return {"event_name": "message.text.received", "message": {**base, **message}}


def test_parse_update_accepts_wrapped_bare_and_a_list_of_one():
    """The same update wrapped in {ok, result}, bare (as webhooks send it) or in a list of one
    parses the same."""
    bare = _update()
    parsed = [
        parse_update(b)
        for b in (bare, {"ok": True, "result": bare}, {"ok": True, "result": [bare]}, [bare])
    ]
    assert [parse_update(bare)] * 4 == parsed and parsed[0] is not None


def test_parse_update_reads_the_documented_sample_without_event_name():
    """The docs' getUpdates sample has no event_name and first_name for the sender: text is
    inferred."""
    sample = {
        "ok": True,
        "result": {
            "message": {
                "chat": {"id": "e4ea2cd5189df1c3a88c", "chat_type": "PRIVATE"},
                "text": "Xin chào",
                "message_id": "16f6366b3f02645a3d15",
                "date": 1766619597466,
                "from": {"id": "e4ea2cd5189df1c3a88c", "first_name": "Nguyen Van A"},
            }
        },
    }
    update = parse_update(sample)
    assert ("message.text.received", "Nguyen Van A", "zalo:16f6366b3f02645a3d15") == (
        update.event,
        update.display_name,
        update.update_key,
    )
    assert datetime(2025, 12, 24, 23, 39, 57, 466000, tzinfo=UTC) == update.date


def test_parse_update_accepts_a_message_without_envelope():
    """A body that is the message itself (event_name beside it) is understood."""
    update = parse_update({"event_name": "message.text.received", **_update()["message"]})
    assert ("xin chào", USER) == (update.text, update.chat_id)


def test_integer_ids_become_strings():
    """Ids are strings in Zalo; an integer id is tolerated and turned into one."""
    update = parse_update(_update(**{"from": {"id": 42}, "chat": {"id": 42}, "message_id": 7}))
    assert ("42", "42", "zalo:7") == (update.user_id, update.chat_id, update.update_key)


def test_a_date_in_seconds_is_read_as_seconds():
    """Dates are milliseconds; a value that can only be seconds is not read as 1970."""
    assert 2025 == parse_update(_update(date=1766619597)).date.year


def test_the_photo_field_variants():
    """An image URL under photo_url or photo (a string or an object) is found; other schemes are
    not."""
    variants = [
        {"photo_url": "https://z.example/a.jpg"},
        {"photo": "https://z.example/a.jpg"},
        {"photo": {"url": "https://z.example/a.jpg"}},
        {"photo_url": "file:///etc/passwd"},
    ]
    urls = [
        parse_update(
            {"event_name": "message.image.received", "message": {**_update()["message"], **v}}
        ).photo_url
        for v in variants
    ]
    assert ["https://z.example/a.jpg"] * 3 + [None] == urls


def test_the_update_key_without_message_id_is_a_stable_hash():
    """Without message_id, the key is a hash of the content: equal bodies, equal keys; different
    text, different key."""
    keys = [parse_update(_update(message_id=None, text=t)).update_key for t in ("a", "a", "b")]
    assert keys[0] == keys[1] != keys[2] and keys[0].startswith("zalo-sha256:")


@pytest.mark.parametrize(
    "body",
    [
        None,
        42,
        "text",
        [],
        [1, 2],
        {},
        {"ok": False, "error_code": 408, "description": "Request timeout"},
        {"ok": True},
        {"ok": True, "result": None},
        {"ok": True, "result": [_update(), _update()]},
        {"message": "not a dict"},
        {"event_name": "message.text.received", "message": {"text": "no ids"}},
        {"message": {"chat": {"id": {"nested": 1}}, "from": {"id": True}}},
        {"message": {"chat": {"id": "x" * 10_000}}},
    ],
)
def test_unreadable_bodies_are_none(body):
    """Bodies without a usable chat or sender id, errors and wrong types give None."""
    assert None is parse_update(body)


@pytest.mark.parametrize(
    "fields",
    [
        {"date": 10**400},
        {"date": float("nan")},
        {"date": "soon"},
        {"date": True},
        {"date": -5},
        {"text": {"a": 1}},
        {"from": ["x"]},
        {"chat": {"id": USER, "chat_type": 7}},
        {"message_id": {"a": 1}},
        {"photo": [None, {"url": 3}]},
        {"sticker": {"id": ["x"]}},
        {"from": {"id": USER, "display_name": "x" * 10_000}},
    ],
)
def test_wrong_field_types_are_tolerated(fields):
    """A wrong type in one field loses that field, not the update."""
    update = parse_update(_update(**fields))
    assert (USER, True) == (
        update.chat_id,
        update.display_name is None or len(update.display_name) <= 256,
    )


def test_huge_nesting_does_not_raise():
    """A body nested a hundred thousand levels deep is refused quietly."""
    body: dict = {}
    for _ in range(100_000):
        body = {"message": body, "result": body}
    assert None is parse_update(body)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "ok",
                    "result",
                    "event_name",
                    "message",
                    "chat",
                    "from",
                    "id",
                    "chat_type",
                    "text",
                    "date",
                    "message_id",
                    "photo",
                    "photo_url",
                    "caption",
                    "sticker",
                    "display_name",
                    "is_bot",
                    "url",
                ]
            )
            | st.text(max_size=5),
            inner,
            max_size=6,
        )
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(_json)
def test_parse_update_never_raises(body):
    """Whatever JSON arrives, parse_update answers an update or None."""
    assert isinstance(parse_update(body), ZaloUpdate | None)


# ---------------------------------------------------------------------------------------- helpers
def test_check_webhook_secret():
    """Only the exact secret passes; a missing header never does."""
    assert [True, False, False, False] == [
        check_webhook_secret(SECRET, SECRET),
        check_webhook_secret(SECRET, SECRET + "x"),
        check_webhook_secret(SECRET, None),
        check_webhook_secret("", ""),
    ]


def test_zalo_length_counts_utf16_units():
    """Vietnamese letters count one, an emoji two."""
    assert (8, 2) == (zalo_length("Lạng Sơn"), zalo_length("😀"))


CLIENT = ("api", "errors", "redaction", "updates")  # the client's modules in handlers/zalo/


def test_the_client_imports_only_the_standard_library_and_httpx():
    """A channel library: nothing from bot/, storage/, kb/ or telegram (only its own modules)."""
    folder = Path(__file__).resolve().parent.parent / "handlers" / "zalo"
    names = set()
    for module in CLIENT:
        tree = ast.parse((folder / f"{module}.py").read_text(encoding="utf-8"))
        names |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {
            n.module
            for n in ast.walk(tree)
            if isinstance(n, ast.ImportFrom) and n.module and n.level == 0
        }
    own = {f"handlers.zalo.{module}" for module in CLIENT}
    outside = {n for n in names - own if n.split(".")[0] not in sys.stdlib_module_names}
    assert {"httpx"} == outside - {"__future__"}
