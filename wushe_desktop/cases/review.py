"""Supervisor review (督导审核): a station setting; when on, the assessment, the plan and the
closure report wait for the supervisor's approval or come back with comments."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.cases.access import load_case, require_content
from wushe_desktop.cases.case_records import RECORD_TYPE, RecordRow, to_row
from wushe_desktop.cases.common import event, flush, log
from wushe_desktop.cases.constants import RECORD_LABELS, SUPERVISOR_REVIEW_KEY, ReviewStatus
from wushe_desktop.cases.models import Case, CaseRecord
from wushe_desktop.infra.db.base import utcnow
from wushe_desktop.infra.errors import ConflictError, NotFound, ValidationError
from wushe_desktop.stations.settings import get_setting, set_setting


def supervisor_review_enabled(session: Session, actor: Actor) -> bool:
    return bool(get_setting(session, actor, SUPERVISOR_REVIEW_KEY, False))


def set_supervisor_review(session: Session, actor: Actor, enabled: bool) -> None:
    """Turn 督导审核 on or off (director; audited as a station setting)."""
    set_setting(session, actor, SUPERVISOR_REVIEW_KEY, bool(enabled))


def review_record(
    session: Session,
    actor: Actor,
    record_id: uuid.UUID,
    *,
    approve: bool,
    comment: str = "",
) -> RecordRow:
    """Approve a pending record, or return it with comments (which are required)."""
    actor.require(Resource.CASE, Action.APPROVE)
    record = session.get(CaseRecord, record_id)
    if record is None or record.deleted_at is not None:
        raise NotFound("未找到该记录。")
    case = load_case(session, actor, record.case_id)
    require_content(actor, case)
    label = RECORD_LABELS[record.kind]
    if record.review_status != ReviewStatus.PENDING:
        raise ConflictError(f"{label}当前不在待审核状态。")
    comment = comment.strip()
    if not approve and not comment:
        raise ValidationError("退回时请填写审核意见，说明需要修改的地方。", field="comment")
    record.review_status = (ReviewStatus.APPROVED if approve else ReviewStatus.RETURNED).value
    record.reviewer_name, record.reviewed_at = actor.display_name, utcnow()
    record.review_comment = comment
    flush(session, label)
    verdict = "通过" if approve else "退回"
    event(
        session, actor, case, "督导审核", f"{label}{verdict}" + (f"：{comment}" if comment else "")
    )
    log(
        session,
        actor,
        AuditAction.UPDATE,
        case,
        record_type=RECORD_TYPE,
        record_id=record.id,
        changes={"review_status": [ReviewStatus.PENDING.value, record.review_status]},
        detail=f"督导审核{label}：{verdict}",
    )
    return to_row(record)


@dataclass(frozen=True)
class PendingReview:
    record_id: uuid.UUID
    case_id: uuid.UUID
    case_no: str
    worker_name: str
    kind_label: str
    record_date: str


def pending_reviews(session: Session, actor: Actor) -> list[PendingReview]:
    """Records waiting for review at the actor's station (for supervisors and the director)."""
    actor.require(Resource.CASE, Action.APPROVE)
    stmt = (
        select(CaseRecord, Case.case_no, Case.worker_name)
        .join(Case, Case.id == CaseRecord.case_id)
        .where(
            CaseRecord.station_id == actor.station_id,
            CaseRecord.review_status == ReviewStatus.PENDING.value,
            CaseRecord.deleted_at.is_(None),
            Case.deleted_at.is_(None),
        )
        .order_by(CaseRecord.updated_at)
    )
    return [
        PendingReview(r.id, r.case_id, no, worker, RECORD_LABELS[r.kind], r.record_date.isoformat())
        for r, no, worker in session.execute(stmt)
    ]
