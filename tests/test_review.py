"""Review of progress updates and requests for explanation, in storage: on SQLite and on
PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from storage.db import Database, database_url
from storage.tracking import explanations, review
from storage.tracking import progress as progress_store

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
FOCAL = 2**40 + 1  # internal user ids are opaque; large ones must survive
AUTHOR = 7


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request, tmp_path):
    url = (
        request.getfixturevalue("postgres_url")
        if request.param == "postgres"
        else database_url(None, tmp_path)
    )
    database = Database(url)
    database.migrate()
    yield database
    database.dispose()


def _add(s, code="1.5", agency="so-xay-dung", at=T0, **kw):
    fields = dict(
        author_id=AUTHOR,
        author_name="Lan",
        agency_id=agency,
        agency_name="Sở Xây dựng",
        plan_id="plan-18-2026",
        indicator_code=code,
        kb_version_id=1,
        status="in_progress",
        percent=40,
        created_at=at,
    )
    fields.update(kw)
    return progress_store.add(s, **fields)


def test_a_new_update_awaits_review_and_is_in_the_queue(db):
    """Every update starts as awaiting and the queue lists awaiting ones, oldest first."""
    with db.session() as s:
        first, second = _add(s), _add(s, code="1.13", at=T0 + timedelta(hours=1))
    with db.session() as s:
        assert ["awaiting", "awaiting"] == [first.review_state, second.review_state]
        assert [first.id, second.id] == [u.id for u in review.queue(s, "plan-18-2026")]


def test_confirm_records_who_and_when_and_leaves_the_queue(db):
    """A confirmed update leaves the queue; its history keeps awaiting (by the author) then
    confirmed (by the reviewer)."""
    with db.session() as s:
        u = _add(s)
    with db.session() as s:
        outcome, info = review.confirm(s, u.id, FOCAL, T0 + timedelta(hours=2))
    with db.session() as s:
        assert ("ok", "confirmed", FOCAL) == (outcome, info.review_state, info.reviewed_by)
        assert [] == review.queue(s, "plan-18-2026")
        assert [
            ("awaiting", AUTHOR, T0, None),
            ("confirmed", FOCAL, T0 + timedelta(hours=2), None),
        ] == [(h.state, h.by, h.at, h.reason) for h in review.history(s, u.id)]


def test_return_needs_a_reason_and_keeps_it(db):
    """A returned update carries the reason; an empty reason is refused."""
    with db.session() as s:
        u = _add(s)
    with db.session() as s, pytest.raises(ValueError):
        review.return_update(s, u.id, FOCAL, T0, "  ")
    with db.session() as s:
        outcome, info = review.return_update(
            s, u.id, FOCAL, T0 + timedelta(hours=1), "Thiếu minh chứng"
        )
    with db.session() as s:
        assert ("ok", "returned", "Thiếu minh chứng") == (
            outcome,
            info.review_state,
            info.review_reason,
        )
        assert ["awaiting", "returned"] == [h.state for h in review.history(s, u.id)]


def test_an_update_is_reviewed_once(db):
    """The second decision on the same update loses: "already_reviewed", and the first decision
    stands."""
    with db.session() as s:
        u = _add(s)
    with db.session() as s:
        review.confirm(s, u.id, FOCAL, T0)
    with db.session() as s:
        outcome, info = review.return_update(s, u.id, FOCAL + 1, T0, "no")
    assert ("already_reviewed", "confirmed") == (outcome, info.review_state)
    with db.session() as s:
        assert ("not_found", None) == review.confirm(s, 999, FOCAL, T0)


def test_a_withdrawn_update_cannot_be_reviewed(db):
    with db.session() as s:
        u = _add(s)
        progress_store.undo(s, u.id, AUTHOR, T0 + timedelta(minutes=1), timedelta(minutes=10))
    with db.session() as s:
        assert "undone" == review.confirm(s, u.id, FOCAL, T0)[0]


def test_undo_is_refused_after_review(db):
    """Once confirmed or returned, an update is part of the record: the author's undo says
    "reviewed"."""
    with db.session() as s:
        u = _add(s)
        v = _add(s, code="1.13")
    with db.session() as s:
        review.confirm(s, u.id, FOCAL, T0 + timedelta(minutes=1))
        review.return_update(s, v.id, FOCAL, T0 + timedelta(minutes=1), "sai số liệu")
    with db.session() as s:
        assert (
            "reviewed"
            == progress_store.undo(
                s, u.id, AUTHOR, T0 + timedelta(minutes=2), timedelta(minutes=10)
            )[0]
        )
        assert (
            "reviewed"
            == progress_store.undo(
                s, v.id, AUTHOR, T0 + timedelta(minutes=2), timedelta(minutes=10)
            )[0]
        )


def test_a_returned_update_counts_as_corrected_after_a_newer_update(db):
    """Returned and not corrected until the same agency posts again on the same indicator
    (another indicator or agency does not count)."""
    with db.session() as s:
        u = _add(s)
        review.return_update(s, u.id, FOCAL, T0, "thiếu minh chứng")
        _add(s, code="1.13")
        _add(s, agency="so-cong-thuong")
    with db.session() as s:
        assert [u.id] == [x.id for x in review.returned_uncorrected(s, "plan-18-2026")]
        _add(s, at=T0 + timedelta(days=1))
    with db.session() as s:
        assert [] == review.returned_uncorrected(s, "plan-18-2026")


def test_pair_facts_count_only_standing_updates(db):
    """The latest confirmed update, the last standing report (returned and withdrawn ones do not
    stand), evidence."""
    with db.session() as s:
        a = _add(s, percent=30, file_id="f1", file_name="a.pdf", file_kind="document")
        b = _add(s, percent=50, at=T0 + timedelta(days=1))
        c = _add(s, percent=70, at=T0 + timedelta(days=2))
        review.confirm(s, a.id, FOCAL, T0)
        review.confirm(s, b.id, FOCAL, T0)
        review.return_update(s, c.id, FOCAL, T0, "sai")
    with db.session() as s:
        f = review.pair_facts(s, "plan-18-2026")[("so-xay-dung", "1.5")]
    assert (b.id, 50, T0 + timedelta(days=1), 2, 0, 1, True) == (
        f.confirmed.update_id,
        f.confirmed.percent,
        f.last_report_at,
        f.reports,
        f.awaiting,
        f.evidence,
        f.returned_open,
    )


def test_explanation_request_lifecycle(db):
    """Created open; answered once, with text and who; no longer open nor overdue."""
    with db.session() as s:
        q = explanations.create(
            s,
            agency_id="so-xay-dung",
            agency_name="Sở Xây dựng",
            plan_id="plan-18-2026",
            indicator_code="1.5",
            text="Vì sao chậm?",
            due_date=date(2026, 3, 10),
            requested_by=FOCAL,
            now=T0,
        )
    with db.session() as s:
        assert [q.id] == [x.id for x in explanations.open_for_agency(s, "so-xay-dung")]
        assert [] == explanations.overdue(s, date(2026, 3, 10))
        assert [q.id] == [x.id for x in explanations.overdue(s, date(2026, 3, 11))]
        outcome, info = explanations.answer(s, q.id, "Do mưa lũ", AUTHOR, T0 + timedelta(days=1))
    assert ("ok", "Do mưa lũ", AUTHOR, False) == (
        outcome,
        info.answer,
        info.answered_by,
        info.is_open,
    )
    with db.session() as s:
        assert "already_answered" == explanations.answer(s, q.id, "again", AUTHOR, T0)[0]
        assert [] == explanations.open_for_agency(s, "so-xay-dung")
        assert [] == explanations.overdue(s, date(2026, 4, 1))


def test_a_cancelled_request_cannot_be_answered(db):
    with db.session() as s:
        q = explanations.create(
            s,
            agency_id="so-xay-dung",
            agency_name="Sở Xây dựng",
            plan_id="plan-18-2026",
            indicator_code="1.5",
            text="?",
            due_date=date(2026, 3, 10),
            requested_by=FOCAL,
            now=T0,
        )
        assert explanations.cancel(s, q.id, T0) is not None
    with db.session() as s:
        assert "cancelled" == explanations.answer(s, q.id, "x", AUTHOR, T0)[0]
        assert explanations.cancel(s, q.id, T0) is None


def test_indicator_history_has_updates_reviews_and_explanations_in_order(db):
    """The answer to a request for explanation lands in the indicator's history, after the
    review."""
    with db.session() as s:
        u = _add(s)
        review.return_update(s, u.id, FOCAL, T0 + timedelta(hours=1), "thiếu số liệu")
        q = explanations.create(
            s,
            agency_id="so-xay-dung",
            agency_name="Sở Xây dựng",
            plan_id="plan-18-2026",
            indicator_code="1.5",
            text="Giải trình?",
            due_date=date(2026, 3, 10),
            requested_by=FOCAL,
            now=T0 + timedelta(hours=2),
        )
        explanations.answer(s, q.id, "Đã bổ sung", AUTHOR, T0 + timedelta(hours=3))
    with db.session() as s:
        events = review.indicator_history(s, "so-xay-dung", "plan-18-2026", "1.5")
    assert [
        ("update", None),
        ("returned", "thiếu số liệu"),
        ("explanation_requested", "Giải trình?"),
        ("explanation_answered", "Đã bổ sung"),
    ] == [(e.kind, e.text if e.kind != "update" else None) for e in events]
