"""Column definitions of the volunteer room's lists (STYLE.md pattern 9)."""

from __future__ import annotations

from datetime import date
from typing import Any

from wushe_desktop.scheduling.timefmt import hours_text, minute_text
from wushe_desktop.ui.models.table import CENTER, RIGHT, Column
from wushe_desktop.volunteers.constants import STAR_LABELS


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


VOLUNTEER_COLUMNS: list[Column[Any]] = [
    Column("志愿者编号", lambda r: r.volunteer_no, width=150),
    Column("姓名", lambda r: r.name, width=80),
    Column("性别", lambda r: r.gender, CENTER, width=40),
    Column("年龄", lambda r: "" if r.age is None else str(r.age), RIGHT, lambda r: r.age or 0, 40),
    Column("联系电话", lambda r: r.phone, width=110),
    Column("社区（村）", lambda r: r.community_name, width=100),
    Column("技能", lambda r: r.skills_text, width=140),
    Column("状态", lambda r: r.status, CENTER, width=50),
    Column("登记日期", lambda r: _day(r.registered_on), CENTER, lambda r: r.registered_on, 90),
]

SHIFT_COLUMNS: list[Column[Any]] = [
    Column("日期", lambda r: _day(r.day), CENTER, lambda r: (r.day, r.start_minute), 90),
    Column("时间", lambda r: r.time_text, CENTER, width=90),
    Column("活动", lambda r: r.activity_title, width=130),
    Column("地点", lambda r: r.place, width=130),
    Column(
        "已排/需要", lambda r: f"{r.filled}/{r.needed}", CENTER, lambda r: r.filled - r.needed, 70
    ),
    Column(
        "候补", lambda r: str(r.waitlist) if r.waitlist else "", RIGHT, lambda r: r.waitlist, 40
    ),
    Column("所需技能", lambda r: "、".join(r.required_skills), width=100),
    Column("状态", lambda r: r.fill_state, CENTER, width=60),
]

ASSIGNMENT_COLUMNS: list[Column[Any]] = [
    Column("姓名", lambda r: r.name, width=70),
    Column("状态", lambda r: r.status, CENTER, width=60),
    Column("方式", lambda r: r.via, CENTER, width=50),
    Column("电话", lambda r: r.phone, width=100),
    Column(
        "时长（小时）",
        lambda r: "" if r.credited_minutes is None else hours_text(r.credited_minutes),
        RIGHT,
        width=70,
    ),
    Column("备注", lambda r: r.cancel_reason or r.override_reason, width=120),
]

SUGGESTION_COLUMNS: list[Column[Any]] = [
    Column("姓名", lambda r: r.name, width=70),
    Column("得分", lambda r: f"{r.score:.1f}", RIGHT, lambda r: r.score, 50),
    Column("理由", lambda r: r.reasons_text, width=330, tooltip=lambda r: r.reasons_text),
    Column(
        "冲突",
        lambda r: "；".join(c.message for c in r.conflicts) or "无",
        width=260,
        tooltip=lambda r: "\n".join(c.message for c in r.conflicts),
    ),
]

DESK_COLUMNS: list[Column[Any]] = [
    Column("姓名", lambda r: r.name, width=80),
    Column(
        "时间",
        lambda r: f"{minute_text(r.start_minute)}–{minute_text(r.end_minute)}",
        CENTER,
        width=100,
    ),
    Column("活动", lambda r: r.title, width=150),
    Column("地点", lambda r: r.place, width=140),
    Column("状态", lambda r: r.status, CENTER, width=60),
    Column("下一步", lambda r: r.action, CENTER, width=60),
]

HOURS_COLUMNS: list[Column[Any]] = [
    Column("服务日期", lambda r: _day(r.served_on), CENTER, lambda r: r.served_on, 90),
    Column("志愿者", lambda r: r.volunteer_name, width=70),
    Column("活动", lambda r: r.title, width=130),
    Column("时长（小时）", lambda r: r.hours, RIGHT, lambda r: r.minutes, 90),
    Column("方式", lambda r: r.source, CENTER, width=50),
    Column("状态", lambda r: r.status, CENTER, width=60),
    Column("超时限", lambda r: "是" if r.late else "", CENTER, width=50),
    Column("已更正", lambda r: "是" if r.corrected else "", CENTER, width=50),
]

SUMMARY_COLUMNS: list[Column[Any]] = [
    Column("志愿者编号", lambda r: r.volunteer_no, width=150),
    Column("姓名", lambda r: r.name, width=80),
    Column(
        "本年时长（小时）",
        lambda r: hours_text(r.year_minutes),
        RIGHT,
        lambda r: r.year_minutes,
        100,
    ),
    Column("本年次数", lambda r: str(r.year_services), RIGHT, lambda r: r.year_services, 60),
    Column(
        "累计时长（小时）",
        lambda r: hours_text(r.total_minutes),
        RIGHT,
        lambda r: r.total_minutes,
        100,
    ),
    Column(
        "可评星级",
        lambda r: STAR_LABELS.get(r.eligible_star, ""),
        CENTER,
        lambda r: r.eligible_star,
        60,
    ),
    Column(
        "已获星级",
        lambda r: STAR_LABELS.get(r.awarded_star, ""),
        CENTER,
        lambda r: r.awarded_star,
        60,
    ),
]
