"""Activity use cases: record, edit, delete/restore (soft, audited), read.

Service records (社区活动): one per named participant (1 人次 each), plus one counted record
for the participants signed in without a name (``participants - named`` 人次), so the
activity's 服务人次 always equals its 参与人数, and 服务人数 counts the named residents.
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.activities.models import ActivityParticipant, CommunityActivity
from wushe_desktop.activities.rows import ActivityRow, NamedRow, activity_rows, named_rows
from wushe_desktop.activities.validation import (
    ActivityInput,
    CleanActivity,
    clean_activity,
    duration_minutes,
)
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.community_work.common import (
    check_station,
    live_resident,
    resident_names,
    station_community,
    station_user,
)
from wushe_desktop.community_work.records import ServiceRecordInput, drop_records, sync_records
from wushe_desktop.infra.db.base import utcnow
from wushe_desktop.infra.errors import ConflictError, NotFound, PermissionDenied, ValidationError

__all__ = [
    "RECORD_TYPE",
    "SOURCE_TYPE",
    "ActivityInput",
    "create_activity",
    "delete_activity",
    "get_activity",
    "list_named",
    "load_activity",
    "record_items",
    "restore_activity",
    "update_activity",
]

RECORD_TYPE = "activity"
SOURCE_TYPE = "activity"  # service_records SourceType.ACTIVITY
SERVICE_TYPE = "社区活动"  # service_records ServiceType.ACTIVITY


def load_activity(session: Session, actor: Actor, activity_id: uuid.UUID) -> CommunityActivity:
    activity = session.get(CommunityActivity, activity_id)
    if activity is None:
        raise NotFound("未找到该活动，可能已被删除。")
    check_station(actor, activity.station_id, "活动")
    return activity


def get_activity(session: Session, actor: Actor, activity_id: uuid.UUID) -> ActivityRow:
    actor.require(Resource.SERVICE, Action.READ)
    return activity_rows(session, [load_activity(session, actor, activity_id)])[0]


def list_named(session: Session, actor: Actor, activity_id: uuid.UUID) -> list[NamedRow]:
    actor.require(Resource.SERVICE, Action.READ)
    load_activity(session, actor, activity_id)
    return named_rows(session, activity_id)


def _station(actor: Actor) -> uuid.UUID:
    if actor.station_id is None:
        raise PermissionDenied("区级账户不能登记活动，请使用站点账户。")
    return actor.station_id


def _check_refs(
    session: Session, actor: Actor, station_id: uuid.UUID, clean: CleanActivity
) -> None:
    if clean.worker_id is not None:
        station_user(session, actor, clean.worker_id, station_id, field="worker_id")
    if clean.community_id is not None:
        station_community(session, actor, clean.community_id)
    for rid in clean.named:
        resident = live_resident(session, actor, rid, field="named")
        if resident.station_id != station_id:
            raise ValidationError("只能登记本站点的居民为参与者。", field="named")


def record_items(activity: CommunityActivity) -> list[ServiceRecordInput]:
    """The service records an activity stands for (see the module docstring)."""
    minutes = duration_minutes(activity.start_time, activity.end_time)
    content = f"{activity.title}（{activity.activity_type}）"
    common = {
        "served_on": activity.held_on,
        "service_type": SERVICE_TYPE,
        "duration_minutes": minutes,
        "content": content,
        "worker_id": activity.worker_id,
        "source_type": SOURCE_TYPE,
        "source_id": activity.id,
        "is_highlight": activity.is_highlight,
    }
    named = sorted((p.resident_id for p in activity.named), key=str)
    items = [ServiceRecordInput(resident_id=rid, **common) for rid in named]  # type: ignore[arg-type]
    unnamed = activity.participants - len(named)
    if unnamed > 0:
        items.append(
            ServiceRecordInput(participants=unnamed, community_id=activity.community_id, **common)  # type: ignore[arg-type]
        )
    return items


def _apply(activity: CommunityActivity, clean: CleanActivity) -> None:
    for key in (
        "title",
        "activity_type",
        "held_on",
        "start_time",
        "end_time",
        "community_id",
        "organizer_kind",
        "organizer_name",
        "worker_id",
        "participants",
        "volunteers",
        "cost_fen",
        "record",
        "is_highlight",
    ):
        setattr(activity, key, getattr(clean, key))
    current = {p.resident_id: p for p in activity.named}
    activity.named = [
        current.get(rid) or ActivityParticipant(resident_id=rid) for rid in clean.named
    ]


def _snapshot(activity: CommunityActivity, names: dict[uuid.UUID, str]) -> dict[str, object]:
    return {
        "title": activity.title,
        "activity_type": activity.activity_type,
        "held_on": activity.held_on,
        "start_time": activity.start_time.isoformat() if activity.start_time else None,
        "end_time": activity.end_time.isoformat() if activity.end_time else None,
        "community_id": activity.community_id,
        "organizer_kind": activity.organizer_kind,
        "organizer_name": activity.organizer_name,
        "worker_id": activity.worker_id,
        "participants": activity.participants,
        "named": "、".join(sorted(names.get(p.resident_id, "") for p in activity.named)),
        "volunteers": activity.volunteers,
        "cost_fen": activity.cost_fen,
        "record": activity.record,
        "is_highlight": activity.is_highlight,
    }


def _flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise ConflictError("该活动已被其他用户修改，请刷新后再编辑。") from None


def _label(activity: CommunityActivity) -> str:
    return f"{activity.held_on.isoformat()} {activity.title}"


def _sync(session: Session, actor: Actor, activity: CommunityActivity) -> None:
    """The activity's service records follow it (with its 亮点 mark)."""
    sync_records(
        session,
        actor,
        SOURCE_TYPE,
        activity.id,
        record_items(activity),
        label=_label(activity),
        highlight=activity.is_highlight,
    )


