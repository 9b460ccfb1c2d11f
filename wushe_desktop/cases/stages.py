"""Stage transitions with their guards: forward one stage at a time once the record it
needs exists (and is approved when 督导审核 is on); back with a reason; close; reopen.

Entering a stage needs:
  预估 ← an intake record that accepts the case (with consent);
  计划 ← an assessment;  介入 ← a plan;  评估 ← at least one service record of the case;
  结案 ← a closure report and, for 目标达成, an evaluation (earlier stages may close for
         other reasons: refused, moved, died, referred);
  回访 ← a closed case with a follow-up carried out.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.cases import records as rec
from wushe_desktop.cases.access import load_case, require_write
from wushe_desktop.cases.case_records import current, save_record
from wushe_desktop.cases.common import check_version, event, flush, log, review_on
from wushe_desktop.cases.constants import (
    CLOSED_STAGES,
    OPEN_STAGES,
    RECORD_LABELS,
    REVIEWED_KINDS,
    STAGES,
    ClosureReason,
    RecordKind,
    ReviewStatus,
    Stage,
    stage_index,
)
from wushe_desktop.cases.models import Case, CaseRecord
from wushe_desktop.cases.rows import CaseRow
from wushe_desktop.cases.service import get_case
from wushe_desktop.infra.db.base import utcnow
from wushe_desktop.infra.errors import ConflictError, ValidationError
from wushe_desktop.service_records.models import ServiceRecord


@dataclass(frozen=True)
class StageCheck:
    """Whether the next stage may be entered, and if not, why (shown in the workflow bar)."""

    stage: str
    allowed: bool
    reason: str = ""


def _approved(session: Session, actor: Actor, case: Case, record: CaseRecord) -> str:
    """Empty when the record may be relied on; else what is missing."""
    if record.kind not in REVIEWED_KINDS or not review_on(session, actor, case.station_id):
        return ""
    label = RECORD_LABELS[record.kind]
    if record.review_status == ReviewStatus.PENDING:
        return f"{label}正在等待督导审核。"
    if record.review_status == ReviewStatus.RETURNED:
        return f"{label}被督导退回，请按意见修改后重新提交。"
    return ""


def _has_service(session: Session, case: Case) -> bool:
    stmt = select(
        exists().where(
            ServiceRecord.source_id == case.id,
            ServiceRecord.source_type == "case",
            ServiceRecord.deleted_at.is_(None),
        )
    )
    return bool(session.scalar(stmt))


def _needs(session: Session, actor: Actor, case: Case, kind: RecordKind) -> str:
    record = current(session, case.id, kind)
    if record is None:
        return f"请先填写{RECORD_LABELS[kind]}。"
    return _approved(session, actor, case, record)


def _intake_ok(session: Session, actor: Actor, case: Case) -> str:
    intake = current(session, case.id, RecordKind.INTAKE)
    if intake is None:
        return "请先填写接案登记。"
    data = rec.load(intake.kind, intake.data)
    assert isinstance(data, rec.IntakeData)
    if not data.accepted:
        return "接案登记为“不予接案”，不能进入预估；请以相应原因结案。"
    return ""


def _closure_ok(session: Session, actor: Actor, case: Case) -> str:
    closure = current(session, case.id, RecordKind.CLOSURE)
    if closure is None:
        return "请先填写结案报告。"
    data = rec.load(closure.kind, closure.data)
    assert isinstance(data, rec.ClosureData)
    if data.reason == ClosureReason.GOALS_MET:
        if case.stage != Stage.EVALUATION:
            return "以“目标达成”结案须先完成评估阶段。"
        missing = _needs(session, actor, case, RecordKind.EVALUATION)
        if missing:
            return missing
    return _approved(session, actor, case, closure)


def _follow_up_ok(session: Session, actor: Actor, case: Case) -> str:
    done = session.scalar(
        select(
            exists().where(
                CaseRecord.case_id == case.id,
                CaseRecord.kind == RecordKind.FOLLOW_UP,
                CaseRecord.done_on.is_not(None),
                CaseRecord.deleted_at.is_(None),
            )
        )
    )
    return "" if done else "请先记录一次回访结果。"


def _service_ok(session: Session, actor: Actor, case: Case) -> str:
    return "" if _has_service(session, case) else "请先记录至少一次介入服务。"


_GUARDS: dict[Stage, Callable[[Session, Actor, Case], str]] = {
    Stage.ASSESSMENT: _intake_ok,
    Stage.PLAN: lambda s, a, c: _needs(s, a, c, RecordKind.ASSESSMENT),
    Stage.INTERVENTION: lambda s, a, c: _needs(s, a, c, RecordKind.PLAN),
    Stage.EVALUATION: _service_ok,
    Stage.CLOSED: _closure_ok,
    Stage.FOLLOW_UP: _follow_up_ok,
}


def entry_problem(session: Session, actor: Actor, case: Case, target: Stage) -> str:
    """Why ``target`` cannot be entered from the case's stage now ("" when it can)."""
    guard = _GUARDS.get(target)
    if guard is None:
        return "接案是个案的第一个阶段。"
    return guard(session, actor, case)


