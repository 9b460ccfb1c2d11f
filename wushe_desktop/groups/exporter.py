"""Excel export of the group list (plan, stage, sessions held, 服务人次)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.community_work.excel import audited_export, date_range_text
from wushe_desktop.groups.search import GroupQuery, list_groups
from wushe_desktop.groups.service import RECORD_TYPE
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.excel import Column
from wushe_desktop.infra.progress import CancelToken, Progress, no_progress

__all__ = ["GROUP_COLUMNS", "export_groups"]

GROUP_COLUMNS = (
    Column("小组名称", "name", width=20),
    Column("类型", "group_type", width=8),
    Column("阶段", "stage", width=8),
    Column("带领社工", "facilitator_name", width=10),
    Column("社区（村）", "community_name", width=14),
    Column("开始日期", "start_date", "date", width=12),
    Column("结束日期", "end_date", "date", width=12),
    Column("计划节数", "planned_sessions", "int", width=9),
    Column("已开展节数", "sessions_held", "int", width=10),
    Column("组员人数", "members", "int", width=9),
    Column("服务人次", "attendances", "int", width=9),
    Column("小组目标", "goal", width=30),
    Column("目标组员", "target_members", width=20),
    Column("招募方式", "recruitment", width=20),
    Column("结束评估", "closing_evaluation", width=30),
)


def _describe(query: GroupQuery) -> str:
    parts = [f"搜索“{query.text.strip()}”"] if query.text.strip() else []
    span = date_range_text(query.date_from, query.date_to)
    if span:
        parts.append(f"开展期间 {span}")
    if query.stage:
        parts.append(f"阶段 {query.stage}")
    if query.group_type:
        parts.append(f"类型 {query.group_type}")
    if query.facilitator_id:
        parts.append("按带领社工")
    if query.community_id:
        parts.append("按社区")
    if query.deleted:
        parts.append("回收站")
    return "、".join(parts)


def export_groups(
    db: Database,
    actor: Actor,
    query: GroupQuery,
    path: Path,
    *,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> int:
    """The groups ``query`` matches; audited."""

    def rows(session: Session) -> tuple[int, Iterable[Any]]:
        found = list_groups(session, actor, query, limit=1_000_000)
        return len(found), found

    return audited_export(
        db,
        actor,
        path,
        columns=GROUP_COLUMNS,
        rows=rows,
        sheet_title="小组工作",
        record_type=RECORD_TYPE,
        label="小组列表",
        described=_describe(query),
        progress=progress,
        cancel=cancel,
    )
