"""The board, indicator, agency, broadcast and report pages over HTTP: who may open and change
what, CSRF on every form, a review that changes the update and tells its author, requests for
explanation, evidence served only from the evidence folder, one ledger row per chat of a
broadcast, reports."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from bot.core.audience import Audience
from bot.delivery.recipients import resolve
from storage import web as web_store
from storage.delivery import ledger
from storage.directory import groups
from storage.tracking import evidence, explanations, progress
from tests.support.web import ADMIN, FOCAL, MEMBER, MEMBER_AGENCY, TZ, sign_in
from tests.support.web_fixtures import client, clock, services  # noqa: F401 - fixtures

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00"
    b"\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)
CODE = "1.5"  # Sở Xây dựng leads it


def _update(
    services, file_path: str | None = "photo", code: str = CODE, agency=MEMBER_AGENCY
) -> int:
    """An update by the member of Sở Xây dựng, with a photo kept as evidence (or the given
    stored path)."""
    if file_path == "photo":
        file_path = evidence.keep(services.settings.data_dir, PNG, "anh.png").path
    plan = services.knowledge.current.index.current_plan
    with services.db.session() as s:
        return progress.add(
            s,
            author_id=MEMBER,
            author_name="Member Chi",
            agency_id=agency[0],
            agency_name=agency[1],
            plan_id=plan.id,
            indicator_code=code,
            kb_version_id=1,
            status="in_progress",
            percent=40,
            note="Đã khảo sát",
            file_name="anh.png" if file_path else None,
            file_kind="photo" if file_path else None,
            file_path=file_path,
            file_size=len(PNG),
        ).id


def _actions(services) -> list[str]:
    with services.db.session() as s:
        return [e.action for e in reversed(web_store.audit_log(s)) if e.action != "sign-in"]


def _notices(services) -> list:
    with services.db.session() as s:
        return [r for r in ledger.all_rows(s) if r.kind == "notice"]


GETS = [
    "/web/board",
    f"/web/indicators/{CODE}",
    f"/web/indicators/{CODE}?agency=so-xay-dung",
    "/web/agencies/so-xay-dung",
    "/web/agencies/so-tai-chinh",
    "/web/broadcast",
    "/web/reports",
]


# --- who may open what ------------------------------------------------------------------------


@pytest.mark.parametrize("user", [ADMIN, FOCAL, None])
def test_staff_open_every_new_page(client, services, user):
    """Admins, the focal department and the server admin open the board, indicator, agency,
    broadcast and report pages."""
    _update(services)
    sign_in(client, services, user)
    assert {p: 200 for p in GETS} == {p: client.get(p).status_code for p in GETS}


def test_member_sees_only_their_agency(client, services):
    """A member opens their agency and its indicator pages; the board, other agencies,
    broadcasts and reports are refused."""
    update_id = _update(services)
    csrf = sign_in(client, services, MEMBER)
    expected = {
        "/web/board": 403,
        f"/web/indicators/{CODE}": 200,
        f"/web/indicators/{CODE}?agency=so-xay-dung": 200,
        "/web/agencies/so-xay-dung": 200,
        "/web/agencies/so-tai-chinh": 403,
        "/web/broadcast": 403,
        "/web/reports": 403,
    }
    assert expected == {p: client.get(p).status_code for p in GETS}
    page = client.get(f"/web/indicators/{CODE}?agency=so-tai-chinh").text
    assert (
        'data-agency="so-xay-dung"' in page and 'data-agency="so-tai-chinh"' not in page
    )  # always their own
    assert "data-confirm" not in page
    posts = [
        f"/web/indicators/{CODE}/updates/{update_id}/confirm",
        f"/web/indicators/{CODE}/updates/{update_id}/return",
        f"/web/indicators/{CODE}/explanations",
        "/web/broadcast/preview",
        "/web/broadcast",
        "/web/reports",
    ]
    data = {
        "csrf": csrf,
        "reason": "x",
        "agency": "so-xay-dung",
        "text": "x",
        "due": "2026-12-10",
        "kind": "all",
    }
    assert {p: 403 for p in posts} == {p: client.post(p, data=data).status_code for p in posts}
    with services.db.session() as s:
        assert "awaiting" == progress.get(s, update_id).review_state
        assert [] == ledger.all_rows(s)
    assert 'href="/web/agencies/so-xay-dung"' in page  # "My agency" in the navigation


def test_anonymous_is_sent_to_sign_in(client, services):
    """Without a session the new pages redirect to the sign-in explanation, and their forms are
    refused."""
    update_id = _update(services)
    for path in GETS + [
        f"/web/evidence/{update_id}",
        "/web/broadcast/1",
        "/web/reports/files/x.xlsx",
    ]:
        response = client.get(path)
        assert (303, "/web/") == (response.status_code, response.headers["location"]), path
    assert (
        401
        == client.post(
            f"/web/indicators/{CODE}/updates/{update_id}/confirm", data={"csrf": "x"}
        ).status_code
    )


def test_navigation_order(client, services):
    """The sections are listed as Board, Deadlines, Broadcast, Leaders, Knowledge base, Not
    understood, Reports, Audit; the board is the first page."""
    sign_in(client, services, ADMIN)
    nav = re.search(r"<nav[^>]*>(.*?)</nav>", client.get("/web/board").text, re.S).group(1)
    assert [
        "/web/board",
        "/web/deadlines",
        "/web/broadcast",
        "/web/leaders",
        "/web/kb",
        "/web/unanswered",
        "/web/reports",
        "/web/audit",
    ] == re.findall(r'href="([^"]+)"', nav)
    assert "/web/board" == client.get("/web/").headers["location"]


# --- CSRF -------------------------------------------------------------------------------------


@pytest.mark.parametrize("token", [None, "wrong"])
def test_every_new_form_needs_the_csrf_token(client, services, token):
    """Confirm, return, request for explanation, preview, send and generate need the session's
    token; nothing changes without it."""
    update_id = _update(services)
    sign_in(client, services, ADMIN)
    extra = {} if token is None else {"csrf": token}
    data = {
        **extra,
        "reason": "thiếu ảnh",
        "agency": "so-xay-dung",
        "text": "Giải trình",
        "due": "2026-12-10",
        "kind": "all",
    }
    posts = [
        f"/web/indicators/{CODE}/updates/{update_id}/confirm",
        f"/web/indicators/{CODE}/updates/{update_id}/return",
        f"/web/indicators/{CODE}/explanations",
        "/web/broadcast/preview",
        "/web/broadcast",
        "/web/reports",
    ]
    assert {p: 403 for p in posts} == {p: client.post(p, data=data).status_code for p in posts}
    with services.db.session() as s:
        assert "awaiting" == progress.get(s, update_id).review_state
        assert [] == ledger.all_rows(s)
        assert [] == explanations.open_requests(s)
    assert not (services.settings.data_dir / "reports").exists()
    assert [] == _actions(services)


# --- the board --------------------------------------------------------------------------------


def test_board_colours_red_first_and_opens_the_pair(client, services):
    """Each held pair is a cell in its status colour linking to the indicator filtered to that
    agency; counts per status."""
    sign_in(client, services, ADMIN)
    page = client.get("/web/board").text
    assert (
        f'href="/web/indicators/{CODE}?agency=so-xay-dung" data-pair="so-xay-dung:{CODE}"' in page
    )
    cell = re.search(
        r'<td class="cell (s-\w+)"><a'
        rf' href="/web/indicators/{re.escape(CODE)}\?agency=so-xay-dung"',
        page,
    )
    assert "s-grey" == cell.group(1)  # not reported yet
    tallies = dict(re.findall(r'data-tally="(\w+)">(\d+)<', page))
    assert sum(int(n) for n in tallies.values()) == page.count('data-pair="')


def test_board_filters_by_component_and_agency(client, services):
    """Filtering keeps the component's indicators and the chosen agency's row only."""
    sign_in(client, services, ADMIN)
    page = client.get("/web/board?component=1&agency=so-xay-dung").text
    pairs = re.findall(r'data-pair="([^"]+)"', page)
    assert pairs and all(p.startswith("so-xay-dung:1.") for p in pairs)


# --- review -----------------------------------------------------------------------------------


def test_confirm_changes_the_update_and_tells_the_author(client, services):
    """Confirming marks the update confirmed, writes a notice to its author's chat, and is
    audited."""
    update_id = _update(services)
    csrf = sign_in(client, services, FOCAL)
    page = client.get(f"/web/indicators/{CODE}?agency=so-xay-dung").text
    assert (
        f'data-confirm="{update_id}"' in page
        and f'src="/web/evidence/{update_id}?inline=1"' in page
    )
    response = client.post(
        f"/web/indicators/{CODE}/updates/{update_id}/confirm", data={"csrf": csrf}
    )
    assert (303, f"/web/indicators/{CODE}?agency=so-xay-dung&done=confirmed") == (
        response.status_code,
        response.headers["location"],
    )
    with services.db.session() as s:
        assert ("confirmed", FOCAL) == (
            progress.get(s, update_id).review_state,
            progress.get(s, update_id).reviewed_by,
        )
    assert [("zalo", "z1003", MEMBER)] == [
        (n.channel, n.chat_id, n.user_id) for n in _notices(services)
    ]
    assert ["update.confirm"] == _actions(services)
    again = client.post(f"/web/indicators/{CODE}/updates/{update_id}/confirm", data={"csrf": csrf})
    assert 409 == again.status_code and 1 == len(_notices(services))


def test_return_needs_a_reason_and_tells_the_author(client, services):
    """Returning without a reason changes nothing; with one the update is returned and its
    author told why."""
    update_id = _update(services)
    csrf = sign_in(client, services, ADMIN)
    path = f"/web/indicators/{CODE}/updates/{update_id}/return"
    assert 400 == client.post(path, data={"csrf": csrf, "reason": "  "}).status_code
    assert [] == _notices(services)
    assert 303 == client.post(path, data={"csrf": csrf, "reason": "Thiếu biên bản"}).status_code
    with services.db.session() as s:
        found = progress.get(s, update_id)
    assert ("returned", "Thiếu biên bản") == (found.review_state, found.review_reason)
    notices = _notices(services)
    assert 1 == len(notices) and "Thiếu biên bản" in notices[0].text
    assert ["update.return"] == _actions(services)
    assert (
        "Thiếu biên bản" in client.get(f"/web/indicators/{CODE}?agency=so-xay-dung").text
    )  # in the history


def test_update_of_another_indicator_is_not_found(client, services):
    """The update id must belong to the indicator in the address."""
    update_id = _update(services)
    csrf = sign_in(client, services, ADMIN)
    assert (
        404
        == client.post(
            f"/web/indicators/1.1/updates/{update_id}/confirm", data={"csrf": csrf}
        ).status_code
    )
    assert 404 == client.get("/web/indicators/9.99").status_code


def test_request_for_explanation_reaches_the_agency(client, services):
    """A request is stored, sent to the agency's chats through the ledger, listed on the page
    and audited."""
    csrf = sign_in(client, services, ADMIN)
    response = client.post(
        f"/web/indicators/{CODE}/explanations",
        data={
            "csrf": csrf,
            "agency": "so-xay-dung",
            "text": "Vì sao chưa báo cáo?",
            "due": "2026-12-07",
        },
    )
    assert 303 == response.status_code
    with services.db.session() as s:
        [q] = explanations.open_requests(s)
        rows = ledger.all_rows(s)
    assert ("so-xay-dung", CODE, "2026-12-07") == (
        q.agency_id,
        q.indicator_code,
        q.due_date.isoformat(),
    )
    assert [("zalo", "z1003")] == [(r.channel, r.chat_id) for r in rows]
    assert ["explanation.request"] == _actions(services)
    assert "Vì sao chưa báo cáo?" in client.get(f"/web/indicators/{CODE}?agency=so-xay-dung").text
    past = client.post(
        f"/web/indicators/{CODE}/explanations",
        data={"csrf": csrf, "agency": "so-xay-dung", "text": "x", "due": "2026-11-01"},
    )
    assert 400 == past.status_code
    unknown = client.post(
        f"/web/indicators/{CODE}/explanations",
        data={"csrf": csrf, "agency": "nowhere", "text": "x", "due": "2026-12-07"},
    )
    assert 404 == unknown.status_code


# --- evidence ---------------------------------------------------------------------------------


def test_evidence_is_served_to_staff_and_the_agency(client, services):
    """The photo of an update is served to staff and to a member of its agency."""
    update_id = _update(services)
    sign_in(client, services, ADMIN)
    response = client.get(f"/web/evidence/{update_id}?inline=1")
    assert (200, PNG, "image/png") == (
        response.status_code,
        response.content,
        response.headers["content-type"],
    )
    assert response.headers["content-disposition"].startswith("inline")
    client.cookies.clear()
    sign_in(client, services, MEMBER)
    assert 200 == client.get(f"/web/evidence/{update_id}").status_code


def test_evidence_of_another_agency_is_refused_to_a_member(client, services):
    """A member cannot fetch the evidence of another agency's update."""
    update_id = _update(services, agency=("so-tai-chinh", "Sở Tài chính"), code="1.1")
    sign_in(client, services, MEMBER)
    assert 403 == client.get(f"/web/evidence/{update_id}").status_code


