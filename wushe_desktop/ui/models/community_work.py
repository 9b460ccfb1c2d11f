"""Column definitions of the visit, group and activity lists (STYLE.md pattern 9)."""

from __future__ import annotations

from datetime import date
from typing import Any

from wushe_desktop.ui.models.table import CENTER, RIGHT, Column


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _yes(value: bool) -> str:
    return "是" if value else ""


def _n(value: int) -> str:
    return f"{value:,}"


TODO_COLUMNS: list[Column[Any]] = [
    Column("居民", lambda r: r.name, width=80),
    Column("社区（村）", lambda r: r.community_name, width=110),
    Column("网格", lambda r: r.grid_name, width=80),
    Column("重点人群", lambda r: r.tags_text, width=140),
    Column("间隔（天）", lambda r: str(r.days), RIGHT, lambda r: r.days, 70),
    Column(
        "上次探访",
        lambda r: _day(r.last_visit) or "从未探访",
        CENTER,
        lambda r: r.last_visit or date.min,
        90,
    ),
    Column("应探访日期", lambda r: _day(r.due), CENTER, lambda r: r.due, 90),
    Column(
        "逾期天数",
        lambda r: str(r.overdue_days) if r.overdue_days else "",
        RIGHT,
        lambda r: r.overdue_days,
        70,
    ),
]

OVERDUE_COLUMNS: list[Column[Any]] = [
    Column(
        "社区（村）/网格",
        lambda r: r.community_name if r.is_total else f"　{r.grid_name}",
        width=150,
    ),
    Column("应探访", lambda r: _n(r.scheduled), RIGHT, lambda r: r.scheduled, 60),
    Column("逾期", lambda r: _n(r.overdue), RIGHT, lambda r: r.overdue, 50),
    Column("从未探访", lambda r: _n(r.never_visited), RIGHT, lambda r: r.never_visited, 70),
]

VISIT_COLUMNS: list[Column[Any]] = [
    Column("探访日期", lambda r: _day(r.visited_on), CENTER, width=90),
    Column("探访对象", lambda r: r.resident_name, width=80),
    Column("社区（村）", lambda r: r.community_name, width=110),
    Column("网格", lambda r: r.grid_name, width=80),
    Column("方式", lambda r: r.mode, CENTER, width=50),
    Column("探访人", lambda r: r.visitor_text, width=130),
    Column("时长", lambda r: f"{r.duration_minutes} 分钟", RIGHT, lambda r: r.duration_minutes, 70),
    Column("发现风险", lambda r: _yes(r.risk_found), CENTER, width=70),
    Column("需跟进", lambda r: _yes(r.follow_up_needed), CENTER, width=60),
    Column("个案", lambda r: "已转个案" if r.case_id else "", CENTER, width=70),
    Column(
        "探访发现", lambda r: r.findings.replace("\n", " "), width=300, tooltip=lambda r: r.findings
    ),
]

GROUP_COLUMNS: list[Column[Any]] = [
    Column("小组名称", lambda r: r.name, width=180),
    Column("类型", lambda r: r.group_type, CENTER, width=50),
    Column("阶段", lambda r: r.stage, CENTER, width=50),
    Column("带领社工", lambda r: r.facilitator_name, width=80),
    Column("社区（村）", lambda r: r.community_name, width=100),
    Column("开始日期", lambda r: _day(r.start_date), CENTER, width=90),
    Column(
        "节数",
        lambda r: f"{r.sessions_held}/{r.planned_sessions}",
        CENTER,
        lambda r: r.sessions_held,
        60,
    ),
    Column("组员", lambda r: str(r.members), RIGHT, lambda r: r.members, 50),
    Column("服务人次", lambda r: _n(r.attendances), RIGHT, lambda r: r.attendances, 70),
]

MEMBER_COLUMNS: list[Column[Any]] = [
    Column("组员", lambda r: r.name, width=90),
    Column("社区（村）", lambda r: r.community_name, width=110),
    Column("入组日期", lambda r: _day(r.joined_on), CENTER, width=90),
    Column("退组日期", lambda r: _day(r.left_on), CENTER, width=90),
    Column("出席节数", lambda r: str(r.attended), RIGHT, lambda r: r.attended, 70),
]

SESSION_COLUMNS: list[Column[Any]] = [
    Column("节次", lambda r: f"第{r.number}节", CENTER, lambda r: r.number, 60),
    Column("日期", lambda r: _day(r.held_on), CENTER, width=90),
    Column("主题", lambda r: r.topic, width=180),
    Column(
        "出席",
        lambda r: f"{r.present}/{len(r.attendance)}",
        CENTER,
        lambda r: r.present,
        60,
    ),
    Column("时长", lambda r: f"{r.duration_minutes} 分钟", RIGHT, lambda r: r.duration_minutes, 70),
    Column("本节评估", lambda r: r.evaluation, width=200, tooltip=lambda r: r.record),
]


def _money(fen: int | None) -> str:
    return "" if fen is None else f"{fen / 100:,.2f}"


ACTIVITY_COLUMNS: list[Column[Any]] = [
    Column("日期", lambda r: _day(r.held_on), CENTER, width=90),
    Column("时间", lambda r: r.time_text, CENTER, width=90),
    Column("活动名称", lambda r: r.title, width=180),
    Column("亮点", lambda r: "★" if r.is_highlight else "", CENTER, width=40),
    Column("类型", lambda r: r.activity_type, CENTER, width=70),
    Column("社区（村）", lambda r: r.community_name, width=110),
    Column("主办方", lambda r: r.organizer_text, width=110),
    Column("负责社工", lambda r: r.worker_name, width=80),
    Column("参与人数", lambda r: _n(r.participants), RIGHT, lambda r: r.participants, 70),
    Column("登记姓名", lambda r: _n(r.named), RIGHT, lambda r: r.named, 70),
    Column("志愿者", lambda r: _n(r.volunteers), RIGHT, lambda r: r.volunteers, 60),
    Column("经费（元）", lambda r: _money(r.cost_fen), RIGHT, lambda r: r.cost_fen or 0, 80),
    Column("照片", lambda r: str(r.photos) if r.photos else "", RIGHT, lambda r: r.photos, 50),
]
