"""Sessions live on the server: sign-out and "sign out everywhere" end them at once (a copied
cookie stops working), a removed role closes the console at the next request, and the signing key
is kept out of the database (PGI_SESSION_KEY, or an owner-only file), rotating without signing
anyone out.
"""

from __future__ import annotations

import json
import stat
from datetime import datetime, timedelta

from sqlalchemy import select

from handlers.web.auth import SESSION_COOKIE, SESSION_SECONDS, Sessions
from handlers.web.keys import KEY_FILE, ROTATE_AFTER, KeyRing
from storage.directory import people
from storage.models.web import WebSecret, WebSession
from tests.support.web import ADMIN, FOCAL, TZ, client_for, make_services, sign_in
from tests.support.web_fixtures import clock, services  # noqa: F401 - fixtures

KEY = "k" * 40
OLD = "o" * 40


def _signed_in(services, user_id):
    client = client_for(services)
    csrf = sign_in(client, services, user_id)
    return client, csrf


def _copy(client, services):
    other = client_for(services)
    other.cookies.set(SESSION_COOKIE, client.cookies[SESSION_COOKIE], path="/web")
    return other


def test_a_copied_cookie_is_refused_after_sign_out(services):
    """The cookie copied before signing out opens nothing afterwards."""
    client, csrf = _signed_in(services, ADMIN)
    thief = _copy(client, services)
    assert 200 == thief.get("/web/kb").status_code
    assert 303 == client.post("/web/logout", data={"csrf": csrf}).status_code
    assert 303 == thief.get("/web/kb").status_code
    assert 401 == thief.post("/web/deadlines", data={"csrf": csrf, "title": "x"}).status_code


def test_sign_out_everywhere_ends_every_session_of_that_person_only(services):
    """ "Sign out everywhere" ends the person's sessions on every device, and nobody else's."""
    laptop, csrf = _signed_in(services, ADMIN)
    phone, _ = _signed_in(services, ADMIN)
    colleague, _ = _signed_in(services, FOCAL)
    assert "Đăng xuất khỏi mọi nơi" in laptop.get("/web/kb").text
    assert 303 == laptop.post("/web/logout", data={"csrf": csrf, "everywhere": "1"}).status_code
    assert (303, 303, 200) == (
        laptop.get("/web/kb").status_code,
        phone.get("/web/kb").status_code,
        colleague.get("/web/kb").status_code,
    )


def test_a_removed_role_closes_the_console_at_the_next_request(services):
    """An admin whose role is removed (in chat, /capquyen) is refused at the next request."""
    client, _ = _signed_in(services, ADMIN)
    assert 200 == client.get("/web/kb").status_code
    with services.db.session() as s:
        people.set_role(s, ADMIN, "user")
    assert 403 == client.get("/web/kb").status_code


def test_the_signing_key_alone_makes_no_session(services, tmp_path):
    """A cookie signed with the real key but naming no session on the server is refused: reading
    the key (a backup, a leaked file) is not enough to mint an admin session."""
    client = client_for(services)
    keys = json.loads((tmp_path / "data" / KEY_FILE).read_text())["keys"]
    forged, _ = Sessions(keys[-1]["key"]).dump(None, True, "made-up-session-id")
    client.cookies.set(SESSION_COOKIE, forged, path="/web")
    assert 303 == client.get("/web/kb").status_code


def test_key_file_is_owner_only_and_nothing_is_in_the_database(services, tmp_path):
    """Without PGI_SESSION_KEY the key is made in the data folder with mode 0600; the database
    holds no key."""
    _signed_in(services, ADMIN)
    path = tmp_path / "data" / KEY_FILE
    assert 0o600 == stat.S_IMODE(path.stat().st_mode)
    with services.db.session() as s:
        assert [] == list(s.scalars(select(WebSecret)))