@pytest.mark.parametrize(
    "stored", ["../secret.txt", "reports/x.xlsx", "/etc/passwd", "evidence/../secret.txt"]
)
def test_evidence_outside_the_evidence_folder_is_refused(client, services, stored):
    """A stored path that leads out of the evidence folder is never served, even when the file
    exists."""
    data_dir = services.settings.data_dir
    (data_dir / "reports").mkdir(parents=True, exist_ok=True)
    (data_dir / "secret.txt").write_text("secret")
    (data_dir / "reports" / "x.xlsx").write_text("secret")
    update_id = _update(services, file_path=stored)
    sign_in(client, services, ADMIN)
    response = client.get(f"/web/evidence/{update_id}")
    assert 404 == response.status_code and "secret" not in response.text


# --- the agency -------------------------------------------------------------------------------


def test_agency_page_lists_people_chats_indicators_and_reminders(client, services):
    """The agency's members with their channels, its groups, its indicators and the reminders it
    was sent."""
    with services.db.session() as s:
        b = groups.request_binding(
            s, "telegram", "-100777", "Nhóm Sở Xây dựng", "so-xay-dung", "Sở Xây dựng", MEMBER
        )
        groups.decide_binding(s, b.id, True, ADMIN)
        ledger.enqueue(
            s,
            key="rem:test:1",
            kind="reminder",
            channel="telegram",
            chat_id="-100777",
            text="Nhắc hạn",
            agency_id="so-xay-dung",
            deadline_key="kb:d1",
        )
        ledger.enqueue(
            s,
            key="rem:test:2",
            kind="reminder",
            channel="telegram",
            chat_id="-100888",
            text="Khác",
            agency_id="so-tai-chinh",
            deadline_key="kb:d1",
        )
    sign_in(client, services, MEMBER)
    page = client.get("/web/agencies/so-xay-dung").text
    assert "Member Chi" in page and "Zalo" in page and "Nhóm Sở Xây dựng" in page
    assert f'href="/web/indicators/{CODE}?agency=so-xay-dung"' in page
    assert 'title="Nhắc hạn"' in page and 'title="Khác"' not in page


