"""The one rounding rule, hour display, star thresholds and membership months."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from wushe_desktop.scheduling.hours import actual_minutes, credit_minutes, is_late
from wushe_desktop.scheduling.stats import months_between, star_eligible
from wushe_desktop.scheduling.timefmt import hours_text, parse_clock
from wushe_desktop.scheduling.workdays import WorkCalendar
from wushe_desktop.volunteers.settings import VolunteerRules

RULES = VolunteerRules()


def test_actual_minutes_drop_seconds() -> None:
    start = datetime(2026, 3, 14, 1, 2, 30, tzinfo=UTC)
    assert actual_minutes(start, datetime(2026, 3, 14, 3, 31, 29, tzinfo=UTC)) == 148
    assert actual_minutes(start, datetime(2026, 3, 14, 3, 32, 30, tzinfo=UTC)) == 150
    assert actual_minutes(start, start) == 0


@pytest.mark.parametrize(
    ("actual", "step", "credited"),
    [
        (149, 1, 149),
        (149, 5, 145),
        (149, 15, 135),
        (150, 15, 150),
        (14, 15, 0),
        (0, 1, 0),
        (-5, 1, 0),
    ],
)
def test_credit_rounds_down_to_the_step(actual: int, step: int, credited: int) -> None:
    assert credit_minutes(actual, VolunteerRules(rounding_minutes=step)) == credited


def test_credit_is_capped_per_day() -> None:
    assert credit_minutes(13 * 60, RULES) == 12 * 60
    assert credit_minutes(13 * 60, VolunteerRules(daily_cap_minutes=8 * 60)) == 8 * 60


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(0, "0.0"), (1, "0.0"), (3, "0.1"), (90, "1.5"), (100, "1.7"), (149, "2.5"), (6000, "100.0")],
)
def test_hours_shown_with_one_decimal_half_up(minutes: int, text: str) -> None:
    assert hours_text(minutes) == text


def test_parse_clock() -> None:
    assert (
        parse_clock("9:00") == 540 and parse_clock("14点半") == 870 and parse_clock("24:00") == 1440
    )
    assert parse_clock("８：３０") == 510


@pytest.mark.parametrize(
    ("hours", "level"),
    [
        (0, 0),
        (99.99, 0),
        (100, 1),
        (299.99, 1),
        (300, 2),
        (600, 3),
        (999.99, 3),
        (1000, 4),
        (1500, 5),
        (5000, 5),
    ],
)
def test_star_levels_at_thresholds(hours: float, level: int) -> None:
    minutes = round(hours * 60)
    assert star_eligible(minutes, date(2010, 1, 1), date(2026, 1, 1), RULES) == level


def test_one_minute_short_of_a_threshold_is_not_enough() -> None:
    assert star_eligible(100 * 60 - 1, date(2010, 1, 1), date(2026, 1, 1), RULES) == 0


def test_minimum_membership_months() -> None:
    rules = VolunteerRules(star_months=(6, 6, 12, 12, 12))
    joined = date(2026, 1, 15)
    assert months_between(joined, date(2026, 7, 14)) == 5
    assert star_eligible(400 * 60, joined, date(2026, 7, 14), rules) == 0
    assert star_eligible(400 * 60, joined, date(2026, 7, 15), rules) == 2
    assert star_eligible(700 * 60, joined, date(2026, 7, 15), rules) == 2  # 三星 needs 12 months
    assert star_eligible(700 * 60, joined, date(2027, 1, 15), rules) == 3


def test_custom_thresholds() -> None:
    rules = VolunteerRules(star_hours=(10, 20, 30, 40, 50))
    assert star_eligible(35 * 60, None, date(2026, 1, 1), rules) == 3


def test_record_deadline_counts_working_days() -> None:
    cal = WorkCalendar()
    served = date(2026, 9, 30)  # 国庆 follows; Saturday 10 Oct is a make-up workday
    assert not is_late(served, date(2026, 10, 20), cal, RULES)
    assert is_late(served, date(2026, 10, 21), cal, RULES)
