"""The roster (排班表) of a period as an Excel workbook, one row per shift."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.excel import Column, write_table
from wushe_desktop.infra.progress import CancelToken, Progress, no_progress
from wushe_desktop.scheduling.roster import roster_rows
from wushe_desktop.scheduling.statuses import SHIFT_RECORD
from wushe_desktop.scheduling.timefmt import cn_date
from wushe_desktop.volunteers.availability import WEEKDAY_NAMES

__all__ = ["export_shifts", "shift_columns"]


def shift_columns() -> list[Column]:
    return [
        Column("日期", "day", kind="date", width=12),
        Column("星期", "weekday", width=6),
        Column("时间", "time", width=12),
        Column("活动", "title", width=20),
        Column("岗位", "role", width=10),
        Column("地点", "place", width=20),
        Column("社区", "community", width=12),
        Column("需要人数", "needed", kind="int", width=8),
        Column("已排人数", "filled", kind="int", width=8),
        Column("已确认", "confirmed", kind="int", width=8),
        Column("候补", "waitlist", kind="int", width=6),
        Column("所需技能", "skills", width=14),
        Column("志愿者", "people", width=36),
        Column("状态", "state", width=8),
    ]


def export_shifts(
    db: Database,
    actor: Actor,
    path: Path,
    date_from: date,
    date_to: date,
    *,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> int:
    actor.require(Resource.SHIFT, Action.EXPORT)
    with db.reader() as session:
        rows: list[dict[str, Any]] = [
            {
                "day": r.shift.day,
                "weekday": WEEKDAY_NAMES[r.shift.day.weekday()],
                "time": r.shift.time_text,
                "title": r.shift.activity_title,
                "role": r.shift.role,
                "place": r.shift.place,
                "community": r.shift.community_name,
                "needed": r.shift.needed,
                "filled": r.shift.filled,
                "confirmed": r.shift.confirmed,
                "waitlist": r.shift.waitlist,
                "skills": "、".join(r.shift.required_skills),
                "people": r.people_text,
                "state": r.shift.fill_state,
            }
            for r in roster_rows(session, actor, date_from, date_to)
        ]
    written = write_table(
        Path(path),
        shift_columns(),
        rows,
        sheet_title="排班表",
        total=len(rows),
        progress=progress,
        cancel=cancel,
        title_rows=(f"志愿服务排班表（{cn_date(date_from)}至{cn_date(date_to)}）",),
    )
    with db.transaction() as session:
        audit.record(
            session,
            actor,
            AuditAction.EXPORT,
            record_type=SHIFT_RECORD,
            label="排班表",
            detail=f"导出排班表 {written} 个班次（{date_from} 至 {date_to}）；文件：{Path(path).name}",
        )
    return written
