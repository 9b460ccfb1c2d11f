"""Group use cases: the group and its plan, its members; soft delete and restore, audited.

Sessions (节) and their attendance live in ``sessions.py``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.community_work.common import (
    check_station,
    live_resident,
    station_community,
    station_user,
    today_local,
)
from wushe_desktop.groups.models import GroupAttendance, GroupMember, GroupSession, WorkGroup
from wushe_desktop.groups.rows import GroupRow, MemberRow, group_rows, member_rows
from wushe_desktop.groups.validation import CleanGroup, GroupInput, clean_group
from wushe_desktop.infra.db.base import utcnow
from wushe_desktop.infra.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from wushe_desktop.residents.models import Resident

__all__ = [
    "RECORD_TYPE",
    "GroupInput",
    "add_members",
    "create_group",
    "delete_group",
    "get_group",
    "list_members",
    "load_group",
    "member_leaves",
    "remove_member",
    "restore_group",
    "update_group",
]

RECORD_TYPE = "group"


def load_group(session: Session, actor: Actor, group_id: uuid.UUID) -> WorkGroup:
    group = session.get(WorkGroup, group_id)
    if group is None:
        raise NotFound("未找到该小组，可能已被删除。")
    check_station(actor, group.station_id, "小组")
    return group


def live_group(session: Session, actor: Actor, group_id: uuid.UUID) -> WorkGroup:
    group = load_group(session, actor, group_id)
    if group.deleted_at is not None:
        raise ConflictError(f"小组“{group.name}”在回收站中，请先恢复。")
    return group


def get_group(session: Session, actor: Actor, group_id: uuid.UUID) -> GroupRow:
    actor.require(Resource.SERVICE, Action.READ)
    return group_rows(session, [load_group(session, actor, group_id)])[0]


def _station(actor: Actor) -> uuid.UUID:
    if actor.station_id is None:
        raise PermissionDenied("区级账户不能登记小组，请使用站点账户。")
    return actor.station_id


def _check_refs(session: Session, actor: Actor, station_id: uuid.UUID, clean: CleanGroup) -> None:
    if clean.facilitator_id is not None:
        station_user(session, actor, clean.facilitator_id, station_id, field="facilitator_id")
    if clean.community_id is not None:
        station_community(session, actor, clean.community_id)


def _apply(group: WorkGroup, clean: CleanGroup) -> None:
    for key in (
        "name",
        "group_type",
        "stage",
        "facilitator_id",
        "community_id",
        "start_date",
        "end_date",
        "goal",
        "target_members",
        "recruitment",
        "planned_sessions",
        "closing_evaluation",
    ):
        setattr(group, key, getattr(clean, key))


def _snapshot(group: WorkGroup) -> dict[str, object]:
    return {
        "name": group.name,
        "group_type": group.group_type,
        "stage": group.stage,
        "facilitator_id": group.facilitator_id,
        "community_id": group.community_id,
        "start_date": group.start_date,
        "end_date": group.end_date,
        "goal": group.goal,
        "target_members": group.target_members,
        "recruitment": group.recruitment,
        "planned_sessions": group.planned_sessions,
        "closing_evaluation": group.closing_evaluation,
    }


def _flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise ConflictError("该小组已被其他用户修改，请刷新后再编辑。") from None


def create_group(session: Session, actor: Actor, data: GroupInput) -> GroupRow:
    """Register a group with its plan (小组计划书); audited."""
    actor.require(Resource.SERVICE, Action.CREATE)
    station_id = _station(actor)
    clean = clean_group(data)
    _check_refs(session, actor, station_id, clean)
    group = WorkGroup(station_id=station_id)
    _apply(group, clean)
    session.add(group)
    _flush(session)
    audit.record(
        session,
        actor,
        AuditAction.CREATE,
        record_type=RECORD_TYPE,
        record_id=group.id,
        label=group.name,
        changes=audit.diff({}, _snapshot(group)),
        station_id=station_id,
    )
    return get_group(session, actor, group.id)


def update_group(
    session: Session,
    actor: Actor,
    group_id: uuid.UUID,
    data: GroupInput,
    *,
    expected_version: int | None = None,
) -> GroupRow:
    """Save the plan, stage or closing evaluation; sessions must stay within the dates."""
    actor.require(Resource.SERVICE, Action.UPDATE)
    group = live_group(session, actor, group_id)
    if expected_version is not None and group.version != expected_version:
        raise ConflictError("该小组已被其他用户修改，请刷新后再编辑。")
    clean = clean_group(data)
    _check_refs(session, actor, group.station_id, clean)
    first, last = _session_span(session, group.id)
    if first is not None and first < clean.start_date:
        raise ValidationError(
            f"已有 {first.isoformat()} 的小组活动，开始日期不能晚于该日期。", field="start_date"
        )
    if last is not None and clean.end_date is not None and last > clean.end_date:
        raise ValidationError(
            f"已有 {last.isoformat()} 的小组活动，结束日期不能早于该日期。", field="end_date"
        )
    before = _snapshot(group)
    _apply(group, clean)
    changes = audit.diff(before, _snapshot(group))
    if not changes:
        return get_group(session, actor, group.id)
    group.updated_at = utcnow()
    _flush(session)
    # The facilitator is the worker of every session record: keep them in step.
    if "facilitator_id" in changes:
        from wushe_desktop.groups.sessions import resync_group_records

        resync_group_records(session, actor, group)
    audit.record(
        session,
        actor,
        AuditAction.UPDATE,
        record_type=RECORD_TYPE,
        record_id=group.id,
        label=group.name,
        changes=changes,
        station_id=group.station_id,
    )
    return get_group(session, actor, group.id)


def _session_span(session: Session, group_id: uuid.UUID) -> tuple[date | None, date | None]:
    from sqlalchemy import func

    stmt = select(func.min(GroupSession.held_on), func.max(GroupSession.held_on)).where(
        GroupSession.group_id == group_id, GroupSession.deleted_at.is_(None)
    )
    first, last = session.execute(stmt).one()
    return first, last


def _set_deleted(session: Session, actor: Actor, group_id: uuid.UUID, deleted: bool) -> None:
    from wushe_desktop.groups.sessions import drop_group_records, resync_group_records

    group = load_group(session, actor, group_id)
    if (group.deleted_at is not None) == deleted:
        raise ConflictError("该小组已在回收站中。" if deleted else "该小组不在回收站中。")
    group.deleted_at = utcnow() if deleted else None
    group.deleted_by = actor.user_id if deleted else None
    _flush(session)
    if deleted:
        drop_group_records(session, actor, group)
    else:
        resync_group_records(session, actor, group)
    audit.record(
        session,
        actor,
        AuditAction.DELETE if deleted else AuditAction.RESTORE,
        record_type=RECORD_TYPE,
        record_id=group.id,
        label=group.name,
        station_id=group.station_id,
    )


def delete_group(session: Session, actor: Actor, group_id: uuid.UUID) -> None:
    """Move a group to the recycle bin; its sessions' service records go with it."""
    actor.require(Resource.SERVICE, Action.DELETE)
    _set_deleted(session, actor, group_id, True)


