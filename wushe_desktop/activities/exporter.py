"""Excel export of the activity list (场次, 参与人数 = 服务人次, cost)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.activities.models import CommunityActivity
from wushe_desktop.activities.rows import activity_rows
from wushe_desktop.activities.search import ActivityQuery, activity_conditions, count_activities
from wushe_desktop.activities.service import RECORD_TYPE
from wushe_desktop.community_work.excel import audited_export, date_range_text
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.excel import Column
from wushe_desktop.infra.progress import CancelToken, Progress, no_progress

__all__ = ["ACTIVITY_COLUMNS", "export_activities"]

CHUNK = 1000

ACTIVITY_COLUMNS = (
    Column("活动日期", "held_on", "date", width=12),
    Column("时间", "time_text", width=12),
    Column("活动名称", "title", width=24),
    Column("类型", "activity_type", width=10),
    Column("社区（村）", "community_name", width=14),
    Column("主办方类别", "organizer_kind", width=10),
    Column("主办方", "organizer_name", width=18),
    Column("负责社工", "worker_name", width=10),
    Column("参与人数（人次）", "participants", "int", width=14),
    Column("登记姓名人数", "named", "int", width=12),
    Column("志愿者人数", "volunteers", "int", width=10),
    Column("经费（元）", "cost_fen", "money_fen", width=12),
    Column("照片数", "photos", "int", width=8),
    Column("活动记录", "record", width=40),
)


def _describe(query: ActivityQuery) -> str:
    parts = [f"搜索“{query.text.strip()}”"] if query.text.strip() else []
    span = date_range_text(query.date_from, query.date_to)
    if span:
        parts.append(f"日期 {span}")
    if query.activity_type:
        parts.append(f"类型 {query.activity_type}")
    if query.community_id:
        parts.append("按社区")
    if query.worker_id:
        parts.append("按负责社工")
    if query.deleted:
        parts.append("回收站")
    return "、".join(parts)


def _rows(session: Session, actor: Actor, query: ActivityQuery) -> Iterator[dict[str, Any]]:
    stmt = (
        select(CommunityActivity)
        .where(*activity_conditions(actor, query))
        .order_by(CommunityActivity.held_on.desc(), CommunityActivity.id.desc())
    )
    result = session.scalars(stmt, execution_options={"yield_per": CHUNK})
    for part in result.partitions():
        for row in activity_rows(session, list(part)):
            values = dict(row.__dict__)
            values["time_text"] = row.time_text
            yield values


def export_activities(
    db: Database,
    actor: Actor,
    query: ActivityQuery,
    path: Path,
    *,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> int:
    """The activities ``query`` matches, newest first; audited."""

    def rows(session: Session) -> tuple[int, Iterable[Any]]:
        return count_activities(session, actor, query)[0], _rows(session, actor, query)

    return audited_export(
        db,
        actor,
        path,
        columns=ACTIVITY_COLUMNS,
        rows=rows,
        sheet_title="社区活动",
        record_type=RECORD_TYPE,
        label="社区活动列表",
        described=_describe(query),
        progress=progress,
        cancel=cancel,
    )
