"""The fake Zalo Bot API behaves as issue 7's contract says Zalo does, seen through plain httpx."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from tests.support.fake_zalo_api import DEFAULT_TOKEN, FakeZaloApi

USER = "e4ea2cd5189df1c3a88c"
GROUP = "g-7f3a9c0d1e2b"
SECRET = "webhook-secret-123"


@pytest.fixture
def http():
    with httpx.Client(timeout=5) as client:
        yield client


def call(
    http: httpx.Client, zalo: FakeZaloApi, method: str, token: str = DEFAULT_TOKEN, **params
) -> httpx.Response:
    return http.post(f"{zalo.base_url}/bot{token}/{method}", json=params)


class Receiver:
    """A webhook endpoint on 127.0.0.1 that records what it is sent."""

    def __init__(self, status: int = 200):
        received, answer = [], status

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append((dict(self.headers), json.loads(body)))
                self.send_response(answer)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.received = received
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/zalo/webhook"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


# ---------------------------------------------------------------------------------------- identity
def test_get_me_reports_the_bot_of_the_token(zalo, http):
    """getMe answers the bot whose token is in the path, with can_join_groups (off by default)."""
    response = call(http, zalo, "getMe")
    expected = {
        "ok": True,
        "result": {
            "id": "1459232241454765289",
            "account_name": "bot.pgi",
            "display_name": "Trợ lý PGI",
            "account_type": "BASIC",
            "can_join_groups": False,
        },
    }
    assert (200, expected) == (response.status_code, response.json())


def test_can_join_groups_is_configurable(http):
    """A test can switch can_join_groups on, at start or later."""
    with FakeZaloApi(can_join_groups=True) as zalo:
        first = call(http, zalo, "getMe").json()["result"]["can_join_groups"]
        zalo.set_can_join_groups(False)
        second = call(http, zalo, "getMe").json()["result"]["can_join_groups"]
    assert (True, False) == (first, second)


def test_an_unknown_token_is_refused_with_401(zalo, http):
    """A token the fake does not know gets Zalo's 401 error, for every method."""
    response = call(http, zalo, "getMe", token="123:wrong")
    assert (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized: invalid bot token"},
    ) == (
        response.status_code,
        response.json(),
    )


def test_bots_are_separate_per_token(http):
    """Two tokens are two bots: an update for one is not seen by the other."""
    with FakeZaloApi(tokens=(DEFAULT_TOKEN, "2:other-secret-xyz"), poll_wait=0.1) as zalo:
        zalo.inject_text(USER, "cho bot 2", token="2:other-secret-xyz")
        first = call(http, zalo, "getUpdates", timeout="1").json()
        second = call(http, zalo, "getUpdates", token="2:other-secret-xyz", timeout="1").json()
    assert (408, "cho bot 2") == (first["error_code"], second["result"]["message"]["text"])


# ----------------------------------------------------------------------------------------
# getUpdates
def test_get_updates_hands_out_one_update_per_call_and_forgets_it(zalo, http):
    """Each call answers the oldest update alone and removes it: there is no offset to re-read
    it."""
    zalo.inject_text(USER, "một")
    zalo.inject_text(USER, "hai")
    texts = [
        call(http, zalo, "getUpdates", timeout="1").json()["result"]["message"]["text"]
        for _ in range(2)
    ]
    assert (["một", "hai"], 0) == (texts, zalo.pending())


def test_an_update_has_zalo_shape(zalo, http):
    """Updates carry event_name and a message with string ids, the sender, the chat and a date
    in ms."""
    zalo.inject_text(USER, "xin chào", display_name="Trần Thị B")
    before = time.time() * 1000
    result = call(http, zalo, "getUpdates", timeout="1").json()["result"]
    message = result["message"]
    assert "message.text.received" == result["event_name"]
    assert {"id": USER, "display_name": "Trần Thị B", "is_bot": False} == message["from"]
    assert {"id": USER, "chat_type": "PRIVATE"} == message["chat"]
    assert isinstance(message["message_id"], str) and abs(message["date"] - before) < 5000


def test_an_empty_wait_answers_408_with_http_200_after_the_timeout(zalo, http):
    """No update: after the (shortened) wait, {ok: false, error_code: 408} inside an HTTP 200."""
    started = time.monotonic()
    response = call(http, zalo, "getUpdates", timeout="30")
    waited = time.monotonic() - started
    assert (200, {"ok": False, "error_code": 408, "description": "Request timeout"}) == (
        response.status_code,
        response.json(),
    )
    assert 0.18 <= waited < 2


