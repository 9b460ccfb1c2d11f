"""Recurring shifts: a rule (weekly, every n weeks, monthly by weekday or by date) and the
concrete dates it gives, with statutory holidays skipped on request.

Pure: the working-day calendar is passed in. ``count`` counts the shifts produced (skipped
days do not use up the count); ``until`` is inclusive. A month without the asked day (a
fifth Saturday, the 31st) is skipped and reported, never moved to another day, because a
volunteer who reads "每月第五个周六" must not find a shift on the fourth.
"""

from __future__ import annotations

import calendar
import json
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Literal

from wushe_desktop.infra.errors import ValidationError
from wushe_desktop.scheduling.workdays import WorkCalendar
from wushe_desktop.volunteers.availability import WEEKDAY_NAMES

__all__ = ["MAX_OCCURRENCES", "MAX_SPAN_DAYS", "Occurrences", "Rule", "generate"]

Freq = Literal["weekly", "monthly_weekday", "monthly_day"]
MAX_OCCURRENCES = 400
MAX_SPAN_DAYS = 3 * 366
_ORDINALS = {1: "第一个", 2: "第二个", 3: "第三个", 4: "第四个", 5: "第五个", -1: "最后一个"}


@dataclass(frozen=True)
class Rule:
    freq: Freq
    starts_on: date
    interval: int = 1  # every n weeks (weekly) or n months (monthly)
    weekdays: tuple[int, ...] = ()  # weekly: 0 = Monday … 6 = Sunday
    week_of_month: int = 1  # monthly_weekday: 1–5, or -1 for the last
    weekday: int = 5  # monthly_weekday
    day_of_month: int = 1  # monthly_day: 1–31
    until: date | None = None
    count: int | None = None
    skip_holidays: bool = True

    def validate(self) -> None:
        if self.freq not in ("weekly", "monthly_weekday", "monthly_day"):
            raise ValidationError("重复方式无效。", field="freq")
        if not 1 <= self.interval <= 12:
            raise ValidationError("重复间隔应在 1～12 之间。", field="interval")
        if self.until is None and self.count is None:
            raise ValidationError("请填写重复的截止日期或次数。", field="until")
        if self.until is not None and self.until < self.starts_on:
            raise ValidationError("截止日期早于开始日期，请核对。", field="until")
        if self.until is not None and (self.until - self.starts_on).days > MAX_SPAN_DAYS:
            raise ValidationError("重复排班最长三年，请缩短截止日期。", field="until")
        if self.count is not None and not 1 <= self.count <= MAX_OCCURRENCES:
            raise ValidationError(f"重复次数应在 1～{MAX_OCCURRENCES} 之间。", field="count")
        if self.freq == "weekly" and (
            not self.weekdays or any(not 0 <= d <= 6 for d in self.weekdays)
        ):
            raise ValidationError("每周重复请至少选择一个星期几。", field="weekdays")
        if self.freq == "monthly_weekday" and (
            self.week_of_month not in _ORDINALS or not 0 <= self.weekday <= 6
        ):
            raise ValidationError("请选择每月第几个星期几。", field="week_of_month")
        if self.freq == "monthly_day" and not 1 <= self.day_of_month <= 31:
            raise ValidationError("每月日期应在 1～31 之间。", field="day_of_month")

    def describe(self) -> str:
        """The rule in words: 每2周的周二、周四，至2026年6月30日，逢法定节假日不排班."""
        if self.freq == "weekly":
            days = "、".join(WEEKDAY_NAMES[d] for d in sorted(set(self.weekdays)))
            head = f"每周{days}" if self.interval == 1 else f"每{self.interval}周的{days}"
        else:
            every = "每月" if self.interval == 1 else f"每{self.interval}个月"
            if self.freq == "monthly_weekday":
                head = f"{every}{_ORDINALS[self.week_of_month]}{WEEKDAY_NAMES[self.weekday]}"
            else:
                head = f"{every}{self.day_of_month}日"
        parts = [head, f"自{_cn(self.starts_on)}起"]
        if self.until is not None:
            parts.append(f"至{_cn(self.until)}")
        if self.count is not None:
            parts.append(f"共{self.count}次")
        if self.skip_holidays:
            parts.append("逢法定节假日不排班")
        return "，".join(parts)

    def to_json(self) -> str:
        data = asdict(self)
        for key in ("starts_on", "until"):
            data[key] = data[key].isoformat() if data[key] else None
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Rule:
        data = json.loads(text)
        data["starts_on"] = date.fromisoformat(data["starts_on"])
        data["until"] = date.fromisoformat(data["until"]) if data.get("until") else None
        data["weekdays"] = tuple(data.get("weekdays") or ())
        return cls(**data)


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass
class Occurrences:
    days: list[date] = field(default_factory=list)
    skipped: list[tuple[date, str]] = field(default_factory=list)  # (day, why)
    notes: list[str] = field(default_factory=list)  # e.g. a 调休 Saturday
    warnings: list[str] = field(default_factory=list)  # the calendar's fallback notes


