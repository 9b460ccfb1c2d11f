"""The weekly availability grid: 7 weekdays × 上午/下午/晚上 as a 21-bit integer.

Bit ``weekday * 3 + slot`` (weekday 0 = Monday; slot 0 上午 before 12:00, 1 下午 12:00–18:00,
2 晚上 from 18:00) is set when the volunteer can usually serve then. One integer column
compares in SQL and in Python without a join, and the text form reads like a roster
("周一全天、周三晚上"), so the Excel column round-trips.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from wushe_desktop.infra.errors import ValidationError

__all__ = [
    "ALL_SLOTS",
    "SLOT_BOUNDS",
    "SLOT_NAMES",
    "WEEKDAY_NAMES",
    "availability_text",
    "bit",
    "parse_availability",
    "shift_slots",
    "slots_text",
]

ALL_SLOTS = (1 << 21) - 1
WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
SLOT_NAMES = ("上午", "下午", "晚上")
#: Minutes of the day each slot covers: [start, end).
SLOT_BOUNDS = ((0, 12 * 60), (12 * 60, 18 * 60), (18 * 60, 24 * 60))
_ALL_WORDS = frozenset({"全部", "全部时段", "不限", "均可", "随时", "全天"})
_DAY_ALIASES = {
    "周一": (0,),
    "星期一": (0,),
    "周二": (1,),
    "星期二": (1,),
    "周三": (2,),
    "星期三": (2,),
    "周四": (3,),
    "星期四": (3,),
    "周五": (4,),
    "星期五": (4,),
    "周六": (5,),
    "星期六": (5,),
    "周日": (6,),
    "周天": (6,),
    "星期日": (6,),
    "星期天": (6,),
    "工作日": (0, 1, 2, 3, 4),
    "周末": (5, 6),
    "每天": (0, 1, 2, 3, 4, 5, 6),
}
_SLOT_ALIASES = {
    "上午": (0,),
    "早上": (0,),
    "下午": (1,),
    "晚上": (2,),
    "晚间": (2,),
    "全天": (0, 1, 2),
    "": (0, 1, 2),
}
_ITEM = re.compile(
    r"^(" + "|".join(sorted(_DAY_ALIASES, key=len, reverse=True)) + r")"
    r"(" + "|".join(sorted((k for k in _SLOT_ALIASES if k), key=len, reverse=True)) + r")?$"
)
_SPLIT = re.compile(r"[、，,；;\s/]+")


def bit(weekday: int, slot: int) -> int:
    return 1 << (weekday * 3 + slot)


def shift_slots(weekday: int, start_minute: int, end_minute: int) -> int:
    """The grid bits a shift touches on its weekday (every slot it overlaps)."""
    mask = 0
    for slot, (lo, hi) in enumerate(SLOT_BOUNDS):
        if start_minute < hi and end_minute > lo:
            mask |= bit(weekday, slot)
    return mask


@lru_cache(maxsize=1024)
def slots_text(mask: int) -> str:
    """The slots of ``mask`` in words: 周六上午、周六下午."""
    return "、".join(
        WEEKDAY_NAMES[day] + SLOT_NAMES[slot]
        for day in range(7)
        for slot in range(3)
        if mask & bit(day, slot)
    )


@lru_cache(maxsize=1024)
def availability_text(mask: int) -> str:
    """The whole grid in words, a weekday's three slots as 全天; 全部时段 / 无 at the ends."""
    mask &= ALL_SLOTS
    if mask == ALL_SLOTS:
        return "全部时段"
    if mask == 0:
        return "无"
    parts = []
    for day in range(7):
        slots = [slot for slot in range(3) if mask & bit(day, slot)]
        if len(slots) == 3:
            parts.append(WEEKDAY_NAMES[day] + "全天")
        else:
            parts.extend(WEEKDAY_NAMES[day] + SLOT_NAMES[slot] for slot in slots)
    return "、".join(parts)


def parse_availability(text: str | None, *, field: str = "availability") -> int:
    """Read the text form (or 工作日晚上、周末全天 …); empty means every slot."""
    raw = unicodedata.normalize("NFKC", text or "").strip()
    if not raw or raw in _ALL_WORDS:
        return ALL_SLOTS
    if raw in ("无", "暂无"):
        return 0
    mask = 0
    for item in filter(None, _SPLIT.split(raw)):
        match = _ITEM.match(item)
        if match is None:
            raise ValidationError(
                f"可服务时段“{item}”无法识别，请写成“周一上午”“周三全天”“周末下午”“工作日晚上”"
                "这样的格式，多个时段用顿号分隔。",
                field=field,
            )
        days = _DAY_ALIASES[match.group(1)]
        slots = _SLOT_ALIASES[match.group(2) or ""]
        for day in days:
            for slot in slots:
                mask |= bit(day, slot)
    return mask