def test_a_long_poll_returns_as_soon_as_an_update_arrives(http):
    """A waiting getUpdates answers the moment an update is injected, not at the end of its
    timeout."""
    with FakeZaloApi() as zalo:
        threading.Timer(0.2, zalo.inject_text, (USER, "đến rồi")).start()
        started = time.monotonic()
        response = call(http, zalo, "getUpdates", timeout="10")
        waited = time.monotonic() - started
    assert "đến rồi" == response.json()["result"]["message"]["text"]
    assert waited < 3


def test_get_updates_accepts_get_with_a_query(zalo, http):
    """GET with ?timeout= works like POST with JSON, as the docs' curl examples use it."""
    zalo.inject_text(USER, "qua GET")
    response = http.get(f"{zalo.base_url}/bot{DEFAULT_TOKEN}/getUpdates", params={"timeout": "1"})
    assert "qua GET" == response.json()["result"]["message"]["text"]


# ---------------------------------------------------------------------------------------- sending
def test_send_message_answers_a_message_id(zalo, http):
    """A user who wrote to the bot can be answered; the result holds a string message_id and a
    ms date."""
    zalo.inject_text(USER, "hỏi")
    result = call(http, zalo, "sendMessage", chat_id=USER, text="trả lời").json()["result"]
    assert isinstance(result["message_id"], str) and isinstance(result["date"], int)
    assert ["trả lời"] == zalo.texts(USER)


def test_a_user_who_never_wrote_cannot_be_sent_to(zalo, http):
    """Zalo lets a bot write only to someone who wrote first; the refusal names the recipient
    (assumed wording, code 400: the docs' 403 is an internal error, not this)."""
    response = call(http, zalo, "sendMessage", chat_id="stranger", text="chào")
    assert (400, 400, []) == (response.status_code, response.json()["error_code"], zalo.sent())
    assert "user has not interacted" in response.json()["description"]


def test_a_group_becomes_known_when_a_message_from_it_arrives(zalo, http):
    """A group chat can be sent to once an update came from it."""
    before = call(http, zalo, "sendMessage", chat_id=GROUP, text="nhắc hạn").status_code
    zalo.inject_text(USER, "@bot", chat_id=GROUP, chat_type="GROUP")
    after = call(http, zalo, "sendMessage", chat_id=GROUP, text="nhắc hạn").status_code
    assert (400, 200) == (before, after)


def test_a_blocked_user_is_refused_by_name(zalo, http):
    """After the user blocks the bot, sends to them are refused with a description naming the
    user."""
    zalo.inject_text(USER, "hỏi")
    zalo.block(USER)
    response = call(http, zalo, "sendMessage", chat_id=USER, text="x")
    assert (400, "Invalid request: the user has blocked this bot") == (
        response.status_code,
        response.json()["description"],
    )


def test_a_forced_403_is_an_internal_error(zalo, http):
    """The error table's 403 is Zalo's internal server error, 404 an invalid request."""
    zalo.fail_next(403)
    zalo.fail_next(404)
    first, second = call(http, zalo, "getMe").json(), call(http, zalo, "getMe").json()
    assert ((403, "Internal server error"), (404, "Invalid request")) == (
        (first["error_code"], first["description"]),
        (second["error_code"], second["description"]),
    )


def test_text_length_is_counted_in_utf16_units(zalo, http):
    """2000 "characters" as UTF-16 units: 1000 emoji fit, 1001 do not; Vietnamese letters (NFC)
    count 1."""
    zalo.inject_text(USER, "hỏi")
    fits = call(http, zalo, "sendMessage", chat_id=USER, text="😀" * 1000).status_code
    over = call(http, zalo, "sendMessage", chat_id=USER, text="😀" * 1001).status_code
    viet = call(http, zalo, "sendMessage", chat_id=USER, text="ệ" * 2000).status_code
    assert (200, 400, 200) == (fits, over, viet)


@pytest.mark.parametrize(
    ("text", "status"), [("a" * 2000, 200), ("a" * 2001, 400), ("", 400), (None, 400)]
)
def test_text_is_1_to_2000_characters(zalo, http, text, status):
    """sendMessage takes 1 to 2000 characters; anything else is a 400."""
    zalo.inject_text(USER, "hỏi")
    assert status == call(http, zalo, "sendMessage", chat_id=USER, text=text).status_code


