"""The web console's doors: one-time links, sessions, roles on every route, CSRF on every form."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select, update

from handlers.web import make_login_link, principal
from handlers.web.auth import SESSION_COOKIE, Sessions
from storage import web as web_store
from storage.knowledge import kb_versions
from storage.models.agencies import Membership
from storage.models.web import WebToken
from storage.schedule import deadlines as deadline_store
from tests.support.web import (
    ADMIN,
    FOCAL,
    MEMBER,
    NOBODY,
    client_for,
    csrf_of,
    link_path,
    make_services,
    nonce_of,
    sign_in,
    use_link,
)
from tests.support.web_fixtures import client, clock, services  # noqa: F401 - fixtures


def _deadline(services) -> int:
    with services.db.session() as s:
        return deadline_store.add(
            s, "Nộp báo cáo", datetime(2026, 12, 15).date(), {"kind": "all"}, ADMIN
        ).id


def _audit(services) -> list[tuple[str, str]]:
    with services.db.session() as s:
        return [(e.actor, e.action) for e in web_store.audit_log(s)]


def test_healthz(client):
    """/healthz answers ok without signing in."""
    assert (200, {"ok": True}) == (
        client.get("/healthz").status_code,
        client.get("/healthz").json(),
    )


def test_link_signs_in_once(client, services):
    """A sign-in link works once; the second use is refused and makes no session."""
    path = link_path(make_login_link(services, ADMIN))
    first = use_link(client, path)
    assert (303, "/web/board") == (first.status_code, first.headers["location"])
    client.cookies.clear()
    second = use_link(client, path)
    assert 400 == second.status_code
    assert SESSION_COOKIE not in client.cookies
    assert 303 == client.get("/web/kb").status_code  # back to the sign-in page


def test_link_expires_after_15_minutes(client, services, clock):
    """A link older than 15 minutes is refused, even if its page was opened in time."""
    path = link_path(make_login_link(services, ADMIN))
    page = client.get(path)
    assert 200 == page.status_code
    clock.advance(minutes=15, seconds=1)
    assert 400 == client.get(path).status_code
    assert 400 == client.post(path, data={"nonce": nonce_of(page.text)}).status_code
    assert SESSION_COOKIE not in client.cookies


def test_opening_the_link_does_not_use_it(client, services):
    """A chat app's link preview (a GET) leaves the link usable: only the button press uses it."""
    path = link_path(make_login_link(services, FOCAL))
    for _ in range(3):
        assert 200 == client.get(path).status_code
    assert 303 == use_link(client, path).status_code


def test_sign_in_post_needs_the_pages_nonce(client, services):
    """The sign-in button's form must come from the link's own page (no cross-site sign-in)."""
    path = link_path(make_login_link(services, ADMIN))
    client.get(path)
    assert 403 == client.post(path, data={"nonce": "forged"}).status_code
    assert 303 == use_link(client, path).status_code  # the refused attempt did not use the link


def test_token_is_stored_hashed(services):
    """Only a hash of the link's token is in the database."""
    token = link_path(make_login_link(services, ADMIN)).rsplit("/", 1)[1]
    with services.db.session() as s:
        stored = s.scalars(select(WebToken.token_hash)).all()
    assert token not in stored and 1 == len(stored)


def test_nobody_is_refused_at_sign_in(client, services):
    """A user with no role and no approved agency cannot sign in."""
    response = use_link(client, link_path(make_login_link(services, NOBODY)))
    assert 403 == response.status_code
    assert SESSION_COOKIE not in client.cookies


def test_server_admin_link_is_an_admin(client, services):
    """`python -m bot web-link` signs in the person at the server as an admin, audited as such."""
    sign_in(client, services, None)
    assert 200 == client.get("/web/kb").status_code
    assert ("server admin", "sign-in") in _audit(services)