def create_activity(session: Session, actor: Actor, data: ActivityInput) -> ActivityRow:
    """Record an activity and its service records; audited."""
    actor.require(Resource.SERVICE, Action.CREATE)
    station_id = _station(actor)
    clean = clean_activity(data)
    _check_refs(session, actor, station_id, clean)
    activity = CommunityActivity(station_id=station_id, named=[])
    _apply(activity, clean)
    session.add(activity)
    _flush(session)
    _sync(session, actor, activity)
    names = resident_names(session, clean.named)
    audit.record(
        session,
        actor,
        AuditAction.CREATE,
        record_type=RECORD_TYPE,
        record_id=activity.id,
        label=_label(activity),
        changes=audit.diff({}, _snapshot(activity, names)),
        station_id=station_id,
    )
    return get_activity(session, actor, activity.id)


def update_activity(
    session: Session,
    actor: Actor,
    activity_id: uuid.UUID,
    data: ActivityInput,
    *,
    expected_version: int | None = None,
) -> ActivityRow:
    """Save an edit; the service records follow."""
    actor.require(Resource.SERVICE, Action.UPDATE)
    activity = load_activity(session, actor, activity_id)
    if activity.deleted_at is not None:
        raise ConflictError("该活动在回收站中，请先恢复再修改。")
    if expected_version is not None and activity.version != expected_version:
        raise ConflictError("该活动已被其他用户修改，请刷新后再编辑。")
    clean = clean_activity(data)
    _check_refs(session, actor, activity.station_id, clean)
    names = resident_names(session, set(clean.named) | {p.resident_id for p in activity.named})
    before = _snapshot(activity, names)
    _apply(activity, clean)
    changes = audit.diff(before, _snapshot(activity, names))
    if not changes:
        return get_activity(session, actor, activity.id)
    activity.updated_at = utcnow()
    _flush(session)
    _sync(session, actor, activity)
    audit.record(
        session,
        actor,
        AuditAction.UPDATE,
        record_type=RECORD_TYPE,
        record_id=activity.id,
        label=_label(activity),
        changes=changes,
        station_id=activity.station_id,
    )
    return get_activity(session, actor, activity.id)


def _set_deleted(session: Session, actor: Actor, activity_id: uuid.UUID, deleted: bool) -> None:
    activity = load_activity(session, actor, activity_id)
    if (activity.deleted_at is not None) == deleted:
        raise ConflictError("该活动已在回收站中。" if deleted else "该活动不在回收站中。")
    activity.deleted_at = utcnow() if deleted else None
    activity.deleted_by = actor.user_id if deleted else None
    _flush(session)
    if deleted:
        drop_records(session, actor, SOURCE_TYPE, activity.id)
    else:
        _sync(session, actor, activity)
    audit.record(
        session,
        actor,
        AuditAction.DELETE if deleted else AuditAction.RESTORE,
        record_type=RECORD_TYPE,
        record_id=activity.id,
        label=_label(activity),
        station_id=activity.station_id,
    )


def delete_activity(session: Session, actor: Actor, activity_id: uuid.UUID) -> None:
    """Move an activity (and its service records) to the recycle bin; audited."""
    actor.require(Resource.SERVICE, Action.DELETE)
    _set_deleted(session, actor, activity_id, True)


def restore_activity(session: Session, actor: Actor, activity_id: uuid.UUID) -> None:
    actor.require(Resource.SERVICE, Action.RESTORE)
    _set_deleted(session, actor, activity_id, False)