def test_send_photo_takes_a_public_url_only(zalo, http):
    """sendPhoto takes an http(s) URL (there is no upload); a caption is optional."""
    zalo.inject_text(USER, "hỏi")
    good = call(
        http, zalo, "sendPhoto", chat_id=USER, photo="https://placehold.co/600x400", caption="ảnh"
    ).status_code
    bad = call(http, zalo, "sendPhoto", chat_id=USER, photo="file:///etc/passwd").status_code
    assert (200, 400, ["ảnh"]) == (good, bad, zalo.texts(USER))


def test_send_chat_action_takes_typing(zalo, http):
    """sendChatAction answers {ok: true} with no result; an unknown action is a 400."""
    zalo.inject_text(USER, "hỏi")
    typing = call(http, zalo, "sendChatAction", chat_id=USER, action="typing").json()
    dancing = call(http, zalo, "sendChatAction", chat_id=USER, action="dancing").status_code
    assert ({"ok": True}, 400) == (typing, dancing)


def test_send_sticker(zalo, http):
    """sendSticker takes a sticker id and counts as a sent message."""
    zalo.inject_text(USER, "hỏi")
    call(http, zalo, "sendSticker", chat_id=USER, sticker="0e078a2fb66a5f34067b")
    assert ["sendSticker"] == [c.method for c in zalo.sent(USER)]


# ---------------------------------------------------------------------------------------- limits
# and faults
def test_the_send_quota_answers_429_past_n_sends_per_window(http):
    """With send_quota=(2, 60), the third send within the minute is a 429, and it is counted."""
    with FakeZaloApi(send_quota=(2, 60)) as zalo:
        zalo.inject_text(USER, "hỏi")
        statuses = [
            call(http, zalo, "sendMessage", chat_id=USER, text=str(i)).status_code
            for i in range(3)
        ]
        assert ([200, 200, 429], 1) == (statuses, zalo.too_many_requests)


def test_the_quota_window_slides(http):
    """Sends older than the window no longer count."""
    with FakeZaloApi(send_quota=(1, 0.2)) as zalo:
        zalo.inject_text(USER, "hỏi")
        first = call(http, zalo, "sendMessage", chat_id=USER, text="1").status_code
        second = call(http, zalo, "sendMessage", chat_id=USER, text="2").status_code
        time.sleep(0.25)
        third = call(http, zalo, "sendMessage", chat_id=USER, text="3").status_code
    assert (200, 429, 200) == (first, second, third)


def test_fail_next_forces_the_next_answers(zalo, http):
    """fail_next(500, times=2) makes the next two calls fail, then calls succeed again."""
    zalo.fail_next(500, times=2)
    statuses = [call(http, zalo, "getMe").status_code for _ in range(3)]
    assert [500, 500, 200] == statuses


def test_a_forced_429_can_carry_a_retry_hint(zalo, http):
    """A forced 429 with retry_after has a Retry-After header and parameters.retry_after."""
    zalo.inject_text(USER, "hỏi")
    zalo.fail_next(429, retry_after=7, method="sendMessage")
    response = call(http, zalo, "sendMessage", chat_id=USER, text="x")
    assert (429, "7", {"retry_after": 7}) == (
        response.status_code,
        response.headers["Retry-After"],
        response.json()["parameters"],
    )


def test_a_forced_html_502_is_not_json(zalo, http):
    """fail_next(502, html=True) answers a proxy's HTML page, as an outage in front of Zalo
    would."""
    zalo.fail_next(502, html=True)
    response = call(http, zalo, "getMe")
    assert (502, "text/html; charset=utf-8") == (
        response.status_code,
        response.headers["Content-Type"],
    )
    assert response.text.startswith("<html>")


def test_errors_can_come_with_http_200(zalo, http):
    """With the quirk on, an error is {ok: false, error_code} inside an HTTP 200."""
    zalo.errors_with_http_200("sendMessage")
    response = call(http, zalo, "sendMessage", chat_id="stranger", text="x")
    assert (200, False, 400) == (
        response.status_code,
        response.json()["ok"],
        response.json()["error_code"],
    )


def test_requests_are_counted(zalo, http):
    """Every request is recorded, failed ones too, with counts per method."""
    call(http, zalo, "getMe")
    call(http, zalo, "sendMessage", chat_id="stranger", text="x")
    assert (2, {"getMe": 1, "sendMessage": 1}) == (
        zalo.request_count,
        dict(zalo.requests_by_method),
    )


def test_an_unknown_method_is_400(zalo, http):
    """A method Zalo does not have answers 400 in Zalo's JSON."""
    response = call(http, zalo, "editMessageText")
    assert (400, False) == (response.status_code, response.json()["ok"])


