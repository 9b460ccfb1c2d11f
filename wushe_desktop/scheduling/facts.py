"""Loading the facts the conflict rules and the ranking read, for many volunteers at once.

A handful of set-based queries (volunteers, required skills and qualifications, team
members, unavailability on the day, same-day assignments, the month's load), never one
query per volunteer, so ranking 3,000 volunteers for a shift stays within milliseconds.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import date, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from wushe_desktop.scheduling.conflicts import ShiftFacts, VolunteerFacts
from wushe_desktop.scheduling.models import Assignment, ServiceHours, Shift, VolunteerActivity
from wushe_desktop.scheduling.statuses import ACTIVE, VOID
from wushe_desktop.volunteers.models import (
    Volunteer,
    VolunteerQualification,
    VolunteerSkill,
    VolunteerTeam,
    VolunteerTeamMember,
    VolunteerUnavailable,
)
from wushe_desktop.volunteers.validation import parse_skills

__all__ = ["load_volunteer_facts", "month_bounds", "shift_facts"]


def month_bounds(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def shift_facts(session: Session, shift: Shift) -> ShiftFacts:
    activity = session.get(VolunteerActivity, shift.activity_id)
    team = session.get(VolunteerTeam, shift.team_id) if shift.team_id else None
    return ShiftFacts(
        id=shift.id,
        title=activity.title if activity else "",
        day=shift.day,
        start_minute=shift.start_minute,
        end_minute=shift.end_minute,
        community_id=shift.community_id,
        required_skills=parse_skills(shift.required_skills),
        required_qualifications=parse_skills(shift.required_qualifications),
        needs_insurance=shift.needs_insurance,
        team_id=shift.team_id,
        team_name=team.name if team else "",
    )


def _in(column: object, ids: Collection[uuid.UUID] | None) -> list[ColumnElement[bool]]:
    return [] if ids is None else [column.in_(list(ids))]  # type: ignore[attr-defined]


def load_volunteer_facts(
    session: Session,
    station_id: uuid.UUID,
    shift: ShiftFacts,
    volunteer_ids: Collection[uuid.UUID] | None = None,
    *,
    active_only: bool = False,
) -> dict[uuid.UUID, VolunteerFacts]:
    """Facts for ``volunteer_ids`` (or every volunteer of the station) around ``shift``."""
    stmt = select(
        Volunteer.id,
        Volunteer.name,
        Volunteer.status,
        Volunteer.community_id,
        Volunteer.availability,
        Volunteer.insurance_until,
        Volunteer.volunteer_no,
    ).where(
        Volunteer.station_id == station_id,
        Volunteer.deleted_at.is_(None),
        *_in(Volunteer.id, volunteer_ids),
    )
    if active_only:
        stmt = stmt.where(Volunteer.status == "在册")
    facts = {
        r.id: VolunteerFacts(
            r.id,
            r.name,
            r.status,
            r.community_id,
            r.availability,
            r.insurance_until,
            number=r.volunteer_no,
        )
        for r in session.execute(stmt)
    }
    if not facts:
        return facts
    ids = None if volunteer_ids is None else list(facts)
    _skills(session, shift, facts, ids)
    _qualifications(session, shift, facts, ids)
    _teams(session, shift, facts, ids)
    _unavailable(session, shift, facts, ids)
    _same_day(session, station_id, shift, facts, ids)
    _month_load(session, station_id, shift, facts, ids)
    return facts


def _skills(
    session: Session,
    shift: ShiftFacts,
    facts: dict[uuid.UUID, VolunteerFacts],
    ids: list[uuid.UUID] | None,
) -> None:
    if not shift.required_skills:
        return
    stmt = select(VolunteerSkill.volunteer_id, VolunteerSkill.skill).where(
        VolunteerSkill.skill.in_(shift.required_skills), *_in(VolunteerSkill.volunteer_id, ids)
    )
    for vid, skill in session.execute(stmt):
        if vid in facts:
            facts[vid].skills.add(skill)


def _longest(current: date | None, other: date | None) -> date | None:
    """Of two certificates of one kind, the one valid longer (None: no expiry)."""
    if current is None or other is None:
        return None
    return max(current, other)


def _qualifications(
    session: Session,
    shift: ShiftFacts,
    facts: dict[uuid.UUID, VolunteerFacts],
    ids: list[uuid.UUID] | None,
) -> None:
    if not shift.required_qualifications:
        return
    stmt = select(
        VolunteerQualification.volunteer_id,
        VolunteerQualification.kind,
        VolunteerQualification.valid_until,
    ).where(
        VolunteerQualification.kind.in_(shift.required_qualifications),
        *_in(VolunteerQualification.volunteer_id, ids),
    )
    for vid, kind, until in session.execute(stmt):
        v = facts.get(vid)
        if v is None:
            continue
        held = v.qualifications
        held[kind] = _longest(held[kind], until) if kind in held else until


def _teams(
    session: Session,
    shift: ShiftFacts,
    facts: dict[uuid.UUID, VolunteerFacts],
    ids: list[uuid.UUID] | None,
) -> None:
    if shift.team_id is None:
        return
    stmt = select(VolunteerTeamMember.volunteer_id).where(
        VolunteerTeamMember.team_id == shift.team_id,
        *_in(VolunteerTeamMember.volunteer_id, ids),
    )
    for vid in session.scalars(stmt):
        if vid in facts:
            facts[vid].teams.add(shift.team_id)


def _unavailable(
    session: Session,
    shift: ShiftFacts,
    facts: dict[uuid.UUID, VolunteerFacts],
    ids: list[uuid.UUID] | None,
) -> None:
    stmt = select(
        VolunteerUnavailable.volunteer_id,
        VolunteerUnavailable.starts_on,
        VolunteerUnavailable.ends_on,
        VolunteerUnavailable.reason,
    ).where(
        VolunteerUnavailable.starts_on <= shift.day,
        VolunteerUnavailable.ends_on >= shift.day,
        *_in(VolunteerUnavailable.volunteer_id, ids),
    )
    for vid, start, end, reason in session.execute(stmt):
        if vid in facts:
            facts[vid].unavailable.append((start, end, reason))


def _same_day(
    session: Session,
    station_id: uuid.UUID,
    shift: ShiftFacts,
    facts: dict[uuid.UUID, VolunteerFacts],
    ids: list[uuid.UUID] | None,
) -> None:
    stmt = (
        select(
            Assignment.volunteer_id,
            Assignment.start_minute,
            Assignment.end_minute,
            VolunteerActivity.title,
        )
        .join(Shift, Shift.id == Assignment.shift_id)
        .join(VolunteerActivity, VolunteerActivity.id == Shift.activity_id)
        .where(
            Assignment.station_id == station_id,
            Assignment.day == shift.day,
            Assignment.status.in_(ACTIVE),
            *_in(Assignment.volunteer_id, ids),
        )
    )
    if shift.id is not None:
        stmt = stmt.where(Assignment.shift_id != shift.id)
    for vid, start, end, title in session.execute(stmt):
        if vid in facts:
            facts[vid].same_day.append((start, end, title))


def _month_load(
    session: Session,
    station_id: uuid.UUID,
    shift: ShiftFacts,
    facts: dict[uuid.UUID, VolunteerFacts],
    ids: list[uuid.UUID] | None,
) -> None:
    """Planned minutes (active assignments) plus recorded minutes outside shifts, this month."""
    first, last = month_bounds(shift.day)
    planned = (
        select(
            Assignment.volunteer_id,
            func.sum(Assignment.end_minute - Assignment.start_minute),
        )
        .where(
            Assignment.station_id == station_id,
            Assignment.day >= first,
            Assignment.day <= last,
            Assignment.status.in_(ACTIVE),
            *_in(Assignment.volunteer_id, ids),
        )
        .group_by(Assignment.volunteer_id)
    )
    if shift.id is not None:
        planned = planned.where(Assignment.shift_id != shift.id)
    for vid, minutes in session.execute(planned):
        if vid in facts:
            facts[vid].month_minutes += int(minutes or 0)
    extra = (
        select(ServiceHours.volunteer_id, func.sum(ServiceHours.minutes))
        .where(
            ServiceHours.station_id == station_id,
            ServiceHours.served_on >= first,
            ServiceHours.served_on <= last,
            ServiceHours.assignment_id.is_(None),
            ServiceHours.status != VOID,
            *_in(ServiceHours.volunteer_id, ids),
        )
        .group_by(ServiceHours.volunteer_id)
    )
    for vid, minutes in session.execute(extra):
        if vid in facts:
            facts[vid].month_minutes += int(minutes or 0)
