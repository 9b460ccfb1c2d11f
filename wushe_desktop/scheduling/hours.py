"""Service hours (志愿服务时间): the one rounding rule, records, approval, corrections.

**The rule (``credit_minutes``).** Credited time is the actual service time — check-out
minus check-in, travel excluded (2012 办法; 2020 办法 Art.7 "实际付出的时间") — in whole
minutes (seconds dropped), rounded *down* to the station's step (default 1 minute, so
hours are exact to the minute; 5/10/15/30 may be chosen) and capped at the daily maximum
(default 12 h, DOMAIN-RULES §1.3). Rounding down never credits time not served. Hours are
shown with one decimal, half up at 0.05 h (``timefmt.hours_text``).

A record is due within 10 working days after the service (Art.11, working days from
chinese_calendar with 调休); a later one is kept but flagged ``late``. A correction keeps
the original minutes and the reason (Art.13; ``HoursCorrection`` plus the audit log).
Absent and cancelled places get no hours.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.infra.db.base import utcnow
from wushe_desktop.infra.errors import ConflictError, NotFound, ValidationError
from wushe_desktop.residents.common import CHINA_TZ
from wushe_desktop.scheduling.models import (
    Assignment,
    HoursCorrection,
    ServiceHours,
    Shift,
    VolunteerActivity,
)
from wushe_desktop.scheduling.statuses import APPROVED, HOURS_RECORD, PENDING, VOID
from wushe_desktop.scheduling.timefmt import cn_date, hours_text
from wushe_desktop.scheduling.workdays import WorkCalendar, load_calendar
from wushe_desktop.volunteers.models import Volunteer
from wushe_desktop.volunteers.settings import VolunteerRules, get_rules

__all__ = [
    "HoursRow",
    "actual_minutes",
    "approve_hours",
    "correct_hours",
    "credit_minutes",
    "is_late",
    "list_hours",
    "local_date",
    "record_for_assignment",
    "record_outside_shift",
    "void_hours",
]


def credit_minutes(actual: int, rules: VolunteerRules) -> int:
    """THE rounding rule (module docstring): whole minutes, down to the step, capped."""
    if actual <= 0:
        return 0
    step = max(1, rules.rounding_minutes)
    return min(actual // step * step, rules.daily_cap_minutes)


def actual_minutes(check_in: datetime, check_out: datetime) -> int:
    """Whole minutes between two moments (seconds dropped); 0 when out is not after in."""
    seconds = (check_out - check_in).total_seconds()
    return max(0, int(seconds // 60))


def local_date(moment: datetime) -> date:
    return moment.astimezone(CHINA_TZ).date()


def is_late(served_on: date, recorded_on: date, cal: WorkCalendar, rules: VolunteerRules) -> bool:
    """Recorded after the Nth working day following the service (N = 10 by default)."""
    return recorded_on > cal.add_workdays(served_on, rules.record_deadline_workdays)


@dataclass(frozen=True)
class HoursRow:
    id: uuid.UUID
    volunteer_id: uuid.UUID
    volunteer_name: str
    served_on: date
    title: str
    place: str
    content: str
    organiser: str
    person_in_charge: str
    actual_minutes: int
    minutes: int
    source: str
    status: str
    approver: str
    recorded_on: date
    late: bool
    corrected: bool
    notes: str
    version: int

    @property
    def hours(self) -> str:
        return hours_text(self.minutes)


def _row(h: ServiceHours, name: str, corrected: bool) -> HoursRow:
    return HoursRow(
        h.id,
        h.volunteer_id,
        name,
        h.served_on,
        h.title,
        h.place,
        h.content,
        h.organiser,
        h.person_in_charge,
        h.actual_minutes,
        h.minutes,
        h.source,
        h.status,
        h.approver,
        h.recorded_on,
        h.late,
        corrected,
        h.notes,
        h.version,
    )


def record_for_assignment(
    session: Session, actor: Actor, assignment: Assignment, *, recorded_on: date | None = None
) -> ServiceHours:
    """The service record of a checked-out place (pending the coordinator's approval)."""
    if assignment.check_in_at is None or assignment.check_out_at is None:
        raise ValidationError("尚未签到和签退，不能记录服务时长。", field="check_out")
    rules = get_rules(session, assignment.station_id)
    cal = load_calendar(session, assignment.station_id)
    shift = session.get(Shift, assignment.shift_id)
    activity = session.get(VolunteerActivity, shift.activity_id) if shift else None
    actual = actual_minutes(assignment.check_in_at, assignment.check_out_at)
    recorded = recorded_on or local_date(utcnow())
    hours = session.scalars(
        select(ServiceHours).where(ServiceHours.assignment_id == assignment.id)
    ).first()
    if hours is None:
        hours = ServiceHours(station_id=assignment.station_id, assignment_id=assignment.id)
        session.add(hours)
    hours.volunteer_id = assignment.volunteer_id
    hours.activity_id = activity.id if activity else None
    hours.served_on = assignment.day
    hours.title = activity.title if activity else "志愿服务"
    hours.place = (shift.place if shift else "") or (activity.place if activity else "")
    hours.content = (activity.content if activity else "") or hours.title
    hours.organiser = activity.organiser if activity else ""
    hours.person_in_charge = activity.person_in_charge if activity else ""
    hours.actual_minutes = actual
    hours.minutes = credit_minutes(actual, rules)
    hours.source = "签到"
    hours.status = PENDING
    hours.recorded_on = recorded
    hours.late = is_late(assignment.day, recorded, cal, rules)
    session.flush()
    return hours


def _load(session: Session, actor: Actor, hours_id: uuid.UUID) -> ServiceHours:
    hours = session.get(ServiceHours, hours_id)
    if hours is None:
        raise NotFound("未找到该服务记录。")
    actor.require_station(hours.station_id)
    return hours


def _name(session: Session, volunteer_id: uuid.UUID) -> str:
    volunteer = session.get(Volunteer, volunteer_id)
    return volunteer.name if volunteer else ""


def approve_hours(session: Session, actor: Actor, hours_ids: Sequence[uuid.UUID]) -> int:
    """待审核 → 已审核 (协调员/站长); only approved hours count for stars and certificates."""
    actor.require(Resource.SHIFT, Action.APPROVE)
    done = 0
    now = utcnow()
    for hid in hours_ids:
        hours = _load(session, actor, hid)
        if hours.status != PENDING:
            continue
        hours.status = APPROVED
        hours.approver = actor.display_name[:50]
        hours.approved_at = now
        done += 1
        audit.record(
            session,
            actor,
            AuditAction.UPDATE,
            record_type=HOURS_RECORD,
            record_id=hours.id,
            label=f"{_name(session, hours.volunteer_id)} {cn_date(hours.served_on)} {hours.title}",
            changes={"status": [PENDING, APPROVED]},
            detail=f"审核通过 {hours_text(hours.minutes)} 小时",
            station_id=hours.station_id,
        )
    session.flush()
    return done


def correct_hours(
    session: Session, actor: Actor, hours_id: uuid.UUID, new_minutes: int, reason: str
) -> HoursRow:
    """Change the credited minutes; the original and the reason are kept (Art.13)."""
    actor.require(Resource.SHIFT, Action.UPDATE)
    hours = _load(session, actor, hours_id)
    if hours.status == APPROVED:
        actor.require(Resource.SHIFT, Action.APPROVE)
    if hours.status == VOID:
        raise ConflictError("该服务记录已作废，不能更正。")
    reason = reason.strip()
    if not reason:
        raise ValidationError("更正服务时长须填写原因。", field="reason")
    rules = get_rules(session, hours.station_id)
    if not 0 < new_minutes <= rules.daily_cap_minutes:
        raise ValidationError(
            f"服务时长应大于 0 且不超过每日上限 {hours_text(rules.daily_cap_minutes)} 小时。",
            field="minutes",
        )
    old = hours.minutes
    if old == new_minutes:
        return list_hours(session, actor, hours_ids=[hours.id])[0]
    session.add(
        HoursCorrection(
            hours_id=hours.id,
            old_minutes=old,
            new_minutes=new_minutes,
            reason=reason[:200],
            by=actor.display_name[:50],
            at=utcnow(),
        )
    )
    hours.minutes = new_minutes
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.UPDATE,
        record_type=HOURS_RECORD,
        record_id=hours.id,
        label=f"{_name(session, hours.volunteer_id)} {cn_date(hours.served_on)} {hours.title}",
        changes={"minutes": [old, new_minutes]},
        detail=f"更正服务时长：{hours_text(old)} → {hours_text(new_minutes)} 小时；原因：{reason}",
        station_id=hours.station_id,
    )
    return list_hours(session, actor, hours_ids=[hours.id])[0]


