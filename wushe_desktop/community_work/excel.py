"""The audited Excel export every list of visits, groups and activities goes through."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.excel import Column, write_table
from wushe_desktop.infra.progress import CancelToken, Progress, no_progress

__all__ = ["audited_export", "date_range_text"]


def date_range_text(date_from: object, date_to: object) -> str:
    if date_from and date_to:
        return f"{date_from} 至 {date_to}"
    if date_from:
        return f"{date_from} 起"
    if date_to:
        return f"至 {date_to}"
    return ""


def audited_export(
    db: Database,
    actor: Actor,
    path: Path,
    *,
    columns: Sequence[Column],
    rows: Callable[[Session], tuple[int, Iterable[Any]]],
    sheet_title: str,
    record_type: str,
    label: str,
    described: str,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> int:
    """Write ``rows(session) -> (total, rows)`` to ``path``, then audit the export.

    A cancelled or failed export leaves no file and no audit entry.
    """
    actor.require(Resource.SERVICE, Action.EXPORT)
    path = Path(path)
    with db.reader() as session:
        total, found = rows(session)
        written = write_table(
            path,
            columns,
            found,
            sheet_title=sheet_title,
            total=total,
            progress=progress,
            cancel=cancel,
        )
    with db.transaction() as session:
        audit.record(
            session,
            actor,
            AuditAction.EXPORT,
            record_type=record_type,
            label=label,
            detail=f"导出{label} {written} 行；筛选：{described or '全部'}；文件：{path.name}",
        )
    return written
