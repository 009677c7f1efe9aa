"""The knowledge-base and deadlines pages over HTTP: upload, problems with file and line, diff,
activation, rollback, refused archives; deadlines added, edited and cancelled, each audited."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import pytest

from kb.loader import DATA_DIR, read_sources
from storage import web as web_store
from storage.knowledge import kb_versions
from storage.schedule import deadlines as deadline_store
from tests.support.web import ADMIN, FOCAL, MEMBER, client_for, sign_in
from tests.support.web_fixtures import client, clock, services  # noqa: F401 - fixtures

PLAN = "plan_18_kh_ubnd_2026.yaml"
CHANGE = ('- {agency: "Đài khí tượng Thủy văn tỉnh"}', '- {agency: "Sở Xây dựng"}')


@pytest.fixture
def csrf(client, services):
    return sign_in(client, services, ADMIN)


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in entries.items():
            z.writestr(name, body)
    return buf.getvalue()


def _versions(services) -> list[tuple[int, bool]]:
    with services.db.session() as s:
        return [(v.id, v.is_active) for v in kb_versions.history(s)]


def _actions(services) -> list[str]:
    with services.db.session() as s:
        return [e.action for e in reversed(web_store.audit_log(s))]


def _upload(client, csrf, name, body):
    return client.post("/web/kb/upload", data={"csrf": csrf}, files={"file": (name, body)})


# --- knowledge base -------------------------------------------------------------------------


def test_broken_file_lists_problems_with_file_and_line(client, services, csrf):
    """A broken file is refused with every problem, its file and its line; nothing is stored or
    activated."""
    body = read_sources(DATA_DIR)[PLAN]
    broken = body.replace(
        '{agency: "Sở Xây dựng", scope', '{agency: "Sở Xây dựg", scope', 1
    ).replace('code: "1.2"', 'code: "1.1"', 1)
    response = _upload(client, csrf, PLAN, broken.encode())
    assert 422 == response.status_code
    lines = broken.splitlines()
    typo_line = next(i for i, line in enumerate(lines, 1) if "Sở Xây dựg" in line)
    dup_line = [i for i, line in enumerate(lines, 1) if 'code: "1.1"' in line][1]
    assert (
        f"{PLAN}:{typo_line}" in response.text
        and "cơ quan &#39;Sở Xây dựg&#39; không có trong danh mục" in response.text
    )
    assert (
        f"{PLAN}:{dup_line}" in response.text
        and "mã chỉ số &#39;1.1&#39; bị trùng" in response.text
    )
    assert [(1, True)] == _versions(services)
    assert "kb.upload.refused" == _actions(services)[-1]


def test_yaml_syntax_error_names_the_line(client, services, csrf):
    """A YAML syntax error is shown with its line."""
    response = _upload(client, csrf, "agencies.yaml", b"agencies:\n  - {id: x, name: [\n")
    assert 422 == response.status_code
    assert re.search(r"agencies\.yaml:\d+", response.text)
    assert [(1, True)] == _versions(services)


def test_valid_change_shows_the_diff_then_activates(client, services, csrf):
    """A valid file is stored without being activated; its page shows the difference; Activate
    swaps it in."""
    body = read_sources(DATA_DIR)[PLAN].replace(*CHANGE, 1)
    response = _upload(client, csrf, PLAN, body.encode())
    assert (303, "/web/kb/versions/2") == (response.status_code, response.headers["location"])
    assert [(2, False), (1, True)] == _versions(services)
    assert 1 == services.knowledge.current.version.id
    page = client.get("/web/kb/versions/2").text
    assert "plan-18-2026 1.9" in page
    assert (
        "plan-18-2026 1.9 lead: Sở Xây dựng" in page
        and "plan-18-2026 1.9 lead: Đài khí tượng Thủy văn tỉnh" in page
    )
    response = client.post("/web/kb/versions/2/activate", data={"csrf": csrf})
    assert (303, "/web/kb?activated=2") == (response.status_code, response.headers["location"])
    assert 2 == services.knowledge.current.version.id
    assert [(2, True), (1, False)] == _versions(services)
    assert ["kb.upload", "kb.activate"] == _actions(services)[-2:]


def test_rollback_to_an_earlier_version(client, services, csrf):
    """Any earlier version can be made active again; the rollback is audited."""
    body = read_sources(DATA_DIR)[PLAN].replace(*CHANGE, 1)
    _upload(client, csrf, PLAN, body.encode())
    client.post("/web/kb/versions/2/activate", data={"csrf": csrf})
    page = client.get("/web/kb/versions/1").text
    assert "Quay lại phiên bản 1" in page and "plan-18-2026 1.9" in page
    assert 303 == client.post("/web/kb/versions/1/activate", data={"csrf": csrf}).status_code
    assert 1 == services.knowledge.current.version.id
    engine = services.knowledge.current.engine
    assert "Đài khí tượng Thủy văn tỉnh" in [
        a.written for a in engine.index.indicators["plan-18-2026"]["1.9"].lead
    ]
    assert "kb.rollback" == _actions(services)[-1]


def test_same_file_again_is_no_change(client, services, csrf):
    """Uploading what is already active stores nothing."""
    response = _upload(client, csrf, PLAN, read_sources(DATA_DIR)[PLAN].encode())
    assert 200 == response.status_code
    assert [(1, True)] == _versions(services)


def test_zip_of_the_folder_is_staged(client, services, csrf):
    """A zip of the knowledge-base folder (in a top folder, with other files) replaces every
    file."""
    sources = read_sources(DATA_DIR)
    sources[PLAN] = sources[PLAN].replace(*CHANGE, 1)
    entries = {f"data/{n}": b.encode() for n, b in sources.items()} | {
        "data/SCHEMA.md": b"# schema"
    }
    response = _upload(client, csrf, "kb.zip", _zip(entries))
    assert (303, "/web/kb/versions/2") == (response.status_code, response.headers["location"])


@pytest.mark.parametrize(
    "name", ["../evil.yaml", "/etc/evil.yaml", "data/../../evil.yaml", "C:/evil.yaml"]
)
def test_zip_with_a_path_outside_is_refused(client, services, csrf, name):
    """An archive with an entry outside its root is refused whole; nothing is stored."""
    entries = {f"{n}": b.encode() for n, b in read_sources(DATA_DIR).items()} | {
        name: b"agencies: []\n"
    }
    response = _upload(client, csrf, "kb.zip", _zip(entries))
    assert 400 == response.status_code
    assert "trỏ ra ngoài tệp nén" in response.text
    assert [(1, True)] == _versions(services)


def test_zip_bomb_is_refused(client, services, csrf):
    """An archive that unpacks to more than the cap is refused while reading."""
    bomb = _zip({"agencies.yaml": b"#" * (30 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    response = _upload(client, csrf, "kb.zip", bomb)
    assert 400 == response.status_code and "giải nén ra hơn" in response.text
    assert [(1, True)] == _versions(services)


def test_bad_file_name_is_refused(client, services, csrf):
    """Only .yaml/.yml files or a .zip are accepted."""
    response = _upload(client, csrf, "notes.txt", b"x")
    assert 400 == response.status_code
    assert [(1, True)] == _versions(services)


def test_kb_page_shows_who_loaded_what(client, services, csrf):
    """The history lists each version with who loaded it and from where."""
    body = read_sources(DATA_DIR)[PLAN].replace(*CHANGE, 1)
    _upload(client, csrf, PLAN, body.encode())
    page = client.get("/web/kb").text
    assert "server admin" not in page and "Admin An (#1001)" in page and f"web: {PLAN}" in page


# --- deadlines ------------------------------------------------------------------------------


def test_deadlines_lists_kb_and_added_ones(client, services, csrf):
    """The page lists the knowledge base's deadlines (past ones marked) and the focal
    department's."""
    page = client.get("/web/deadlines").text
    assert "20/07/2024" in page and "đã qua" in page


