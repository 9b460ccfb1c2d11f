"""Excel exports of the visit list and of the visit to-dos (the overdue list)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.community_work.common import today_local
from wushe_desktop.community_work.excel import audited_export, date_range_text
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.excel import Column
from wushe_desktop.infra.progress import CancelToken, Progress, no_progress
from wushe_desktop.visits.overdue import TodoQuery, visit_todos
from wushe_desktop.visits.search import VisitQuery, count_visits, ordered_select
from wushe_desktop.visits.service import RECORD_TYPE, visit_rows

__all__ = ["VISIT_COLUMNS", "export_todos", "export_visits"]

CHUNK = 2000

VISIT_COLUMNS = (
    Column("探访日期", "visited_on", "date", width=12),
    Column("探访对象", "resident_name", width=10),
    Column("社区（村）", "community_name", width=14),
    Column("网格", "grid_name", width=12),
    Column("方式", "mode", width=8),
    Column("探访人", "visitor_name", width=10),
    Column("探访人类别", "visitor_kind", width=10),
    Column("时长（分钟）", "duration_minutes", "int", width=10),
    Column("探访发现", "findings", width=40),
    Column("发现风险", "risk_found", "bool", width=9),
    Column("风险描述", "risk_description", width=30),
    Column("需要跟进", "follow_up_needed", "bool", width=9),
    Column("已转个案", "has_case", "bool", width=9),
)

TODO_COLUMNS = (
    Column("居民", "name", width=10),
    Column("社区（村）", "community_name", width=14),
    Column("网格", "grid_name", width=12),
    Column("重点人群", "tags_text", width=22),
    Column("探访间隔（天）", "days", "int", width=12),
    Column("上次探访", "last_visit", "date", width=12),
    Column("应探访日期", "due", "date", width=12),
    Column("逾期天数", "overdue_days", "int", width=10),
)


def _describe(query: VisitQuery) -> str:
    parts = []
    if query.text.strip():
        parts.append(f"搜索“{query.text.strip()}”")
    span = date_range_text(query.date_from, query.date_to)
    if span:
        parts.append(f"日期 {span}")
    if query.community_id or query.grid_id:
        parts.append("按社区/网格")
    if query.visitor_user_id:
        parts.append("按探访社工")
    if query.risk_only:
        parts.append("仅发现风险")
    if query.follow_up_only:
        parts.append("仅需跟进")
    if query.deleted:
        parts.append("回收站")
    return "、".join(parts)


def _visit_rows(session: Session, actor: Actor, query: VisitQuery) -> Iterator[dict[str, Any]]:
    result = session.execute(ordered_select(actor, query), execution_options={"yield_per": CHUNK})
    for part in result.partitions():
        for row in visit_rows(session, part):
            values = dict(row.__dict__)
            values["has_case"] = row.case_id is not None
            yield values


def export_visits(
    db: Database,
    actor: Actor,
    query: VisitQuery,
    path: Path,
    *,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> int:
    """The visits ``query`` matches, newest first; audited."""

    def rows(session: Session) -> tuple[int, Iterable[Any]]:
        return count_visits(session, actor, query), _visit_rows(session, actor, query)

    return audited_export(
        db,
        actor,
        path,
        columns=VISIT_COLUMNS,
        rows=rows,
        sheet_title="探访记录",
        record_type=RECORD_TYPE,
        label="探访记录",
        described=_describe(query),
        progress=progress,
        cancel=cancel,
    )


def export_todos(
    db: Database,
    actor: Actor,
    query: TodoQuery,
    path: Path,
    *,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> int:
    """The visit to-dos (e.g. the overdue list) as the 待探访 tab shows them; audited."""

    def rows(session: Session) -> tuple[int, Iterable[Any]]:
        todos = visit_todos(session, actor, query, today=today_local(), limit=1_000_000)
        return len(todos), todos

    return audited_export(
        db,
        actor,
        path,
        columns=TODO_COLUMNS,
        rows=rows,
        sheet_title="待探访名单",
        record_type=RECORD_TYPE,
        label="待探访名单",
        described=f"{query.status.value}",
        progress=progress,
        cancel=cancel,
    )
