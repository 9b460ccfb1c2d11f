"""Check-in and check-out (签到/签退), one at a time at the front desk or for a whole shift.

Check-out writes the service record (``hours.record_for_assignment``) with the credited
minutes, pending the coordinator's approval. A check-in must fall on the shift's own date
(China time): a staff member entering yesterday's sheet passes the times explicitly.
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
from wushe_desktop.infra.errors import ConflictError, ValidationError
from wushe_desktop.scheduling.assignments import load_assignment
from wushe_desktop.scheduling.hours import credit_minutes, local_date, record_for_assignment
from wushe_desktop.scheduling.models import Assignment, Shift, VolunteerActivity
from wushe_desktop.scheduling.shifts import load_shift
from wushe_desktop.scheduling.statuses import (
    ASSIGNMENT_RECORD,
    CHECKED_IN,
    CONFIRMED,
    SIGNED_UP,
)
from wushe_desktop.scheduling.timefmt import cn_date, hours_text, span_text
from wushe_desktop.volunteers.models import Volunteer
from wushe_desktop.volunteers.settings import get_rules

__all__ = [
    "DeskItem",
    "bulk_check_in",
    "bulk_check_out",
    "check_in",
    "check_out",
    "desk_items",
]


def _label(session: Session, row: Assignment) -> str:
    volunteer = session.get(Volunteer, row.volunteer_id)
    name = volunteer.name if volunteer else ""
    return f"{name} {cn_date(row.day)} {span_text(row.start_minute, row.end_minute)}"


def check_in(
    session: Session, actor: Actor, assignment_id: uuid.UUID, *, at: datetime | None = None
) -> None:
    """已报名/已确认 → 已签到 at ``at`` (default now)."""
    actor.require(Resource.SHIFT, Action.UPDATE)
    row = load_assignment(session, actor, assignment_id)
    moment = at or utcnow()
    if row.status == CHECKED_IN:
        raise ConflictError("该志愿者已签到，无需重复签到。")
    if row.status not in (SIGNED_UP, CONFIRMED):
        raise ConflictError(f"排班状态为“{row.status}”，不能签到。")
    if local_date(moment) != row.day:
        raise ValidationError(
            f"签到时间不在班次当天（{cn_date(row.day)}），请核对日期。", field="check_in"
        )
    row.status = CHECKED_IN
    row.check_in_at = moment
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.UPDATE,
        record_type=ASSIGNMENT_RECORD,
        record_id=row.id,
        label=_label(session, row),
        detail="签到",
        station_id=row.station_id,
    )


def check_out(
    session: Session,
    actor: Actor,
    assignment_id: uuid.UUID,
    *,
    at: datetime | None = None,
    recorded_on: date | None = None,
) -> int:
    """Sign out and write the service record; returns the credited minutes."""
    actor.require(Resource.SHIFT, Action.UPDATE)
    row = load_assignment(session, actor, assignment_id)
    if row.status != CHECKED_IN or row.check_in_at is None:
        raise ConflictError("该志愿者尚未签到，不能签退。")
    if row.check_out_at is not None:
        raise ConflictError("该志愿者已签退。如时间有误，请更正服务时长。")
    moment = at or utcnow()
    if moment <= row.check_in_at:
        raise ValidationError("签退时间应晚于签到时间。", field="check_out")
    row.check_out_at = moment
    hours = record_for_assignment(session, actor, row, recorded_on=recorded_on)
    audit.record(
        session,
        actor,
        AuditAction.UPDATE,
        record_type=ASSIGNMENT_RECORD,
        record_id=row.id,
        label=_label(session, row),
        detail=f"签退，计入服务时长 {hours_text(hours.minutes)} 小时（待审核）"
        + ("；超过记录时限" if hours.late else ""),
        station_id=row.station_id,
    )
    return hours.minutes


def _shift_rows(
    session: Session, actor: Actor, shift_id: uuid.UUID, ids: Sequence[uuid.UUID] | None
) -> list[Assignment]:
    shift = load_shift(session, actor, shift_id)
    stmt = select(Assignment).where(Assignment.shift_id == shift.id)
    if ids is not None:
        stmt = stmt.where(Assignment.id.in_(list(ids)))
    return list(session.scalars(stmt))


def bulk_check_in(
    session: Session,
    actor: Actor,
    shift_id: uuid.UUID,
    *,
    assignment_ids: Sequence[uuid.UUID] | None = None,
    at: datetime | None = None,
) -> int:
    """Check in every (or the chosen) 已报名/已确认 volunteer of a shift; returns how many."""
    actor.require(Resource.SHIFT, Action.UPDATE)
    done = 0
    for row in _shift_rows(session, actor, shift_id, assignment_ids):
        if row.status in (SIGNED_UP, CONFIRMED):
            check_in(session, actor, row.id, at=at)
            done += 1
    return done


def bulk_check_out(
    session: Session,
    actor: Actor,
    shift_id: uuid.UUID,
    *,
    assignment_ids: Sequence[uuid.UUID] | None = None,
    at: datetime | None = None,
) -> int:
    """Check out every (or the chosen) checked-in volunteer; returns how many."""
    actor.require(Resource.SHIFT, Action.UPDATE)
    done = 0
    for row in _shift_rows(session, actor, shift_id, assignment_ids):
        if row.status == CHECKED_IN and row.check_out_at is None:
            check_out(session, actor, row.id, at=at)
            done += 1
    return done


@dataclass(frozen=True)
class DeskItem:
    """One of a volunteer's places today, as the check-in screen shows it."""

    assignment_id: uuid.UUID
    volunteer_id: uuid.UUID
    name: str
    title: str
    place: str
    start_minute: int
    end_minute: int
    status: str
    checked_in_at: datetime | None
    checked_out_at: datetime | None

    @property
    def action(self) -> str:
        """签到 | 签退 | 已完成 — what the big button does."""
        if self.status in (SIGNED_UP, CONFIRMED):
            return "签到"
        if self.status == CHECKED_IN and self.checked_out_at is None:
            return "签退"
        return "已完成"


def desk_items(
    session: Session,
    actor: Actor,
    day: date,
    *,
    volunteer_ids: Sequence[uuid.UUID] | None = None,
) -> list[DeskItem]:
    """Today's places (of the given volunteers, or all) with what to do next."""
    actor.require(Resource.SHIFT, Action.READ)
    stmt = (
        select(Assignment, Volunteer.name, VolunteerActivity.title, Shift.place)
        .join(Volunteer, Volunteer.id == Assignment.volunteer_id)
        .join(Shift, Shift.id == Assignment.shift_id)
        .join(VolunteerActivity, VolunteerActivity.id == Shift.activity_id)
        .where(
            Assignment.station_id == actor.station_id,
            Assignment.day == day,
            Assignment.status.in_((SIGNED_UP, CONFIRMED, CHECKED_IN)),
            Shift.cancelled.is_(False),
        )
        .order_by(Assignment.start_minute, Volunteer.name)
    )
    if volunteer_ids is not None:
        stmt = stmt.where(Assignment.volunteer_id.in_(list(volunteer_ids)))
    return [
        DeskItem(
            a.id,
            a.volunteer_id,
            name,
            title,
            place,
            a.start_minute,
            a.end_minute,
            a.status,
            a.check_in_at,
            a.check_out_at,
        )
        for a, name, title, place in session.execute(stmt)
    ]


def planned_credit(session: Session, station_id: uuid.UUID, minutes: int) -> int:
    """What a shift of ``minutes`` would credit under the station's rule (for previews)."""
    return credit_minutes(minutes, get_rules(session, station_id))
