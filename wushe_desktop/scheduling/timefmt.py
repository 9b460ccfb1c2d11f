"""Clock times as minutes of the day, and durations as hours for people to read."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from wushe_desktop.infra.errors import ValidationError
from wushe_desktop.volunteers.availability import WEEKDAY_NAMES

__all__ = ["cn_date", "day_label", "hours_text", "minute_text", "parse_clock", "span_text"]

_CLOCK = re.compile(r"^(\d{1,2})(?:[:：.点](\d{1,2})?)?分?$")


def parse_clock(text: str, *, field: str = "time") -> int:
    """``9:00``, ``09:30``, ``14点``, ``14点30`` → minutes since midnight (24:00 allowed)."""
    raw = unicodedata.normalize("NFKC", text or "").strip().replace("半", "30")
    match = _CLOCK.match(raw)
    if match is None:
        raise ValidationError(f"时间“{text}”无法识别，请写成 09:00 这样的格式。", field=field)
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        raise ValidationError(f"时间“{text}”不存在，请核对。", field=field)
    return hour * 60 + minute


def minute_text(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def span_text(start: int, end: int) -> str:
    return f"{minute_text(start)}–{minute_text(end)}"


def hours_text(minutes: int) -> str:
    """Minutes as hours with one decimal, half up at 0.05 h (DOMAIN-RULES §1.3): 100 → 1.7."""
    hours = (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{hours}"


def cn_date(day: date) -> str:
    """2026年3月5日 (no leading zeros, GB/T 9704)."""
    return f"{day.year}年{day.month}月{day.day}日"


def day_label(day: date) -> str:
    """3月5日（周四）."""
    return f"{day.month}月{day.day}日（{WEEKDAY_NAMES[day.weekday()]}）"
