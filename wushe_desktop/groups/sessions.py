"""Group sessions (节): number, date, topic, attendance per member, record and evaluation.

Each present member gets one service record (小组服务, one 人次) through the service-record
room's API; editing a session rewrites them only when something they hold changed.
"""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.community_work.common import check_station, resident_names
from wushe_desktop.community_work.records import ServiceRecordInput, drop_records, sync_records
from wushe_desktop.groups.models import GroupAttendance, GroupSession, WorkGroup
from wushe_desktop.groups.rows import SessionRow, member_rows, session_rows
from wushe_desktop.groups.service import live_group, load_group
from wushe_desktop.groups.validation import CleanSession, SessionInput, clean_session
from wushe_desktop.infra.db.base import utcnow
from wushe_desktop.infra.errors import ConflictError, NotFound, ValidationError

__all__ = [
    "RECORD_TYPE",
    "SOURCE_TYPE",
    "SessionInput",
    "create_session",
    "delete_session",
    "drop_group_records",
    "get_session",
    "list_sessions",
    "next_session_number",
    "restore_session",
    "resync_group_records",
    "update_session",
]

RECORD_TYPE = "group_session"
SOURCE_TYPE = "group_session"  # service_records SourceType.GROUP_SESSION
SERVICE_TYPE = "小组服务"  # service_records ServiceType.GROUP


def _load(session: Session, actor: Actor, session_id: uuid.UUID) -> GroupSession:
    found = session.get(GroupSession, session_id)
    if found is None:
        raise NotFound("未找到该节小组活动记录，可能已被删除。")
    check_station(actor, found.station_id, "小组活动记录")
    return found


def get_session(session: Session, actor: Actor, session_id: uuid.UUID) -> SessionRow:
    actor.require(Resource.SERVICE, Action.READ)
    return session_rows(session, [_load(session, actor, session_id)])[0]


def list_sessions(
    session: Session, actor: Actor, group_id: uuid.UUID, *, deleted: bool = False
) -> list[SessionRow]:
    """A group's sessions in number order (or its deleted ones)."""
    actor.require(Resource.SERVICE, Action.READ)
    load_group(session, actor, group_id)
    cond = GroupSession.deleted_at.is_not(None) if deleted else GroupSession.deleted_at.is_(None)
    found = list(
        session.scalars(
            select(GroupSession)
            .where(GroupSession.group_id == group_id, cond)
            .order_by(GroupSession.number, GroupSession.held_on)
        )
    )
    return session_rows(session, found)


def next_session_number(session: Session, actor: Actor, group_id: uuid.UUID) -> int:
    actor.require(Resource.SERVICE, Action.READ)
    load_group(session, actor, group_id)
    top = session.scalar(
        select(func.max(GroupSession.number)).where(
            GroupSession.group_id == group_id, GroupSession.deleted_at.is_(None)
        )
    )
    return int(top or 0) + 1


def _check_number(
    session: Session, group: WorkGroup, number: int, self_id: uuid.UUID | None
) -> None:
    stmt = select(GroupSession.id, GroupSession.held_on).where(
        GroupSession.group_id == group.id,
        GroupSession.number == number,
        GroupSession.deleted_at.is_(None),
    )
    for other_id, held_on in session.execute(stmt):
        if other_id != self_id:
            raise ValidationError(
                f"第 {number} 节已经登记过（{held_on.isoformat()}），请换一个节次。", field="number"
            )


def _check_attendance(
    session: Session, group: WorkGroup, clean: CleanSession
) -> dict[uuid.UUID, bool]:
    """Attendance for every member on the session day; anyone else is refused by name."""
    members = member_rows(session, group.id)
    on_day = {m.resident_id: m for m in members if m.member_on(clean.held_on)}
    known = {m.resident_id: m for m in members}
    for rid in clean.attendance:
        if rid in on_day:
            continue
        member = known.get(rid)
        if member is None:
            name = resident_names(session, [rid]).get(rid, "该居民")
            raise ValidationError(f"“{name}”不是本小组的组员，不能登记出席。", field="attendance")
        raise ValidationError(
            f"“{member.name}”在 {clean.held_on.isoformat()} 不是组员"
            f"（入组 {member.joined_on.isoformat()}"
            + (f"，退组 {member.left_on.isoformat()}" if member.left_on else "")
            + "），不能登记出席。",
            field="attendance",
        )
    return {rid: bool(clean.attendance.get(rid, False)) for rid in on_day}


def _record_items(group: WorkGroup, found: GroupSession) -> list[ServiceRecordInput]:
    content = f"{group.name} 第{found.number}节：{found.topic}"
    return [
        ServiceRecordInput(
            served_on=found.held_on,
            service_type=SERVICE_TYPE,
            duration_minutes=found.duration_minutes,
            content=content[:5000],
            worker_id=group.facilitator_id,
            resident_id=a.resident_id,
            source_type=SOURCE_TYPE,
            source_id=found.id,
        )
        for a in sorted(found.attendance, key=lambda a: str(a.resident_id))
        if a.present
    ]


def _label(group: WorkGroup, found: GroupSession) -> str:
    return f"{group.name} 第{found.number}节（{found.held_on.isoformat()}）"


def _snapshot(found: GroupSession, names: dict[uuid.UUID, str]) -> dict[str, object]:
    present = sorted(names.get(a.resident_id, "") for a in found.attendance if a.present)
    return {
        "number": found.number,
        "held_on": found.held_on,
        "topic": found.topic,
        "duration_minutes": found.duration_minutes,
        "record": found.record,
        "evaluation": found.evaluation,
        "present": "、".join(present),
    }


