"""Helpers of the web console's tests: people with each role, a movable clock, signing in by
link."""

from __future__ import annotations

import re
from dataclasses import replace
from zoneinfo import ZoneInfo

from starlette.testclient import TestClient

from bot.app.config import Settings
from bot.app.services import Services, build_services
from handlers.web import make_login_link, make_server_admin_link, web_app
from storage.directory import people
from storage.models.people import Identity, User
from tests.support.clock import Clock

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ADMIN, FOCAL, MEMBER, NOBODY = 1001, 1002, 1003, 1004
MEMBER_AGENCY = ("so-xay-dung", "Sở Xây dựng")


def make_services(tmp_path, kb_dir, clock: Clock, **settings_changes) -> Services:
    settings = replace(
        Settings.from_env({}), data_dir=tmp_path / "data", kb_dir=kb_dir, **settings_changes
    )
    services = build_services(settings, clock=clock)
    with services.db.session() as s:
        add_user(s, ADMIN, "Admin An")
        people.set_role(s, ADMIN, "admin")
        add_user(s, FOCAL, "Focal Bình")
        m = people.request_membership(s, FOCAL, "so-nnmt", "Sở Nông nghiệp và Môi trường")
        people.decide_membership(s, m.id, True, ADMIN)
        add_user(s, MEMBER, "Member Chi")
        m = people.request_membership(s, MEMBER, *MEMBER_AGENCY)
        people.decide_membership(s, m.id, True, ADMIN)
        add_user(s, NOBODY, "Nobody Dũng")
    return services


def add_user(s, user_id: int, name: str) -> None:
    """A user with a known internal id (and a Zalo identity), as if they had written to the bot."""
    s.add(User(id=user_id, name=name, role="user"))
    s.flush()
    s.add(
        Identity(
            channel="zalo",
            external_id=f"z{user_id}",
            user_id=user_id,
            display_name=name,
            reachable=True,
        )
    )
    s.flush()


def client_for(services: Services, **kw) -> TestClient:
    return TestClient(web_app(services), follow_redirects=False, **kw)


def link_path(link: str) -> str:
    return link[link.index("/web/login/") :]


def nonce_of(html: str) -> str:
    return re.search(r'name="nonce" value="([^"]+)"', html).group(1)


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def use_link(client: TestClient, path: str):
    page = client.get(path)
    if page.status_code != 200:
        return page
    return client.post(path, data={"nonce": nonce_of(page.text)})


def sign_in(client: TestClient, services: Services, user_id: int | None) -> str:
    """Signs in by a fresh link (None: the server admin); returns the session's CSRF token."""
    link = (
        make_server_admin_link(services) if user_id is None else make_login_link(services, user_id)
    )
    response = use_link(client, link_path(link))
    assert 303 == response.status_code, response.text
    return csrf_of(client.get("/web/deadlines").text)
