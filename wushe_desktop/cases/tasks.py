"""Case to-dos (待办): from the case template or added by hand; done, reopened, removed."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.cases.access import load_case, require_content, require_write
from wushe_desktop.cases.common import flush, log
from wushe_desktop.cases.models import Case, CaseTask
from wushe_desktop.infra.db.base import utcnow
from wushe_desktop.infra.errors import NotFound, ValidationError

RECORD_TYPE = "case_task"


@dataclass(frozen=True)
class TaskRow:
    id: uuid.UUID
    case_id: uuid.UUID
    title: str
    due_on: date
    done_on: date | None
    from_template: str
    note: str
    version: int


def _row(t: CaseTask) -> TaskRow:
    return TaskRow(
        t.id, t.case_id, t.title, t.due_on, t.done_on, t.from_template, t.note, t.version
    )


def case_tasks(session: Session, actor: Actor, case_id: uuid.UUID) -> list[TaskRow]:
    case = load_case(session, actor, case_id)
    require_content(actor, case)
    stmt = (
        select(CaseTask)
        .where(CaseTask.case_id == case.id, CaseTask.deleted_at.is_(None))
        .order_by(CaseTask.due_on, CaseTask.created_at)
    )
    return [_row(t) for t in session.scalars(stmt)]


def add_task(
    session: Session, actor: Actor, case_id: uuid.UUID, title: str, due_on: date, *, note: str = ""
) -> TaskRow:
    case = load_case(session, actor, case_id)
    require_write(actor, case)
    title = title.strip()
    if not title:
        raise ValidationError("请填写待办事项。", field="title")
    if len(title) > 100:
        raise ValidationError("待办事项不能超过 100 字。", field="title")
    task = CaseTask(
        station_id=case.station_id, case_id=case.id, title=title, due_on=due_on, note=note.strip()
    )
    session.add(task)
    flush(session, "待办")
    log(
        session,
        actor,
        AuditAction.CREATE,
        case,
        record_type=RECORD_TYPE,
        record_id=task.id,
        detail=f"待办：{title}（{due_on.isoformat()}）",
    )
    return _row(task)


def _task(session: Session, actor: Actor, task_id: uuid.UUID) -> tuple[Case, CaseTask]:
    task = session.get(CaseTask, task_id)
    if task is None or task.deleted_at is not None:
        raise NotFound("未找到该待办。")
    case = load_case(session, actor, task.case_id)
    require_write(actor, case)
    return case, task


def set_task_done(
    session: Session, actor: Actor, task_id: uuid.UUID, done_on: date | None
) -> TaskRow:
    """Tick a to-do off on ``done_on`` (None: not done after all)."""
    case, task = _task(session, actor, task_id)
    if task.done_on == done_on:
        return _row(task)
    old = task.done_on
    task.done_on = done_on
    flush(session, "待办")
    log(
        session,
        actor,
        AuditAction.UPDATE,
        case,
        record_type=RECORD_TYPE,
        record_id=task.id,
        changes={
            "done_on": [old.isoformat() if old else None, done_on.isoformat() if done_on else None]
        },
        detail=f"待办：{task.title}",
    )
    return _row(task)


def delete_task(session: Session, actor: Actor, task_id: uuid.UUID) -> None:
    case, task = _task(session, actor, task_id)
    task.deleted_at, task.deleted_by = utcnow(), actor.user_id
    flush(session, "待办")
    log(
        session,
        actor,
        AuditAction.DELETE,
        case,
        record_type=RECORD_TYPE,
        record_id=task.id,
        detail=f"待办：{task.title}",
    )