# ---------------------------------------------------------------------------------------- webhook
def test_set_webhook_checks_the_secret_length(zalo, http):
    """secret_token must be 8 to 256 characters."""
    short = call(
        http, zalo, "setWebhook", url="https://example.org/hook", secret_token="short"
    ).status_code
    long = call(
        http, zalo, "setWebhook", url="https://example.org/hook", secret_token="x" * 257
    ).status_code
    assert (400, 400, None) == (short, long, zalo.webhook())


def test_with_a_webhook_updates_are_posted_with_the_secret_header(zalo, http):
    """Updates go to the webhook URL, bare, with X-Bot-Api-Secret-Token; getUpdates then
    refuses."""
    with Receiver() as receiver:
        set_result = call(http, zalo, "setWebhook", url=receiver.url, secret_token=SECRET).json()[
            "result"
        ]
        update = zalo.inject_text(USER, "qua webhook")
        zalo.wait_for_deliveries(1)
        polled = call(http, zalo, "getUpdates", timeout="1")
    headers, body = receiver.received[0]
    assert receiver.url == set_result["url"] and isinstance(set_result["updated_at"], int)
    assert (SECRET, update) == (headers["X-Bot-Api-Secret-Token"], body)
    assert (400, 200) == (polled.json()["error_code"], zalo.deliveries[0].status)


def test_webhook_info_and_delete_webhook(zalo, http):
    """getWebhookInfo shows the URL; deleteWebhook clears it and getUpdates works again."""
    call(http, zalo, "setWebhook", url="https://example.org/hook", secret_token=SECRET)
    info = call(http, zalo, "getWebhookInfo").json()["result"]["url"]
    deleted = call(http, zalo, "deleteWebhook").json()["result"]["url"]
    after = call(http, zalo, "getWebhookInfo").json()["result"]
    zalo.inject_text(USER, "lại polling")
    polled = call(http, zalo, "getUpdates", timeout="1").json()["result"]["message"]["text"]
    assert ("https://example.org/hook", "", {"url": ""}, "lại polling") == (
        info,
        deleted,
        after,
        polled,
    )


def test_the_webhook_body_can_be_wrapped(http):
    """webhook_wrapped=True posts {ok, result} instead of the bare update (some docs show that
    shape)."""
    with FakeZaloApi(webhook_wrapped=True) as zalo, Receiver() as receiver:
        call(http, zalo, "setWebhook", url=receiver.url, secret_token=SECRET)
        update = zalo.inject_text(USER, "bọc")
        zalo.wait_for_deliveries(1)
    assert {"ok": True, "result": update} == receiver.received[0][1]


def test_a_failing_webhook_is_recorded(zalo, http):
    """A webhook answering 500 is recorded as such (the fake does not retry)."""
    with Receiver(status=500) as receiver:
        call(http, zalo, "setWebhook", url=receiver.url, secret_token=SECRET)
        zalo.inject_text(USER, "lỗi")
        deliveries = zalo.wait_for_deliveries(1)
    assert [500] == [d.status for d in deliveries]


# ---------------------------------------------------------------------------------------- photos
# and helpers
def test_an_image_update_points_to_downloadable_bytes(zalo, http):
    """inject_image serves the photo locally, so the bot can download the evidence."""
    update = zalo.inject_image(USER, content=b"\x89PNG-evidence", caption="biên bản")
    photo = http.get(update["message"]["photo_url"])
    assert (200, b"\x89PNG-evidence", "biên bản") == (
        photo.status_code,
        photo.content,
        update["message"]["caption"],
    )
    assert 1 == sum(zalo.photo_downloads.values())


def test_an_image_may_use_the_photo_field(zalo):
    """photo_field="photo" puts the URL under "photo", as the older docs show it."""
    update = zalo.inject_image(USER, photo_url="https://example.org/a.jpg", photo_field="photo")
    assert ("https://example.org/a.jpg", None) == (
        update["message"]["photo"],
        update["message"].get("photo_url"),
    )


def test_sticker_and_unsupported_updates(zalo):
    """Stickers and unsupported kinds have their own event names."""
    events = [zalo.inject_sticker(USER)["event_name"], zalo.inject_unsupported(USER)["event_name"]]
    assert ["message.sticker.received", "message.unsupported.received"] == events


def test_wait_for_finds_a_call_made_from_another_thread(zalo, http):
    """wait_for blocks until a matching call is recorded."""
    threading.Timer(0.1, call, (http, zalo, "getMe")).start()
    assert "getMe" == zalo.wait_for("getMe", timeout=3).method


def test_wait_for_times_out(zalo):
    """wait_for raises TimeoutError when nothing matches in time."""
    with pytest.raises(TimeoutError):
        zalo.wait_for("sendMessage", timeout=0.1)


