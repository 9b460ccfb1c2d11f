"""Printed lists of the volunteer room: the weekly roster (排班表) and the honour list."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.domain.masking import mask_name
from wushe_desktop.scheduling.roster import roster_rows
from wushe_desktop.scheduling.stats import stars_reached, top_volunteers
from wushe_desktop.scheduling.statuses import SHIFT_RECORD
from wushe_desktop.scheduling.timefmt import cn_date, day_label, hours_text
from wushe_desktop.volunteers.constants import STAR_LABELS
from wushe_desktop.volunteers.settings import get_rules

__all__ = ["print_honour_list", "print_roster"]


def print_roster(session: Session, actor: Actor, any_day: date, path: Path) -> int:
    """The week's roster (Monday–Sunday of ``any_day``) as a landscape A4 PDF."""
    from wushe_desktop.infra.pdf import build_pdf, data_table, para, section_title

    actor.require(Resource.SHIFT, Action.PRINT)
    monday = any_day - timedelta(days=any_day.weekday())
    sunday = monday + timedelta(days=6)
    rules = get_rules(session, actor.station_id)
    rows = roster_rows(session, actor, monday, sunday)
    table = [
        [
            day_label(r.shift.day),
            r.shift.time_text,
            r.shift.activity_title + (f"（{r.shift.role}）" if r.shift.role else ""),
            r.shift.place,
            f"{r.shift.filled}/{r.shift.needed}",
            r.people_text + (f"；候补：{'、'.join(r.waiting)}" if r.waiting else ""),
        ]
        for r in rows
    ]
    title = f"志愿服务排班表（{cn_date(monday)}—{cn_date(sunday)}）"
    flow: list[Any] = [
        section_title(title, 0),
        para(f"{rules.issuer_name}　共 {len(rows)} 个班次", "subtitle"),
        data_table(
            ["日期", "时间", "活动（岗位）", "地点", "已排/需要", "志愿者"],
            table,
            col_widths=[0.12, 0.1, 0.2, 0.18, 0.08, 0.32],
            empty_text="（本周没有班次）",
        ),
        para("请志愿者提前10分钟到达签到；不能参加的请及时告知协调员。", "note"),
    ]
    pages = build_pdf(path, flow, title=title, header_left=rules.issuer_name, landscape=True)
    audit.record(
        session,
        actor,
        AuditAction.PRINT,
        record_type=SHIFT_RECORD,
        label="排班表",
        detail=f"打印排班表 {cn_date(monday)}—{cn_date(sunday)}（{len(rows)} 个班次）",
    )
    return pages


def print_honour_list(
    session: Session,
    actor: Actor,
    date_from: date,
    date_to: date,
    path: Path,
    *,
    top: int = 20,
    full_names: bool = False,
) -> int:
    """Star levels reached and the most hours in the period (names masked unless asked:
    a list for posting shows 张* and the hours only, PIPL / DOMAIN-RULES §8)."""
    from wushe_desktop.infra.pdf import build_pdf, data_table, para, section_title

    actor.require(Resource.SHIFT, Action.PRINT)
    if full_names:
        actor.require(Resource.VOLUNTEER, Action.VIEW_SENSITIVE)
    rules = get_rules(session, actor.station_id)

    def shown(name: str) -> str:
        return name if full_names else mask_name(name)

    stars = stars_reached(session, actor, date_from, date_to)
    best = top_volunteers(session, actor, date_from, date_to, limit=top)
    period = f"{cn_date(date_from)}—{cn_date(date_to)}"
    title = "志愿服务光荣榜"
    flow: list[Any] = [
        section_title(title, 0),
        para(f"{rules.issuer_name}　{period}", "subtitle"),
        section_title("一、星级志愿者（本期达到）", 1),
        data_table(
            ["序号", "姓名", "志愿者编号", "星级", "累计服务时长（小时）", "达到日期"],
            [
                [
                    n,
                    shown(r.name),
                    r.volunteer_no,
                    f"{STAR_LABELS[r.level]}志愿者",
                    hours_text(r.total_minutes),
                    r.reached_on,
                ]
                for n, r in enumerate(stars, 1)
            ],
            empty_text="（本期没有新达到星级的志愿者）",
        ),
        section_title(f"二、服务时长前{top}名", 1),
        data_table(
            ["名次", "姓名", "志愿者编号", "服务次数", "服务时长（小时）"],
            [
                [n, shown(name), no, services, hours_text(minutes)]
                for n, (_vid, name, no, minutes, services) in enumerate(best, 1)
            ],
            empty_text="（本期没有已审核的服务时长）",
        ),
        para(
            "星级依据累计已审核服务时长（一星100小时、二星300小时、三星600小时、四星1000小时、五星1500小时，"
            "可在志愿者设置中调整）计算，仅表示达到评定条件；星级以授予单位的评定为准。",
            "note",
        ),
    ]
    pages = build_pdf(path, flow, title=f"{title}（{period}）", header_left=rules.issuer_name)
    audit.record(
        session,
        actor,
        AuditAction.PRINT,
        record_type=SHIFT_RECORD,
        label="志愿服务光荣榜",
        detail=f"打印光荣榜 {period}（{'完整姓名' if full_names else '姓名已脱敏'}）",
    )
    return pages
