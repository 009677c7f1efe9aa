"""Every console route answers odd ids and bodies with a clean 4xx, never a 500.

The routes are read from the application itself, so a route added later is covered without
changing this test.
"""

from __future__ import annotations

import re

import pytest
from starlette.routing import Mount, Route

from handlers.web import web_app
from tests.support.web import ADMIN, client_for, sign_in
from tests.support.web_fixtures import clock, services  # noqa: F401 - fixtures

ODD = ["99999999999999999999", "9223372036854775808", "-1", "0", "abc", "1.5", "%2e%2e", "1e9"]
_PARAM = re.compile(r"{([^}:]+)(?::[^}]+)?}")


def _routes(routes, prefix: str = "") -> list[tuple[str, str]]:
    out = []
    for r in routes:
        if isinstance(r, Mount) and r.name != "static":
            out += _routes(r.routes, prefix + r.path)
        elif isinstance(r, Route):
            out += [(m, prefix + r.path) for m in sorted(r.methods or ()) if m != "HEAD"]
    return out


@pytest.fixture
def client(services):
    with client_for(services, raise_server_exceptions=False) as c:
        yield c


def test_every_route_with_a_parameter_is_listed(services):
    """The enumeration finds the console's routes (so the next test cannot pass by testing
    nothing)."""
    found = {p for _, p in _routes(web_app(services).routes)}
    assert {
        "/web/kb/versions/{version_id:int}",
        "/web/download/{token}",
        "/web/evidence/{update_id:int}",
        "/web/deadlines/{deadline_id:int}/cancel",
        "/web/audit",
    } <= found


def test_odd_ids_on_every_route_are_a_clean_refusal(client, services):
    """Out of range, negative, non-numeric: every route with a parameter answers 4xx, for each
    method."""
    csrf = sign_in(client, services, ADMIN)
    failures = []
    for method, path in _routes(web_app(services).routes):
        if not _PARAM.search(path):
            continue
        for odd in ODD:
            url = _PARAM.sub(odd, path)
            data = (
                {
                    "csrf": csrf,
                    "reason": "x",
                    "text": "x",
                    "agency": "x",
                    "due": "01/01/2030",
                    "title": "x",
                    "date": "01/01/2030",
                    "nonce": "x",
                }
                if method == "POST"
                else None
            )
            status = client.request(method, url, data=data).status_code
            if status >= 500:
                failures.append((method, url, status))
    assert [] == failures, "\n".join(map(str, failures))


@pytest.mark.parametrize("page", ["99999999999999999999", "-5", "x", "1" * 400])
def test_audit_page_number_out_of_range(client, services, page):
    """/web/audit?page= with any value: a page or a clean refusal, never a 500."""
    sign_in(client, services, ADMIN)
    assert client.get(f"/web/audit?page={page}").status_code in (200, 400, 404)


BROKEN_BODIES = [
    (
        "multipart/form-data; boundary=xyz",
        b'--xyz\r\nContent-Disposition: form-data; name="csrf"\r\n\r\nabc',
    ),
    (
        "multipart/form-data; boundary=xyz",
        b"--xyz\r\nContent-Disposition: form-data\r\n\r\nabc\r\n--xyz--\r\n",
    ),
    ("multipart/form-data; boundary=xyz", b"--xyz\r\nno header end" + b"a" * 3000),
    ("multipart/form-data", b"--\r\n\r\n"),
    ("multipart/form-data; boundary=" + "b" * 300, b"--" + b"b" * 300 + b"\r\n"),
    ("application/x-www-form-urlencoded", b"%ff%fe=%00&csrf=" + b"%" * 10),
]


@pytest.mark.parametrize(("content_type", "body"), BROKEN_BODIES)
def test_malformed_bodies_on_every_post_route(client, services, content_type, body):
    """A malformed multipart (or form) body on any POST route: a clean 4xx."""
    sign_in(client, services, ADMIN)
    failures = []
    for method, path in _routes(web_app(services).routes):
        if method != "POST":
            continue
        url = _PARAM.sub("1", path)
        status = client.post(url, content=body, headers={"content-type": content_type}).status_code
        if not 400 <= status < 500:
            failures.append((url, status))
    assert [] == failures


SECURITY = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


def test_every_console_response_forbids_framing_sniffing_and_caching(client, services):
    """Every console response — signed in or not, a page, a refusal, a redirect — says it may
    not be framed, sniffed or cached and sends no referrer; only the stylesheet may be cached.
    """
    paths = [
        "/web/",
        "/web/login/not-a-token",
        "/web/download/not-a-token",
        "/web/nowhere",
        "/web/board",
    ]
    sign_in(client, services, ADMIN)
    paths += [
        _PARAM.sub("1", p)
        for m, p in _routes(web_app(services).routes)
        if m == "GET" and p.startswith("/web")
    ]
    for path in paths:
        response = client.get(path)
        headers = {k: response.headers.get(k) for k in SECURITY}
        assert SECURITY == headers, path
        assert "frame-ancestors 'none'" in response.headers.get("content-security-policy", ""), (
            path
        )
        assert "no-store" == response.headers.get("cache-control"), path
    css = client.get("/web/static/web.css")
    assert 200 == css.status_code and "no-store" != css.headers.get("cache-control")
    assert "DENY" == css.headers.get("x-frame-options")
