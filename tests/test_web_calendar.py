"""The console's deadlines page: a recurring deadline added with the chat's rule, and extension
requests approved or refused (with a reason) by the focal department, the agency told, both dates
kept.
"""

from __future__ import annotations

from datetime import date

import pytest

from storage.delivery import ledger
from storage.schedule import deadlines as deadline_store
from storage.schedule import extensions as extension_store
from tests.support.web import FOCAL, MEMBER, MEMBER_AGENCY, client_for, csrf_of, sign_in
from tests.support.web_fixtures import client, clock, services  # noqa: F401 - fixtures


@pytest.fixture
def csrf(client, services):
    return sign_in(client, services, FOCAL)


def _request(services, key: str = "db:1") -> extension_store.ExtensionInfo:
    with services.db.session() as s:
        return extension_store.request(
            s,
            deadline_key=key,
            title="Báo cáo tháng",
            agency_id=MEMBER_AGENCY[0],
            agency_name=MEMBER_AGENCY[1],
            old_date=date(2026, 12, 20),
            new_date=date(2026, 12, 28),
            reason="chờ số liệu",
            requested_by=MEMBER,
        )


def test_a_recurring_deadline_is_added_from_the_form(client, services, csrf):
    """Date 01/12/2026 and "hằng tháng ngày 20": monthly on the 20th from 01/12; listed with its
    next date and rule."""
    response = client.post(
        "/web/deadlines",
        data={
            "csrf": csrf,
            "date": "2026-12-01",
            "title": "Báo cáo tháng",
            "audience": "tất cả",
            "repeat": "hằng tháng ngày 20",
        },
    )
    with services.db.session() as s:
        [d] = deadline_store.active(s)
    page = client.get("/web/deadlines").text
    assert (303, "monthly", 20, date(2026, 12, 1)) == (
        response.status_code,
        d.repeat,
        d.repeat_day,
        d.due_date,
    )
    assert "20/12/2026" in page and "hằng tháng, vào ngày 20" in page


def test_the_start_gives_the_day_when_the_rule_names_none(client, services, csrf):
    """ "hằng tháng" with the date 15/12/2026: monthly on the 15th."""
    client.post(
        "/web/deadlines",
        data={
            "csrf": csrf,
            "date": "15/12/2026",
            "title": "Báo cáo",
            "audience": "tất cả",
            "repeat": "hằng tháng",
        },
    )
    with services.db.session() as s:
        [d] = deadline_store.active(s)
    assert ("monthly", 15) == (d.repeat, d.repeat_day)


def test_a_bad_recurrence_is_refused_with_the_reason(client, services, csrf):
    """ "hằng năm 31/02" is named as no day of the year; nothing is saved."""
    response = client.post(
        "/web/deadlines",
        data={
            "csrf": csrf,
            "date": "2026-12-01",
            "title": "x",
            "audience": "tất cả",
            "repeat": "hằng năm 31/02",
        },
    )
    with services.db.session() as s:
        assert [] == deadline_store.active(s)
    assert 400 == response.status_code and "31/02" in response.text


def test_the_focal_department_approves_an_extension_and_the_history_shows_both_dates(
    client, services, csrf
):
    """Approve: the request is approved, audited, the member is told; the page shows 20/12 →
    28/12."""
    with services.db.session() as s:
        deadline_store.add(
            s,
            "Báo cáo tháng",
            date(2026, 12, 1),
            {"kind": "all"},
            FOCAL,
            repeat="monthly",
            repeat_day=20,
            repeat_month=0,
        )
    x = _request(services, "db:1@2026-12-20")
    assert f'data-extension="{x.id}"' in client.get("/web/deadlines").text
    response = client.post(f"/web/deadlines/extensions/{x.id}/approve", data={"csrf": csrf})
    with services.db.session() as s:
        decided = extension_store.get(s, x.id)
        told = [r for r in ledger.all_rows(s, "notice") if r.user_id == MEMBER]
    page = client.get("/web/deadlines").text
    assert (303, "approved", FOCAL) == (response.status_code, decided.status, decided.decided_by)
    assert 1 == len(told) and "28/12/2026" in told[0].text
    assert "20/12/2026 → 28/12/2026" in page


def test_a_refusal_needs_a_reason(client, services, csrf):
    """Without a reason the refusal is refused (400) and the request waits; with one it is kept."""
    x = _request(services)
    empty = client.post(
        f"/web/deadlines/extensions/{x.id}/refuse", data={"csrf": csrf, "reason": " "}
    )
    with services.db.session() as s:
        still = extension_store.get(s, x.id).status
    client.post(
        f"/web/deadlines/extensions/{x.id}/refuse", data={"csrf": csrf, "reason": "Quá muộn"}
    )
    with services.db.session() as s:
        refused = extension_store.get(s, x.id)
    assert (400, "pending") == (empty.status_code, still)
    assert ("refused", "Quá muộn") == (refused.status, refused.decision_reason)


def test_a_member_cannot_decide(services):
    """An agency member posting an approval is refused; the request still waits."""
    x = _request(services)
    with client_for(services) as c:
        sign_in(c, services, MEMBER)
        token = csrf_of(c.get("/web/deadlines").text)
        response = c.post(f"/web/deadlines/extensions/{x.id}/approve", data={"csrf": token})
    with services.db.session() as s:
        assert "pending" == extension_store.get(s, x.id).status
    assert response.status_code in (403, 404)