def restore_group(session: Session, actor: Actor, group_id: uuid.UUID) -> None:
    actor.require(Resource.SERVICE, Action.RESTORE)
    _set_deleted(session, actor, group_id, False)


# --- members ------------------------------------------------------------------------------


def list_members(session: Session, actor: Actor, group_id: uuid.UUID) -> list[MemberRow]:
    actor.require(Resource.SERVICE, Action.READ)
    load_group(session, actor, group_id)
    return member_rows(session, group_id)


def add_members(
    session: Session,
    actor: Actor,
    group_id: uuid.UUID,
    resident_ids: Iterable[uuid.UUID],
    *,
    joined_on: date | None = None,
) -> int:
    """Add residents as members from ``joined_on``; a resident who had left rejoins.

    By default members join on the group's start while no session is recorded (the usual
    case, also when entering a past group from paper), later ones on today.
    Returns how many were added.
    """
    actor.require(Resource.SERVICE, Action.UPDATE)
    group = live_group(session, actor, group_id)
    day = joined_on
    if day is None:
        first, _last = _session_span(session, group.id)
        today = min(today_local(), group.end_date or today_local())
        day = group.start_date if first is None else max(group.start_date, today)
    if day < group.start_date:
        raise ValidationError(
            f"入组日期 {day.isoformat()} 早于小组开始日期 {group.start_date.isoformat()}。",
            field="joined_on",
        )
    current = {m.resident_id: m for m in group.members}
    added: list[str] = []
    for rid in dict.fromkeys(resident_ids):
        resident = live_resident(session, actor, rid)
        if resident.station_id != group.station_id:
            raise ValidationError("只能添加本站点的居民为组员。", field="resident_id")
        member = current.get(rid)
        if member is None:
            group.members.append(GroupMember(resident_id=rid, joined_on=day))
        elif member.left_on is not None:
            member.left_on = None
        else:
            continue
        added.append(resident.name)
    if added:
        _flush(session)
        audit.record(
            session,
            actor,
            AuditAction.UPDATE,
            record_type=RECORD_TYPE,
            record_id=group.id,
            label=group.name,
            detail=f"新增组员 {len(added)} 人：{'、'.join(added[:20])}{'等' if len(added) > 20 else ''}",
            station_id=group.station_id,
        )
    return len(added)


