"""Stage records: write (one current record per kind, follow-ups many), read, follow-ups.

A record is written while the case is at (or past) its stage: the assessment from 预估
on, the plan from 计划, the evaluation at 评估; the intake and the closure report in any
open stage (a case may end early: refused, moved, died, referred); follow-ups after
closure. Saving an assessment, plan or closure while 督导审核 is on submits it for review.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.cases import records as rec
from wushe_desktop.cases.access import load_case, require_content, require_write, resident_of
from wushe_desktop.cases.common import event, flush, hidden_changes, log, review_on
from wushe_desktop.cases.constants import (
    CLOSED_STAGES,
    OPEN_STAGES,
    RECORD_LABELS,
    REVIEWED_KINDS,
    ClosureReason,
    RecordKind,
    ReviewStatus,
    Stage,
    stage_index,
)
from wushe_desktop.cases.models import Case, CaseRecord
from wushe_desktop.domain.dates import age_on
from wushe_desktop.infra.db.base import utcnow
from wushe_desktop.infra.errors import ConflictError, NotFound, ValidationError

RECORD_TYPE = "case_record"

#: The first stage at which each single record may be written.
_FROM_STAGE = {
    RecordKind.INTAKE: Stage.INTAKE,
    RecordKind.ASSESSMENT: Stage.ASSESSMENT,
    RecordKind.PLAN: Stage.PLAN,
    RecordKind.EVALUATION: Stage.EVALUATION,
    RecordKind.CLOSURE: Stage.INTAKE,
}


@dataclass(frozen=True)
class RecordRow:
    id: uuid.UUID
    case_id: uuid.UUID
    kind: str
    record_date: date
    data: rec.RecordData
    due_on: date | None
    done_on: date | None
    author_name: str
    review_status: str
    reviewer_name: str
    reviewed_at: datetime | None
    review_comment: str
    version: int
    created_at: datetime
    archived: bool  # superseded (e.g. the closure report of a reopened case)

    @property
    def label(self) -> str:
        return RECORD_LABELS[self.kind]


def to_row(r: CaseRecord) -> RecordRow:
    return RecordRow(
        id=r.id,
        case_id=r.case_id,
        kind=r.kind,
        record_date=r.record_date,
        data=rec.load(r.kind, r.data),
        due_on=r.due_on,
        done_on=r.done_on,
        author_name=r.author_name,
        review_status=r.review_status,
        reviewer_name=r.reviewer_name,
        reviewed_at=r.reviewed_at,
        review_comment=r.review_comment,
        version=r.version,
        created_at=r.created_at,
        archived=r.deleted_at is not None,
    )


def current(session: Session, case_id: uuid.UUID, kind: str) -> CaseRecord | None:
    """The live record of a kind (the newest, should there be several)."""
    stmt = (
        select(CaseRecord)
        .where(
            CaseRecord.case_id == case_id,
            CaseRecord.kind == kind,
            CaseRecord.deleted_at.is_(None),
        )
        .order_by(CaseRecord.created_at.desc(), CaseRecord.id.desc())
        .limit(1)
    )
    return session.scalars(stmt).first()


def current_data(session: Session, case_id: uuid.UUID, kind: str) -> rec.RecordData | None:
    found = current(session, case_id, kind)
    return rec.load(kind, found.data) if found is not None else None


def _check_stage(case: Case, kind: str) -> None:
    label = RECORD_LABELS[kind]
    if case.stage in CLOSED_STAGES:
        raise ConflictError(
            f"个案 {case.case_no} 已结案，不能再修改{label}；如需继续服务请重新开案。"
        )
    first = _FROM_STAGE[RecordKind(kind)]
    if stage_index(case.stage) < stage_index(first):
        raise ValidationError(
            f"个案还在“{case.stage}”阶段，{label}须在进入“{first.value}”阶段后填写。",
            field="stage",
        )


def _clean(session: Session, case: Case, data: rec.RecordData, record_date: date) -> rec.RecordData:
    if isinstance(data, rec.IntakeData):
        resident = resident_of(session, case)
        under_14 = resident.birth_date is not None and age_on(resident.birth_date, record_date) < 14
        return data.checked(minor_under_14=under_14)
    if isinstance(data, rec.AssessmentData):
        return data.checked()
    if isinstance(data, rec.PlanData):
        return data.checked(record_date)
    if isinstance(data, rec.EvaluationData):
        plan = current_data(session, case.id, RecordKind.PLAN)
        assert plan is None or isinstance(plan, rec.PlanData)
        return data.checked(plan)
    if isinstance(data, rec.ClosureData):
        clean = data.checked()
        if clean.reason == ClosureReason.GOALS_MET and case.stage != Stage.EVALUATION:
            raise ValidationError(
                "以“目标达成”结案须先完成成效评估（个案应处于评估阶段）；"
                "提前结案请选择其他结案原因。",
                field="reason",
            )
        return clean
    raise ValidationError("回访记录请用“安排回访”和“记录回访结果”填写。", field="kind")


def _record_date_ok(case: Case, record_date: date, today: date) -> None:
    if record_date > today:
        raise ValidationError("记录日期不能晚于今天。", field="record_date")
    if record_date < case.opened_on:
        raise ValidationError(
            f"记录日期早于接案日期 {case.opened_on.isoformat()}，请检查。", field="record_date"
        )


def save_record(
    session: Session,
    actor: Actor,
    case_id: uuid.UUID,
    data: rec.RecordData,
    *,
    record_date: date,
    expected_version: int | None = None,
    today: date | None = None,
) -> RecordRow:
    """Write the case's intake, assessment, plan, evaluation or closure report."""
    case = load_case(session, actor, case_id)
    require_write(actor, case)
    kind = rec.kind_of(data)
    _check_stage(case, kind)
    _record_date_ok(case, record_date, today or date.today())
    clean = _clean(session, case, data, record_date)
    text = rec.dump(clean)
    existing = current(session, case.id, kind)
    if (
        existing is not None
        and expected_version is not None
        and existing.version != expected_version
    ):
        raise ConflictError(f"{RECORD_LABELS[kind]}已被其他用户修改，请刷新后再编辑。")
    reviewing = kind in REVIEWED_KINDS and review_on(session, actor, case.station_id)
    status = ReviewStatus.PENDING.value if reviewing else ReviewStatus.NONE.value
    due = clean.earliest_target() if isinstance(clean, rec.PlanData) else None
    if existing is None:
        record = CaseRecord(
            station_id=case.station_id,
            case_id=case.id,
            kind=kind,
            record_date=record_date,
            data=text,
            due_on=due,
            author_id=actor.user_id,
            author_name=actor.display_name,
            review_status=status,
        )
        session.add(record)
        old: dict[str, object] = {}
    else:
        record = existing
        old = json.loads(existing.data) | {"record_date": existing.record_date}
        if existing.data == text and existing.record_date == record_date:
            return to_row(existing)  # nothing changed: no new version, no new review
        record.data, record.record_date, record.due_on = text, record_date, due
        record.author_id, record.author_name = actor.user_id, actor.display_name
        record.review_status = status
        record.reviewer_name, record.reviewed_at, record.review_comment = "", None, ""
    if isinstance(clean, rec.AssessmentData) and case.risk_level != clean.risk_level:
        event(session, actor, case, "风险调整", f"{case.risk_level} → {clean.risk_level}（预估）")
        case.risk_level = clean.risk_level
        case.updated_at = utcnow()
    flush(session, RECORD_LABELS[kind])
    if reviewing:
        event(session, actor, case, "提交审核", RECORD_LABELS[kind], on=record_date)
    new = json.loads(text) | {"record_date": record_date}
    log(
        session,
        actor,
        AuditAction.CREATE if not old else AuditAction.UPDATE,
        case,
        record_type=RECORD_TYPE,
        record_id=record.id,
        changes=hidden_changes(old, new),
        detail=RECORD_LABELS[kind],
    )
    return to_row(record)


