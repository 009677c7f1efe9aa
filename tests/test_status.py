"""The status rule of an (agency, indicator) pair: each colour and each boundary, and the board
built from it.

Rules used throughout: stale after 30 days, at risk within 7 days of a deadline below 80 %.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.app.config import Settings
from bot.app.setting_values import ConfigError
from bot.core.audience import Audience
from bot.delivery.deadline_items import DeadlineItem
from bot.reporting.board import load_board
from bot.reporting.status import (
    AT_RISK,
    BLOCKED,
    COLOURS,
    DONE,
    MISSED,
    NEAR,
    NOT_REPORTED,
    ON_TRACK,
    ORDER,
    OVERDUE,
    STALE,
    StatusRules,
    classify,
)
from storage.schedule import deadlines as deadline_store
from storage.tracking import progress as progress_store
from storage.tracking import review
from storage.tracking.review import Confirmed

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
RULES = StatusRules(stale_days=30, at_risk_days=7, at_risk_percent=80)
TODAY = date(2026, 6, 10)
EVERYONE = Audience.everyone()


def _due(days: int) -> DeadlineItem:
    return DeadlineItem(f"db:{days}", "Báo cáo", TODAY + timedelta(days=days), EVERYONE)


def _confirmed(status: str = "in_progress", percent: int | None = 50) -> Confirmed:
    return Confirmed(1, status, percent, None, datetime(2026, 6, 1, tzinfo=UTC), "Lan")


def _status(last_days_ago: int | None, confirmed=None, deadlines=()) -> tuple[str, str]:
    last = TODAY - timedelta(days=last_days_ago) if last_days_ago is not None else None
    v = classify(RULES, TODAY, last, confirmed, list(deadlines))
    return v.status, v.reason


def test_colours_and_order():
    """Red first: overdue, at risk, not reported, on track, done — red, amber, grey, green,
    blue."""
    assert ["red", "amber", "grey", "green", "blue"] == [COLOURS[s] for s in ORDER]


def test_nothing_reported_and_no_deadline_is_grey():
    assert (NOT_REPORTED, "no_report") == _status(None)


def test_a_confirmed_done_update_is_blue_even_past_a_deadline():
    assert (DONE, "done") == _status(60, _confirmed("done", 100), [_due(-5)])


def test_an_unconfirmed_done_is_not_blue():
    """Only a confirmed update decides "done": an awaiting one leaves the pair on track."""
    assert ON_TRACK == _status(1, None)[0]


def test_a_deadline_passed_without_a_report_is_red():
    assert (OVERDUE, MISSED) == _status(None, None, [_due(-1)])


def test_on_the_due_date_it_is_not_overdue_yet():
    """The due date itself still counts as ahead: amber (close, nothing reported), not red."""
    assert (AT_RISK, NEAR) == _status(None, None, [_due(0)])


@pytest.mark.parametrize(
    ("reported_before_due", "expected"), [(30, (AT_RISK, STALE)), (31, (OVERDUE, MISSED))]
)
def test_a_report_within_the_window_before_a_deadline_meets_it(reported_before_due, expected):
    """A report up to PGI_STATUS_STALE_DAYS before the deadline meets it (the pair is then only
    stale); one day earlier does not."""
    due = _due(-2)
    last = due.due - timedelta(days=reported_before_due)
    v = classify(RULES, TODAY, last, _confirmed(percent=90), [due])
    assert expected == (v.status, v.reason)


def test_a_late_report_clears_overdue():
    """A report after the deadline means the work came in: no longer red."""
    assert ON_TRACK == _status(1, _confirmed(), [_due(-10)])[0]


@pytest.mark.parametrize(("days_ago", "expected"), [(30, ON_TRACK), (31, AT_RISK)])
def test_stale_boundary(days_ago, expected):
    """More than 30 days since the last report is amber; exactly 30 is still green."""
    status, reason = _status(days_ago, _confirmed())
    assert expected == status
    if status == AT_RISK:
        assert STALE == reason


def test_difficulties_reported_are_amber():
    assert (AT_RISK, BLOCKED) == _status(1, _confirmed("blocked"))


@pytest.mark.parametrize(
    ("days_to_due", "percent", "expected"),
    [(7, 79, AT_RISK), (8, 79, ON_TRACK), (7, 80, ON_TRACK), (0, 10, AT_RISK)],
)
def test_near_deadline_boundaries(days_to_due, percent, expected):
    """Within 7 days of a deadline (inclusive) and below 80 % (exclusive) is amber."""
    assert expected == _status(1, _confirmed(percent=percent), [_due(days_to_due)])[0]


def test_reported_but_not_confirmed_counts_as_zero_percent_near_a_deadline():
    assert (AT_RISK, NEAR) == _status(1, None, [_due(3)])


def test_nothing_reported_near_a_deadline_is_amber_and_far_from_it_grey():
    assert AT_RISK == _status(None, None, [_due(7)])[0]
    assert NOT_REPORTED == _status(None, None, [_due(8)])[0]


def test_thresholds_come_from_the_environment():
    s = Settings.from_env(
        {
            "PGI_STATUS_STALE_DAYS": "14",
            "PGI_STATUS_AT_RISK_DAYS": "3",
            "PGI_STATUS_AT_RISK_PERCENT": "50",
        }
    )
    assert StatusRules(14, 3, 50) == StatusRules.from_settings(s)
    with pytest.raises(ConfigError):
        Settings.from_env({"PGI_STATUS_AT_RISK_PERCENT": "150"})


# --- the board on the shipped knowledge base ----------------------------------------------------


def _post(s, agency_id, agency_name, code, at, percent=50, status="in_progress", confirm=True):
    u = progress_store.add(
        s,
        author_id=1,
        author_name="A",
        agency_id=agency_id,
        agency_name=agency_name,
        plan_id="plan-18-2026",
        indicator_code=code,
        kb_version_id=1,
        status=status,
        percent=percent,
        created_at=at,
    )
    if confirm:
        review.confirm(s, u.id, 99, at)
    return u


def _pair(board, agency_id, code):
    return next(p for p in board.pairs if p.agency.id == agency_id and p.indicator.code == code)


def test_board_uses_confirmed_updates_deadlines_by_audience_and_sorts_red_first(services):
    """A deadline for the lead agencies of 1.5 makes 1.5 red for its leads only; a commune known
    from its update is on the board with the indicators of "UBND các xã, phường"; red pairs come
    first."""
    active = services.knowledge.current
    at = datetime(2026, 6, 5, 3, 0, tzinfo=UTC)
    with services.db.session() as s:
        _post(s, "so-xay-dung", "Sở Xây dựng", "1.13", at, percent=90)
        _post(
            s, "commune:dong-kinh", "UBND phường Đông Kinh", "1.1", at, status="done", percent=100
        )
        deadline_store.add(
            s, "Báo cáo 1.5", date(2026, 6, 1), Audience.role("lead", "1.5").spec, 99
        )
    with services.db.session() as s:
        board = load_board(s, active, RULES, TODAY, TZ)
    assert OVERDUE == _pair(board, "so-xay-dung", "1.5").status
    assert ON_TRACK == _pair(board, "so-xay-dung", "1.13").status
    assert (
        NOT_REPORTED == _pair(board, "so-cong-thuong", "1.13").status
    )  # the deadline is for 1.5's leads only
    assert DONE == _pair(board, "commune:dong-kinh", "1.1").status
    ranks = [ORDER.index(p.status) for p in board.pairs]
    assert sorted(ranks) == ranks
    assert board.pairs[0].status == OVERDUE


def test_board_ignores_deadlines_from_before_the_current_plan(services):
    """The 2024 plan's deadlines (10/12/2024, 20/12/2024) do not make the 2026 plan's indicators
    red."""
    with services.db.session() as s:
        board = load_board(s, services.knowledge.current, RULES, TODAY, TZ)
    assert 0 == board.tally().count(OVERDUE)
    assert all(d.due >= date(2026, 1, 21) for d in board.deadlines)


def test_the_indicator_row_takes_the_worst_lead_status(services):
    at = datetime(2026, 6, 5, 3, 0, tzinfo=UTC)
    with services.db.session() as s:
        _post(s, "so-xay-dung", "Sở Xây dựng", "1.5", at, percent=60)
        _post(
            s,
            "so-nnmt",
            "Sở Nông nghiệp và Môi trường",
            "1.5",
            at - timedelta(days=40),
            percent=20,
        )
    with services.db.session() as s:
        board = load_board(s, services.knowledge.current, replace(RULES), TODAY, TZ)
    row = next(r for r in board.rows("1") if r.indicator.code == "1.5")
    assert AT_RISK == row.status  # Sở NN&MT's report is 40 days old
    assert "so-xay-dung" == row.latest.agency.id  # the most recent confirmed update
