"""Volunteer teams (志愿服务队): a leader and members; a volunteer may be in several teams."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.infra.errors import ConflictError, NotFound, ValidationError
from wushe_desktop.volunteers.constants import TEAM_RECORD_TYPE
from wushe_desktop.volunteers.models import Volunteer, VolunteerTeam, VolunteerTeamMember

__all__ = [
    "TeamRow",
    "add_members",
    "create_team",
    "delete_team",
    "list_teams",
    "remove_member",
    "team_members",
    "teams_of",
    "update_team",
]


@dataclass(frozen=True)
class TeamRow:
    id: uuid.UUID
    name: str
    leader_id: uuid.UUID | None
    leader_name: str
    community_id: uuid.UUID | None
    founded_on: date | None
    description: str
    members: int
    version: int


def _load(session: Session, actor: Actor, team_id: uuid.UUID) -> VolunteerTeam:
    team = session.get(VolunteerTeam, team_id)
    if team is None:
        raise NotFound("未找到该志愿服务队，可能已被删除。")
    actor.require_station(team.station_id)
    return team


def _member_volunteer(session: Session, team: VolunteerTeam, volunteer_id: uuid.UUID) -> Volunteer:
    volunteer = session.get(Volunteer, volunteer_id)
    if volunteer is None or volunteer.station_id != team.station_id:
        raise ValidationError("所选志愿者不存在或不属于本站点。", field="volunteer_id")
    return volunteer


def _name(name: str) -> str:
    text = (name or "").strip()
    if not text:
        raise ValidationError("服务队名称不能为空。", field="name")
    if len(text) > 100:
        raise ValidationError("服务队名称最长100个字。", field="name")
    return text


def _row(session: Session, team: VolunteerTeam) -> TeamRow:
    leader = session.get(Volunteer, team.leader_id) if team.leader_id else None
    members = session.scalar(select(func.count()).where(VolunteerTeamMember.team_id == team.id))
    return TeamRow(
        team.id,
        team.name,
        team.leader_id,
        leader.name if leader else "",
        team.community_id,
        team.founded_on,
        team.description,
        int(members or 0),
        team.version,
    )


def _ensure_member(session: Session, team: VolunteerTeam, volunteer_id: uuid.UUID) -> bool:
    exists = session.scalar(
        select(VolunteerTeamMember.id).where(
            VolunteerTeamMember.team_id == team.id, VolunteerTeamMember.volunteer_id == volunteer_id
        )
    )
    if exists is not None:
        return False
    session.add(
        VolunteerTeamMember(team_id=team.id, volunteer_id=volunteer_id, joined_on=date.today())
    )
    return True


def create_team(
    session: Session,
    actor: Actor,
    *,
    name: str,
    leader_id: uuid.UUID | None = None,
    community_id: uuid.UUID | None = None,
    founded_on: date | None = None,
    description: str = "",
) -> TeamRow:
    actor.require(Resource.VOLUNTEER, Action.CREATE)
    if actor.station_id is None:
        raise ValidationError("区级账户不属于任何站点，不能新建服务队。", field="station")
    team = VolunteerTeam(
        station_id=actor.station_id,
        name=_name(name),
        community_id=community_id,
        founded_on=founded_on,
        description=description.strip(),
    )
    session.add(team)
    try:
        session.flush()
    except IntegrityError:
        raise ConflictError(f"已有名为“{team.name}”的志愿服务队，请换一个名称。") from None
    if leader_id is not None:
        _member_volunteer(session, team, leader_id)
        team.leader_id = leader_id
        _ensure_member(session, team, leader_id)
        session.flush()
    audit.record(
        session,
        actor,
        AuditAction.CREATE,
        record_type=TEAM_RECORD_TYPE,
        record_id=team.id,
        label=team.name,
    )
    return _row(session, team)


def update_team(
    session: Session,
    actor: Actor,
    team_id: uuid.UUID,
    *,
    name: str,
    leader_id: uuid.UUID | None,
    description: str = "",
    community_id: uuid.UUID | None = None,
    founded_on: date | None = None,  # None keeps the recorded date
    expected_version: int | None = None,
) -> TeamRow:
    actor.require(Resource.VOLUNTEER, Action.UPDATE)
    team = _load(session, actor, team_id)
    if expected_version is not None and team.version != expected_version:
        raise ConflictError("该服务队已被其他用户修改，请刷新后再编辑。")

    def facts() -> dict[str, object]:
        return {
            "name": team.name,
            "leader_id": team.leader_id,
            "description": team.description,
            "founded_on": team.founded_on,
        }

    before = facts()
    team.name = _name(name)
    team.description = description.strip()
    team.community_id = community_id
    if founded_on is not None:
        team.founded_on = founded_on
    if leader_id is not None:
        _member_volunteer(session, team, leader_id)
        _ensure_member(session, team, leader_id)
    team.leader_id = leader_id
    changes = audit.diff(before, facts())
    try:
        session.flush()
    except IntegrityError:
        raise ConflictError(f"已有名为“{team.name}”的志愿服务队，请换一个名称。") from None
    if changes:
        audit.record(
            session,
            actor,
            AuditAction.UPDATE,
            record_type=TEAM_RECORD_TYPE,
            record_id=team.id,
            label=team.name,
            changes=changes,
        )
    return _row(session, team)


def delete_team(session: Session, actor: Actor, team_id: uuid.UUID) -> None:
    actor.require(Resource.VOLUNTEER, Action.DELETE)
    team = _load(session, actor, team_id)
    name = team.name
    session.execute(delete(VolunteerTeamMember).where(VolunteerTeamMember.team_id == team.id))
    session.delete(team)
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.DELETE,
        record_type=TEAM_RECORD_TYPE,
        record_id=team_id,
        label=name,
    )


def add_members(
    session: Session, actor: Actor, team_id: uuid.UUID, volunteer_ids: list[uuid.UUID]
) -> int:
    """Add volunteers to a team; returns how many were not members yet."""
    actor.require(Resource.VOLUNTEER, Action.UPDATE)
    team = _load(session, actor, team_id)
    added = []
    for vid in volunteer_ids:
        volunteer = _member_volunteer(session, team, vid)
        if _ensure_member(session, team, vid):
            added.append(volunteer.name)
    session.flush()
    if added:
        audit.record(
            session,
            actor,
            AuditAction.UPDATE,
            record_type=TEAM_RECORD_TYPE,
            record_id=team.id,
            label=team.name,
            detail="加入队员：" + "、".join(added),
        )
    return len(added)


def remove_member(
    session: Session, actor: Actor, team_id: uuid.UUID, volunteer_id: uuid.UUID
) -> None:
    actor.require(Resource.VOLUNTEER, Action.UPDATE)
    team = _load(session, actor, team_id)
    volunteer = _member_volunteer(session, team, volunteer_id)
    session.execute(
        delete(VolunteerTeamMember).where(
            VolunteerTeamMember.team_id == team.id, VolunteerTeamMember.volunteer_id == volunteer_id
        )
    )
    if team.leader_id == volunteer_id:
        team.leader_id = None
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.UPDATE,
        record_type=TEAM_RECORD_TYPE,
        record_id=team.id,
        label=team.name,
        detail=f"移出队员：{volunteer.name}",
    )


def list_teams(session: Session, actor: Actor) -> list[TeamRow]:
    actor.require(Resource.VOLUNTEER, Action.READ)
    stmt = select(VolunteerTeam).order_by(VolunteerTeam.name)
    if not actor.is_district:
        stmt = stmt.where(VolunteerTeam.station_id == actor.station_id)
    return [_row(session, team) for team in session.scalars(stmt)]


def team_members(
    session: Session, actor: Actor, team_id: uuid.UUID
) -> list[tuple[uuid.UUID, str, str]]:
    """(volunteer id, name, volunteer number) of a team's members, by name."""
    actor.require(Resource.VOLUNTEER, Action.READ)
    team = _load(session, actor, team_id)
    stmt = (
        select(Volunteer.id, Volunteer.name, Volunteer.volunteer_no)
        .join(VolunteerTeamMember, VolunteerTeamMember.volunteer_id == Volunteer.id)
        .where(VolunteerTeamMember.team_id == team.id, Volunteer.deleted_at.is_(None))
        .order_by(Volunteer.name, Volunteer.id)
    )
    return [(r.id, r.name, r.volunteer_no) for r in session.execute(stmt)]


def teams_of(session: Session, volunteer_id: uuid.UUID) -> list[str]:
    stmt = (
        select(VolunteerTeam.name)
        .join(VolunteerTeamMember, VolunteerTeamMember.team_id == VolunteerTeam.id)
        .where(VolunteerTeamMember.volunteer_id == volunteer_id)
        .order_by(VolunteerTeam.name)
    )
    return list(session.scalars(stmt))
