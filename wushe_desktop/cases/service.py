"""Case use cases: open, edit the header, transfer, bulk reassign, delete and restore.

Stage work (records, transitions, reviews) is in ``stages.py``; to-dos, referrals and
attachments in their own modules. The caller owns the transaction.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wushe_desktop.accounts.models import User
from wushe_desktop.accounts.permissions import Action, Actor, Resource, Role
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.cases.access import load_case, require_write
from wushe_desktop.cases.common import check_version, event, flush, log
from wushe_desktop.cases.constants import (
    OPEN_STAGES,
    PROBLEM_AREAS,
    CaseSource,
    RiskLevel,
    Stage,
)
from wushe_desktop.cases.models import Case
from wushe_desktop.cases.rows import CaseRow, FamilyMember, build_rows, row_select
from wushe_desktop.cases.templates import add_template_tasks, template_by_key
from wushe_desktop.infra.db.base import utcnow
from wushe_desktop.infra.errors import ConflictError, PermissionDenied, ValidationError
from wushe_desktop.residents.models import Resident

__all__ = [
    "CaseInput",
    "CaseRow",
    "FamilyMember",
    "bulk_reassign",
    "create_case",
    "delete_case",
    "get_case",
    "list_case_workers",
    "restore_case",
    "transfer_case",
    "update_case",
]

WORKER_ROLES = (Role.SOCIAL_WORKER.value, Role.DIRECTOR.value)


@dataclass(frozen=True)
class CaseInput:
    resident_id: uuid.UUID
    source: str
    problem_areas: Sequence[str]
    risk_level: str = RiskLevel.MEDIUM.value
    opened_on: date | None = None  # default today
    worker_id: uuid.UUID | None = None  # default: the signed-in worker
    family: Sequence[FamilyMember] = field(default_factory=tuple)
    template_key: str = ""


@dataclass(frozen=True)
class _Clean:
    source: str
    problem_areas: str
    risk_level: str
    opened_on: date
    family: str


def _clean(data: CaseInput, today: date) -> _Clean:
    if data.source not in tuple(CaseSource):
        raise ValidationError(
            f"个案来源“{data.source}”无效，应为 {'、'.join(CaseSource)} 之一。", field="source"
        )
    areas = [a for a in PROBLEM_AREAS if a in set(data.problem_areas)]
    unknown = [a for a in data.problem_areas if a not in PROBLEM_AREAS]
    if unknown:
        raise ValidationError(f"问题领域“{unknown[0]}”无效。", field="problem_areas")
    if not areas:
        raise ValidationError("请至少选择一个问题领域。", field="problem_areas")
    if data.risk_level not in tuple(RiskLevel):
        raise ValidationError("风险等级应为 高、中、低 之一。", field="risk_level")
    opened = data.opened_on or today
    if opened > today:
        raise ValidationError("接案日期不能晚于今天。", field="opened_on")
    family = []
    for m in data.family:
        name = m.name.strip()
        if not name:
            raise ValidationError("家庭成员的姓名不能为空。", field="family")
        if len(name) > 50 or len(m.relation) > 20:
            raise ValidationError("家庭成员的姓名或关系过长。", field="family")
        family.append(
            {
                "name": name,
                "relation": m.relation.strip(),
                "resident_id": str(m.resident_id) if m.resident_id else None,
            }
        )
    return _Clean(
        data.source,
        "、".join(areas),
        data.risk_level,
        opened,
        json.dumps(family, ensure_ascii=False),
    )


def _worker(session: Session, actor: Actor, station_id: uuid.UUID, worker_id: uuid.UUID) -> User:
    user = session.get(User, worker_id)
    if user is None or user.station_id != station_id or not user.active:
        raise ValidationError("所选负责社工不是本站点的在职工作人员。", field="worker_id")
    if user.role not in WORKER_ROLES:
        raise ValidationError(
            f"“{user.display_name}”的角色是{user.role}，个案须由社工或站长负责。", field="worker_id"
        )
    return user


def _station(actor: Actor) -> uuid.UUID:
    if actor.station_id is None:
        raise PermissionDenied("区级账户不能开立个案，请使用站点账户。")
    return actor.station_id


def _next_case_no(session: Session, station_id: uuid.UUID, year: int) -> str:
    prefix = f"GA{year}-"
    last = session.scalar(
        select(func.max(Case.case_no)).where(
            Case.station_id == station_id, Case.case_no.like(f"{prefix}%")
        )
    )
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:04d}"


def _snapshot(case: Case) -> dict[str, object]:
    return {
        "source": case.source,
        "problem_areas": case.problem_areas,
        "risk_level": case.risk_level,
        "opened_on": case.opened_on,
        "worker_name": case.worker_name,
        "family": "已填写" if case.family not in ("", "[]") else "",
    }


def get_case(session: Session, actor: Actor, case_id: uuid.UUID) -> CaseRow:
    """The case's header row (seen by everyone with the case-read grant)."""
    case = load_case(session, actor, case_id)
    result = session.execute(row_select().where(Case.id == case.id)).one()
    return build_rows(session, actor, [result])[0]


