"""The roster of a period (排班表) as rows, the call list (通知名单) and the notice text
for the volunteers' chat group. The PDF and Excel forms build on ``roster_rows``."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.domain.masking import mask_phone
from wushe_desktop.scheduling.models import Assignment, VolunteerActivity
from wushe_desktop.scheduling.shifts import ShiftRow, list_shifts, load_shift, shift_rows
from wushe_desktop.scheduling.statuses import ACTIVE, CONFIRMED, SHIFT_RECORD, SIGNED_UP, WAITLIST
from wushe_desktop.scheduling.timefmt import day_label, span_text
from wushe_desktop.volunteers.models import Volunteer

__all__ = ["CallItem", "RosterRow", "call_list", "notice_text", "roster_rows"]


@dataclass(frozen=True)
class RosterRow:
    shift: ShiftRow
    people: tuple[str, ...]  # active places, by name (已确认/已签到 first)
    waiting: tuple[str, ...]

    @property
    def people_text(self) -> str:
        return "、".join(self.people)


def _names(
    session: Session, shift_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[tuple[str, str]]]:
    found: dict[uuid.UUID, list[tuple[str, str]]] = {}
    for start in range(0, len(shift_ids), 900):
        stmt = (
            select(Assignment.shift_id, Assignment.status, Volunteer.name)
            .join(Volunteer, Volunteer.id == Assignment.volunteer_id)
            .where(Assignment.shift_id.in_(list(shift_ids[start : start + 900])))
            .order_by(Assignment.queued_at, Volunteer.name)
        )
        for sid, status, name in session.execute(stmt):
            found.setdefault(sid, []).append((status, name))
    return found


def roster_rows(session: Session, actor: Actor, date_from: date, date_to: date) -> list[RosterRow]:
    """Every shift of the period with who is on it (cancelled shifts left out)."""
    shifts = list_shifts(session, actor, date_from, date_to, include_cancelled=False)
    names = _names(session, [s.id for s in shifts])
    rows = []
    for shift in shifts:
        entries = names.get(shift.id, [])
        active = sorted((n for st, n in entries if st in ACTIVE), key=lambda n: n)
        waiting = tuple(n for st, n in entries if st == WAITLIST)
        rows.append(RosterRow(shift, tuple(active), waiting))
    return rows


@dataclass(frozen=True)
class CallItem:
    assignment_id: uuid.UUID
    name: str
    phone: str  # masked unless revealed
    day: date
    time: str
    title: str
    place: str
    status: str


def call_list(
    session: Session, actor: Actor, date_from: date, date_to: date, *, reveal: bool = False
) -> list[CallItem]:
    """Places still to be confirmed (已报名) in the period, with the phone to call."""
    actor.require(Resource.SHIFT, Action.READ)
    if reveal:
        actor.require(Resource.VOLUNTEER, Action.VIEW_SENSITIVE)
    from wushe_desktop.scheduling.models import Shift

    stmt = (
        select(Assignment, Volunteer.name, Volunteer.phone, VolunteerActivity.title, Shift.place)
        .join(Volunteer, Volunteer.id == Assignment.volunteer_id)
        .join(Shift, Shift.id == Assignment.shift_id)
        .join(VolunteerActivity, VolunteerActivity.id == Shift.activity_id)
        .where(
            Assignment.station_id == actor.station_id,
            Assignment.day >= date_from,
            Assignment.day <= date_to,
            Assignment.status == SIGNED_UP,
            Shift.cancelled.is_(False),
        )
        .order_by(Assignment.day, Assignment.start_minute, Volunteer.name)
    )
    items = [
        CallItem(
            a.id,
            name,
            (phone or "") if reveal else mask_phone(phone),
            a.day,
            span_text(a.start_minute, a.end_minute),
            title,
            place,
            a.status,
        )
        for a, name, phone, title, place in session.execute(stmt)
    ]
    if reveal:
        audit.record(
            session,
            actor,
            AuditAction.VIEW_SENSITIVE,
            record_type=SHIFT_RECORD,
            label="通知名单",
            detail=f"查看通知名单电话 {len(items)} 条（{date_from} 至 {date_to}）",
        )
    return items


def notice_text(session: Session, actor: Actor, shift_id: uuid.UUID) -> str:
    """A ready-to-paste message for the volunteers' chat group (who, when, where, what to bring)."""
    actor.require(Resource.SHIFT, Action.READ)
    shift = load_shift(session, actor, shift_id)
    row = shift_rows(session, [shift.id])[0]
    activity = session.get(VolunteerActivity, shift.activity_id)
    entries = _names(session, [shift.id]).get(shift.id, [])
    confirmed = [n for st, n in entries if st in (CONFIRMED, *ACTIVE)]
    lines = [
        f"【志愿服务通知】{row.activity_title}",
        f"时间：{shift.day.year}年{day_label(shift.day)} {row.time_text}",
        f"地点：{row.place or (activity.place if activity else '')}",
    ]
    if row.role:
        lines.append(f"岗位：{row.role}")
    lines.append(f"志愿者：{'、'.join(sorted(set(confirmed))) or '（待安排）'}")
    if row.open_places:
        lines.append(f"还差 {row.open_places} 人，有空的志愿者请报名。")
    if activity is not None and activity.content:
        lines.append(f"服务内容：{activity.content}")
    if activity is not None and activity.what_to_bring:
        lines.append(f"请携带：{activity.what_to_bring}")
    if row.required_skills:
        lines.append(f"所需技能：{'、'.join(row.required_skills)}")
    lines.append("请提前10分钟到达签到，如有变动请及时告知。谢谢大家！")
    if activity is not None and activity.person_in_charge:
        lines.append(f"联系人：{activity.person_in_charge}")
    return "\n".join(lines)
