"""Consent records (PIPL Art.14/15/29/31): who agreed to what notice, when, and withdrawal.

A child under 14 cannot consent: a guardian must (given by someone other than the child,
with the relation recorded). Sensitive data needs its own, separate consent (单独同意),
recorded as a record with ``sensitive=True``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.domain.dates import age_on
from wushe_desktop.infra.errors import ConflictError, NotFound, ValidationError
from wushe_desktop.residents.common import load_resident
from wushe_desktop.residents.models import ConsentRecord, Resident

__all__ = [
    "GUARDIAN_AGE",
    "ConsentRow",
    "add_consent",
    "list_consents",
    "withdraw_consent",
]

RECORD_TYPE = "consent"
GUARDIAN_AGE = 14  # PIPL Art.31: under 14 a guardian consents
_MAX = {"scope": 100, "given_by": 50, "guardian_relation": 20, "notice_version": 30, "method": 30}
_LABELS = {
    "scope": "同意范围",
    "given_by": "同意人",
    "guardian_relation": "与居民关系",
    "notice_version": "告知书版本",
    "method": "同意方式",
}


@dataclass(frozen=True)
class ConsentRow:
    id: uuid.UUID
    resident_id: uuid.UUID
    scope: str
    sensitive: bool
    given_by: str
    guardian_relation: str
    notice_version: str
    method: str
    given_on: date
    withdrawn_on: date | None
    recorded_by: str
    notes: str

    @property
    def active(self) -> bool:
        return self.withdrawn_on is None


def _row(c: ConsentRecord) -> ConsentRow:
    return ConsentRow(
        id=c.id,
        resident_id=c.resident_id,
        scope=c.scope,
        sensitive=c.sensitive,
        given_by=c.given_by,
        guardian_relation=c.guardian_relation,
        notice_version=c.notice_version,
        method=c.method,
        given_on=c.given_on,
        withdrawn_on=c.withdrawn_on,
        recorded_by=c.recorded_by,
        notes=c.notes,
    )


def _text(name: str, value: str, *, required: bool) -> str:
    text = " ".join((value or "").split())
    if required and not text:
        raise ValidationError(f"{_LABELS[name]}不能为空。", field=name)
    if len(text) > _MAX[name]:
        raise ValidationError(
            f"{_LABELS[name]}最长{_MAX[name]}个字，当前为{len(text)}个字。", field=name
        )
    return text


def _check_guardian(resident: Resident, given_by: str, relation: str, given_on: date) -> None:
    """Under 14 on the day of consent: a guardian, not the child, must consent."""
    if resident.birth_date is None or resident.birth_date > given_on:
        return
    age = age_on(resident.birth_date, given_on)
    if age >= GUARDIAN_AGE:
        return
    if given_by == resident.name or not relation:
        raise ValidationError(
            f"居民“{resident.name}”在同意日期时未满14周岁（{age}岁），"
            "须由其监护人同意：请填写监护人姓名及与居民的关系。",
            field="given_by" if given_by == resident.name else "guardian_relation",
        )


def add_consent(
    session: Session,
    actor: Actor,
    resident_id: uuid.UUID,
    *,
    scope: str,
    sensitive: bool,
    given_by: str,
    guardian_relation: str = "",
    notice_version: str,
    method: str = "书面签字",
    given_on: date,
    notes: str = "",
) -> ConsentRow:
    """Record a consent; refused for a child under 14 unless a guardian gave it."""
    actor.require(Resource.RESIDENT, Action.UPDATE)
    resident = load_resident(session, actor, resident_id)
    if resident.deleted_at is not None:
        raise ConflictError(f"居民“{resident.name}”在回收站中，请先恢复再登记同意。")
    if given_on > date.today():
        raise ValidationError(
            f"同意日期 {given_on.isoformat()} 晚于今天，请核对。", field="given_on"
        )
    scope = _text("scope", scope, required=True)
    given_by = _text("given_by", given_by, required=True)
    relation = _text("guardian_relation", guardian_relation, required=False)
    notice_version = _text("notice_version", notice_version, required=True)
    method = _text("method", method, required=True)
    _check_guardian(resident, given_by, relation, given_on)
    record = ConsentRecord(
        resident_id=resident.id,
        scope=scope,
        sensitive=sensitive,
        given_by=given_by,
        guardian_relation=relation,
        notice_version=notice_version,
        method=method,
        given_on=given_on,
        recorded_by=actor.display_name[:50],
        notes=(notes or "").strip(),
    )
    session.add(record)
    session.flush()
    kind = "单独同意（敏感个人信息）" if sensitive else "同意"
    audit.record(
        session,
        actor,
        AuditAction.CREATE,
        record_type=RECORD_TYPE,
        record_id=record.id,
        label=resident.name,
        changes=audit.diff(
            {},
            {
                "scope": scope,
                "sensitive": sensitive,
                "given_by": given_by,
                "guardian_relation": relation,
                "notice_version": notice_version,
                "method": method,
                "given_on": given_on,
            },
        ),
        detail=f"登记{kind}：{scope}",
        station_id=resident.station_id,
    )
    return _row(record)


def _load_consent(session: Session, actor: Actor, consent_id: uuid.UUID) -> ConsentRecord:
    record = session.get(ConsentRecord, consent_id)
    if record is None:
        raise NotFound("未找到该同意记录。")
    actor.require_station(record.resident.station_id)
    return record


def withdraw_consent(
    session: Session, actor: Actor, consent_id: uuid.UUID, withdrawn_on: date
) -> ConsentRow:
    """Record that a consent was withdrawn (PIPL Art.15); the record itself is kept."""
    actor.require(Resource.RESIDENT, Action.UPDATE)
    record = _load_consent(session, actor, consent_id)
    if record.withdrawn_on is not None:
        raise ConflictError(f"该同意已于 {record.withdrawn_on.isoformat()} 撤回。")
    if withdrawn_on < record.given_on:
        raise ValidationError(
            f"撤回日期 {withdrawn_on.isoformat()} 早于同意日期 {record.given_on.isoformat()}，"
            "请核对。",
            field="withdrawn_on",
        )
    if withdrawn_on > date.today():
        raise ValidationError(
            f"撤回日期 {withdrawn_on.isoformat()} 晚于今天，请核对。", field="withdrawn_on"
        )
    record.withdrawn_on = withdrawn_on
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.UPDATE,
        record_type=RECORD_TYPE,
        record_id=record.id,
        label=record.resident.name,
        changes=audit.diff({"withdrawn_on": None}, {"withdrawn_on": withdrawn_on}),
        detail=f"撤回同意：{record.scope}",
        station_id=record.resident.station_id,
    )
    return _row(record)


def list_consents(session: Session, actor: Actor, resident_id: uuid.UUID) -> list[ConsentRow]:
    """A resident's consent records, oldest first (withdrawn ones included)."""
    actor.require(Resource.RESIDENT, Action.READ)
    resident = load_resident(session, actor, resident_id)
    stmt = (
        select(ConsentRecord)
        .where(ConsentRecord.resident_id == resident.id)
        .order_by(ConsentRecord.given_on, ConsentRecord.created_at, ConsentRecord.id)
    )
    return [_row(c) for c in session.scalars(stmt)]