def test_key_kept_in_the_database_by_an_earlier_version_seeds_the_file_once(services, tmp_path):
    """An existing installation: at the console's start its database key becomes the file's key
    (cookies signed with it still verify) and is deleted from the database."""
    from handlers.web import web_app

    legacy = "legacy-key-" + "x" * 40
    with services.db.session() as s:
        s.add(WebSecret(name="session", value=legacy))
    web_app(services)
    keys = json.loads((tmp_path / "data" / KEY_FILE).read_text())["keys"]
    assert [legacy] == [k["key"] for k in keys]
    with services.db.session() as s:
        assert [] == list(s.scalars(select(WebSecret)))
    web_app(services)  # the next start reads the file; nothing left to move
    assert [legacy] == [
        k["key"] for k in json.loads((tmp_path / "data" / KEY_FILE).read_text())["keys"]
    ]


def test_key_from_the_environment(tmp_path, kb_dir, clock):
    """PGI_SESSION_KEY signs the cookies; no key file is made; PGI_SESSION_KEY_PREVIOUS still
    verifies."""
    services = make_services(tmp_path, kb_dir, clock, session_key=KEY, session_key_previous=OLD)
    try:
        client, _ = _signed_in(services, ADMIN)
        cookie = client.cookies[SESSION_COOKIE]
        assert Sessions(KEY).load(cookie) is not None and Sessions(OLD).load(cookie) is None
        assert not (tmp_path / "data" / KEY_FILE).exists()
        with services.db.session() as s:
            sid = s.scalars(select(WebSession)).first()
        assert sid is not None
    finally:
        services.close()


def test_rotation_keeps_the_old_key_for_one_session_lifetime(services, tmp_path):
    """After a rotation the new key signs and the old one still verifies; once a session
    lifetime has passed (at the next rotation) the old key is dropped. The file's key also
    rotates by itself."""
    now = [datetime(2026, 12, 1, tzinfo=TZ)]
    ring = KeyRing(
        services.settings, services.db, timedelta(seconds=SESSION_SECONDS), now=lambda: now[0]
    )
    first = ring.keys()
    old_cookie, _ = Sessions(ring.keys).dump(ADMIN, False, "s1")
    ring.rotate()
    second = ring.keys()
    assert first[-1] == second[0] and 2 == len(second)
    assert Sessions(ring.keys).load(old_cookie) is not None
    now[0] += timedelta(seconds=SESSION_SECONDS + 1)
    ring.rotate()
    assert first[-1] not in ring.keys() and 2 == len(ring.keys())
    assert Sessions(ring.keys).load(old_cookie) is None
    kept = ring.keys()
    now[0] += ROTATE_AFTER  # the next use finds the newest key too old and makes another
    assert ring.keys()[-1] not in kept and kept[-1] == ring.keys()[0]


def test_a_rotation_by_another_process_is_seen_at_once(services):
    """Two processes share the data folder: one rotates, the other verifies the new cookies at
    once."""
    a = KeyRing(services.settings, services.db, timedelta(seconds=SESSION_SECONDS))
    b = KeyRing(services.settings, services.db, timedelta(seconds=SESSION_SECONDS))
    assert a.keys() == b.keys()
    a.rotate()
    cookie, _ = Sessions(a.keys).dump(ADMIN, False, "s")
    assert Sessions(b.keys).load(cookie) is not None


def test_rotate_command(tmp_path):
    """`python -m bot web-rotate-key` adds a new key to the owner-only file (the old one stays
    for now); with PGI_SESSION_KEY set it refuses and says how to rotate that one."""
    from tests.support.process import run

    first = run(["web-rotate-key"], tmp_path)
    assert 0 == first.returncode, first.stderr
    path = tmp_path / "data" / KEY_FILE
    assert 2 == len(json.loads(path.read_text())["keys"]) and 0o600 == stat.S_IMODE(
        path.stat().st_mode
    )
    refused = run(["web-rotate-key"], tmp_path, PGI_SESSION_KEY=KEY)
    assert 2 == refused.returncode and "PGI_SESSION_KEY_PREVIOUS" in refused.stderr
    assert KEY not in refused.stderr + refused.stdout