def create_case(
    session: Session, actor: Actor, data: CaseInput, *, today: date | None = None
) -> CaseRow:
    """Open a case at 接案; a resident has at most one open case at a time."""
    actor.require(Resource.CASE, Action.CREATE)
    station_id = _station(actor)
    today = today or date.today()
    clean = _clean(data, today)
    resident = session.get(Resident, data.resident_id)
    if resident is None or resident.station_id != station_id:
        raise ValidationError("所选居民不存在或不属于本站点。", field="resident_id")
    if resident.deleted_at is not None:
        raise ValidationError(f"居民“{resident.name}”在回收站中，请先恢复。", field="resident_id")
    other = session.scalars(
        select(Case).where(
            Case.resident_id == resident.id,
            Case.stage.in_(OPEN_STAGES),
            Case.deleted_at.is_(None),
        )
    ).first()
    if other is not None:
        raise ConflictError(
            f"居民“{resident.name}”已有在案个案 {other.case_no}（负责社工 {other.worker_name}），"
            "请在该个案中继续服务。"
        )
    worker_id = data.worker_id or actor.user_id
    if worker_id is None:
        raise ValidationError("请选择负责社工。", field="worker_id")
    if worker_id != actor.user_id:
        actor.require(Resource.CASE, Action.ASSIGN)
    worker = _worker(session, actor, station_id, worker_id)
    template = template_by_key(session, actor, data.template_key) if data.template_key else None
    case = Case(
        station_id=station_id,
        case_no=_next_case_no(session, station_id, clean.opened_on.year),
        resident_id=resident.id,
        worker_id=worker.id,
        worker_name=worker.display_name,
        source=clean.source,
        problem_areas=clean.problem_areas,
        risk_level=clean.risk_level,
        stage=Stage.INTAKE.value,
        opened_on=clean.opened_on,
        family=clean.family,
        template_key=data.template_key,
    )
    session.add(case)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise ConflictError("个案编号刚被其他用户同时使用（同时开案），请再点一次保存。") from None
    event(
        session,
        actor,
        case,
        "开案",
        f"负责社工 {worker.display_name}",
        on=clean.opened_on,
        to_stage=Stage.INTAKE.value,
    )
    if template is not None:
        add_template_tasks(session, case, template, clean.opened_on)
    log(session, actor, AuditAction.CREATE, case, changes=audit.diff({}, _snapshot(case)))
    return get_case(session, actor, case.id)


def update_case(
    session: Session,
    actor: Actor,
    case_id: uuid.UUID,
    data: CaseInput,
    *,
    expected_version: int | None = None,
    today: date | None = None,
) -> CaseRow:
    """Edit the header (source, problem areas, risk, intake date, family); the resident and
    the worker change only by opening a new case and by transfer."""
    case = load_case(session, actor, case_id)
    require_write(actor, case)
    check_version(case, expected_version)
    if data.resident_id != case.resident_id:
        raise ValidationError("个案的服务对象不能更改。", field="resident_id")
    clean = _clean(data, today or date.today())
    before = _snapshot(case)
    case.source, case.problem_areas = clean.source, clean.problem_areas
    case.risk_level, case.opened_on, case.family = clean.risk_level, clean.opened_on, clean.family
    changes = audit.diff(before, _snapshot(case))
    if changes:
        case.updated_at = utcnow()
        flush(session)
        log(session, actor, AuditAction.UPDATE, case, changes=changes)
    return get_case(session, actor, case.id)


