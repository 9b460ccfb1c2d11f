"""Placing volunteers in shifts: sign-up or assignment, confirmation, cancellation with the
waiting list (候补) moving up, absence, and the coordinator's override of conflicts.

Statuses: 已报名 → 已确认 → 已签到 (check-in, ``checkin.py``), or 缺席 / 已取消 (reason);
候补 when the shift is full. A conflict (``conflicts.py``) refuses the assignment with its
messages unless a user holding the approve right gives a reason; the overridden
conflicts and the reason are stored on the assignment and in the audit log.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.domain.masking import mask_phone
from wushe_desktop.infra.db.base import utcnow
from wushe_desktop.infra.errors import ConflictError, NotFound, ValidationError
from wushe_desktop.scheduling.conflicts import Conflict, ShiftFacts, check
from wushe_desktop.scheduling.facts import load_volunteer_facts, shift_facts
from wushe_desktop.scheduling.models import Assignment, ServiceHours, Shift
from wushe_desktop.scheduling.shifts import load_shift
from wushe_desktop.scheduling.statuses import (
    ABSENT,
    ACTIVE,
    ASSIGNMENT_RECORD,
    CANCELLED,
    CHECKED_IN,
    CONFIRMED,
    SIGNED_UP,
    VOID,
    WAITLIST,
)
from wushe_desktop.scheduling.timefmt import cn_date, span_text
from wushe_desktop.volunteers.models import Volunteer
from wushe_desktop.volunteers.settings import get_rules

__all__ = [
    "AssignResult",
    "AssignmentConflicts",
    "AssignmentRow",
    "assign",
    "cancel_assignment",
    "check_assignment",
    "confirm",
    "filled_count",
    "list_assignments",
    "load_assignment",
    "mark_absent",
    "volunteer_assignments",
]

VIA = ("报名", "分派", "推荐")


class AssignmentConflicts(ConflictError):
    """The assignment breaks rules; ``conflicts`` lists them (the GUI offers an override)."""

    def __init__(self, name: str, conflicts: Sequence[Conflict]) -> None:
        lines = "；".join(c.message.rstrip("。") for c in conflicts)
        hint = (
            ""
            if any(not c.overridable for c in conflicts)
            else "如确需安排，请由协调员填写原因后强制安排。"
        )
        super().__init__(f"不能安排{name}：{lines}。{hint}")
        self.conflicts = list(conflicts)


@dataclass(frozen=True)
class AssignResult:
    assignment_id: uuid.UUID
    status: str
    overridden: tuple[Conflict, ...]

    def summary(self, name: str) -> str:
        if self.status == WAITLIST:
            return f"班次已满，{name}已列入候补名单。"
        text = f"已安排{name}（{self.status}）。"
        if self.overridden:
            text += f"已强制忽略 {len(self.overridden)} 项冲突。"
        return text


@dataclass(frozen=True)
class AssignmentRow:
    id: uuid.UUID
    shift_id: uuid.UUID
    volunteer_id: uuid.UUID
    name: str
    volunteer_no: str
    phone: str  # masked unless revealed
    status: str
    via: str
    day: date
    start_minute: int
    end_minute: int
    queued_at: datetime | None
    check_in_at: datetime | None
    check_out_at: datetime | None
    cancel_reason: str
    override_reason: str
    credited_minutes: int | None
    version: int


def load_assignment(session: Session, actor: Actor, assignment_id: uuid.UUID) -> Assignment:
    assignment = session.get(Assignment, assignment_id)
    if assignment is None:
        raise NotFound("未找到该排班记录，可能已被删除。")
    actor.require_station(assignment.station_id)
    return assignment


def filled_count(session: Session, shift_id: uuid.UUID) -> int:
    return int(
        session.scalar(
            select(func.count()).where(
                Assignment.shift_id == shift_id, Assignment.status.in_(ACTIVE)
            )
        )
        or 0
    )


def _volunteer(session: Session, shift: Shift, volunteer_id: uuid.UUID) -> Volunteer:
    volunteer = session.get(Volunteer, volunteer_id)
    if volunteer is None or volunteer.station_id != shift.station_id or volunteer.deleted_at:
        raise NotFound("未找到该志愿者，可能已被删除或不属于本站点。")
    return volunteer


def check_assignment(
    session: Session, actor: Actor, shift_id: uuid.UUID, volunteer_id: uuid.UUID
) -> list[Conflict]:
    """The conflicts assigning this volunteer would raise (for a dialog, nothing written)."""
    actor.require(Resource.SHIFT, Action.READ)
    shift = load_shift(session, actor, shift_id)
    _volunteer(session, shift, volunteer_id)
    facts = shift_facts(session, shift)
    return _conflicts(session, shift.station_id, facts, volunteer_id)


def _conflicts(
    session: Session, station_id: uuid.UUID, facts: ShiftFacts, volunteer_id: uuid.UUID
) -> list[Conflict]:
    found = load_volunteer_facts(session, station_id, facts, [volunteer_id])
    return check(facts, found[volunteer_id], get_rules(session, station_id))


def _label(volunteer: Volunteer, facts: ShiftFacts) -> str:
    return (
        f"{volunteer.name} → {facts.title} {cn_date(facts.day)} "
        f"{span_text(facts.start_minute, facts.end_minute)}"
    )


def assign(
    session: Session,
    actor: Actor,
    shift_id: uuid.UUID,
    volunteer_id: uuid.UUID,
    *,
    via: str = "分派",
    confirm: bool = False,
    override_reason: str = "",
) -> AssignResult:
    """Place a volunteer in a shift (or on its waiting list when full).

    Raises ``AssignmentConflicts`` listing every broken rule unless ``override_reason``
    is given by a user with the approve right (协调员/站长).
    """
    actor.require(Resource.SHIFT, Action.ASSIGN)
    if via not in VIA:
        raise ValidationError("安排方式应为“报名”“分派”或“推荐”。", field="via")
    shift = load_shift(session, actor, shift_id)
    if shift.cancelled:
        raise ConflictError("该班次已取消，不能再安排志愿者。")
    volunteer = _volunteer(session, shift, volunteer_id)
    existing = session.scalars(
        select(Assignment).where(
            Assignment.shift_id == shift.id, Assignment.volunteer_id == volunteer.id
        )
    ).first()
    if existing is not None and existing.status in (*ACTIVE, WAITLIST):
        raise ConflictError(f"{volunteer.name}已在本班次中（{existing.status}）。")
    facts = shift_facts(session, shift)
    conflicts = _conflicts(session, shift.station_id, facts, volunteer.id)
    reason = override_reason.strip()
    if any(not c.overridable for c in conflicts) or (conflicts and not reason):
        raise AssignmentConflicts(volunteer.name, conflicts)
    if conflicts:
        actor.require(Resource.SHIFT, Action.APPROVE)
        if len(reason) > 200:
            raise ValidationError("强制安排的原因最长200个字。", field="override_reason")
    full = filled_count(session, shift.id) >= shift.needed
    status = WAITLIST if full else (CONFIRMED if confirm else SIGNED_UP)
    row = existing or Assignment(
        station_id=shift.station_id, shift_id=shift.id, volunteer_id=volunteer.id
    )
    row.status = status
    row.day, row.start_minute, row.end_minute = shift.day, shift.start_minute, shift.end_minute
    row.via = via
    row.queued_at = utcnow() if full else None
    row.cancel_reason = ""
    row.check_in_at = row.check_out_at = None
    row.override_reason = reason if conflicts else ""
    row.override_conflicts = "\n".join(c.message for c in conflicts)
    if existing is None:
        session.add(row)
    session.flush()
    detail = f"{via}，状态：{status}"
    if conflicts:
        detail += f"；强制安排，原因：{reason}；忽略的冲突：" + "；".join(
            c.message for c in conflicts
        )
    audit.record(
        session,
        actor,
        AuditAction.CREATE,
        record_type=ASSIGNMENT_RECORD,
        record_id=row.id,
        label=_label(volunteer, facts),
        detail=detail,
        station_id=shift.station_id,
    )
    return AssignResult(row.id, status, tuple(conflicts))


def _transition(
    session: Session,
    actor: Actor,
    row: Assignment,
    new_status: str,
    *,
    allowed_from: Sequence[str],
    detail: str,
) -> None:
    volunteer = session.get(Volunteer, row.volunteer_id)
    name = volunteer.name if volunteer else ""
    if row.status not in allowed_from:
        raise ConflictError(f"{name}的排班状态为“{row.status}”，不能改为“{new_status}”。")
    old = row.status
    row.status = new_status
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.UPDATE,
        record_type=ASSIGNMENT_RECORD,
        record_id=row.id,
        label=f"{name} {cn_date(row.day)} {span_text(row.start_minute, row.end_minute)}",
        changes={"status": [old, new_status]},
        detail=detail,
        station_id=row.station_id,
    )


def confirm(session: Session, actor: Actor, assignment_ids: Sequence[uuid.UUID]) -> int:
    """已报名 → 已确认 (after the call); returns how many changed."""
    actor.require(Resource.SHIFT, Action.ASSIGN)
    changed = 0
    for aid in assignment_ids:
        row = load_assignment(session, actor, aid)
        if row.status == SIGNED_UP:
            _transition(
                session, actor, row, CONFIRMED, allowed_from=(SIGNED_UP,), detail="电话确认"
            )
            changed += 1
    return changed


def _void_hours(session: Session, row: Assignment) -> None:
    """No hours for an absent or cancelled place (a record made by mistake is voided)."""
    hours = session.scalars(
        select(ServiceHours).where(ServiceHours.assignment_id == row.id)
    ).first()
    if hours is not None and hours.status != VOID:
        hours.status = VOID


def _promote(session: Session, actor: Actor, shift: Shift) -> str | None:
    """Move the first waiting volunteer without a new conflict into the freed place."""
    if filled_count(session, shift.id) >= shift.needed:
        return None
    waiting = list(
        session.scalars(
            select(Assignment)
            .where(Assignment.shift_id == shift.id, Assignment.status == WAITLIST)
            .order_by(Assignment.queued_at, Assignment.id)
        )
    )
    facts = shift_facts(session, shift)
    for row in waiting:
        conflicts = _conflicts(session, shift.station_id, facts, row.volunteer_id)
        accepted = set(row.override_conflicts.splitlines()) if row.override_reason else set()
        if any(c.message not in accepted or not c.overridable for c in conflicts):
            continue
        _transition(session, actor, row, SIGNED_UP, allowed_from=(WAITLIST,), detail="候补递补")
        row.queued_at = None
        volunteer = session.get(Volunteer, row.volunteer_id)
        return volunteer.name if volunteer else ""
    return None


def cancel_assignment(
    session: Session, actor: Actor, assignment_id: uuid.UUID, reason: str
) -> str | None:
    """Cancel a place (reason required); returns who moved up from the waiting list."""
    actor.require(Resource.SHIFT, Action.ASSIGN)
    reason = reason.strip()
    if not reason:
        raise ValidationError("请填写取消原因。", field="reason")
    row = load_assignment(session, actor, assignment_id)
    if row.status == CHECKED_IN:
        raise ConflictError("该志愿者已签到，不能取消；如签到有误，请更正服务时长。")
    was_active = row.status in ACTIVE
    _transition(
        session,
        actor,
        row,
        CANCELLED,
        allowed_from=(*ACTIVE, WAITLIST),
        detail=f"取消原因：{reason}",
    )
    row.cancel_reason = reason[:200]
    row.queued_at = None
    _void_hours(session, row)
    session.flush()
    if not was_active:
        return None
    shift = session.get(Shift, row.shift_id)
    return _promote(session, actor, shift) if shift is not None else None


def mark_absent(session: Session, actor: Actor, assignment_id: uuid.UUID, note: str = "") -> None:
    """缺席: the volunteer did not come; no hours, and the reliability score counts it."""
    actor.require(Resource.SHIFT, Action.ASSIGN)
    row = load_assignment(session, actor, assignment_id)
    _transition(
        session, actor, row, ABSENT, allowed_from=(SIGNED_UP, CONFIRMED), detail=note or "标记缺席"
    )
    row.cancel_reason = note.strip()[:200]
    _void_hours(session, row)
    session.flush()


def _rows(session: Session, stmt: object, *, reveal: bool) -> list[AssignmentRow]:
    results = list(session.execute(stmt))  # type: ignore[call-overload]
    hours = {
        k: v
        for k, v in session.execute(
            select(ServiceHours.assignment_id, ServiceHours.minutes).where(
                ServiceHours.assignment_id.in_([r.Assignment.id for r in results]),
                ServiceHours.status != VOID,
            )
        )
    }
    out = []
    for r in results:
        a = r.Assignment
        out.append(
            AssignmentRow(
                id=a.id,
                shift_id=a.shift_id,
                volunteer_id=a.volunteer_id,
                name=r.name,
                volunteer_no=r.volunteer_no,
                phone=(r.phone or "") if reveal else mask_phone(r.phone),
                status=a.status,
                via=a.via,
                day=a.day,
                start_minute=a.start_minute,
                end_minute=a.end_minute,
                queued_at=a.queued_at,
                check_in_at=a.check_in_at,
                check_out_at=a.check_out_at,
                cancel_reason=a.cancel_reason,
                override_reason=a.override_reason,
                credited_minutes=hours.get(a.id),
                version=a.version,
            )
        )
    return out


_ORDER = {SIGNED_UP: 1, CONFIRMED: 0, CHECKED_IN: 0, WAITLIST: 2, ABSENT: 3, CANCELLED: 4}


def list_assignments(
    session: Session, actor: Actor, shift_id: uuid.UUID, *, reveal: bool = False
) -> list[AssignmentRow]:
    """A shift's places: active first (by name), then 候补 in queue order, then the rest."""
    actor.require(Resource.SHIFT, Action.READ)
    if reveal:
        actor.require(Resource.VOLUNTEER, Action.VIEW_SENSITIVE)
    load_shift(session, actor, shift_id)
    stmt = (
        select(Assignment, Volunteer.name, Volunteer.volunteer_no, Volunteer.phone)
        .join(Volunteer, Volunteer.id == Assignment.volunteer_id)
        .where(Assignment.shift_id == shift_id)
    )
    rows = _rows(session, stmt, reveal=reveal)
    rows.sort(key=lambda r: (_ORDER.get(r.status, 9), r.queued_at or utcnow(), r.name))
    return rows


def volunteer_assignments(
    session: Session,
    actor: Actor,
    volunteer_id: uuid.UUID,
    *,
    since: date | None = None,
    until: date | None = None,
) -> list[AssignmentRow]:
    """One volunteer's places, newest first."""
    actor.require(Resource.SHIFT, Action.READ)
    volunteer = session.get(Volunteer, volunteer_id)
    if volunteer is None:
        raise NotFound("未找到该志愿者。")
    actor.require_station(volunteer.station_id)
    stmt = (
        select(Assignment, Volunteer.name, Volunteer.volunteer_no, Volunteer.phone)
        .join(Volunteer, Volunteer.id == Assignment.volunteer_id)
        .where(Assignment.volunteer_id == volunteer_id)
        .order_by(Assignment.day.desc(), Assignment.start_minute.desc())
    )
    if since is not None:
        stmt = stmt.where(Assignment.day >= since)
    if until is not None:
        stmt = stmt.where(Assignment.day <= until)
    return _rows(session, stmt, reveal=False)