def case_records(
    session: Session, actor: Actor, case_id: uuid.UUID, *, archived: bool = True
) -> list[RecordRow]:
    """Every stage record of a case in date order (content: worker, director, supervisor)."""
    case = load_case(session, actor, case_id)
    require_content(actor, case)
    stmt = select(CaseRecord).where(CaseRecord.case_id == case.id)
    if not archived:
        stmt = stmt.where(CaseRecord.deleted_at.is_(None))
    found = session.scalars(stmt.order_by(CaseRecord.record_date, CaseRecord.created_at))
    return [to_row(r) for r in found]


# --------------------------------------------------------------------------- follow-ups


def schedule_follow_up(
    session: Session,
    actor: Actor,
    case_id: uuid.UUID,
    due_on: date,
    data: rec.FollowUpData,
    *,
    today: date | None = None,
) -> RecordRow:
    """Plan a follow-up (回访) of a closed case on ``due_on``."""
    case = load_case(session, actor, case_id)
    require_write(actor, case)
    if case.stage not in CLOSED_STAGES:
        raise ValidationError("回访在结案之后安排；个案尚未结案。", field="stage")
    if case.closed_on is not None and due_on < case.closed_on:
        raise ValidationError("回访日期不能早于结案日期。", field="due_on")
    clean = data.checked(done=False)
    record = CaseRecord(
        station_id=case.station_id,
        case_id=case.id,
        kind=RecordKind.FOLLOW_UP.value,
        record_date=today or date.today(),
        data=rec.dump(clean),
        due_on=due_on,
        author_id=actor.user_id,
        author_name=actor.display_name,
    )
    session.add(record)
    flush(session, "回访记录")
    log(
        session,
        actor,
        AuditAction.CREATE,
        case,
        record_type=RECORD_TYPE,
        record_id=record.id,
        detail=f"安排回访 {due_on.isoformat()}",
    )
    return to_row(record)