def test_add_edit_cancel_a_deadline(client, services, csrf):
    """A deadline is added with an audience, edited and cancelled; each step is audited."""
    response = client.post(
        "/web/deadlines",
        data={
            "csrf": csrf,
            "date": "2026-12-15",
            "title": "Báo cáo PGI",
            "audience": "chủ trì 1.5",
        },
    )
    assert (303, "/web/deadlines?done=added") == (
        response.status_code,
        response.headers["location"],
    )
    with services.db.session() as s:
        (added,) = deadline_store.active(s)
    assert ("Báo cáo PGI", date(2026, 12, 15), {"kind": "lead", "target": "1.5"}, ADMIN) == (
        added.title,
        added.due_date,
        added.audience,
        added.created_by,
    )
    assert "Báo cáo PGI" in client.get("/web/deadlines").text
    assert 200 == client.get(f"/web/deadlines/{added.id}/edit").status_code
    response = client.post(
        f"/web/deadlines/{added.id}",
        data={"csrf": csrf, "date": "20/12/2026", "title": "Báo cáo PGI năm", "audience": ""},
    )
    assert 303 == response.status_code
    with services.db.session() as s:
        edited = deadline_store.get(s, added.id)
    assert ("Báo cáo PGI năm", date(2026, 12, 20), {"kind": "lead", "target": "1.5"}) == (
        edited.title,
        edited.due_date,
        edited.audience,
    )
    assert 303 == client.post(f"/web/deadlines/{added.id}/cancel", data={"csrf": csrf}).status_code
    with services.db.session() as s:
        assert [] == deadline_store.active(s)
    assert ["deadline.add", "deadline.edit", "deadline.cancel"] == _actions(services)[-3:]
    assert 404 == client.post(f"/web/deadlines/{added.id}/cancel", data={"csrf": csrf}).status_code


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"date": "2026-11-29", "title": "x", "audience": "tất cả"}, "đã qua"),
        (
            {"date": "31/02/2026", "title": "x", "audience": "tất cả"},
            "không tồn tại: tháng 02/2026 có 28 ngày",
        ),
        # the chat's range: a year-9999 date is refused here as in /themhan (one parser for both)
        ({"date": "9999-12-31", "title": "x", "audience": "tất cả"}, "2000–2100"),
        ({"date": "31/12/9999", "title": "x", "audience": "tất cả"}, "2000–2100"),
        ({"date": "2026-12-15", "title": "", "audience": "tất cả"}, "nội dung"),
        ({"date": "2026-12-15", "title": "x", "audience": "Sở Không Có"}, "Sở Không Có"),
    ],
)
def test_bad_deadline_is_refused(client, services, csrf, fields, message):
    """A past or impossible date, no title or an unknown agency is refused with the reason;
    nothing is saved."""
    response = client.post("/web/deadlines", data={"csrf": csrf, **fields})
    assert 400 == response.status_code
    assert message.lower() in response.text.lower()
    with services.db.session() as s:
        assert [] == deadline_store.active(s)