def test_principal_roles(services):
    """One function says who someone is: admin, focal department, agency member, or nobody."""
    roles = {uid: principal(services, uid) for uid in (ADMIN, FOCAL, MEMBER, NOBODY)}
    assert ["admin", "focal", "member", "none"] == [
        roles[u].role for u in (ADMIN, FOCAL, MEMBER, NOBODY)
    ]
    assert "so-xay-dung" == roles[MEMBER].agency_id
    assert ("admin", None) == (principal(services, None).role, principal(services, None).user_id)


def test_session_cookie_flags(client, services):
    """The session cookie is HttpOnly, SameSite=Lax, limited to /web and expiring."""
    use_link(client, link_path(make_login_link(services, ADMIN)))
    header = next(h for h in client.cookies.jar if h.name == SESSION_COOKIE)
    assert (
        header.path == "/web"
        and header.has_nonstandard_attr("HttpOnly")
        and header.expires is not None
    )
    raw = (
        use_link(client_for(services), link_path(make_login_link(services, ADMIN)))
        .headers["set-cookie"]
        .lower()
    )
    assert "samesite=lax" in raw and "httponly" in raw and "secure" not in raw


def test_secure_cookie_over_https(tmp_path, kb_dir, clock):
    """With an https public address the cookies are Secure, and links point there."""
    services = make_services(tmp_path, kb_dir, clock, public_url="https://pgi.example.vn")
    try:
        link = make_login_link(services, ADMIN)
        assert link.startswith("https://pgi.example.vn/web/login/")
        with client_for(services, base_url="https://testserver") as c:
            response = use_link(c, link_path(link))
        assert "secure" in response.headers["set-cookie"].lower()
    finally:
        services.close()


def test_tampered_or_expired_session_is_signed_out(client, services):
    """A cookie that is not ours, or older than the session's lifetime, counts as no session."""
    sign_in(client, services, ADMIN)
    good = client.cookies[SESSION_COOKIE]
    tampered = (
        good[:-2] + ("A" if good[-2] != "A" else "B") + good[-1]
    )  # one character of the signature changed
    assert tampered != good
    client.cookies.set(SESSION_COOKIE, tampered, path="/web")
    assert 303 == client.get("/web/kb").status_code
    sessions = Sessions("k", max_age=-1)
    cookie, _ = sessions.dump(ADMIN, False, "sid")
    assert sessions.load(cookie) is None


def test_sign_out(client, services):
    """Signing out ends the session."""
    csrf = sign_in(client, services, ADMIN)
    assert 303 == client.post("/web/logout", data={"csrf": csrf}).status_code
    assert 303 == client.get("/web/kb").status_code


# --- roles on every route -------------------------------------------------------------------

GETS = [
    "/web/kb",
    "/web/kb/versions/1",
    "/web/deadlines",
    "/web/deadlines/{id}/edit",
    "/web/audit",
]
POSTS = [
    "/web/kb/upload",
    "/web/kb/versions/1/activate",
    "/web/deadlines",
    "/web/deadlines/{id}",
    "/web/deadlines/{id}/cancel",
    "/web/lang",
]
MEMBER_MAY = {"/web/deadlines"}


@pytest.mark.parametrize("user", [ADMIN, FOCAL])
def test_staff_may_open_every_page(client, services, user):
    """Admins and the focal department open every page."""
    did = _deadline(services)
    sign_in(client, services, user)
    for path in GETS:
        assert 200 == client.get(path.format(id=did)).status_code, path


def test_member_sees_only_the_deadlines_page(client, services):
    """An agency member opens the deadlines page and is refused every other page and every
    change."""
    did = _deadline(services)
    csrf = sign_in(client, services, MEMBER)
    for path in GETS:
        expected = 200 if path in MEMBER_MAY else 403
        assert expected == client.get(path.format(id=did)).status_code, path
    for path in POSTS:
        if path == "/web/lang":
            continue
        response = client.post(
            path.format(id=did),
            data={"csrf": csrf, "title": "x", "date": "2026-12-20", "audience": "tất cả"},
        )
        assert 403 == response.status_code, path
    with services.db.session() as s:
        assert [did] == [d.id for d in deadline_store.active(s)]
        assert "Nộp báo cáo" == deadline_store.get(s, did).title