def _weekly(rule: Rule) -> list[tuple[date, str | None]]:
    monday = rule.starts_on - timedelta(days=rule.starts_on.weekday())
    days = sorted(set(rule.weekdays))
    out: list[tuple[date, str | None]] = []
    week = 0
    while len(out) < MAX_OCCURRENCES * 2:
        start = monday + timedelta(weeks=week * rule.interval)
        if (start - rule.starts_on).days > MAX_SPAN_DAYS:
            break
        out.extend(
            (start + timedelta(days=d), None)
            for d in days
            if start + timedelta(days=d) >= rule.starts_on
        )
        week += 1
    return out


def _months(rule: Rule) -> list[tuple[int, int]]:
    year, month = rule.starts_on.year, rule.starts_on.month
    months = []
    for _ in range(MAX_SPAN_DAYS // 28 + 1):
        months.append((year, month))
        month += rule.interval
        while month > 12:
            year, month = year + 1, month - 12
    return months


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date | None:
    days_in = calendar.monthrange(year, month)[1]
    candidates = [
        date(year, month, d)
        for d in range(1, days_in + 1)
        if date(year, month, d).weekday() == weekday
    ]
    if nth == -1:
        return candidates[-1]
    return candidates[nth - 1] if nth <= len(candidates) else None


def _monthly(rule: Rule) -> list[tuple[date, str | None]]:
    """(day, None) for each month's date, or (first of month, why) when the month lacks it."""
    out: list[tuple[date, str | None]] = []
    for year, month in _months(rule):
        if rule.freq == "monthly_weekday":
            day = _nth_weekday(year, month, rule.weekday, rule.week_of_month)
            if day is None:
                why = f"{year}年{month}月没有{_ORDINALS[rule.week_of_month]}{WEEKDAY_NAMES[rule.weekday]}"
                out.append((date(year, month, 1), why))
                continue
        else:
            if rule.day_of_month > calendar.monthrange(year, month)[1]:
                out.append((date(year, month, 1), f"{year}年{month}月没有{rule.day_of_month}日"))
                continue
            day = date(year, month, rule.day_of_month)
        if day >= rule.starts_on:
            out.append((day, None))
    return out


def generate(rule: Rule, cal: WorkCalendar) -> Occurrences:
    """The rule's dates in order, with skipped days and their reasons."""
    rule.validate()
    result = Occurrences()
    candidates = _weekly(rule) if rule.freq == "weekly" else _monthly(rule)
    for day, missing in candidates:
        if rule.until is not None and day > rule.until:
            break
        if rule.count is not None and len(result.days) >= rule.count:
            break
        if missing is not None:
            result.skipped.append((day, missing))
            continue
        holiday = cal.holiday_name(day)
        if rule.skip_holidays and holiday is not None:
            result.skipped.append((day, f"{_cn(day)}为法定节假日（{holiday}），不排班"))
            continue
        if cal.is_makeup_workday(day):
            result.notes.append(f"{_cn(day)}（{WEEKDAY_NAMES[day.weekday()]}）为调休上班日")
        result.days.append(day)
    result.warnings = cal.warnings()
    return result