def test_titles_are_escaped(client, services, csrf):
    """Text typed by users is shown as text, never as markup."""
    client.post(
        "/web/deadlines",
        data={
            "csrf": csrf,
            "date": "2026-12-15",
            "title": "<script>alert(1)</script>",
            "audience": "tất cả",
        },
    )
    page = client.get("/web/deadlines").text
    assert (
        "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    )


def test_member_sees_only_their_agencys_deadlines(tmp_path, services):
    """An agency member sees the deadlines meant for their agency, without edit buttons."""
    with services.db.session() as s:
        mine = deadline_store.add(
            s,
            "Cho Sở Xây dựng",
            date(2026, 12, 15),
            {"kind": "agencies", "ids": ["so-xay-dung"], "names": ["Sở Xây dựng"]},
            FOCAL,
        )
        other = deadline_store.add(
            s,
            "Cho Sở Tài chính",
            date(2026, 12, 16),
            {"kind": "agencies", "ids": ["so-tai-chinh"], "names": ["Sở Tài chính"]},
            FOCAL,
        )
    with client_for(services) as c:
        sign_in(c, services, MEMBER)
        page = c.get("/web/deadlines").text
    assert mine.title in page and other.title not in page
    assert "/cancel" not in page and "Thêm thời hạn" not in page