def void_hours(session: Session, actor: Actor, hours_id: uuid.UUID, reason: str) -> None:
    """作废 a record entered by mistake (kept, no longer counted)."""
    actor.require(Resource.SHIFT, Action.APPROVE)
    hours = _load(session, actor, hours_id)
    if not reason.strip():
        raise ValidationError("作废服务记录须填写原因。", field="reason")
    old = hours.status
    hours.status = VOID
    hours.notes = (hours.notes + f"；作废：{reason.strip()}").strip("；")[:500]
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.UPDATE,
        record_type=HOURS_RECORD,
        record_id=hours.id,
        label=f"{_name(session, hours.volunteer_id)} {cn_date(hours.served_on)} {hours.title}",
        changes={"status": [old, VOID]},
        detail=f"作废原因：{reason.strip()}",
        station_id=hours.station_id,
    )


def record_outside_shift(
    session: Session,
    actor: Actor,
    volunteer_id: uuid.UUID,
    *,
    served_on: date,
    title: str,
    minutes: int,
    approver: str,
    content: str = "",
    place: str = "",
    organiser: str = "",
    person_in_charge: str = "",
    notes: str = "",
    recorded_on: date | None = None,
) -> HoursRow:
    """Hours served outside a scheduled shift (补录), vouched for by an approver."""
    actor.require(Resource.SHIFT, Action.CREATE)
    volunteer = session.get(Volunteer, volunteer_id)
    if volunteer is None or volunteer.deleted_at is not None:
        raise NotFound("未找到该志愿者。")
    actor.require_station(volunteer.station_id)
    rules = get_rules(session, volunteer.station_id)
    title = title.strip()
    if not title:
        raise ValidationError("活动名称不能为空。", field="title")
    if not approver.strip():
        raise ValidationError("班次外的服务时长须填写审核人（证明人）。", field="approver")
    recorded = recorded_on or local_date(utcnow())
    if served_on > recorded:
        raise ValidationError("服务日期晚于今天，请核对。", field="served_on")
    if not 0 < minutes <= rules.daily_cap_minutes:
        raise ValidationError(
            f"服务时长应大于 0 且不超过每日上限 {hours_text(rules.daily_cap_minutes)} 小时。",
            field="minutes",
        )
    station_name = rules.issuer_name
    hours = ServiceHours(
        station_id=volunteer.station_id,
        volunteer_id=volunteer.id,
        served_on=served_on,
        title=title[:100],
        place=place.strip()[:200],
        content=(content.strip() or title)[:500],
        organiser=(organiser.strip() or station_name)[:100],
        person_in_charge=person_in_charge.strip()[:50],
        actual_minutes=minutes,
        minutes=credit_minutes(minutes, rules),
        source="补录",
        status=PENDING,
        approver=approver.strip()[:50],
        recorded_on=recorded,
        late=is_late(served_on, recorded, load_calendar(session, volunteer.station_id), rules),
        notes=notes.strip()[:500],
    )
    session.add(hours)
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.CREATE,
        record_type=HOURS_RECORD,
        record_id=hours.id,
        label=f"{volunteer.name} {cn_date(served_on)} {hours.title}",
        detail=f"班次外服务 {hours_text(hours.minutes)} 小时，证明人：{hours.approver}"
        + ("（超过记录时限）" if hours.late else ""),
        station_id=volunteer.station_id,
    )
    return list_hours(session, actor, hours_ids=[hours.id])[0]


