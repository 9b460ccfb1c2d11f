"""我的待办: what needs doing in the cases, computed for a given ``today`` (testable).

Rules (issue 4): follow-ups due; high-risk open cases without a service record for 14 days;
any open case without one for 30 days (counted from intake when there is none yet); plans
past their target date (earliest goal) while the case is at 计划 or 介入; template and
hand-made to-dos due; and records waiting for review (supervisor, director) or returned
by the supervisor (the worker). A social worker sees their own cases, the director all of
the station's, the supervisor the reviews.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource, Role
from wushe_desktop.cases.constants import (
    OPEN_STAGES,
    RECORD_LABELS,
    RecordKind,
    ReviewStatus,
    RiskLevel,
    Stage,
)
from wushe_desktop.cases.models import Case, CaseRecord, CaseTask
from wushe_desktop.cases.rows import last_service_dates
from wushe_desktop.residents.models import Resident

HIGH_RISK_DAYS = 14
ANY_CASE_DAYS = 30


@dataclass(frozen=True)
class Todo:
    kind: str  # 回访到期 / 高风险未服务 / 长期未服务 / 计划逾期 / 待办到期 / 待审核 / 审核退回
    case_id: uuid.UUID
    case_no: str
    resident_name: str
    worker_name: str
    title: str
    due_on: date | None
    overdue_days: int  # > 0 overdue, 0 due today, < 0 coming up

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


def _scope(actor: Actor) -> list[ColumnElement[bool]] | None:
    """Conditions on Case for the actor's cases; None when the actor has no case to-dos."""
    if not actor.can(Resource.CASE, Action.UPDATE) or actor.station_id is None:
        return None
    conds: list[ColumnElement[bool]] = [
        Case.station_id == actor.station_id,
        Case.deleted_at.is_(None),
    ]
    if actor.role is not Role.DIRECTOR:
        conds.append(Case.worker_id == actor.user_id)
    return conds


def _service_gaps(session: Session, scope: list[ColumnElement[bool]], today: date) -> list[Todo]:
    stmt = (
        select(
            Case.id, Case.case_no, Case.worker_name, Case.risk_level, Case.opened_on, Resident.name
        )
        .join(Resident, Resident.id == Case.resident_id)
        .where(*scope, Case.stage.in_(OPEN_STAGES))
    )
    cases = session.execute(stmt).all()
    last = last_service_dates(session, [c.id for c in cases])
    todos = []
    for c in cases:
        high = c.risk_level == RiskLevel.HIGH
        limit = HIGH_RISK_DAYS if high else ANY_CASE_DAYS
        since = last.get(c.id, c.opened_on)
        due = since + timedelta(days=limit)
        if due <= today:
            what = "服务记录" if c.id in last else "服务（接案后）"
            todos.append(
                Todo(
                    "高风险未服务" if high else "长期未服务",
                    c.id,
                    c.case_no,
                    c.name,
                    c.worker_name,
                    f"已 {(today - since).days} 天没有{what}",
                    due,
                    (today - due).days,
                )
            )
    return todos


def _records_due(
    session: Session, scope: list[ColumnElement[bool]], today: date, horizon: int
) -> list[Todo]:
    base = (
        select(
            CaseRecord.kind,
            CaseRecord.due_on,
            Case.id,
            Case.case_no,
            Case.worker_name,
            Resident.name,
        )
        .join(Case, Case.id == CaseRecord.case_id)
        .join(Resident, Resident.id == Case.resident_id)
        .where(*scope, CaseRecord.deleted_at.is_(None))
    )
    follow = base.where(
        CaseRecord.kind == RecordKind.FOLLOW_UP.value,
        CaseRecord.done_on.is_(None),
        CaseRecord.due_on <= today + timedelta(days=horizon),
    )
    plans = base.where(
        CaseRecord.kind == RecordKind.PLAN.value,
        CaseRecord.due_on < today,
        Case.stage.in_((Stage.PLAN.value, Stage.INTERVENTION.value)),
    )
    todos = []
    for kind, due, cid, no, worker, name in [*session.execute(follow), *session.execute(plans)]:
        if kind == RecordKind.FOLLOW_UP:
            todos.append(
                Todo("回访到期", cid, no, name, worker, "结案回访", due, (today - due).days)
            )
        else:
            todos.append(
                Todo(
                    "计划逾期",
                    cid,
                    no,
                    name,
                    worker,
                    "服务计划已过目标期限，请评估",
                    due,
                    (today - due).days,
                )
            )
    return todos


def _tasks_due(
    session: Session, scope: list[ColumnElement[bool]], today: date, horizon: int
) -> list[Todo]:
    stmt = (
        select(
            CaseTask.title, CaseTask.due_on, Case.id, Case.case_no, Case.worker_name, Resident.name
        )
        .join(Case, Case.id == CaseTask.case_id)
        .join(Resident, Resident.id == Case.resident_id)
        .where(
            *scope,
            Case.stage.in_(OPEN_STAGES),
            CaseTask.deleted_at.is_(None),
            CaseTask.done_on.is_(None),
            CaseTask.due_on <= today + timedelta(days=horizon),
        )
    )
    return [
        Todo("待办到期", cid, no, name, worker, title, due, (today - due).days)
        for title, due, cid, no, worker, name in session.execute(stmt)
    ]


def _reviews(session: Session, actor: Actor, today: date) -> list[Todo]:
    if actor.station_id is None:
        return []
    stmt = (
        select(
            CaseRecord.kind,
            CaseRecord.review_status,
            CaseRecord.record_date,
            Case.id,
            Case.case_no,
            Case.worker_name,
            Resident.name,
        )
        .join(Case, Case.id == CaseRecord.case_id)
        .join(Resident, Resident.id == Case.resident_id)
        .where(
            Case.station_id == actor.station_id,
            Case.deleted_at.is_(None),
            CaseRecord.deleted_at.is_(None),
        )
    )
    wanted: list[str] = []
    if actor.can(Resource.CASE, Action.APPROVE):
        wanted.append(ReviewStatus.PENDING.value)
    if actor.role in (Role.SOCIAL_WORKER, Role.DIRECTOR):
        wanted.append(ReviewStatus.RETURNED.value)
    if actor.role is Role.SOCIAL_WORKER:
        stmt = stmt.where(Case.worker_id == actor.user_id)
    stmt = stmt.where(CaseRecord.review_status.in_(wanted))
    todos = []
    for kind, status, on, cid, no, worker, name in session.execute(stmt):
        label = RECORD_LABELS[kind]
        if status == ReviewStatus.PENDING:
            todos.append(Todo("待审核", cid, no, name, worker, f"{label}待督导审核", on, 0))
        else:
            todos.append(Todo("审核退回", cid, no, name, worker, f"{label}被退回，请修改", on, 0))
    return todos


def my_todos(session: Session, actor: Actor, today: date, *, horizon: int = 3) -> list[Todo]:
    """The actor's to-dos on ``today`` (due within ``horizon`` days included), most overdue
    first."""
    actor.require(Resource.CASE, Action.READ)
    todos = _reviews(session, actor, today)
    scope = _scope(actor)
    if scope is not None:
        todos += _service_gaps(session, scope, today)
        todos += _records_due(session, scope, today, horizon)
        todos += _tasks_due(session, scope, today, horizon)
    return sorted(todos, key=lambda t: (-t.overdue_days, t.case_no, t.kind))
