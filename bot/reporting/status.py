"""The status of one (agency, indicator) pair of the current plan: the rule and its words.

The rule lives here and nowhere else (README, "Status of an indicator", describes it); the board
of every pair (:mod:`bot.reporting.board`) applies it, and the report, the chat summary, the focal
digest and the web console all read that board, so the numbers they show are the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.app.config import Settings
from bot.app.i18n import N_
from bot.delivery.deadline_items import DeadlineItem
from storage.tracking.review import Confirmed

OVERDUE, AT_RISK, NOT_REPORTED, ON_TRACK, DONE = (
    "overdue",
    "at_risk",
    "not_reported",
    "on_track",
    "done",
)
ORDER = (OVERDUE, AT_RISK, NOT_REPORTED, ON_TRACK, DONE)  # red first
RANK = {s: i for i, s in enumerate(ORDER)}
COLOURS = {OVERDUE: "red", AT_RISK: "amber", NOT_REPORTED: "grey", ON_TRACK: "green", DONE: "blue"}
HEX = {
    OVERDUE: "D9534F",
    AT_RISK: "F0AD4E",
    NOT_REPORTED: "BDBDBD",
    ON_TRACK: "5CB85C",
    DONE: "428BCA",
}
LABELS = {
    OVERDUE: N_("Overdue"),
    AT_RISK: N_("At risk"),
    NOT_REPORTED: N_("Not reported"),
    ON_TRACK: N_("On track"),
    DONE: N_("Done (confirmed)"),
}
# why a pair has its status
MISSED, NEAR, STALE, BLOCKED, NO_REPORT, REPORTED, CONFIRMED_DONE = (
    "deadline_missed",
    "deadline_near",
    "stale",
    "blocked",
    "no_report",
    "reported",
    "done",
)


@dataclass(frozen=True)
class StatusRules:
    stale_days: int = (
        30  # days without a report before at risk; also how early a report may meet a deadline
    )
    at_risk_days: int = 7  # days before a deadline when low progress is at risk
    at_risk_percent: int = (
        80  # confirmed progress below this, that close to a deadline, is at risk
    )

    @staticmethod
    def from_settings(settings: Settings) -> StatusRules:
        return StatusRules(
            settings.status_stale_days,
            settings.status_at_risk_days,
            settings.status_at_risk_percent,
        )


@dataclass(frozen=True)
class Verdict:
    status: str
    reason: str
    deadline: DeadlineItem | None  # the missed deadline, else the next one ahead
    days_since_report: int | None


def classify(
    rules: StatusRules,
    today: date,
    last_report: date | None,
    confirmed: Confirmed | None,
    deadlines: Sequence[DeadlineItem],
) -> Verdict:
    """The status of one pair. ``last_report``: local date of its latest standing update (awaiting
    or confirmed); ``confirmed``: its latest confirmed update; ``deadlines``: those that apply to
    it.
    """
    days = (today - last_report).days if last_report is not None else None
    ahead = sorted((d for d in deadlines if d.due >= today), key=lambda d: d.due)
    upcoming = ahead[0] if ahead else None
    if confirmed is not None and confirmed.status == "done":
        return Verdict(DONE, CONFIRMED_DONE, upcoming, days)
    window = timedelta(days=rules.stale_days)
    missed = [
        d
        for d in deadlines
        if d.due < today and (last_report is None or last_report < d.due - window)
    ]
    if missed:
        return Verdict(OVERDUE, MISSED, max(missed, key=lambda d: d.due), days)
    near = (
        upcoming
        if upcoming is not None and (upcoming.due - today).days <= rules.at_risk_days
        else None
    )
    if last_report is None:
        return (
            Verdict(AT_RISK, NEAR, near, None)
            if near
            else Verdict(NOT_REPORTED, NO_REPORT, upcoming, None)
        )
    if confirmed is not None and confirmed.status == "blocked":
        return Verdict(AT_RISK, BLOCKED, upcoming, days)
    if days is not None and days > rules.stale_days:
        return Verdict(AT_RISK, STALE, upcoming, days)
    percent = confirmed.percent if confirmed is not None and confirmed.percent is not None else 0
    if near is not None and percent < rules.at_risk_percent:
        return Verdict(AT_RISK, NEAR, near, days)
    return Verdict(ON_TRACK, REPORTED, upcoming, days)