# --- broadcast --------------------------------------------------------------------------------


def _bind(services, chat: str, agency_id: str, name: str) -> None:
    with services.db.session() as s:
        b = groups.request_binding(s, "telegram", chat, f"Nhóm {name}", agency_id, name, ADMIN)
        groups.decide_binding(s, b.id, True, ADMIN)


def test_broadcast_preview_then_send_writes_one_row_per_chat(client, services):
    """The preview counts the chats per channel and sends nothing; sending writes one ledger row
    per chat with the chat's keys."""
    _bind(services, "-1001", "so-tai-chinh", "Sở Tài chính")
    _bind(services, "-1002", "so-xay-dung", "Sở Xây dựng")
    csrf = sign_in(client, services, FOCAL)
    form = {"csrf": csrf, "text": "Họp giao ban PGI lúc 14h", "kind": "all"}
    preview = client.post("/web/broadcast/preview", data=form)
    assert (
        200 == preview.status_code and "Telegram" in preview.text and 'id="send"' in preview.text
    )
    with services.db.session() as s:
        assert [] == ledger.all_rows(s)
        expected = resolve(
            s, services.knowledge.current, Audience.everyone(), services.conversation.channels
        ).targets
    response = client.post("/web/broadcast", data=form)
    assert 303 == response.status_code
    broadcast_id = int(response.headers["location"].rsplit("/", 1)[1])
    with services.db.session() as s:
        rows = [r for r in ledger.by_broadcast(s, broadcast_id) if r.channel != "-"]
    assert sorted(
        f"bc:{broadcast_id}:{t.address.channel}:{t.address.chat_id}" for t in expected
    ) == sorted(r.key for r in rows)
    assert len(expected) == len(rows) >= 3  # two groups and the focal member's private chat
    assert all(
        r.text.endswith("Họp giao ban PGI lúc 14h") and r.status == ledger.PENDING for r in rows
    )
    assert ["broadcast.send"] == _actions(services)
    report = client.get(f"/web/broadcast/{broadcast_id}").text
    assert 'http-equiv="refresh"' in report and f'data-status="pending">{len(rows)}<' in report


