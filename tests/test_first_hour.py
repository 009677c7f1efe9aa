"""The first hour of a newcomer in the chat (issue 19), through the terminal channel on the real
core."""

from __future__ import annotations

import io
import re

from bot.app import terminal
from bot.core.messages import Incoming


def chat(services, *lines: str, lang: str = "vi") -> str:
    """What the terminal chat prints for the typed lines."""
    out = io.StringIO()
    terminal.run(
        services.conversation,
        lang=lang,
        stdin=io.StringIO("".join(f"{t}\n" for t in lines)),
        stdout=out,
    )
    return out.getvalue()


def test_choices_are_listed_once(services):
    """A clarifying question lists each candidate once, however the channel draws choices."""
    out = chat(services, "UBND xã Tân phụ trách chỉ số nào")
    assert 1 == len(re.findall(r"^\d\. UBND xã Tân Tiến$", out, re.M)), out


def _serve_healthz() -> tuple[object, int]:
    """A server on 127.0.0.1 that answers /healthz like the console does."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Health(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the stdlib's name
            self.send_response(200 if self.path == "/healthz" else 404)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


def test_web_link_uses_port_and_says_whether_a_console_runs(tmp_path):
    """`web-link` links to the console on PORT and tells whether one answers there."""
    from tests.support.process import run

    server, port = _serve_healthz()
    try:
        up = run(["web-link"], tmp_path, PORT=str(port))
    finally:
        server.shutdown()
        server.server_close()
    assert 0 == up.returncode, up.stderr
    assert up.stdout.startswith(f"http://127.0.0.1:{port}/web/login/")
    assert f"console at PORT → http://127.0.0.1:{port}, which answers now" in up.stderr
    down = run(["web-link"], tmp_path, PORT=str(port))
    assert f"no console answers at PORT → http://127.0.0.1:{port} now" in down.stderr
    assert "python -m bot web" in down.stderr


def test_screenshots_leave_the_tree_clean_unless_asked():
    """Browser tests write screenshots outside the project unless PGI_SCREENSHOTS names a
    folder."""
    from tests.test_web_browser import ROOT, screenshots_dir

    assert ROOT not in screenshots_dir({}).parents
    assert ROOT / "docs" / "screenshots" == screenshots_dir(
        {"PGI_SCREENSHOTS": "docs/screenshots"}
    )


def _registry_names(services) -> set[str]:
    from kb.ask.resolve import commune_agency

    kb = services.knowledge.current.kb
    return {a.name for a in kb.agencies.values()} | {
        commune_agency(p).name for p in kb.places.units
    }


def test_sign_up_examples_come_from_the_registry(services):
    """The agencies /start shows as examples exist: a department and one of the 65 communes and
    wards."""
    out = chat(services, "/start")
    examples = re.findall(r"“([^”]+)”", out.split("/start")[-1] if "/start" in out else out)
    assert 2 <= len(examples), out
    assert set(examples[-2:]) <= _registry_names(services), examples


def test_sign_up_confirms_a_near_miss(services):
    """ "Tân Thanh" is not Tân Thành: the bot asks, and the request waits for the choice."""
    from storage import people

    out = chat(services, "/start", "UBND xã Tân Thanh")
    assert re.search(r"^\d\. UBND xã Tân Thành$", out, re.M), out
    with services.db.session() as s:
        assert [] == people.pending_requests(s)
    out = chat(services, "/dangky", "UBND xã Tân Thanh", "1")
    with services.db.session() as s:
        assert ["UBND xã Tân Thành"] == [m.agency_name for m in people.pending_requests(s)]


def test_sign_up_takes_a_name_written_as_the_registry_writes_it(services):
    """A full, correctly written name is taken at once: the same words as in questions."""
    from storage import people

    chat(services, "/start", "UBND xã Tân Thành")
    with services.db.session() as s:
        assert ["commune:tan-thanh"] == [m.agency_id for m in people.pending_requests(s)]
    answer = services.conversation.answer(
        Incoming("UBND xã Tân Thành phụ trách chỉ số nào", channel="cli")
    )
    assert "UBND xã Tân Thành" == answer.json["agency"]


def test_sign_up_finds_a_bare_commune_name(services):
    """A commune typed without "xã" is offered first, not an agency that shares a word."""
    out = chat(services, "/start", "Tân Thành")
    assert re.search(r"^1\. UBND xã Tân Thành$", out, re.M), out


def _replies(out: str) -> list[str]:
    return [r.strip() for r in out.split("\n> ")[1:] if r.strip()]


def test_long_answers_come_one_phone_screen_at_a_time(services):
    """A commune's tasks come in pages of at most 1,200 characters; "thêm" or "more" gives the
    next, until the whole answer was shown, cut between lines or words, never inside a word."""
    full = services.conversation.answer(Incoming("xã Tân Thành phải làm gì", channel="cli")).text
    assert len(full) > 2400
    out = chat(services, "xã Tân Thành phải làm gì", *["thêm", "more"] * 6)
    replies = _replies(out)
    pages = []
    for reply in replies:
        body = reply.split("\n— ")[0]
        if body.startswith("Không còn gì"):
            break
        assert len(reply) <= 1200 + len("\n\n1. Thêm"), reply
        pages.append(body)
    assert 3 <= len(pages)
    assert "Không còn gì để xem thêm" in out.split(pages[-1])[-1]
    assert " ".join(full.split()) == " ".join(" ".join(pages).split())


def test_inherited_district_tasks_are_labelled(services):
    """Tasks the 2024 plan gave the abolished district level are shown under a label saying so."""
    full = services.conversation.answer(Incoming("xã Tân Thành phải làm gì", channel="cli")).text
    label = "Kế thừa từ cấp huyện trước đây"
    assert label in full
    assert "(với tư cách “UBND các huyện, thành phố”)" not in full


def test_past_deadlines_are_summarised_under_todays_names(services):
    """With nothing upcoming, past deadlines are one line each; who they are for is named as today
    (Sở TN&MT → Sở NN&MT); no line is cut inside a word."""
    text = services.conversation.answer(Incoming("hạn chót", channel="cli")).text
    assert "Không có thời hạn sắp tới." in text and "4 thời hạn đã qua:" in text
    assert "Áp dụng cho" not in text
    past = services.conversation.answer(Incoming("hạn đã qua", channel="cli")).text
    assert "Áp dụng cho: Sở Nông nghiệp và Môi trường —" in past
    sources = {
        " ".join(t.split())
        for kb in [services.knowledge.current.kb]
        for t in [*(d.title for d in kb.deadlines), *(d.title for d in kb.documents.values())]
    }
    for cut in re.findall(r"— ([^—]+?)… \(", text + "\n" + past):
        assert any(t.startswith(cut + " ") or t.startswith(cut + ",") for t in sources), cut


def test_short_never_cuts_inside_a_word():
    """Shortened names and titles end at a word boundary."""
    from bot.core.render.formatting import short

    text = (
        "Kế hoạch cải thiện, nâng cao Chỉ số xanh cấp tỉnh (PGI) năm 2024 và những năm tiếp theo"
    )
    for width in range(20, len(text)):
        cut = short(text, width)
        assert len(cut) <= width
        assert (
            text.startswith(cut[:-1])
            and (cut[-1] != "…" or text[len(cut) - 1] in " ,(")
            or cut == text
        ), cut


def test_terminal_person_is_admin_and_approves_a_sign_up(services):
    """In the terminal chat the person at the server gets the sign-up request and approves it
    with "1"."""
    from storage import people

    out = chat(services, "/dangky Sở Nông nghiệp và Môi trường", "1", "/themhan")
    assert "Yêu cầu đăng ký m1: quản trị máy chủ (trò chuyện trên máy chủ)" in out, out
    assert "Đã phê duyệt: Sở Nông nghiệp và Môi trường" in out
    assert "Yêu cầu tham gia Sở Nông nghiệp và Môi trường của bạn đã được phê duyệt" in out
    assert "Thêm thời hạn." in out  # the focal department's command works
    with services.db.session() as s:
        assert [] == people.pending_requests(s)


def test_terminal_refuses_unknown_agency_and_language(services):
    """`/as` takes only an agency of the registry (and suggests close ones); `/lang` only vi or
    en."""
    out = chat(
        services,
        "/as Sở Tài",
        "/as Sở Ngoại vụ",
        "/lang fr",
        "/as UBND xã Tân Thành",
        "chỉ số của tôi",
    )
    assert (
        "Không có cơ quan nào trong danh mục tên là “Sở Tài”. Có phải bạn muốn nói: Sở Tài chính"
        in out
    )
    assert "“Sở Ngoại vụ”" in out
    assert "Không có ngôn ngữ “fr”; hãy gõ /lang vi hoặc /lang en." in out
    assert "Hỏi với tư cách UBND xã Tân Thành." in out
    assert "UBND xã Tân Thành — các chỉ số theo Kế hoạch 18/KH-UBND" in out


def test_terminal_help_and_web(services):
    """/help lists the terminal's own commands too; /web says how to open the console."""
    out = chat(services, "/help", "/web")
    assert 2 == out.count("Các lệnh của cửa sổ trò chuyện này:")  # at the start, and after /help
    assert "python -m bot web-link" in out


def test_terminal_leaves_cleanly_on_ctrl_c_and_shows_no_log_lines(tmp_path):
    """`python -m bot` without a token: no log line inside the chat; Ctrl-C ends it with no
    traceback."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from tests.support.process import ROOT

    env = {**os.environ, "PGI_DATA_DIR": str(tmp_path / "data")}
    for name in ("DATABASE_URL", "TELEGRAM_BOT_TOKEN", "ZALO_BOT_TOKEN"):
        env.pop(name, None)
    p = subprocess.Popen(
        [sys.executable, "-m", "bot"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    p.stdin.write("ai chủ trì chỉ số 1.5\n")
    p.stdin.flush()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (tmp_path / "data").exists():
        time.sleep(0.1)
    time.sleep(3)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=60)
    assert 0 == p.returncode, err
    assert "Traceback" not in err and "INFO" not in out + err, err
    assert "Sở Xây dựng (nước sạch đô thị)" in out
