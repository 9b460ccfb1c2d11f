"""Referrals (转介) of a case to a social organisation, a government department or the
charity side, with their status and the receiver's feedback."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.cases.access import load_case, require_content, require_write
from wushe_desktop.cases.common import event, flush, hidden_changes, log
from wushe_desktop.cases.constants import ReferralStatus, ReferralTarget
from wushe_desktop.cases.models import Case, CaseReferral
from wushe_desktop.infra.db.base import utcnow
from wushe_desktop.infra.errors import NotFound, ValidationError

RECORD_TYPE = "case_referral"


@dataclass(frozen=True)
class ReferralInput:
    target_kind: str
    target_name: str
    referred_on: date
    reason: str
    contact: str = ""
    status: str = ReferralStatus.SENT.value
    feedback: str = ""
    feedback_on: date | None = None


@dataclass(frozen=True)
class ReferralRow:
    id: uuid.UUID
    case_id: uuid.UUID
    target_kind: str
    target_name: str
    contact: str
    referred_on: date
    reason: str
    status: str
    feedback: str
    feedback_on: date | None
    version: int


def _row(r: CaseReferral) -> ReferralRow:
    return ReferralRow(
        r.id,
        r.case_id,
        r.target_kind,
        r.target_name,
        r.contact,
        r.referred_on,
        r.reason,
        r.status,
        r.feedback,
        r.feedback_on,
        r.version,
    )


def check_referral(data: ReferralInput, today: date) -> ReferralInput:
    if data.target_kind not in tuple(ReferralTarget):
        raise ValidationError(
            f"转介对象类型应为 {'、'.join(ReferralTarget)} 之一。", field="target_kind"
        )
    name = data.target_name.strip()
    if not name:
        raise ValidationError("请填写转介机构或部门的名称。", field="target_name")
    if len(name) > 100 or len(data.contact) > 100:
        raise ValidationError("机构名称或联系方式过长（不超过 100 字）。", field="target_name")
    if data.referred_on > today:
        raise ValidationError("转介日期不能晚于今天。", field="referred_on")
    if not data.reason.strip():
        raise ValidationError("请填写转介原因。", field="reason")
    if data.status not in tuple(ReferralStatus):
        raise ValidationError(f"转介状态应为 {'、'.join(ReferralStatus)} 之一。", field="status")
    if data.feedback_on is not None and data.feedback_on < data.referred_on:
        raise ValidationError("反馈日期早于转介日期，请检查。", field="feedback_on")
    return ReferralInput(
        data.target_kind,
        name,
        data.referred_on,
        data.reason.strip(),
        data.contact.strip(),
        data.status,
        data.feedback.strip(),
        data.feedback_on,
    )


def _snapshot(r: CaseReferral) -> dict[str, object]:
    return {
        "target_kind": r.target_kind,
        "target_name": r.target_name,
        "contact": r.contact,
        "referred_on": r.referred_on,
        "reason": r.reason,
        "status": r.status,
        "feedback": r.feedback,
        "feedback_on": r.feedback_on,
    }


def _apply(r: CaseReferral, d: ReferralInput) -> None:
    r.target_kind, r.target_name, r.contact = d.target_kind, d.target_name, d.contact
    r.referred_on, r.reason, r.status = d.referred_on, d.reason, d.status
    r.feedback, r.feedback_on = d.feedback, d.feedback_on


def add_referral(
    session: Session,
    actor: Actor,
    case_id: uuid.UUID,
    data: ReferralInput,
    *,
    today: date | None = None,
) -> ReferralRow:
    case = load_case(session, actor, case_id)
    require_write(actor, case)
    clean = check_referral(data, today or date.today())
    referral = CaseReferral(station_id=case.station_id, case_id=case.id)
    _apply(referral, clean)
    session.add(referral)
    flush(session, "转介记录")
    event(
        session,
        actor,
        case,
        "转介",
        f"转介至{clean.target_kind}“{clean.target_name}”",
        on=clean.referred_on,
    )
    log(
        session,
        actor,
        AuditAction.CREATE,
        case,
        record_type=RECORD_TYPE,
        record_id=referral.id,
        detail=f"转介至 {clean.target_name}",
    )
    return _row(referral)


def _load(session: Session, actor: Actor, referral_id: uuid.UUID) -> tuple[Case, CaseReferral]:
    referral = session.get(CaseReferral, referral_id)
    if referral is None or referral.deleted_at is not None:
        raise NotFound("未找到该转介记录。")
    case = load_case(session, actor, referral.case_id)
    require_write(actor, case)
    return case, referral


def update_referral(
    session: Session,
    actor: Actor,
    referral_id: uuid.UUID,
    data: ReferralInput,
    *,
    expected_version: int | None = None,
    today: date | None = None,
) -> ReferralRow:
    """Change a referral, typically its status and the receiver's feedback."""
    case, referral = _load(session, actor, referral_id)
    if expected_version is not None and referral.version != expected_version:
        raise ValidationError("该转介记录已被其他用户修改，请刷新后再编辑。", field="version")
    clean = check_referral(data, today or date.today())
    before = _snapshot(referral)
    _apply(referral, clean)
    after = _snapshot(referral)
    if before == after:
        return _row(referral)
    flush(session, "转介记录")
    status = audit.diff({"status": before["status"]}, {"status": after["status"]})
    if status:
        event(
            session,
            actor,
            case,
            "转介反馈",
            f"“{clean.target_name}”：{clean.status}",
            on=clean.feedback_on or date.today(),
        )
    log(
        session,
        actor,
        AuditAction.UPDATE,
        case,
        record_type=RECORD_TYPE,
        record_id=referral.id,
        changes=hidden_changes(before, after) | status,
    )
    return _row(referral)


def delete_referral(session: Session, actor: Actor, referral_id: uuid.UUID) -> None:
    case, referral = _load(session, actor, referral_id)
    referral.deleted_at, referral.deleted_by = utcnow(), actor.user_id
    flush(session, "转介记录")
    log(session, actor, AuditAction.DELETE, case, record_type=RECORD_TYPE, record_id=referral.id)


def case_referrals(session: Session, actor: Actor, case_id: uuid.UUID) -> list[ReferralRow]:
    case = load_case(session, actor, case_id)
    require_content(actor, case)
    stmt = (
        select(CaseReferral)
        .where(CaseReferral.case_id == case.id, CaseReferral.deleted_at.is_(None))
        .order_by(CaseReferral.referred_on, CaseReferral.created_at)
    )
    return [_row(r) for r in session.scalars(stmt)]