def test_member_navigation_lists_only_allowed_pages(client, services):
    """The navigation shows a member only the pages their role opens."""
    sign_in(client, services, MEMBER)
    page = client.get("/web/deadlines").text
    assert (
        'href="/web/deadlines"' in page
        and 'href="/web/kb"' not in page
        and 'href="/web/audit"' not in page
    )


def test_anonymous_is_sent_to_sign_in_or_refused(client, services):
    """Without a session a page redirects to the sign-in explanation and a form is refused."""
    did = _deadline(services)
    for path in GETS:
        response = client.get(path.format(id=did))
        assert (303, "/web/") == (response.status_code, response.headers["location"]), path
    for path in POSTS:
        assert 401 == client.post(path.format(id=did), data={"csrf": "x"}).status_code, path


def test_revoked_member_loses_access_at_once(client, services):
    """Roles are checked on every request: a member whose membership is revoked is refused next
    time."""
    sign_in(client, services, MEMBER)
    assert 200 == client.get("/web/deadlines").status_code
    with services.db.session() as s:
        s.execute(update(Membership).where(Membership.user_id == MEMBER).values(status="revoked"))
    assert 403 == client.get("/web/deadlines").status_code


# --- CSRF -----------------------------------------------------------------------------------


@pytest.mark.parametrize("token", [None, "wrong"])
def test_post_without_the_csrf_token_changes_nothing(client, services, token):
    """Every form needs the session's CSRF token: without it, or with another, nothing changes."""
    did = _deadline(services)
    sign_in(client, services, ADMIN)
    extra = {} if token is None else {"csrf": token}
    before = services.knowledge.current.version.id
    responses = [
        client.post(
            "/web/deadlines",
            data={**extra, "title": "Mới", "date": "2026-12-20", "audience": "tất cả"},
        ),
        client.post(f"/web/deadlines/{did}", data={**extra, "title": "Đổi", "date": "2026-12-20"}),
        client.post(f"/web/deadlines/{did}/cancel", data=extra),
        client.post("/web/kb/versions/1/activate", data=extra),
        client.post(
            "/web/kb/upload", data=extra, files={"file": ("agencies.yaml", b"agencies: []\n")}
        ),
        client.post("/web/logout", data=extra),
    ]
    assert [403] * len(responses) == [r.status_code for r in responses]
    with services.db.session() as s:
        assert [("Nộp báo cáo", None)] == [
            (d.title, d.cancelled_at) for d in deadline_store.active(s)
        ]
        assert 1 == len(kb_versions.history(s))
    assert before == services.knowledge.current.version.id
    assert 200 == client.get("/web/kb").status_code  # still signed in
    assert [a for a in _audit(services) if a[1] != "sign-in"] == []


def test_language_switch(client, services):
    """The console is in Vietnamese by default and in English by choice."""
    csrf = sign_in(client, services, ADMIN)
    assert "Thời hạn" in client.get("/web/deadlines").text
    response = client.post("/web/lang", data={"csrf": csrf, "lang": "en", "next": "/web/kb"})
    assert (303, "/web/kb") == (response.status_code, response.headers["location"])
    assert "Knowledge base" in client.get("/web/kb").text
    off_site = client.post(
        "/web/lang", data={"csrf": csrf, "lang": "vi", "next": "https://evil.example/"}
    )
    assert "/web/" == off_site.headers["location"]


def test_upload_larger_than_the_cap_is_refused(client, services):
    """A request body over the cap is refused before it is read."""
    csrf = sign_in(client, services, ADMIN)
    big = b"#" * (7 * 1024 * 1024)
    response = client.post(
        "/web/kb/upload", data={"csrf": csrf}, files={"file": ("agencies.yaml", big)}
    )
    assert 413 == response.status_code
    assert csrf_of(client.get("/web/kb").text) == csrf
