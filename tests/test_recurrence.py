"""Recurring deadlines' rules and the Vietnamese phrase that says them (bot/core/recurrence.py):
occurrences of each kind, short months, end dates, and clear messages for what cannot be used."""

from __future__ import annotations

from datetime import date

import pytest

from bot.app.i18n import Translations
from bot.core.recurrence import (
    LAST_DAY,
    MONTHLY,
    QUARTERLY,
    YEARLY,
    Recurrence,
    parse_when,
    split_occurrence,
)
from bot.core.validate_input import BadInput, parse_deadline_key

TODAY = date(2026, 12, 2)
VI = Translations().get("vi")
EN = Translations().get("en")


def when(text: str, tr=EN):
    return parse_when(tr, text, TODAY)


def test_monthly_on_the_20th_gives_one_date_a_month():
    """ "hằng tháng ngày 20" from 02/12/2026: the 20th of December, January, February and March."""
    rule = when("hằng tháng ngày 20").recurrence
    assert [
        date(2026, 12, 20),
        date(2027, 1, 20),
        date(2027, 2, 20),
        date(2027, 3, 20),
    ] == rule.between(TODAY, date(2027, 3, 31))


def test_the_31st_falls_on_the_last_day_of_shorter_months():
    """Monthly on the 31st: 31/01, 28/02 (29/02 in the leap year 2028), 31/03, 30/04."""
    rule = Recurrence(MONTHLY, 31, 0, date(2027, 1, 1))
    assert [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
    ] == rule.between(date(2027, 1, 1), date(2027, 4, 30))
    assert [date(2028, 2, 29)] == rule.between(date(2028, 2, 1), date(2028, 2, 29))


def test_the_last_day_of_the_month():
    """ "ngày cuối tháng" is the month's last day, whatever its length."""
    rule = when("hang thang ngay cuoi thang").recurrence
    assert (LAST_DAY, [date(2026, 12, 31), date(2027, 1, 31), date(2027, 2, 28)]) == (
        rule.day,
        rule.between(TODAY, date(2027, 2, 28)),
    )


def test_quarterly_without_a_day_is_the_last_day_of_each_quarter():
    """ "hang quy": 31/12, 31/03, 30/06, 30/09."""
    rule = when("hang quy").recurrence
    assert (
        QUARTERLY,
        [date(2026, 12, 31), date(2027, 3, 31), date(2027, 6, 30), date(2027, 9, 30)],
    ) == (
        rule.kind,
        rule.between(TODAY, date(2027, 9, 30)),
    )


def test_quarterly_on_a_day_is_that_day_of_the_quarters_last_month():
    """ "hằng quý ngày 20": 20/12, 20/03, 20/06."""
    assert [date(2026, 12, 20), date(2027, 3, 20), date(2027, 6, 20)] == when(
        "hằng quý ngày 20"
    ).recurrence.between(TODAY, date(2027, 6, 30))


def test_quarterly_on_a_date_repeats_it_every_three_months():
    """ "hằng quý 15/01": 15/01, 15/04, 15/07, 15/10."""
    assert [date(2027, 1, 15), date(2027, 4, 15), date(2027, 7, 15), date(2027, 10, 15)] == when(
        "hằng quý 15/01"
    ).recurrence.between(TODAY, date(2027, 12, 31))


def test_yearly_with_an_end_date_stops_there():
    """ "hằng năm 31/12 đến 31/12/2027": 31/12/2026 and 31/12/2027, nothing after."""
    rule = when("hằng năm 31/12 đến 31/12/2027").recurrence
    assert (YEARLY, date(2027, 12, 31), [date(2026, 12, 31), date(2027, 12, 31)]) == (
        rule.kind,
        rule.until,
        rule.between(TODAY, date(2030, 12, 31)),
    )
    assert rule.next_on_or_after(date(2028, 1, 1)) is None


def test_yearly_on_29_february_is_28_february_in_common_years():
    """29/02 exists in leap years only; in the others the deadline is 28/02."""
    rule = when("hằng năm 29/02").recurrence
    assert [date(2027, 2, 28), date(2028, 2, 29), date(2029, 2, 28)] == rule.between(
        TODAY, date(2029, 12, 31)
    )


