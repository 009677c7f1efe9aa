"""Vietnamese everywhere in the console (issue 19, item 7): no English word left on a page read in
Vietnamese, the knowledge-base upload's problems in the reader's language, one word for indicators.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from babel.messages.pofile import read_po

from bot.app.i18n import LOCALES_DIR
from kb.loader import DATA_DIR, read_sources
from storage.directory import groups
from storage.models.people import User
from tests.support.web import ADMIN, csrf_of, sign_in
from tests.support.web_fixtures import client, clock, services  # noqa: F401 - fixtures

PLAN = "plan_18_kh_ubnd_2026.yaml"
PAGES = [
    "/web/board",
    "/web/indicators/1.5",
    "/web/agencies/so-xay-dung",
    "/web/deadlines",
    "/web/broadcast",
    "/web/reports",
    "/web/kb",
    "/web/kb/versions/1",
    "/web/kb/versions/2",
    "/web/kb/versions/3",
    "/web/unanswered",
    "/web/audit",
]
# words an English msgid holds that a Vietnamese page may show: the language switch offers
# "English"
ALLOWED = {"english"}
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _catalog(lang: str):
    with (LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=lang)


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text) if w.isascii() and len(w) >= 3}


def english_words() -> set[str]:
    """Words of the English texts that no Vietnamese text uses (those are names both languages
    write alike: Zalo, Telegram, Excel, YAML)."""
    vi = _catalog("vi")
    english, vietnamese = set(), set()
    for msg in vi:
        if not msg.id:
            continue
        ids = msg.id if isinstance(msg.id, (list, tuple)) else [msg.id]
        strings = msg.string if isinstance(msg.string, (list, tuple)) else [msg.string]
        for i in ids:
            english |= _words(re.sub(r"\{[^}]*\}", " ", i))
        for s in strings:
            vietnamese |= _words(s)
    return english - vietnamese - ALLOWED


class _Visible(HTMLParser):
    """The text a reader sees (and the placeholders, titles and labels a screen reader says);
    the contents of <code> are identifiers (file names, paths inside a file, audit action
    codes), and an element marked lang="en" says it is English (the audit log's entries, kept as
    recorded)."""

    SKIP = {"script", "style", "code"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP or (tag != "html" and ("lang", "en") in attrs):
            self._skip.append(tag)
        for name, value in attrs:
            if name in ("placeholder", "title", "aria-label", "alt") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return "\n".join(parser.parts)


def _data_names(services) -> list[str]:
    """Names that are data, not the console's words: people, agencies, places, indicators."""
    kb = services.knowledge.current.kb
    with services.db.session() as s:
        people = [u.name for u in s.query(User).all() if u.name]
    names = (
        [a.name for a in kb.agencies.values()]
        + [i.name for i in kb.indicators]
        + [p.name for p in kb.places.units]
    )
    return sorted(set(people + names), key=len, reverse=True)


def english_left(text: str, vocabulary: set[str], names: list[str]) -> list[str]:
    for name in names:
        text = text.replace(name, " ")
    # paths, file names, codes and formats ("/tmp/…/kb", "lexicon.yaml", "dd/mm/yyyy") are not
    # words
    text = " ".join(chunk for chunk in text.split() if not re.search(r"[/.@_:]\S", chunk))
    return sorted(w for w in _words(text) if w in vocabulary)


def _some_of_everything(client, services, csrf: str) -> str:
    """A version loaded from the command line, one from a chat, a broadcast with its delivery
    rows."""
    files = read_sources(DATA_DIR)
    services.knowledge.stage(
        {
            **files,
            PLAN: files[PLAN].replace("Cung cấp nước sạch", "Cung cấp nước sạch sinh hoạt", 1),
        },
        "kb/data",
        "command line",
    )
    services.knowledge.stage(
        {**files, PLAN: files[PLAN].replace("Cung cấp nước sạch", "Cấp nước sạch", 1)},
        "kb/data",
        "Quản trị An (zalo)",
    )
    with services.db.session() as s:
        b = groups.request_binding(
            s, "terminal", "t1", "Nhóm thử", "so-tai-chinh", "Sở Tài chính", ADMIN
        )
        groups.decide_binding(s, b.id, True, ADMIN)
    sent = client.post(
        "/web/broadcast",
        data={"csrf": csrf, "text": "Xin chào", "kind": "typed", "audience": "Sở Tài chính"},
    )
    assert 303 == sent.status_code
    return sent.headers["location"]


