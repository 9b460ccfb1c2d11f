"""A volunteer's dated records: unavailability, training, awards, star levels, qualifications.

Each add/remove is audited against the volunteer (record type ``volunteer``), so the
volunteer's history shows every change to the record blocks of the 2020 办法 Art.4.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.infra.db.base import Base
from wushe_desktop.infra.errors import NotFound, ValidationError
from wushe_desktop.volunteers.constants import RECORD_TYPE, STAR_LABELS
from wushe_desktop.volunteers.models import (
    Volunteer,
    VolunteerAward,
    VolunteerQualification,
    VolunteerStar,
    VolunteerTraining,
    VolunteerUnavailable,
)
from wushe_desktop.volunteers.service import load_volunteer
from wushe_desktop.volunteers.settings import get_rules

__all__ = [
    "QualificationState",
    "VolunteerRecords",
    "add_award",
    "add_qualification",
    "add_star",
    "add_training",
    "add_unavailable",
    "expiring_qualifications",
    "list_records",
    "qualification_state",
    "remove_record",
]

_KINDS: dict[str, tuple[type[Base], str]] = {
    "unavailable": (VolunteerUnavailable, "不可服务日期"),
    "training": (VolunteerTraining, "培训记录"),
    "award": (VolunteerAward, "表彰奖励"),
    "star": (VolunteerStar, "星级评定"),
    "qualification": (VolunteerQualification, "岗位资格"),
}


def _text(value: str, limit: int, label: str, *, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError(f"{label}不能为空。", field=label)
    if len(text) > limit:
        raise ValidationError(f"{label}最长{limit}个字，当前为{len(text)}个字。", field=label)
    return text


def _log(
    session: Session, actor: Actor, volunteer: Volunteer, action: AuditAction, detail: str
) -> None:
    audit.record(
        session,
        actor,
        action,
        record_type=RECORD_TYPE,
        record_id=volunteer.id,
        label=volunteer.name,
        detail=detail,
        station_id=volunteer.station_id,
    )


def _editable(session: Session, actor: Actor, volunteer_id: uuid.UUID) -> Volunteer:
    actor.require(Resource.VOLUNTEER, Action.UPDATE)
    return load_volunteer(session, actor, volunteer_id)


def add_unavailable(
    session: Session,
    actor: Actor,
    volunteer_id: uuid.UUID,
    starts_on: date,
    ends_on: date,
    *,
    reason: str = "",
) -> VolunteerUnavailable:
    volunteer = _editable(session, actor, volunteer_id)
    if ends_on < starts_on:
        raise ValidationError("不可服务的结束日期早于开始日期，请核对。", field="ends_on")
    row = VolunteerUnavailable(
        volunteer_id=volunteer.id,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=_text(reason, 100, "原因"),
    )
    session.add(row)
    session.flush()
    _log(
        session,
        actor,
        volunteer,
        AuditAction.CREATE,
        f"不可服务：{starts_on.isoformat()} 至 {ends_on.isoformat()} {row.reason}".strip(),
    )
    return row


def add_training(
    session: Session,
    actor: Actor,
    volunteer_id: uuid.UUID,
    *,
    course: str,
    trained_on: date,
    minutes: int = 0,
    content: str = "",
    organiser: str = "",
    certificate: str = "",
) -> VolunteerTraining:
    volunteer = _editable(session, actor, volunteer_id)
    if minutes < 0:
        raise ValidationError("学习时长不能为负数。", field="minutes")
    row = VolunteerTraining(
        volunteer_id=volunteer.id,
        course=_text(course, 100, "培训名称", required=True),
        content=_text(content, 500, "主要内容"),
        minutes=minutes,
        organiser=_text(organiser, 100, "举办单位"),
        trained_on=trained_on,
        certificate=_text(certificate, 100, "培训证书"),
    )
    session.add(row)
    session.flush()
    _log(session, actor, volunteer, AuditAction.CREATE, f"培训：{row.course}（{trained_on}）")
    return row


def add_award(
    session: Session,
    actor: Actor,
    volunteer_id: uuid.UUID,
    *,
    name: str,
    awarded_on: date,
    body: str = "",
) -> VolunteerAward:
    volunteer = _editable(session, actor, volunteer_id)
    row = VolunteerAward(
        volunteer_id=volunteer.id,
        name=_text(name, 100, "表彰名称", required=True),
        awarded_on=awarded_on,
        body=_text(body, 100, "授予单位"),
    )
    session.add(row)
    session.flush()
    _log(session, actor, volunteer, AuditAction.CREATE, f"表彰：{row.name}（{row.body}）")
    return row


def add_star(
    session: Session,
    actor: Actor,
    volunteer_id: uuid.UUID,
    *,
    level: int,
    awarded_on: date,
    body: str,
    basis_minutes: int = 0,
    notes: str = "",
) -> VolunteerStar:
    """Record an awarded star (the computed eligibility is in scheduling.stats)."""
    volunteer = _editable(session, actor, volunteer_id)
    if level not in STAR_LABELS:
        raise ValidationError("星级应为一星至五星。", field="level")
    row = VolunteerStar(
        volunteer_id=volunteer.id,
        level=level,
        awarded_on=awarded_on,
        body=_text(body, 100, "评定单位", required=True),
        basis_minutes=basis_minutes,
        notes=_text(notes, 200, "说明"),
    )
    session.add(row)
    session.flush()
    _log(
        session,
        actor,
        volunteer,
        AuditAction.CREATE,
        f"星级评定：{STAR_LABELS[level]}志愿者（{row.body}，{awarded_on}）",
    )
    return row


def add_qualification(
    session: Session,
    actor: Actor,
    volunteer_id: uuid.UUID,
    *,
    kind: str,
    number: str = "",
    obtained_on: date | None = None,
    valid_until: date | None = None,
) -> VolunteerQualification:
    volunteer = _editable(session, actor, volunteer_id)
    if obtained_on and valid_until and valid_until < obtained_on:
        raise ValidationError("资格有效期早于取得日期，请核对。", field="valid_until")
    row = VolunteerQualification(
        volunteer_id=volunteer.id,
        kind=_text(kind, 50, "资格名称", required=True),
        number=_text(number, 60, "证书编号"),
        obtained_on=obtained_on,
        valid_until=valid_until,
    )
    session.add(row)
    session.flush()
    _log(session, actor, volunteer, AuditAction.CREATE, f"岗位资格：{row.kind}")
    return row


def remove_record(session: Session, actor: Actor, kind: str, record_id: uuid.UUID) -> None:
    """Delete one dated record of a volunteer (audited with what it said)."""
    model, label = _KINDS[kind]
    row: Any = session.get(model, record_id)
    if row is None:
        raise NotFound(f"未找到该{label}，可能已被删除。")
    volunteer = _editable(session, actor, row.volunteer_id)
    session.delete(row)
    session.flush()
    _log(session, actor, volunteer, AuditAction.DELETE, f"删除{label}")


@dataclass(frozen=True)
class VolunteerRecords:
    unavailable: list[VolunteerUnavailable]
    trainings: list[VolunteerTraining]
    awards: list[VolunteerAward]
    stars: list[VolunteerStar]
    qualifications: list[VolunteerQualification]


def list_records(session: Session, actor: Actor, volunteer_id: uuid.UUID) -> VolunteerRecords:
    actor.require(Resource.VOLUNTEER, Action.READ)
    volunteer = load_volunteer(session, actor, volunteer_id)
    vid = volunteer.id

    def rows(model: Any, order: Any) -> list[Any]:
        return list(session.scalars(select(model).where(model.volunteer_id == vid).order_by(order)))

    return VolunteerRecords(
        unavailable=rows(VolunteerUnavailable, VolunteerUnavailable.starts_on.desc()),
        trainings=rows(VolunteerTraining, VolunteerTraining.trained_on.desc()),
        awards=rows(VolunteerAward, VolunteerAward.awarded_on.desc()),
        stars=rows(VolunteerStar, VolunteerStar.awarded_on.desc()),
        qualifications=rows(VolunteerQualification, VolunteerQualification.kind),
    )


@dataclass(frozen=True)
class QualificationState:
    kind: str
    valid_until: date | None
    state: str  # 有效 | 即将到期 | 已过期


def qualification_state(valid_until: date | None, on: date, warn_days: int) -> str:
    if valid_until is None:
        return "有效"
    if valid_until < on:
        return "已过期"
    if valid_until <= on + timedelta(days=warn_days):
        return "即将到期"
    return "有效"


def expiring_qualifications(
    session: Session, actor: Actor, *, on: date | None = None
) -> list[tuple[str, str, date, str]]:
    """(volunteer name, what, valid until, state) for qualifications and insurance that
    expired or expire within the station's warning period, soonest first."""
    actor.require(Resource.VOLUNTEER, Action.READ)
    on = on or date.today()
    rules = get_rules(session, actor.station_id)
    horizon = on + timedelta(days=rules.qualification_warn_days)
    live = (Volunteer.deleted_at.is_(None), Volunteer.status == "在册")
    scope = [] if actor.is_district else [Volunteer.station_id == actor.station_id]
    found: list[tuple[str, str, date, str]] = []
    quals = session.execute(
        select(Volunteer.name, VolunteerQualification.kind, VolunteerQualification.valid_until)
        .join(Volunteer, Volunteer.id == VolunteerQualification.volunteer_id)
        .where(*scope, *live, VolunteerQualification.valid_until <= horizon)
    )
    for name, kind, until in quals:
        assert until is not None  # the <= filter excludes NULL
        found.append(
            (name, kind, until, qualification_state(until, on, rules.qualification_warn_days))
        )
    insured = session.execute(
        select(Volunteer.name, Volunteer.insurance_until).where(
            *scope, *live, Volunteer.insurance_until <= horizon
        )
    )
    for name, until in insured:
        assert until is not None
        found.append(
            (
                name,
                "志愿者保险",
                until,
                qualification_state(until, on, rules.qualification_warn_days),
            )
        )
    found.sort(key=lambda item: (item[2], item[0]))
    return found