def test_start_and_end_bound_the_occurrences():
    """ "từ 01/03/2027 đến 30/06/2027": only March to June."""
    w = when("hằng tháng ngày 10 từ 01/03/2027 đến 30/06/2027")
    assert (
        date(2027, 3, 10),
        [date(2027, 3, 10), date(2027, 4, 10), date(2027, 5, 10), date(2027, 6, 10)],
    ) == (
        w.due,
        w.recurrence.between(TODAY, date(2030, 1, 1)),
    )


@pytest.mark.parametrize(
    "typed",
    [
        "hằng tháng ngày 20",
        "hang thang ngay 20",
        "HÀNG THÁNG NGÀY 20",
        "mỗi tháng ngày 20",
        "monthly on the 20th",
        "hang thang 20",
    ],
)
def test_the_phrase_with_or_without_diacritics_means_the_same(typed):
    """Diacritics, case, "hàng"/"mỗi" and English give the same rule."""
    assert Recurrence(MONTHLY, 20, 0, TODAY) == when(typed).recurrence


def test_a_plain_date_is_a_one_off_deadline():
    """dd/mm/yyyy alone is the one date rule of the project (no recurrence)."""
    assert (date(2026, 12, 15), None) == (when("15/12/2026").due, when("15/12/2026").recurrence)


@pytest.mark.parametrize(
    ("typed", "msgid", "fields"),
    [
        (
            "hằng năm 31/02",
            "“{text}” is not a day of the year; write it as dd/mm, e.g. 31/12.",
            {"text": "31/02"},
        ),
        (
            "hằng năm 31/12/9999",
            "{date} is outside the years {first}–{last}; check the year.",
            {"date": "31/12/9999", "first": 2000, "last": 2100},
        ),
        (
            "hằng tháng ngày 20 đến 31/12/9999",
            "{date} is outside the years {first}–{last}; check the year.",
            {"date": "31/12/9999", "first": 2000, "last": 2100},
        ),
        (
            "hang thang ngay 32",
            "A month has no day {n}; give a day from 1 to 31, or “ngày cuối tháng”.",
            {"n": 32},
        ),
        (
            "hằng tháng",
            (
                "Say which day of the month: e.g. “hằng tháng ngày 20” or “hằng tháng ngày cuối"
                " tháng”."
            ),
            {},
        ),
        ("hằng năm", "Say the day and month of a yearly deadline: e.g. “hằng năm 31/12”.", {}),
        (
            "đến 31/12/2027",
            "“từ” and “đến” go with a recurrence: write e.g. “hằng tháng ngày 20 đến 31/12/2027”.",
            {},
        ),
        (
            "hằng tháng ngày 20 trừ tết",
            (
                "I do not understand “{words}” in the recurrence. Write e.g. “hằng tháng ngày 20”,"
                " “hằng quý”, “hằng năm 31/12”, optionally with “đến 31/12/2027”."
            ),
            {"words": "tru tet"},
        ),
    ],
)
def test_what_cannot_be_used_gets_a_clear_message(typed, msgid, fields):
    """Each mistake is named, in Vietnamese, with what to write instead."""
    with pytest.raises(BadInput) as caught:
        parse_when(VI, typed, TODAY)
    assert VI.gettext(msgid).format(**fields) == str(caught.value)


def test_an_end_before_the_start_is_refused():
    """ "từ 01/06/2027 đến 01/03/2027" names both dates."""
    with pytest.raises(BadInput) as caught:
        parse_when(VI, "hằng tháng ngày 10 từ 01/06/2027 đến 01/03/2027", TODAY)
    assert VI.gettext("The end {end} is before the start {start}.").format(
        end="01/03/2027", start="01/06/2027"
    ) == str(caught.value)


def test_occurrence_keys_carry_the_date_and_parse_as_their_series():
    """ "db:12@2027-01-20" is occurrence 20/01/2027 of deadline 12; a forged date is not a key."""
    assert ("db:12", date(2027, 1, 20)) == split_occurrence("db:12@2027-01-20")
    assert ("db", 12) == parse_deadline_key("db:12@2027-01-20")
    assert [None, None, None] == [
        parse_deadline_key(k) for k in ("db:12@2027-02-31", "db:12@9999-01-01", "db:12@x")
    ]
