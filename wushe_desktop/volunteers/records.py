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
    "record_values",
    "remove_record",
    "update_award",
    "update_qualification",
    "update_star",
    "update_training",
    "update_unavailable",
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


#: Column → label, for the audit entry of a change (the audit log shows these keys).
_FIELD_LABELS: dict[str, dict[str, str]] = {
    "unavailable": {"starts_on": "开始日期", "ends_on": "结束日期", "reason": "原因"},
    "training": {
        "course": "培训名称",
        "content": "主要内容",
        "minutes": "学习时长（分钟）",
        "organiser": "举办单位",
        "trained_on": "培训日期",
        "certificate": "培训证书",
    },
    "award": {"name": "表彰名称", "awarded_on": "表彰日期", "body": "授予单位"},
    "star": {
        "level": "星级",
        "awarded_on": "评定日期",
        "body": "评定单位",
        "basis_minutes": "认定时长（分钟）",
        "notes": "说明",
    },
    "qualification": {
        "kind": "资格名称",
        "number": "证书编号",
        "obtained_on": "取得日期",
        "valid_until": "有效期至",
    },
}


def _unavailable_values(starts_on: date, ends_on: date, reason: str) -> dict[str, Any]:
    if ends_on < starts_on:
        raise ValidationError("不可服务的结束日期早于开始日期，请核对。", field="ends_on")
    return {"starts_on": starts_on, "ends_on": ends_on, "reason": _text(reason, 100, "原因")}


def _training_values(
    course: str, trained_on: date, *, minutes: int, content: str, organiser: str, certificate: str
) -> dict[str, Any]:
    if minutes < 0:
        raise ValidationError("学习时长不能为负数。", field="minutes")
    return {
        "course": _text(course, 100, "培训名称", required=True),
        "content": _text(content, 500, "主要内容"),
        "minutes": minutes,
        "organiser": _text(organiser, 100, "举办单位"),
        "trained_on": trained_on,
        "certificate": _text(certificate, 100, "培训证书"),
    }


def _award_values(name: str, awarded_on: date, body: str) -> dict[str, Any]:
    return {
        "name": _text(name, 100, "表彰名称", required=True),
        "awarded_on": awarded_on,
        "body": _text(body, 100, "授予单位"),
    }


def _star_values(
    level: int, awarded_on: date, body: str, basis_minutes: int, notes: str
) -> dict[str, Any]:
    if level not in STAR_LABELS:
        raise ValidationError("星级应为一星至五星。", field="level")
    return {
        "level": level,
        "awarded_on": awarded_on,
        "body": _text(body, 100, "评定单位", required=True),
        "basis_minutes": basis_minutes,
        "notes": _text(notes, 200, "说明"),
    }


def _qualification_values(
    kind: str, number: str, obtained_on: date | None, valid_until: date | None
) -> dict[str, Any]:
    if obtained_on and valid_until and valid_until < obtained_on:
        raise ValidationError("资格有效期早于取得日期，请核对。", field="valid_until")
    return {
        "kind": _text(kind, 50, "资格名称", required=True),
        "number": _text(number, 60, "证书编号"),
        "obtained_on": obtained_on,
        "valid_until": valid_until,
    }


def _summary(kind: str, row: Any) -> str:
    """One line naming a record, for the audit entry's detail."""
    if kind == "unavailable":
        text = f"不可服务：{row.starts_on.isoformat()} 至 {row.ends_on.isoformat()} {row.reason}"
        return text.strip()
    if kind == "training":
        return f"培训：{row.course}（{row.trained_on}）"
    if kind == "award":
        return f"表彰：{row.name}（{row.body}）"
    if kind == "star":
        return f"星级评定：{STAR_LABELS[row.level]}志愿者（{row.body}，{row.awarded_on}）"
    return f"岗位资格：{row.kind}"


def _add(
    session: Session, actor: Actor, kind: str, volunteer_id: uuid.UUID, values: dict[str, Any]
) -> Any:
    volunteer = _editable(session, actor, volunteer_id)
    model, _label = _KINDS[kind]
    row = model(volunteer_id=volunteer.id, **values)
    session.add(row)
    session.flush()
    _log(session, actor, volunteer, AuditAction.CREATE, _summary(kind, row))
    return row


def _load_record(session: Session, kind: str, record_id: uuid.UUID) -> Any:
    model, label = _KINDS[kind]
    row: Any = session.get(model, record_id)
    if row is None:
        raise NotFound(f"未找到该{label}，可能已被删除。")
    return row