def test_broadcast_report_stops_refreshing_when_done(client, services):
    """Once every row is final the report shows the counts by status and no longer refreshes."""
    _bind(services, "-1001", "so-tai-chinh", "Sở Tài chính")
    csrf = sign_in(client, services, ADMIN)
    location = client.post(
        "/web/broadcast",
        data={"csrf": csrf, "text": "Xin chào", "kind": "typed", "audience": "Sở Tài chính"},
    ).headers["location"]
    broadcast_id = int(location.rsplit("/", 1)[1])
    with services.db.session() as s:
        for r in ledger.by_broadcast(s, broadcast_id):
            ledger.mark_sent(s, r.id, "m1", datetime(2026, 11, 30, 9, 1, tzinfo=TZ))
    report = client.get(location).text
    assert 'http-equiv="refresh"' not in report and 'data-status="sent">1<' in report


def test_broadcast_refuses_a_long_text_and_an_unknown_audience(client, services):
    """More than 1800 characters, or an audience that names nothing, is refused with the reason;
    nothing is written."""
    csrf = sign_in(client, services, ADMIN)
    long = client.post("/web/broadcast", data={"csrf": csrf, "text": "x" * 1801, "kind": "all"})
    assert 400 == long.status_code and "1801" in long.text
    unknown = client.post(
        "/web/broadcast/preview",
        data={"csrf": csrf, "text": "x", "kind": "typed", "audience": "Sở Không Có"},
    )
    assert 400 == unknown.status_code
    with services.db.session() as s:
        assert [] == ledger.all_rows(s)


