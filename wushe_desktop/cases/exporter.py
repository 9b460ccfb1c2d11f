"""Excel export of the case list (the query the list shows).

The list columns are seen by every role with the case-read grant. The presenting problem
(content) is exported only for cases whose content the actor may read, and for minors
only by the director (stricter rule for children's cases). The export is audited.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource, Role
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.cases import records as rec
from wushe_desktop.cases.constants import RecordKind
from wushe_desktop.cases.models import CaseRecord
from wushe_desktop.cases.search import CaseQuery, count, iter_rows
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.excel import Column, write_table
from wushe_desktop.infra.progress import CancelToken, Progress, no_progress

SHEET_TITLE = "个案"
HIDDEN = "（无权查看）"
MINOR_HIDDEN = "（未成年人个案，仅站长导出）"


def case_columns() -> list[Column]:
    return [
        Column("个案编号", "case_no", width=14),
        Column("服务对象", "resident_name", width=10),
        Column("年龄", "age", "int", 6),
        Column("未成年人", "is_minor", "bool", 8),
        Column("社区（村）", "community", width=14),
        Column("负责社工", "worker_name", width=10),
        Column("来源", "source", width=12),
        Column("问题领域", "problems", width=24),
        Column("风险等级", "risk_level", width=8),
        Column("阶段", "stage", width=8),
        Column("接案日期", "opened_on", "date", 12),
        Column("结案日期", "closed_on", "date", 12),
        Column("最近服务", "last_service_on", "date", 12),
        Column("主要问题", "problem", width=40),
    ]


def _problems(session: Session, ids: list[Any]) -> dict[Any, str]:
    stmt = select(CaseRecord.case_id, CaseRecord.data).where(
        CaseRecord.case_id.in_(ids),
        CaseRecord.kind == RecordKind.INTAKE.value,
        CaseRecord.deleted_at.is_(None),
    )
    found = {}
    for case_id, data in session.execute(stmt):
        intake = rec.load(RecordKind.INTAKE, data)
        assert isinstance(intake, rec.IntakeData)
        found[case_id] = intake.presenting_problem
    return found


def _rows(session: Session, actor: Actor, query: CaseQuery) -> Iterator[dict[str, Any]]:
    director = actor.role is Role.DIRECTOR
    for chunk in iter_rows(session, actor, query):
        problems = _problems(session, [r.id for r in chunk if r.content_visible])
        for r in chunk:
            if not r.content_visible:
                problem = HIDDEN
            elif r.is_minor and not director:
                problem = MINOR_HIDDEN
            else:
                problem = problems.get(r.id, "")
            yield {
                "case_no": r.case_no,
                "resident_name": r.resident_name,
                "age": r.resident_age,
                "is_minor": r.is_minor,
                "community": r.community_name,
                "worker_name": r.worker_name,
                "source": r.source,
                "problems": r.problem_text,
                "risk_level": r.risk_level,
                "stage": r.stage,
                "opened_on": r.opened_on,
                "closed_on": r.closed_on,
                "last_service_on": r.last_service_on,
                "problem": problem,
            }


def export_cases(
    db: Database,
    actor: Actor,
    query: CaseQuery,
    path: Path,
    *,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> int:
    """Write the cases ``query`` matches to ``path``; return the number of rows (audited)."""
    actor.require(Resource.CASE, Action.EXPORT)
    path = Path(path)
    with db.reader() as session:
        written = write_table(
            path,
            case_columns(),
            _rows(session, actor, query),
            sheet_title=SHEET_TITLE,
            total=count(session, actor, query),
            progress=progress,
            cancel=cancel,
        )
    with db.transaction() as session:
        audit.record(
            session,
            actor,
            AuditAction.EXPORT,
            record_type="case",
            label="个案列表",
            detail=f"导出个案 {written} 行；文件：{path.name}",
        )
    return written