def _update(
    session: Session, actor: Actor, kind: str, record_id: uuid.UUID, values: dict[str, Any]
) -> Any:
    """Change a record in place; the audit entry lists each changed field, old and new."""
    actor.require(Resource.VOLUNTEER, Action.UPDATE)  # before saying whether it exists
    row = _load_record(session, kind, record_id)
    volunteer = _editable(session, actor, row.volunteer_id)
    labels = _FIELD_LABELS[kind]
    changes = {
        labels[key]: [_plain(getattr(row, key)), _plain(value)]
        for key, value in values.items()
        if getattr(row, key) != value
    }
    if not changes:
        return row
    for key, value in values.items():
        setattr(row, key, value)
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.UPDATE,
        record_type=RECORD_TYPE,
        record_id=volunteer.id,
        label=volunteer.name,
        changes=changes,
        detail=f"修改{_summary(kind, row)}",
        station_id=volunteer.station_id,
    )
    return row


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def add_unavailable(
    session: Session,
    actor: Actor,
    volunteer_id: uuid.UUID,
    starts_on: date,
    ends_on: date,
    *,
    reason: str = "",
) -> VolunteerUnavailable:
    values = _unavailable_values(starts_on, ends_on, reason)
    row: VolunteerUnavailable = _add(session, actor, "unavailable", volunteer_id, values)
    return row


def update_unavailable(
    session: Session,
    actor: Actor,
    record_id: uuid.UUID,
    starts_on: date,
    ends_on: date,
    *,
    reason: str = "",
) -> VolunteerUnavailable:
    values = _unavailable_values(starts_on, ends_on, reason)
    row: VolunteerUnavailable = _update(session, actor, "unavailable", record_id, values)
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
    values = _training_values(
        course,
        trained_on,
        minutes=minutes,
        content=content,
        organiser=organiser,
        certificate=certificate,
    )
    row: VolunteerTraining = _add(session, actor, "training", volunteer_id, values)
    return row


def update_training(
    session: Session,
    actor: Actor,
    record_id: uuid.UUID,
    *,
    course: str,
    trained_on: date,
    minutes: int = 0,
    content: str = "",
    organiser: str = "",
    certificate: str = "",
) -> VolunteerTraining:
    values = _training_values(
        course,
        trained_on,
        minutes=minutes,
        content=content,
        organiser=organiser,
        certificate=certificate,
    )
    row: VolunteerTraining = _update(session, actor, "training", record_id, values)
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
    values = _award_values(name, awarded_on, body)
    row: VolunteerAward = _add(session, actor, "award", volunteer_id, values)
    return row


def update_award(
    session: Session,
    actor: Actor,
    record_id: uuid.UUID,
    *,
    name: str,
    awarded_on: date,
    body: str = "",
) -> VolunteerAward:
    values = _award_values(name, awarded_on, body)
    row: VolunteerAward = _update(session, actor, "award", record_id, values)
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
    values = _star_values(level, awarded_on, body, basis_minutes, notes)
    row: VolunteerStar = _add(session, actor, "star", volunteer_id, values)
    return row


def update_star(
    session: Session,
    actor: Actor,
    record_id: uuid.UUID,
    *,
    level: int,
    awarded_on: date,
    body: str,
    basis_minutes: int = 0,
    notes: str = "",
) -> VolunteerStar:
    values = _star_values(level, awarded_on, body, basis_minutes, notes)
    row: VolunteerStar = _update(session, actor, "star", record_id, values)
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
    values = _qualification_values(kind, number, obtained_on, valid_until)
    row: VolunteerQualification = _add(session, actor, "qualification", volunteer_id, values)
    return row


def update_qualification(
    session: Session,
    actor: Actor,
    record_id: uuid.UUID,
    *,
    kind: str,
    number: str = "",
    obtained_on: date | None = None,
    valid_until: date | None = None,
) -> VolunteerQualification:
    values = _qualification_values(kind, number, obtained_on, valid_until)
    row: VolunteerQualification = _update(session, actor, "qualification", record_id, values)
    return row


def record_values(
    session: Session, actor: Actor, kind: str, record_id: uuid.UUID
) -> dict[str, Any]:
    """One record's fields as plain values, for an edit form (permission and station
    checked; plain values, so the GUI thread never touches an ORM object)."""
    actor.require(Resource.VOLUNTEER, Action.READ)
    row = _load_record(session, kind, record_id)
    load_volunteer(session, actor, row.volunteer_id)
    return {key: getattr(row, key) for key in _FIELD_LABELS[kind]}


def remove_record(session: Session, actor: Actor, kind: str, record_id: uuid.UUID) -> None:
    """Delete one dated record of a volunteer (audited with what it said)."""
    actor.require(Resource.VOLUNTEER, Action.UPDATE)
    row = _load_record(session, kind, record_id)
    volunteer = _editable(session, actor, row.volunteer_id)
    summary = _summary(kind, row)
    session.delete(row)
    session.flush()
    _log(session, actor, volunteer, AuditAction.DELETE, f"删除{summary}")


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
