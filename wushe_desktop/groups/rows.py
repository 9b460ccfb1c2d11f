"""The plain rows group lists, detail views, forms and exports read."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wushe_desktop.community_work.common import place_names, user_names
from wushe_desktop.groups.models import GroupAttendance, GroupMember, GroupSession, WorkGroup
from wushe_desktop.residents.models import Resident
from wushe_desktop.stations.models import Community

__all__ = ["GroupRow", "MemberRow", "SessionRow", "group_rows", "member_rows", "session_rows"]


@dataclass(frozen=True)
class GroupRow:
    id: uuid.UUID
    name: str
    group_type: str
    stage: str
    facilitator_id: uuid.UUID | None
    facilitator_name: str
    community_id: uuid.UUID | None
    community_name: str
    start_date: date
    end_date: date | None
    planned_sessions: int
    sessions_held: int
    members: int  # current members (not left)
    attendances: int  # 服务人次: attendances over all live sessions
    goal: str
    target_members: str
    recruitment: str
    closing_evaluation: str
    version: int
    updated_at: datetime
    deleted_at: datetime | None


@dataclass(frozen=True)
class MemberRow:
    resident_id: uuid.UUID
    name: str
    community_name: str
    joined_on: date
    left_on: date | None
    attended: int  # sessions attended

    def member_on(self, day: date) -> bool:
        """Whether the resident was a member on ``day`` (joined, and not yet left)."""
        return self.joined_on <= day and (self.left_on is None or self.left_on >= day)


@dataclass(frozen=True)
class SessionRow:
    id: uuid.UUID
    group_id: uuid.UUID
    number: int
    held_on: date
    topic: str
    duration_minutes: int
    record: str
    evaluation: str
    present: int  # 本节出席人数 (= 服务人次 of the session)
    attendance: dict[uuid.UUID, bool]
    version: int
    deleted_at: datetime | None


def _session_stats(
    session: Session, group_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[int, int]]:
    """group id → (live sessions, attendances)."""
    if not group_ids:
        return {}
    held = (
        select(GroupSession.group_id, func.count())
        .where(GroupSession.group_id.in_(group_ids), GroupSession.deleted_at.is_(None))
        .group_by(GroupSession.group_id)
    )
    present = (
        select(GroupSession.group_id, func.count())
        .join(GroupAttendance, GroupAttendance.session_id == GroupSession.id)
        .where(
            GroupSession.group_id.in_(group_ids),
            GroupSession.deleted_at.is_(None),
            GroupAttendance.present.is_(True),
        )
        .group_by(GroupSession.group_id)
    )
    counts = {gid: (int(n), 0) for gid, n in session.execute(held)}
    for gid, n in session.execute(present):
        counts[gid] = (counts.get(gid, (0, 0))[0], int(n))
    return counts


def _member_counts(session: Session, group_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    if not group_ids:
        return {}
    stmt = (
        select(GroupMember.group_id, func.count())
        .where(GroupMember.group_id.in_(group_ids), GroupMember.left_on.is_(None))
        .group_by(GroupMember.group_id)
    )
    return {gid: int(n) for gid, n in session.execute(stmt)}


def group_rows(session: Session, groups: Sequence[WorkGroup]) -> list[GroupRow]:
    """Rows for groups, with counts and names in a fixed number of queries."""
    ids = [g.id for g in groups]
    stats = _session_stats(session, ids)
    members = _member_counts(session, ids)
    users = user_names(session, (g.facilitator_id for g in groups))
    station_ids = {g.station_id for g in groups}
    communities: dict[uuid.UUID, str] = {}
    for sid in station_ids:
        communities.update(place_names(session, sid)[0])
    return [
        GroupRow(
            id=g.id,
            name=g.name,
            group_type=g.group_type,
            stage=g.stage,
            facilitator_id=g.facilitator_id,
            facilitator_name=users.get(g.facilitator_id, "") if g.facilitator_id else "",
            community_id=g.community_id,
            community_name=communities.get(g.community_id, "") if g.community_id else "",
            start_date=g.start_date,
            end_date=g.end_date,
            planned_sessions=g.planned_sessions,
            sessions_held=stats.get(g.id, (0, 0))[0],
            members=members.get(g.id, 0),
            attendances=stats.get(g.id, (0, 0))[1],
            goal=g.goal,
            target_members=g.target_members,
            recruitment=g.recruitment,
            closing_evaluation=g.closing_evaluation,
            version=g.version,
            updated_at=g.updated_at,
            deleted_at=g.deleted_at,
        )
        for g in groups
    ]


def member_rows(session: Session, group_id: uuid.UUID) -> list[MemberRow]:
    """A group's members (left ones too), by join date then name, with sessions attended."""
    attended = (
        select(GroupAttendance.resident_id, func.count().label("n"))
        .join(GroupSession, GroupSession.id == GroupAttendance.session_id)
        .where(
            GroupSession.group_id == group_id,
            GroupSession.deleted_at.is_(None),
            GroupAttendance.present.is_(True),
        )
        .group_by(GroupAttendance.resident_id)
        .subquery()
    )
    stmt = (
        select(
            GroupMember.resident_id,
            Resident.name,
            Community.name,
            GroupMember.joined_on,
            GroupMember.left_on,
            func.coalesce(attended.c.n, 0),
        )
        .join(Resident, Resident.id == GroupMember.resident_id)
        .join(Community, Community.id == Resident.community_id)
        .outerjoin(attended, attended.c.resident_id == GroupMember.resident_id)
        .where(GroupMember.group_id == group_id)
        .order_by(GroupMember.joined_on, Resident.name)
    )
    return [
        MemberRow(rid, name, community, joined, left, int(n))
        for rid, name, community, joined, left, n in session.execute(stmt)
    ]


def session_rows(session: Session, sessions: Sequence[GroupSession]) -> list[SessionRow]:
    ids = [s.id for s in sessions]
    attendance: dict[uuid.UUID, dict[uuid.UUID, bool]] = {i: {} for i in ids}
    if ids:
        stmt: Any = select(
            GroupAttendance.session_id, GroupAttendance.resident_id, GroupAttendance.present
        ).where(GroupAttendance.session_id.in_(ids))
        for sid, rid, present in session.execute(stmt):
            attendance[sid][rid] = bool(present)
    return [
        SessionRow(
            id=s.id,
            group_id=s.group_id,
            number=s.number,
            held_on=s.held_on,
            topic=s.topic,
            duration_minutes=s.duration_minutes,
            record=s.record,
            evaluation=s.evaluation,
            present=sum(attendance[s.id].values()),
            attendance=attendance[s.id],
            version=s.version,
            deleted_at=s.deleted_at,
        )
        for s in sessions
    ]