def transfer_case(
    session: Session,
    actor: Actor,
    case_id: uuid.UUID,
    worker_id: uuid.UUID,
    reason: str,
    *,
    expected_version: int | None = None,
) -> CaseRow:
    """Hand the case to another worker (the director, or the current worker), with a reason."""
    case = load_case(session, actor, case_id)
    require_write(actor, case)
    check_version(case, expected_version)
    reason = reason.strip()
    if not reason:
        raise ValidationError("请填写转移原因。", field="reason")
    worker = _worker(session, actor, case.station_id, worker_id)
    if worker.id == case.worker_id:
        raise ValidationError(f"个案已由{worker.display_name}负责。", field="worker_id")
    old = case.worker_name
    case.worker_id, case.worker_name = worker.id, worker.display_name
    case.updated_at = utcnow()
    flush(session)
    event(session, actor, case, "转移", f"{old} → {worker.display_name}：{reason}")
    log(
        session,
        actor,
        AuditAction.UPDATE,
        case,
        changes={"worker_name": [old, worker.display_name]},
        detail=f"转移个案：{reason}",
    )
    return get_case(session, actor, case.id)


def bulk_reassign(
    session: Session,
    actor: Actor,
    from_worker_id: uuid.UUID,
    to_worker_id: uuid.UUID,
    reason: str,
    *,
    open_only: bool = True,
) -> int:
    """Move every (open) case of a leaving worker to another worker (director only)."""
    actor.require(Resource.CASE, Action.ASSIGN)
    station_id = _station(actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError("请填写转移原因（如：社工离职）。", field="reason")
    worker = _worker(session, actor, station_id, to_worker_id)
    if to_worker_id == from_worker_id:
        raise ValidationError("接收社工与原社工相同。", field="worker_id")
    stmt = select(Case).where(
        Case.station_id == station_id, Case.worker_id == from_worker_id, Case.deleted_at.is_(None)
    )
    if open_only:
        stmt = stmt.where(Case.stage.in_(OPEN_STAGES))
    cases = list(session.scalars(stmt))
    for case in cases:
        old = case.worker_name
        case.worker_id, case.worker_name = worker.id, worker.display_name
        case.updated_at = utcnow()
        event(session, actor, case, "转移", f"{old} → {worker.display_name}：{reason}（批量）")
    flush(session, "部分个案")
    if cases:
        audit.record(
            session,
            actor,
            AuditAction.UPDATE,
            record_type="case",
            record_id=to_worker_id,
            label=f"批量转移个案 {len(cases)} 件",
            detail=f"转给 {worker.display_name}：{reason}；"
            + "、".join(c.case_no for c in cases[:50]),
            station_id=station_id,
        )
    return len(cases)


def _set_deleted(session: Session, actor: Actor, case_id: uuid.UUID, deleted: bool) -> None:
    case = load_case(session, actor, case_id)
    if (case.deleted_at is not None) == deleted:
        raise ConflictError(
            f"个案 {case.case_no} " + ("已在回收站中。" if deleted else "不在回收站中。")
        )
    if actor.role is not Role.DIRECTOR and case.worker_id != actor.user_id:
        raise PermissionDenied(f"个案 {case.case_no} 只能由负责社工或站长删除或恢复。")
    case.deleted_at = utcnow() if deleted else None
    case.deleted_by = actor.user_id if deleted else None
    flush(session)
    log(session, actor, AuditAction.DELETE if deleted else AuditAction.RESTORE, case)


def delete_case(session: Session, actor: Actor, case_id: uuid.UUID) -> None:
    """Move a case to the recycle bin (its records stay with it)."""
    actor.require(Resource.CASE, Action.DELETE)
    _set_deleted(session, actor, case_id, True)


def restore_case(session: Session, actor: Actor, case_id: uuid.UUID) -> None:
    actor.require(Resource.CASE, Action.RESTORE)
    _set_deleted(session, actor, case_id, False)


def list_case_workers(session: Session, actor: Actor) -> list[tuple[uuid.UUID, str]]:
    """Active social workers and directors of the station (who can hold a case)."""
    actor.require(Resource.CASE, Action.READ)
    stmt = (
        select(User.id, User.display_name)
        .where(User.station_id == actor.station_id, User.active, User.role.in_(WORKER_ROLES))
        .order_by(User.display_name)
    )
    return [(uid, name) for uid, name in session.execute(stmt)]
