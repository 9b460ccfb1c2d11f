"""Report periods (pure: no database) and their comparison columns."""

from __future__ import annotations

from datetime import date

import pytest

from wushe_desktop.infra.errors import ValidationError
from wushe_desktop.reports.periods import Period, PeriodKind, comparisons, parse_month


def test_kinds_labels_and_keys() -> None:
    assert Period.month(2026, 2).end == date(2026, 2, 28)
    assert Period.month(2024, 2).end == date(2024, 2, 29)
    assert Period.quarter(2026, 4) == Period(
        date(2026, 10, 1), date(2026, 12, 31), PeriodKind.QUARTER
    )
    assert Period.half(2026, 2).label == "2026年下半年"
    assert Period.quarter(2026, 1).label == "2026年第一季度"
    assert Period.year(2026).key == "2026"
    assert Period.between(date(2026, 1, 1), date(2026, 3, 31)).kind is PeriodKind.QUARTER
    assert Period.between(date(2026, 1, 1), date(2026, 1, 31)).kind is PeriodKind.MONTH
    assert Period.between(date(2026, 1, 1), date(2026, 10, 31)).label == "2026年1—10月"
    assert Period.between(date(2026, 1, 5), date(2026, 2, 3)).label == "2026年1月5日至2026年2月3日"
    for text in ("2026-01", "2026-Q3", "2026-H2", "2026", "2026-01-05..2026-02-03"):
        assert Period.parse(text).key == text
    assert parse_month("2026年3月") == (2026, 3)
    assert parse_month("202603") == (2026, 3)
    with pytest.raises(ValidationError):
        parse_month("2026-13")
    with pytest.raises(ValidationError):
        Period(date(2026, 2, 1), date(2026, 1, 1))


def test_previous_same_last_year_and_months() -> None:
    march = Period.month(2026, 3)
    assert march.previous() == Period.month(2026, 2)
    assert Period.month(2026, 1).previous() == Period.month(2025, 12)
    assert Period.quarter(2026, 1).previous() == Period.quarter(2025, 4)
    leap = Period.between(date(2024, 2, 29), date(2024, 3, 10))
    assert leap.same_last_year().start == date(2023, 2, 28)
    assert Period.between(date(2026, 1, 10), date(2026, 1, 19)).previous() == Period.between(
        date(2025, 12, 31), date(2026, 1, 9)
    )
    assert [m.start.month for m in Period.quarter(2026, 2).months()] == [4, 5, 6]
    part = Period.between(date(2026, 1, 15), date(2026, 2, 10)).months()
    assert (part[0].start, part[-1].end) == (date(2026, 1, 15), date(2026, 2, 10))
    start, end = march.utc_bounds()
    assert (start.hour, end.hour) == (16, 16)  # China midnights in UTC


def test_comparison_columns() -> None:
    heads = [h for h, _ in comparisons(Period.month(2026, 3))]
    assert heads == ["本月", "上月", "去年同月", "本年累计"]
    assert [h for h, _ in comparisons(Period.quarter(2026, 2))] == [
        "本期",
        "上期",
        "去年同期",
        "本年累计",
    ]
    assert [h for h, _ in comparisons(Period.quarter(2026, 1))] == ["本期", "上期", "去年同期"]
    assert [h for h, _ in comparisons(Period.year(2026))] == ["本期", "上期"]