def next_stage(stage: str) -> Stage | None:
    i = stage_index(stage)
    return STAGES[i + 1] if i + 1 < len(STAGES) else None


def check_next(session: Session, actor: Actor, case_id: uuid.UUID) -> StageCheck | None:
    """Whether the case may move on to its next stage (None at the last stage)."""
    case = load_case(session, actor, case_id)
    target = next_stage(case.stage)
    if target is None:
        return None
    problem = entry_problem(session, actor, case, target)
    return StageCheck(target.value, not problem, problem)


def _enter(
    session: Session, actor: Actor, case: Case, target: Stage, *, kind: str, text: str, on: date
) -> None:
    before = case.stage
    event(session, actor, case, kind, text, on=on, from_stage=before, to_stage=target.value)
    case.stage = target.value
    if target == Stage.CLOSED:
        closure = current(session, case.id, RecordKind.CLOSURE)
        case.closed_on = closure.record_date if closure is not None else on
    case.updated_at = utcnow()
    flush(session)
    log(
        session,
        actor,
        AuditAction.UPDATE,
        case,
        changes={"stage": [before, target.value]},
        detail=f"{kind}：{text}" if text else kind,
    )


def move_to(
    session: Session,
    actor: Actor,
    case_id: uuid.UUID,
    target: str,
    *,
    reason: str = "",
    on: date | None = None,
    expected_version: int | None = None,
) -> CaseRow:
    """Go forward one stage (guarded) or back to an earlier open stage (with a reason)."""
    case = load_case(session, actor, case_id)
    require_write(actor, case)
    check_version(case, expected_version)
    on = on or date.today()
    goal = Stage(target)
    here, there = stage_index(case.stage), stage_index(goal)
    if there == here:
        raise ValidationError(f"个案已处于“{goal.value}”阶段。", field="stage")
    if there > here:
        if there > here + 1 and not (goal == Stage.CLOSED and case.stage in OPEN_STAGES):
            raise ValidationError(
                f"不能跳过阶段：个案在“{case.stage}”阶段，下一阶段是“{STAGES[here + 1].value}”。",
                field="stage",
            )
        problem = entry_problem(session, actor, case, goal)
        if problem:
            raise ValidationError(f"不能进入“{goal.value}”阶段：{problem}", field="stage")
        _enter(session, actor, case, goal, kind="阶段推进", text=reason.strip(), on=on)
        return get_case(session, actor, case.id)
    reason = reason.strip()
    if not reason:
        raise ValidationError("回到之前的阶段须填写原因。", field="reason")
    if case.stage in CLOSED_STAGES and goal.value in OPEN_STAGES:
        return reopen_case(session, actor, case.id, reason, to_stage=goal.value, on=on)
    _enter(session, actor, case, goal, kind="阶段回退", text=reason, on=on)
    return get_case(session, actor, case.id)


def close_case(
    session: Session,
    actor: Actor,
    case_id: uuid.UUID,
    data: rec.ClosureData,
    *,
    on: date,
    follow_up_on: date | None = None,
    follow_up_mode: str = "电话",
    today: date | None = None,
) -> CaseRow:
    """Write the closure report and close the case — unless the report must first be
    approved by the supervisor (then the case waits in its stage)."""
    from wushe_desktop.cases.case_records import schedule_follow_up

    row = save_record(session, actor, case_id, data, record_date=on, today=today)
    case = load_case(session, actor, case_id)
    problem = entry_problem(session, actor, case, Stage.CLOSED)
    if row.review_status == ReviewStatus.PENDING:
        return get_case(session, actor, case.id)
    if problem:
        raise ValidationError(f"不能结案：{problem}", field="stage")
    _enter(session, actor, case, Stage.CLOSED, kind="结案", text=data.reason, on=on)
    if follow_up_on is not None:
        schedule_follow_up(
            session,
            actor,
            case.id,
            follow_up_on,
            rec.FollowUpData(mode=follow_up_mode, purpose="结案后回访"),
            today=today,
        )
    return get_case(session, actor, case.id)


def reopen_case(
    session: Session,
    actor: Actor,
    case_id: uuid.UUID,
    reason: str,
    *,
    to_stage: str = Stage.ASSESSMENT.value,
    on: date | None = None,
) -> CaseRow:
    """Reopen a closed case at an open stage; its closure report is kept, marked as superseded."""
    case = load_case(session, actor, case_id)
    require_write(actor, case)
    if case.stage not in CLOSED_STAGES:
        raise ConflictError(f"个案 {case.case_no} 尚未结案，无需重新开案。")
    reason = reason.strip()
    if not reason:
        raise ValidationError("重新开案须填写原因。", field="reason")
    goal = Stage(to_stage)
    if goal.value not in OPEN_STAGES:
        raise ValidationError("重新开案后的阶段应为接案至评估之一。", field="stage")
    closure = current(session, case.id, RecordKind.CLOSURE)
    if closure is not None:
        closure.deleted_at, closure.deleted_by = utcnow(), actor.user_id
    case.closed_on = None
    case.reopen_count += 1
    _enter(session, actor, case, goal, kind="重新开案", text=reason, on=on or date.today())
    return get_case(session, actor, case.id)