# --- reports ----------------------------------------------------------------------------------


def test_report_is_generated_and_downloaded(client, services):
    """Generating writes the report to UBND tỉnh (.docx), the workbook and the chart, shows the
    summary, and all three download; it is audited."""
    csrf = sign_in(client, services, ADMIN)
    page = client.post("/web/reports", data={"csrf": csrf})
    assert 200 == page.status_code and 'class="summary"' in page.text
    docx, xlsx, png = re.findall(r'href="/web/reports/files/([^"]+)"', page.text)[:3]
    assert (".docx", ".xlsx", ".png") == tuple(n[n.rindex(".") :] for n in (docx, xlsx, png))
    document = client.get(f"/web/reports/files/{docx}")
    assert 200 == document.status_code and "wordprocessingml" in document.headers["content-type"]
    response = client.get(f"/web/reports/files/{xlsx}")
    assert 200 == response.status_code and response.content[:2] == b"PK"
    assert "attachment" in response.headers["content-disposition"]
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert 200 == client.get(f"/web/reports/files/{png}").status_code
    assert xlsx in client.get("/web/reports").text
    assert ["report.generate"] == _actions(services)


@pytest.mark.parametrize(
    "name", ["..%2Fweb.sqlite3", "%2E%2E", ".hidden.xlsx", "x.txt", "nothing.xlsx"]
)
def test_report_download_refuses_other_files(client, services, name):
    """Only workbook and chart files inside the reports folder are served."""
    (services.settings.data_dir / "reports").mkdir(parents=True, exist_ok=True)
    (services.settings.data_dir / "reports" / "x.txt").write_text("no")
    sign_in(client, services, ADMIN)
    assert 404 == client.get(f"/web/reports/files/{name}").status_code


