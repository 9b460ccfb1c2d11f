"""Recurring shifts across statutory holidays, 调休 days, month ends and unknown years."""

from __future__ import annotations

from datetime import date

import pytest

from wushe_desktop.infra.errors import ValidationError
from wushe_desktop.scheduling.recurrence import Rule, generate
from wushe_desktop.scheduling.workdays import WorkCalendar


def test_weekly_saturdays_skip_national_day_and_note_makeup_saturday() -> None:
    rule = Rule("weekly", date(2026, 9, 19), weekdays=(5,), until=date(2026, 10, 17))
    got = generate(rule, WorkCalendar())
    assert got.days == [date(2026, 9, 19), date(2026, 10, 10), date(2026, 10, 17)]
    assert got.skipped == [
        (date(2026, 9, 26), "2026年9月26日为法定节假日（中秋节），不排班"),
        (date(2026, 10, 3), "2026年10月3日为法定节假日（国庆节），不排班"),
    ]
    assert got.notes == ["2026年10月10日（周六）为调休上班日"]
    assert got.warnings == []


def test_holidays_kept_when_not_skipping() -> None:
    rule = Rule("weekly", date(2026, 9, 28), weekdays=(3,), count=2, skip_holidays=False)
    assert generate(rule, WorkCalendar()).days == [date(2026, 10, 1), date(2026, 10, 8)]


def test_every_two_weeks_tuesday_thursday_with_count() -> None:
    rule = Rule("weekly", date(2026, 3, 5), interval=2, weekdays=(1, 3), count=4)
    got = generate(rule, WorkCalendar())
    # The week of 3 March counts as week 0; Tuesday 3 March is before the start.
    assert got.days == [date(2026, 3, 5), date(2026, 3, 17), date(2026, 3, 19), date(2026, 3, 31)]


def test_count_counts_produced_shifts_not_skipped_days() -> None:
    # Thursdays from 24 Sept 2026: 1 Oct is 国庆 and skipped, yet three shifts are made.
    rule = Rule("weekly", date(2026, 9, 24), weekdays=(3,), count=3)
    got = generate(rule, WorkCalendar())
    assert got.days == [date(2026, 9, 24), date(2026, 10, 8), date(2026, 10, 15)]
    assert [d for d, _ in got.skipped] == [date(2026, 10, 1)]


def test_second_saturday_each_month_across_spring_festival() -> None:
    rule = Rule("monthly_weekday", date(2026, 1, 1), week_of_month=2, weekday=5, count=4)
    got = generate(rule, WorkCalendar())
    assert got.days == [date(2026, 1, 10), date(2026, 2, 14), date(2026, 3, 14), date(2026, 4, 11)]
    assert got.notes == ["2026年2月14日（周六）为调休上班日"]
    assert "每月第二个周六" in rule.describe()


def test_last_friday_and_missing_fifth_saturday() -> None:
    last = Rule("monthly_weekday", date(2026, 1, 1), week_of_month=-1, weekday=4, count=3)
    assert generate(last, WorkCalendar()).days == [
        date(2026, 1, 30),
        date(2026, 2, 27),
        date(2026, 3, 27),
    ]
    fifth = Rule(
        "monthly_weekday", date(2026, 1, 1), week_of_month=5, weekday=5, until=date(2026, 6, 30)
    )
    got = generate(fifth, WorkCalendar())
    assert got.days == [date(2026, 1, 31), date(2026, 5, 30)]
    assert [why for _, why in got.skipped] == [
        "2026年2月没有第五个周六",
        "2026年3月没有第五个周六",
        "2026年4月没有第五个周六",
        "2026年6月没有第五个周六",
    ]


def test_month_end_dates_are_skipped_not_moved() -> None:
    rule = Rule("monthly_day", date(2026, 1, 15), day_of_month=31, count=4)
    got = generate(rule, WorkCalendar())
    assert got.days == [date(2026, 1, 31), date(2026, 3, 31), date(2026, 5, 31), date(2026, 7, 31)]
    assert [why for _, why in got.skipped] == [
        "2026年2月没有31日",
        "2026年4月没有31日",
        "2026年6月没有31日",
    ]


def test_every_three_months_on_the_fifteenth() -> None:
    rule = Rule("monthly_day", date(2026, 11, 20), interval=3, day_of_month=15, count=2)
    got = generate(rule, WorkCalendar(station_days={date(2027, 2, 15): ("休", "春节")}))
    # 15 Nov is before the start; 15 Feb 2027 is off (the station's own calendar).
    assert got.days == [date(2027, 5, 15), date(2027, 8, 15)]
    assert got.skipped[0] == (date(2027, 2, 15), "2027年2月15日为法定节假日（春节），不排班")


def test_unknown_year_falls_back_to_weekdays_with_a_warning() -> None:
    cal = WorkCalendar()
    rule = Rule("weekly", date(2027, 9, 27), weekdays=(4,), count=2)
    got = generate(rule, cal)
    assert got.days == [date(2027, 10, 1), date(2027, 10, 8)]  # 国庆 unknown: kept
    assert got.warnings and "2027年的法定节假日安排尚未载入" in got.warnings[0]
    assert cal.is_workday(date(2027, 10, 1)) and not cal.is_workday(date(2027, 10, 2))


def test_station_entered_schedule_replaces_the_fallback() -> None:
    days = {date(2027, 10, d): ("休", "国庆节") for d in range(1, 8)}
    days[date(2027, 10, 9)] = ("班", "国庆调休")
    cal = WorkCalendar(station_days=days)
    got = generate(Rule("weekly", date(2027, 9, 27), weekdays=(4, 5), count=3), cal)
    assert got.days == [date(2027, 10, 8), date(2027, 10, 9), date(2027, 10, 15)]
    assert got.notes == ["2027年10月9日（周六）为调休上班日"]
    assert got.warnings == []


def test_working_days_count_makeup_days() -> None:
    cal = WorkCalendar()
    # After 30 Sept 2026: 国庆 1–7 Oct off, Saturday 10 Oct is a workday.
    assert cal.add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert cal.add_workdays(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert cal.add_workdays(date(2026, 9, 30), 10) == date(2026, 10, 20)


def test_rule_validation_and_json_round_trip() -> None:
    with pytest.raises(ValidationError, match="截止日期或次数"):
        Rule("weekly", date(2026, 1, 1), weekdays=(1,)).validate()
    with pytest.raises(ValidationError, match="至少选择一个星期几"):
        Rule("weekly", date(2026, 1, 1), count=3).validate()
    with pytest.raises(ValidationError, match="最长三年"):
        Rule("weekly", date(2026, 1, 1), weekdays=(1,), until=date(2030, 1, 1)).validate()
    rule = Rule("weekly", date(2026, 1, 1), interval=2, weekdays=(1, 3), until=date(2026, 6, 30))
    assert Rule.from_json(rule.to_json()) == rule
    assert (
        rule.describe()
        == "每2周的周二、周四，自2026年1月1日起，至2026年6月30日，逢法定节假日不排班"
    )
