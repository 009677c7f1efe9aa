"""The console's responsible officials (an agency's page) and leaders (the Leaders page): who
may change what, the CSRF token on every form, the audit log, and that the rules are the chat's
— on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from markupsafe import escape

from bot.app.i18n import Translations
from storage import web as web_store
from storage.directory import leaders, people
from tests.support.clock import Clock
from tests.support.web import (
    ADMIN,
    FOCAL,
    MEMBER,
    TZ,
    add_user,
    client_for,
    make_services,
    sign_in,
)

PLAN = "plan-18-2026"
XD = "so-xay-dung"
COLLEAGUE = 1005  # a second member of Sở Xây dựng
OTHER = 1006  # a member of Sở Y tế
BOSS = 1007  # no member; made the leader of Sở Xây dựng in some tests
VI = Translations().get("vi")


@pytest.fixture
def clock():
    return Clock(datetime(2026, 11, 30, 9, 0, tzinfo=TZ))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def services(request, tmp_path, kb_dir, clock):
    extra = (
        {"database_url": request.getfixturevalue("postgres_url")}
        if request.param == "postgres"
        else {}
    )
    s = make_services(tmp_path, kb_dir, clock, **extra)
    with s.db.session() as db:
        add_user(db, COLLEAGUE, "Colleague Hà")
        m = people.request_membership(db, COLLEAGUE, XD, "Sở Xây dựng")
        people.decide_membership(db, m.id, True, ADMIN)
        add_user(db, OTHER, "Other Khánh")
        m = people.request_membership(db, OTHER, "so-y-te", "Sở Y tế")
        people.decide_membership(db, m.id, True, ADMIN)
        add_user(db, BOSS, "Boss Long")
    yield s
    s.close()


@pytest.fixture
def client(services):
    with client_for(services) as c:
        yield c


def shown(msgid: str) -> str:
    """A message as the console shows it: in Vietnamese (the default), HTML-escaped."""
    return str(escape(VI.gettext(msgid)))


def responsible(services, code: str = "1.5"):
    with services.db.session() as s:
        return leaders.responsible_for(s, XD, PLAN, code)


def audit(services) -> list[tuple[str, str]]:
    with services.db.session() as s:
        return [(e.action, e.target) for e in web_store.audit_log(s)]


def make_boss(services) -> None:
    with services.db.session() as s:
        leaders.grant_leader(
            s,
            agency_id=XD,
            agency_name="Sở Xây dựng",
            user_id=BOSS,
            by=ADMIN,
            now=services.conversation.now(),
        )


@pytest.mark.parametrize("who", [FOCAL, MEMBER])
def test_the_focal_department_and_a_member_name_from_the_agency_page(client, services, who):
    """The agency page offers the form; posting it names the member, audited, and the page lists
    them."""
    csrf = sign_in(client, services, who)
    page = client.get(f"/web/agencies/{XD}").text
    assert f'action="/web/agencies/{XD}/responsible"' in page
    response = client.post(
        f"/web/agencies/{XD}/responsible",
        data={"csrf": csrf, "code": "1.5", "user": str(COLLEAGUE)},
    )
    assert 303 == response.status_code
    assert COLLEAGUE == responsible(services).user_id
    assert ("responsible.name", f"{XD} 1.5") in audit(services)
    shown = client.get(response.headers["location"]).text
    assert re.search(r"<strong>1\.5</strong> — Colleague Hà", shown)


def test_a_leader_who_is_no_member_opens_the_page_and_names(client, services):
    """The leader of Sở Xây dựng (no membership) sees the agency's page as its members do, and
    names."""
    make_boss(services)
    csrf = sign_in(client, services, BOSS)
    assert 200 == client.get(f"/web/agencies/{XD}").status_code
    assert 403 == client.get("/web/agencies/so-y-te").status_code
    client.post(
        f"/web/agencies/{XD}/responsible",
        data={"csrf": csrf, "code": "1.5", "user": str(COLLEAGUE)},
    )
    assert COLLEAGUE == responsible(services).user_id


def test_a_member_of_another_agency_is_refused(client, services):
    """A member of Sở Y tế posting the form of Sở Xây dựng: 403, nothing stored, nothing
    audited."""
    csrf = sign_in(client, services, OTHER)
    response = client.post(
        f"/web/agencies/{XD}/responsible",
        data={"csrf": csrf, "code": "1.5", "user": str(COLLEAGUE)},
    )
    assert 403 == response.status_code
    assert (
        shown(
            "Only the focal department, the agency's members and its leaders may name its"
            " responsible officials."
        )
        in response.text
    )
    assert responsible(services) is None and [] == [
        a for a in audit(services) if a[0].startswith("responsible")
    ]


def test_a_plain_user_cannot_change_anything(client, services):
    """Someone with no role has no session to post with: the form is refused (401), nothing
    stored."""
    response = client.post(
        f"/web/agencies/{XD}/responsible",
        data={"csrf": "x", "code": "1.5", "user": str(COLLEAGUE)},
    )
    assert 401 == response.status_code and responsible(services) is None


def test_bad_choices_are_refused_with_a_reason(client, services):
    """A non-member of the agency, an indicator it does not hold, a missing field."""
    csrf = sign_in(client, services, FOCAL)
    cases = [
        (
            {"code": "1.5", "user": str(OTHER)},
            "That person is not an approved member of the agency.",
        ),
        (
            {"code": "2.4", "user": str(COLLEAGUE)},
            "That indicator is not among the agency's indicators.",
        ),
        ({"code": "", "user": str(COLLEAGUE)}, "Choose an indicator and a member of the agency."),
    ]
    for data, message in cases:
        response = client.post(f"/web/agencies/{XD}/responsible", data={"csrf": csrf, **data})
        assert 400 == response.status_code and shown(message) in response.text, data
    assert responsible(services) is None


def test_the_form_needs_the_csrf_token(client, services):
    sign_in(client, services, FOCAL)
    response = client.post(
        f"/web/agencies/{XD}/responsible",
        data={"csrf": "forged", "code": "1.5", "user": str(COLLEAGUE)},
    )
    assert 403 == response.status_code and responsible(services) is None


def test_removing_from_the_agency_page(client, services):
    """The remove button ends the responsibility, audited; pressing it again is refused as
    already ended."""
    csrf = sign_in(client, services, MEMBER)
    client.post(
        f"/web/agencies/{XD}/responsible",
        data={"csrf": csrf, "code": "1.5", "user": str(COLLEAGUE)},
    )
    rid = responsible(services).id
    assert (
        303
        == client.post(
            f"/web/agencies/{XD}/responsible/{rid}/remove", data={"csrf": csrf}
        ).status_code
    )
    assert responsible(services) is None and ("responsible.remove", f"{XD} 1.5") in audit(services)
    assert (
        409
        == client.post(
            f"/web/agencies/{XD}/responsible/{rid}/remove", data={"csrf": csrf}
        ).status_code
    )


def test_an_admin_grants_and_revokes_on_the_leaders_page(client, services):
    """Grant by user id and agency, then revoke: both audited; the page lists the leader in
    between."""
    csrf = sign_in(client, services, ADMIN)
    assert (
        303
        == client.post(
            "/web/leaders/grant", data={"csrf": csrf, "user": str(BOSS), "agency": XD}
        ).status_code
    )
    page = client.get("/web/leaders").text
    assert "Boss Long" in page
    with services.db.session() as s:
        (role,) = leaders.leaders(s)
    assert 303 == client.post(f"/web/leaders/{role.id}/revoke", data={"csrf": csrf}).status_code
    with services.db.session() as s:
        assert [] == leaders.leaders(s)
    assert {("leader.grant", f"#{BOSS}"), ("leader.revoke", f"#{BOSS}")} <= set(audit(services))


def test_the_focal_department_sets_the_threshold_but_may_not_grant(client, services):
    """The focal department changes N (stored, audited) and is refused the grant form."""
    csrf = sign_in(client, services, FOCAL)
    assert (
        303 == client.post("/web/leaders/threshold", data={"csrf": csrf, "days": "5"}).status_code
    )
    bad = client.post("/web/leaders/threshold", data={"csrf": csrf, "days": "0"})
    assert 400 == bad.status_code
    with services.db.session() as s:
        assert 5 == leaders.leader_after_days(s)
    assert (
        403
        == client.post(
            "/web/leaders/grant", data={"csrf": csrf, "user": str(BOSS), "agency": XD}
        ).status_code
    )
    with services.db.session() as s:
        assert [] == leaders.leaders(s)


def test_members_do_not_open_the_leaders_page(client, services):
    sign_in(client, services, MEMBER)
    assert 403 == client.get("/web/leaders").status_code