async def test_awaited_finds_a_call(zalo):
    """awaited is wait_for for async tests: it yields to the event loop while waiting."""
    zalo.inject_text(USER, "hỏi")
    async with httpx.AsyncClient() as client:
        await client.post(
            f"{zalo.base_url}/bot{DEFAULT_TOKEN}/sendMessage",
            json={"chat_id": USER, "text": "đáp"},
        )
    call_ = await zalo.awaited(lambda c: c.method == "sendMessage" and c.ok, timeout=3)
    assert "đáp" == call_.text


def test_the_secret_is_not_kept_in_recorded_calls(zalo, http):
    """Recorded setWebhook params hide the secret, so a failing test's output does not show it."""
    call(http, zalo, "setWebhook", url="https://example.org/hook", secret_token=SECRET)
    assert "<secret>" == zalo.calls("setWebhook")[0].params["secret_token"]


# ---------------------------------------------------------------------------------------- issue
# 15: as documented
def test_a_voice_message_has_a_voice_url_and_message_type(zalo, http):
    """message.voice.received carries voice_url (an .aac file) and message_type CHAT_VOICE, no
    text."""
    zalo.inject_voice(USER)
    update = call(http, zalo, "getUpdates", timeout="1").json()["result"]
    message = update["message"]
    assert ("message.voice.received", "CHAT_VOICE", None) == (
        update["event_name"],
        message["message_type"],
        message.get("text"),
    )
    assert (
        message["voice_url"].endswith(".aac") and 200 == http.get(message["voice_url"]).status_code
    )


def test_get_me_has_a_display_name(zalo, http):
    """getMe's account_name and the display name people @mention (assumed to be returned beside
    it)."""
    result = call(http, zalo, "getMe").json()["result"]
    assert ("bot.pgi", "Trợ lý PGI") == (result["account_name"], result["display_name"])


def test_a_group_delivers_only_mentions_and_quote_replies(zalo, http):
    """A bare group message is not delivered; a mention is, text as typed; a quote-reply to the
    bot's own message is, with the quote; a quote of an unknown message is not."""
    assert zalo.inject_group(USER, GROUP, "/dangky Sở Xây dựng") is None
    zalo.inject_group(USER, GROUP, "/dangky Sở Xây dựng", mention=True)
    mentioned = call(http, zalo, "getUpdates", timeout="1").json()["result"]["message"]
    sent = call(http, zalo, "sendMessage", chat_id=GROUP, text="Nhắc hạn").json()["result"][
        "message_id"
    ]
    assert zalo.inject_group(USER, GROUP, "đã nhận", quote="not-the-bots") is None
    zalo.inject_group(USER, GROUP, "đã nhận", quote=sent)
    quoted = call(http, zalo, "getUpdates", timeout="1").json()["result"]["message"]
    assert ("@Trợ lý PGI /dangky Sở Xây dựng", "GROUP") == (
        mentioned["text"],
        mentioned["chat"]["chat_type"],
    )
    assert ("đã nhận", sent) == (quoted["text"], quoted["quote"]["message_id"])
    assert 2 == zalo.undelivered


def test_the_health_probe_posts_an_empty_body_with_the_secret(zalo, http):
    """probe_webhook: the secret header, an empty body, no content type."""
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            seen.append(
                (
                    self.headers.get("X-Bot-Api-Secret-Token"),
                    self.headers.get("Content-Type"),
                    self.rfile.read(int(self.headers.get("Content-Length") or 0)),
                )
            )
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        call(
            http,
            zalo,
            "setWebhook",
            url=f"http://127.0.0.1:{server.server_address[1]}/z",
            secret_token=SECRET,
        )
        delivery = zalo.probe_webhook()
    finally:
        server.shutdown()
        server.server_close()
    assert [(SECRET, None, b"")] == seen and 200 == delivery.status


def test_echo_own_sends_the_bots_message_back_from_its_id(http):
    """echo_own=True: a message the bot sends comes back as an update from the bot's own id."""
    with FakeZaloApi(poll_wait=0.2, echo_own=True) as zalo:
        zalo.inject_text(USER, "hỏi")
        call(http, zalo, "getUpdates", timeout="1")
        call(http, zalo, "sendMessage", chat_id=USER, text="trả lời")
        echo = call(http, zalo, "getUpdates", timeout="1").json()["result"]["message"]
    assert (DEFAULT_TOKEN.split(":")[0], "trả lời") == (echo["from"]["id"], echo["text"])