def list_hours(
    session: Session,
    actor: Actor,
    *,
    volunteer_id: uuid.UUID | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    status: str | None = None,
    hours_ids: Sequence[uuid.UUID] | None = None,
    limit: int = 5000,
) -> list[HoursRow]:
    """Service records, newest first (voided ones only when asked by status)."""
    actor.require(Resource.SHIFT, Action.READ)
    stmt = select(ServiceHours, Volunteer.name).join(
        Volunteer, Volunteer.id == ServiceHours.volunteer_id
    )
    if not actor.is_district:
        stmt = stmt.where(ServiceHours.station_id == actor.station_id)
    if volunteer_id is not None:
        stmt = stmt.where(ServiceHours.volunteer_id == volunteer_id)
    if date_from is not None:
        stmt = stmt.where(ServiceHours.served_on >= date_from)
    if date_to is not None:
        stmt = stmt.where(ServiceHours.served_on <= date_to)
    if hours_ids is not None:
        stmt = stmt.where(ServiceHours.id.in_(list(hours_ids)))
    elif status is not None:
        stmt = stmt.where(ServiceHours.status == status)
    else:
        stmt = stmt.where(ServiceHours.status != VOID)
    stmt = stmt.order_by(ServiceHours.served_on.desc(), ServiceHours.id).limit(limit)
    results = list(session.execute(stmt))
    corrected = set(
        session.scalars(
            select(HoursCorrection.hours_id).where(
                HoursCorrection.hours_id.in_([h.id for h, _ in results])
            )
        )
    )
    return [_row(h, name, h.id in corrected) for h, name in results]


def corrections(session: Session, actor: Actor, hours_id: uuid.UUID) -> list[HoursCorrection]:
    """The corrections of a record, oldest first (the first one's old value is the original)."""
    actor.require(Resource.SHIFT, Action.READ)
    _load(session, actor, hours_id)
    return list(
        session.scalars(
            select(HoursCorrection)
            .where(HoursCorrection.hours_id == hours_id)
            .order_by(HoursCorrection.at, HoursCorrection.id)
        )
    )