def _follow_up(session: Session, actor: Actor, record_id: uuid.UUID) -> tuple[Case, CaseRecord]:
    record = session.get(CaseRecord, record_id)
    if record is None or record.kind != RecordKind.FOLLOW_UP or record.deleted_at is not None:
        raise NotFound("未找到该回访记录。")
    case = load_case(session, actor, record.case_id)
    require_write(actor, case)
    return case, record


def complete_follow_up(
    session: Session,
    actor: Actor,
    record_id: uuid.UUID,
    done_on: date,
    data: rec.FollowUpData,
    *,
    duration_minutes: int = 15,
    today: date | None = None,
) -> RecordRow:
    """Record a follow-up's result; it counts as a service (电话回访 or 探访) and moves a
    case at 结案 to 回访."""
    from wushe_desktop.cases.interventions import InterventionInput, add_intervention

    case, record = _follow_up(session, actor, record_id)
    if record.done_on is not None:
        raise ConflictError("该回访已记录结果。")
    if done_on > (today or date.today()):
        raise ValidationError("回访日期不能晚于今天。", field="done_on")
    clean = data.checked(done=True)
    record.data, record.done_on = rec.dump(clean), done_on
    flush(session, "回访记录")
    add_intervention(
        session,
        actor,
        case.id,
        InterventionInput(
            served_on=done_on,
            service_type="电话回访" if clean.mode == "电话" else "探访",
            duration_minutes=duration_minutes,
            content=f"结案回访：{clean.result}。{clean.notes}",
        ),
        allow_closed=True,
    )
    if case.stage == Stage.CLOSED:
        event(
            session,
            actor,
            case,
            "阶段推进",
            "完成首次回访",
            on=done_on,
            from_stage=case.stage,
            to_stage=Stage.FOLLOW_UP.value,
        )
        case.stage = Stage.FOLLOW_UP.value
        case.updated_at = utcnow()
        flush(session)
    log(
        session,
        actor,
        AuditAction.UPDATE,
        case,
        record_type=RECORD_TYPE,
        record_id=record.id,
        detail=f"回访结果 {clean.result}",
    )
    return to_row(record)


def cancel_follow_up(session: Session, actor: Actor, record_id: uuid.UUID) -> None:
    case, record = _follow_up(session, actor, record_id)
    if record.done_on is not None:
        raise ConflictError("已完成的回访不能取消。")
    record.deleted_at, record.deleted_by = utcnow(), actor.user_id
    flush(session, "回访记录")
    log(
        session,
        actor,
        AuditAction.DELETE,
        case,
        record_type=RECORD_TYPE,
        record_id=record.id,
        detail="取消回访",
    )


def open_stage(stage: str) -> bool:
    return stage in OPEN_STAGES