@pytest.mark.parametrize("who", [ADMIN, None], ids=["admin", "server-admin"])
def test_console_pages_in_vietnamese_hold_no_english_word(client, services, who):  # noqa: F811 - fixtures
    """Every page a staff member opens, read in Vietnamese (as an admin and as the server
    admin), shows no word of the English texts: labels, statuses, channels, who loaded a
    version, counts."""
    csrf = sign_in(client, services, who)
    report = _some_of_everything(client, services, csrf)
    vocabulary, names = english_words(), _data_names(services)
    found = {}
    for page in [*PAGES, report]:
        response = client.get(page)
        assert 200 == response.status_code, page
        left = english_left(visible_text(response.text), vocabulary, names)
        if left:
            found[page] = left
    assert {} == found


def _upload(client, csrf: str, name: str, body: bytes, lang: str):
    return client.post(
        f"/web/kb/upload?lang={lang}",
        data={"csrf": csrf},
        files={"file": (name, body, "application/x-yaml")},
    )


@pytest.mark.parametrize(
    "lang, expected",
    [
        (
            "vi",
            [
                "cơ quan 'Sở Xây dựg' không có trong danh mục (gần nhất: Sở Xây dựng)",
                "ngày '2026-02-31' không tồn tại: tháng 02/2026 có 28 ngày",
                "mã chỉ số '1.1' bị trùng trong plan-18-2026",
            ],
        ),
        (
            "en",
            [
                "unknown agency 'Sở Xây dựg' (closest: Sở Xây dựng)",
                "the date '2026-02-31' does not exist: month 02/2026 has 28 days",
                "duplicate indicator code '1.1' in plan-18-2026",
            ],
        ),
    ],
)
def test_upload_problems_in_the_readers_language(client, services, lang, expected):  # noqa: F811 - fixtures
    """A broken upload lists its problems in Vietnamese, or in English when English was chosen; no
    English text is left on the Vietnamese page."""
    csrf = sign_in(client, services, ADMIN)
    body = read_sources(DATA_DIR)[PLAN]
    broken = (
        body.replace('{agency: "Sở Xây dựng", scope', '{agency: "Sở Xây dựg", scope', 1)
        .replace('code: "1.2"', 'code: "1.1"', 1)
        .replace("date: 2026-01-21", "date: 2026-02-31")
    )
    response = _upload(client, csrf, PLAN, broken.encode(), lang)
    assert 422 == response.status_code
    text = visible_text(response.text)
    for line in expected:
        assert line in text, text
    if lang == "vi":
        assert [] == english_left(text, english_words(), _data_names(services))


def test_upload_errors_of_the_file_itself_in_both_languages(client, services):  # noqa: F811 - fixtures
    """A file that is not YAML at all (a syntax error) is named with its line in either
    language."""
    csrf = sign_in(client, services, ADMIN)
    vi = visible_text(
        _upload(client, csrf, "agencies.yaml", b"agencies:\n  - {id: x, name: [\n", "vi").text
    )
    en = visible_text(
        _upload(
            client,
            csrf_of(client.get("/web/kb").text),
            "agencies.yaml",
            b"agencies:\n  - {id: x, name: [\n",
            "en",
        ).text
    )
    assert "không phải YAML hợp lệ" in vi and "hãy sửa cú pháp" in vi
    assert "is not valid YAML" in en and "fix the syntax" in en


def test_one_word_for_indicators():
    """ "Chỉ số", never "chỉ tiêu", in every Vietnamese text of the catalog and the console's
    templates."""
    texts = [
        str(s)
        for m in _catalog("vi")
        for s in (m.string if isinstance(m.string, (list, tuple)) else [m.string])
    ]
    templates = [
        p.read_text(encoding="utf-8")
        for p in (LOCALES_DIR.parent / "handlers" / "web" / "templates").glob("*.html")
    ]
    assert [] == [t for t in texts + templates if "chỉ tiêu" in t.lower()]
