"""Report periods: a month, quarter, half-year, year or any date range, and the periods a
report compares it with (previous period, same period last year, year to date).

Dates are local (China) calendar days, both ends inclusive, as every list filter in the app.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from enum import StrEnum

from wushe_desktop.infra.errors import ValidationError

__all__ = [
    "CHINA_TZ",
    "Period",
    "PeriodKind",
    "comparisons",
    "month_starts",
    "parse_month",
]

CHINA_TZ = timezone(timedelta(hours=8), "CST")


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"
    RANGE = "range"


_KIND_WORDS = {
    PeriodKind.MONTH: "月度",
    PeriodKind.QUARTER: "季度",
    PeriodKind.HALF: "半年度",
    PeriodKind.YEAR: "年度",
    PeriodKind.RANGE: "阶段",
}


def _month_end(year: int, month: int) -> date:
    following = date(year + (month == 12), month % 12 + 1, 1)
    return following - timedelta(days=1)


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


@dataclass(frozen=True, order=True)
class Period:
    """``start``..``end`` inclusive, and what kind of period it is (for labels and comparisons)."""

    start: date
    end: date
    kind: PeriodKind = PeriodKind.RANGE

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationError(
                f"截止日期 {self.end.isoformat()} 早于起始日期 {self.start.isoformat()}，请检查。",
                field="period",
            )

    # -- constructors -------------------------------------------------------------------
    @classmethod
    def month(cls, year: int, month: int) -> Period:
        if not 1 <= month <= 12:
            raise ValidationError(f"月份“{month}”无效，应为 1 至 12。", field="period")
        return cls(date(year, month, 1), _month_end(year, month), PeriodKind.MONTH)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        if not 1 <= quarter <= 4:
            raise ValidationError(f"季度“{quarter}”无效，应为 1 至 4。", field="period")
        first = 3 * (quarter - 1) + 1
        return cls(date(year, first, 1), _month_end(year, first + 2), PeriodKind.QUARTER)

    @classmethod
    def half(cls, year: int, half: int) -> Period:
        if half not in (1, 2):
            raise ValidationError(
                f"半年“{half}”无效，应为 1（上半年）或 2（下半年）。", field="period"
            )
        first = 1 if half == 1 else 7
        return cls(date(year, first, 1), _month_end(year, first + 5), PeriodKind.HALF)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), PeriodKind.YEAR)

    @classmethod
    def between(cls, start: date, end: date) -> Period:
        """A date range; a range that is exactly a calendar month/quarter/half/year gets that kind."""
        for candidate in _calendar_periods(start):
            if candidate.start == start and candidate.end == end:
                return candidate
        return cls(start, end, PeriodKind.RANGE)

    # -- facts ----------------------------------------------------------------------------
    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        """2026年1月, 2026年第一季度, 2026年上半年, 2026年, 2026年1—10月 (whole months),
        2026年1月5日至2026年2月3日."""
        s = self.start
        if self.kind is PeriodKind.MONTH:
            return f"{s.year}年{s.month}月"
        if self.kind is PeriodKind.QUARTER:
            return f"{s.year}年第{'一二三四'[(s.month - 1) // 3]}季度"
        if self.kind is PeriodKind.HALF:
            return f"{s.year}年{'上' if s.month == 1 else '下'}半年"
        if self.kind is PeriodKind.YEAR:
            return f"{s.year}年"
        e = self.end
        if s.day == 1 and (e + timedelta(days=1)).day == 1:  # whole months: 2026年1—10月
            if s.year == e.year:
                return f"{s.year}年{s.month}—{e.month}月"
            return f"{s.year}年{s.month}月—{e.year}年{e.month}月"
        return f"{_cn(self.start)}至{_cn(self.end)}"

    @property
    def report_title(self) -> str:
        """The report's title word: 月度/季度/半年度/年度/阶段 工作报告."""
        return f"{_KIND_WORDS[self.kind]}工作报告"

    @property
    def key(self) -> str:
        """A stable text key: 2026-01, 2026-Q1, 2026-H1, 2026, 2026-01-05..2026-02-03."""
        s = self.start
        if self.kind is PeriodKind.MONTH:
            return f"{s.year}-{s.month:02d}"
        if self.kind is PeriodKind.QUARTER:
            return f"{s.year}-Q{(s.month - 1) // 3 + 1}"
        if self.kind is PeriodKind.HALF:
            return f"{s.year}-H{1 if s.month == 1 else 2}"
        if self.kind is PeriodKind.YEAR:
            return f"{s.year}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """[start, end+1 day) as UTC instants of China midnights (for timestamp columns)."""
        lo = datetime.combine(self.start, time(), CHINA_TZ).astimezone(UTC)
        hi = datetime.combine(self.end + timedelta(days=1), time(), CHINA_TZ).astimezone(UTC)
        return lo, hi

    def previous(self) -> Period:
        """The period just before, of the same kind (a range: the same number of days)."""
        if self.kind is PeriodKind.RANGE:
            return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))
        months = {
            PeriodKind.MONTH: 1,
            PeriodKind.QUARTER: 3,
            PeriodKind.HALF: 6,
            PeriodKind.YEAR: 12,
        }[self.kind]
        y, m = _add_months(self.start.year, self.start.month, -months)
        y2, m2 = _add_months(self.end.year, self.end.month, -months)
        return Period(date(y, m, 1), _month_end(y2, m2), self.kind)

    def same_last_year(self) -> Period:
        """The same days one year earlier (29 February becomes 28 February)."""
        return Period(_year_back(self.start), _year_back(self.end), self.kind)

    def year_to_date(self) -> Period:
        """1 January of the end's year to the end (the 累计 column)."""
        return Period.between(date(self.end.year, 1, 1), self.end)

    def months(self) -> list[Period]:
        """The calendar months the period touches, each clipped to the period."""
        return [
            Period(max(p.start, self.start), min(p.end, self.end), p.kind)
            for p in (Period.month(s.year, s.month) for s in month_starts(self.start, self.end))
        ]

    @classmethod
    def parse(cls, text: str) -> Period:
        """2026-01 | 2026-Q1 | 2026-H1 | 2026 | 2026-01-05..2026-02-03 (the ``key`` forms)."""
        raw = text.strip()
        if ".." in raw:
            a, b = raw.split("..", 1)
            return cls.between(date.fromisoformat(a.strip()), date.fromisoformat(b.strip()))
        if m := re.fullmatch(r"(\d{4})-Q([1-4])", raw, re.IGNORECASE):
            return cls.quarter(int(m[1]), int(m[2]))
        if m := re.fullmatch(r"(\d{4})-H([12])", raw, re.IGNORECASE):
            return cls.half(int(m[1]), int(m[2]))
        if re.fullmatch(r"\d{4}", raw):
            return cls.year(int(raw))
        year, month = parse_month(raw)
        return cls.month(year, month)

    def as_json(self) -> dict[str, str]:
        return {
            "kind": self.kind.value,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "label": self.label,
        }

    @classmethod
    def from_json(cls, data: dict[str, str]) -> Period:
        return cls(
            date.fromisoformat(data["start"]),
            date.fromisoformat(data["end"]),
            PeriodKind(data["kind"]),
        )


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _year_back(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _calendar_periods(start: date) -> list[Period]:
    y, m = start.year, start.month
    found = [Period.month(y, m), Period.year(y)]
    if m in (1, 4, 7, 10):
        found.append(Period.quarter(y, (m - 1) // 3 + 1))
    if m in (1, 7):
        found.append(Period.half(y, 1 if m == 1 else 2))
    return found


def month_starts(start: date, end: date) -> list[date]:
    """First days of the months from ``start``'s month to ``end``'s month."""
    out = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append(date(y, m, 1))
        y, m = _add_months(y, m, 1)
    return out


def parse_month(text: str) -> tuple[int, int]:
    """ "2026-01", "2026-1", "2026/01", "202601" or "2026年1月" → (2026, 1)."""
    raw = text.strip()
    m = re.fullmatch(r"(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*月?", raw) or re.fullmatch(
        r"(\d{4})(\d{2})", raw
    )
    if not m or not 1 <= int(m[2]) <= 12:
        raise ValidationError(f"月份“{text}”无法识别，请写成 2026-01 这样的年-月。", field="month")
    return int(m[1]), int(m[2])


def comparisons(period: Period) -> list[tuple[str, Period]]:
    """The summary table's columns: (heading, period), the period itself first.

    A month: 本月 / 上月 / 去年同月 / 本年累计 (in January the same as 本月). Other kinds:
    本期 / 上期 / 去年同期 (not for a year: 上期 is last year) and, when the period lies within
    one year and is not the year to date itself, 本年累计.
    """
    month = period.kind is PeriodKind.MONTH
    columns = [
        ("本月" if month else "本期", period),
        ("上月" if month else "上期", period.previous()),
    ]
    if period.kind is not PeriodKind.YEAR:  # a year's previous period is last year already
        columns.append(("去年同月" if month else "去年同期", period.same_last_year()))
    ytd = period.year_to_date()
    if month or (period.start.year == period.end.year and ytd != period):
        columns.append(("本年累计", ytd))
    return columns