def test_member_sees_who_shares_an_indicator_but_only_their_own_status(client, services):
    """On an indicator shared with other agencies a member sees each agency's name and role, but
    the status (colour and label) of their own agency only, and the updates of no other agency.
    """
    from bot.reporting.status import COLOURS, LABELS

    shared = next(
        p.indicator.code
        for p in load_pairs(services, "so-xay-dung")
        if any(
            q.agency.id == "so-nnmt"
            for q in load_pairs(services, "so-nnmt")
            if q.indicator.code == p.indicator.code
        )
    )
    _update(services, code=shared, agency=("so-nnmt", "Sở Nông nghiệp và Môi trường"))
    statuses = {
        p.agency.id: p.status for p in load_pairs(services, None) if p.indicator.code == shared
    }
    sign_in(client, services, MEMBER)
    page = client.get(f"/web/indicators/{shared}").text
    items = _pairs(page)
    assert {"so-xay-dung", "so-nnmt"} <= set(items)
    other = items["so-nnmt"]
    assert "s-" not in other and "href" not in other
    assert all(_label(v) not in other for v in LABELS.values())
    assert f"s-{COLOURS[statuses['so-xay-dung']]}" in items["so-xay-dung"]
    assert 'data-agency="so-nnmt"' not in page and "Đã khảo sát" not in page
    sign_in(client, services, FOCAL)
    staff = _pairs(client.get(f"/web/indicators/{shared}").text)
    assert f"s-{COLOURS[statuses['so-nnmt']]}" in staff["so-nnmt"]


def _pairs(page: str) -> dict[str, str]:
    """Agency id → its entry in the indicator page's list of agencies."""
    names = {"so-xay-dung": "Sở Xây dựng", "so-nnmt": "Sở Nông nghiệp và Môi trường"}
    items = re.findall(r'<li class="pair"[^>]*>(.*?)</li>', page, re.S)
    return {aid: item for aid, name in names.items() for item in items if name in item}


def load_pairs(services, agency_id):
    from bot.reporting.board import load_board
    from bot.reporting.status import StatusRules

    conv = services.conversation
    with services.db.session() as s:
        board = load_board(
            s,
            services.knowledge.current,
            StatusRules.from_settings(services.settings),
            conv.today(),
            conv.tz,
        )
    return [p for p in board.pairs if agency_id is None or p.agency.id == agency_id]


def _label(msgid: str) -> str:
    from bot.app.i18n import Translations

    return Translations().get("vi").gettext(msgid)