def _apply(found: GroupSession, clean: CleanSession, attendance: dict[uuid.UUID, bool]) -> None:
    found.number = clean.number
    found.held_on = clean.held_on
    found.topic = clean.topic
    found.duration_minutes = clean.duration_minutes
    found.record = clean.record
    found.evaluation = clean.evaluation
    rows = {a.resident_id: a for a in found.attendance}
    kept = []
    for rid, present in attendance.items():
        row = rows.get(rid) or GroupAttendance(resident_id=rid)
        if row.present is not present:
            row.present = present
        kept.append(row)
    found.attendance = kept


def _flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise ConflictError("该节小组活动记录已被其他用户修改，请刷新后再编辑。") from None


def create_session(
    session: Session, actor: Actor, group_id: uuid.UUID, data: SessionInput
) -> SessionRow:
    """Record a session with its attendance; one service record per present member."""
    actor.require(Resource.SERVICE, Action.CREATE)
    group = live_group(session, actor, group_id)
    clean = clean_session(data, group_start=group.start_date, group_end=group.end_date)
    _check_number(session, group, clean.number, None)
    attendance = _check_attendance(session, group, clean)
    found = GroupSession(station_id=group.station_id, group_id=group.id, attendance=[])
    _apply(found, clean, attendance)
    session.add(found)
    _flush(session)
    sync_records(
        session,
        actor,
        SOURCE_TYPE,
        found.id,
        _record_items(group, found),
        label=_label(group, found),
    )
    names = resident_names(session, attendance)
    audit.record(
        session,
        actor,
        AuditAction.CREATE,
        record_type=RECORD_TYPE,
        record_id=found.id,
        label=_label(group, found),
        changes=audit.diff({}, _snapshot(found, names)),
        station_id=group.station_id,
    )
    return get_session(session, actor, found.id)


def update_session(
    session: Session,
    actor: Actor,
    session_id: uuid.UUID,
    data: SessionInput,
    *,
    expected_version: int | None = None,
) -> SessionRow:
    """Save an edit; the service records follow the attendance."""
    actor.require(Resource.SERVICE, Action.UPDATE)
    found = _load(session, actor, session_id)
    if found.deleted_at is not None:
        raise ConflictError("该节小组活动记录在回收站中，请先恢复再修改。")
    if expected_version is not None and found.version != expected_version:
        raise ConflictError("该节小组活动记录已被其他用户修改，请刷新后再编辑。")
    group = live_group(session, actor, found.group_id)
    clean = clean_session(data, group_start=group.start_date, group_end=group.end_date)
    _check_number(session, group, clean.number, found.id)
    attendance = _check_attendance(session, group, clean)
    names = resident_names(session, set(attendance) | {a.resident_id for a in found.attendance})
    before = _snapshot(found, names)
    _apply(found, clean, attendance)
    changes = audit.diff(before, _snapshot(found, names))
    if not changes:
        return get_session(session, actor, found.id)
    found.updated_at = utcnow()
    _flush(session)
    sync_records(
        session,
        actor,
        SOURCE_TYPE,
        found.id,
        _record_items(group, found),
        label=_label(group, found),
    )
    audit.record(
        session,
        actor,
        AuditAction.UPDATE,
        record_type=RECORD_TYPE,
        record_id=found.id,
        label=_label(group, found),
        changes=changes,
        station_id=group.station_id,
    )
    return get_session(session, actor, found.id)


def _set_deleted(session: Session, actor: Actor, session_id: uuid.UUID, deleted: bool) -> None:
    found = _load(session, actor, session_id)
    if (found.deleted_at is not None) == deleted:
        raise ConflictError(
            "该节小组活动记录已在回收站中。" if deleted else "该节小组活动记录不在回收站中。"
        )
    group = live_group(session, actor, found.group_id)
    if not deleted:
        _check_number(session, group, found.number, found.id)
    found.deleted_at = utcnow() if deleted else None
    found.deleted_by = actor.user_id if deleted else None
    _flush(session)
    if deleted:
        drop_records(session, actor, SOURCE_TYPE, found.id)
    else:
        sync_records(
            session,
            actor,
            SOURCE_TYPE,
            found.id,
            _record_items(group, found),
            label=_label(group, found),
        )
    audit.record(
        session,
        actor,
        AuditAction.DELETE if deleted else AuditAction.RESTORE,
        record_type=RECORD_TYPE,
        record_id=found.id,
        label=_label(group, found),
        station_id=group.station_id,
    )


def delete_session(session: Session, actor: Actor, session_id: uuid.UUID) -> None:
    """Move a session (and its service records) to the recycle bin; audited."""
    actor.require(Resource.SERVICE, Action.DELETE)
    _set_deleted(session, actor, session_id, True)


def restore_session(session: Session, actor: Actor, session_id: uuid.UUID) -> None:
    """Bring a session back (its number must still be free); its records are rewritten."""
    actor.require(Resource.SERVICE, Action.RESTORE)
    _set_deleted(session, actor, session_id, False)


def _live_sessions(session: Session, group: WorkGroup) -> list[GroupSession]:
    return list(
        session.scalars(
            select(GroupSession).where(
                GroupSession.group_id == group.id, GroupSession.deleted_at.is_(None)
            )
        )
    )


def drop_group_records(session: Session, actor: Actor, group: WorkGroup) -> None:
    """The group went to the recycle bin: its sessions' service records go too."""
    for found in _live_sessions(session, group):
        drop_records(session, actor, SOURCE_TYPE, found.id)


def resync_group_records(session: Session, actor: Actor, group: WorkGroup) -> None:
    """Rewrite the service records of every live session (restore, new facilitator)."""
    for found in _live_sessions(session, group):
        sync_records(
            session,
            actor,
            SOURCE_TYPE,
            found.id,
            _record_items(group, found),
            label=_label(group, found),
        )