def _member(group: WorkGroup, resident_id: uuid.UUID) -> GroupMember:
    for m in group.members:
        if m.resident_id == resident_id:
            return m
    raise NotFound("该居民不是本小组的组员。")


def member_leaves(
    session: Session, actor: Actor, group_id: uuid.UUID, resident_id: uuid.UUID, left_on: date
) -> None:
    """Record that a member left on ``left_on`` (attendance before stays)."""
    actor.require(Resource.SERVICE, Action.UPDATE)
    group = live_group(session, actor, group_id)
    member = _member(group, resident_id)
    if left_on < member.joined_on:
        raise ValidationError(
            f"退组日期 {left_on.isoformat()} 早于入组日期 {member.joined_on.isoformat()}。",
            field="left_on",
        )
    later = session.scalar(
        select(GroupSession.held_on)
        .join(GroupAttendance, GroupAttendance.session_id == GroupSession.id)
        .where(
            GroupSession.group_id == group.id,
            GroupSession.deleted_at.is_(None),
            GroupSession.held_on > left_on,
            GroupAttendance.resident_id == resident_id,
            GroupAttendance.present.is_(True),
        )
        .order_by(GroupSession.held_on)
        .limit(1)
    )
    if later is not None:
        raise ValidationError(
            f"该组员 {later.isoformat()} 还出席了小组活动，退组日期不能早于该日期。",
            field="left_on",
        )
    member.left_on = left_on
    _flush(session)
    name = session.scalar(select(Resident.name).where(Resident.id == resident_id)) or ""
    audit.record(
        session,
        actor,
        AuditAction.UPDATE,
        record_type=RECORD_TYPE,
        record_id=group.id,
        label=group.name,
        detail=f"组员“{name}”于 {left_on.isoformat()} 退出小组",
        station_id=group.station_id,
    )


def remove_member(
    session: Session, actor: Actor, group_id: uuid.UUID, resident_id: uuid.UUID
) -> None:
    """Remove a member added by mistake; refused once they have attendance recorded."""
    actor.require(Resource.SERVICE, Action.UPDATE)
    group = live_group(session, actor, group_id)
    member = _member(group, resident_id)
    recorded = session.scalar(
        select(GroupAttendance.id)
        .join(GroupSession, GroupSession.id == GroupAttendance.session_id)
        .where(GroupSession.group_id == group.id, GroupAttendance.resident_id == resident_id)
        .limit(1)
    )
    if recorded is not None:
        raise ConflictError("该组员已有签到记录，不能移除；如已退出小组，请登记退组日期。")
    group.members.remove(member)
    _flush(session)
    name = session.scalar(select(Resident.name).where(Resident.id == resident_id)) or ""
    audit.record(
        session,
        actor,
        AuditAction.UPDATE,
        record_type=RECORD_TYPE,
        record_id=group.id,
        label=group.name,
        detail=f"移除组员“{name}”",
        station_id=group.station_id,
    )
