"""Service-record use cases: add (one or in bulk), update, soft delete, restore, read.

Other rooms write their records through these functions: a group session or an activity
calls ``add_service_records`` once with every attendance (one bulk insert, one audit
entry), a case intervention calls ``add_service_record`` with ``source_type="case"``.
The caller owns the transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from wushe_desktop.accounts.models import User
from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.infra.db.base import utcnow
from wushe_desktop.infra.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from wushe_desktop.residents.models import Resident
from wushe_desktop.service_records.models import ServiceRecord
from wushe_desktop.service_records.privacy import require_source_write
from wushe_desktop.service_records.rows import (
    ServiceRecordRow,
    build_rows,
    row_select,
    station_term,
)
from wushe_desktop.service_records.validation import (
    ServiceRecordInput,
    ServiceType,
    SourceType,
    attendances_of,
    check_record,
)
from wushe_desktop.stations.models import Community

__all__ = [
    "RECORD_TYPE",
    "ServiceRecordInput",
    "ServiceRecordRow",
    "ServiceType",
    "SourceType",
    "add_service_record",
    "add_service_records",
    "delete_records_for_source",
    "delete_service_record",
    "get_service_record",
    "list_station_staff",
    "records_for_source",
    "restore_service_record",
    "update_service_record",
]

RECORD_TYPE = "service_record"
_MASKED = ["***", "***"]


@dataclass
class _Lookups:
    """Names and scopes resolved once for a batch of inputs."""

    users: dict[uuid.UUID, User] = field(default_factory=dict)
    residents: dict[uuid.UUID, tuple[uuid.UUID, uuid.UUID, str, bool]] = field(
        default_factory=dict
    )  # id → (station, community, name, deleted)
    communities: dict[uuid.UUID, tuple[uuid.UUID, str]] = field(default_factory=dict)


def _station(actor: Actor) -> uuid.UUID:
    if actor.station_id is None:
        raise PermissionDenied("区级账户不能登记服务记录，请使用站点账户。")
    return actor.station_id


def _lookups(session: Session, actor: Actor, items: Sequence[ServiceRecordInput]) -> _Lookups:
    found = _Lookups()
    user_ids = {i.worker_id for i in items if i.worker_id is not None}
    if actor.user_id is not None:
        user_ids.add(actor.user_id)
    resident_ids = {i.resident_id for i in items if i.resident_id is not None}
    if user_ids:
        found.users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(user_ids)))}
    for start in range(0, len(resident_ids), 500):
        chunk = list(resident_ids)[start : start + 500]
        stmt = select(
            Resident.id,
            Resident.station_id,
            Resident.community_id,
            Resident.name,
            Resident.deleted_at,
        ).where(Resident.id.in_(chunk))
        for rid, station_id, community_id, name, deleted in session.execute(stmt):
            found.residents[rid] = (station_id, community_id, name, deleted is not None)
    community_ids = {i.community_id for i in items if i.community_id is not None}
    community_ids |= {v[1] for v in found.residents.values()}
    if community_ids:
        stmt2 = select(Community.id, Community.station_id, Community.name).where(
            Community.id.in_(community_ids)
        )
        found.communities = {cid: (sid, name) for cid, sid, name in session.execute(stmt2)}
    return found


def _values(
    actor: Actor, station_id: uuid.UUID, data: ServiceRecordInput, found: _Lookups
) -> dict[str, Any]:
    """Column values of a checked input; scope and references verified."""
    worker_id, worker_name = data.worker_id, data.worker_name
    if worker_id is not None:
        user = found.users.get(worker_id)
        if user is None or user.station_id != station_id:
            raise ValidationError("所选服务人员不是本站点的工作人员。", field="worker_id")
        worker_name = user.display_name
    elif not worker_name:  # the signed-in user (an account of this station) served
        me = found.users.get(actor.user_id) if actor.user_id is not None else None
        worker_id = me.id if me is not None and me.station_id == station_id else None
        worker_name = actor.display_name
    community_id = data.community_id
    if data.resident_id is not None:
        resident = found.residents.get(data.resident_id)
        if resident is None or resident[0] != station_id:
            raise ValidationError("所选服务对象不存在或不属于本站点。", field="resident_id")
        if resident[3]:
            raise ValidationError(
                f"服务对象“{resident[2]}”在回收站中，请先恢复再登记服务。", field="resident_id"
            )
        community_id = community_id or resident[1]
    if community_id is not None:
        community = found.communities.get(community_id)
        if community is None or community[0] != station_id:
            raise ValidationError("所选社区不存在或不属于本站点。", field="community_id")
    return {
        "station_id": station_id,
        "served_on": data.served_on,
        "service_type": data.service_type,
        "worker_id": worker_id,
        "worker_name": worker_name,
        "community_id": community_id,
        "resident_id": data.resident_id,
        "participants": data.participants,
        "attendances": attendances_of(data),
        "duration_minutes": data.duration_minutes,
        "content": data.content,
        "source_type": data.source_type,
        "source_id": data.source_id,
        "is_highlight": data.is_highlight,
    }


def _label(values: dict[str, Any], resident_name: str) -> str:
    who = resident_name or f"{values['participants']}人"
    return f"{values['served_on'].isoformat()} {values['service_type']} {who}"


def _snapshot(values: dict[str, Any]) -> dict[str, object]:
    keys = (
        "served_on",
        "service_type",
        "worker_name",
        "community_id",
        "resident_id",
        "participants",
        "duration_minutes",
        "content",
        "source_type",
        "source_id",
        "is_highlight",
    )
    return {k: values[k] for k in keys}


def _changes(old: dict[str, object], new: dict[str, object]) -> audit.Changes:
    """The diff with the content hidden: it may be case content (read by the audit viewer)."""
    changes = audit.diff(old, new)
    if "content" in changes:
        changes["content"] = list(_MASKED)
    return changes


def _resident_name(found: _Lookups, resident_id: uuid.UUID | None) -> str:
    return found.residents[resident_id][2] if resident_id in found.residents else ""


def add_service_record(
    session: Session, actor: Actor, data: ServiceRecordInput
) -> ServiceRecordRow:
    """Add one record (validated, scoped, audited) and return it as a row."""
    actor.require(Resource.SERVICE, Action.CREATE)
    station_id = _station(actor)
    clean = check_record(data)
    require_source_write(session, actor, clean.source_type, clean.source_id)
    found = _lookups(session, actor, [clean])
    values = _values(actor, station_id, clean, found)
    record = ServiceRecord(**values)
    session.add(record)
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.CREATE,
        record_type=RECORD_TYPE,
        record_id=record.id,
        label=_label(values, _resident_name(found, clean.resident_id)),
        changes=_changes({}, _snapshot(values)),
        station_id=station_id,
    )
    return get_service_record(session, actor, record.id)


def add_service_records(
    session: Session,
    actor: Actor,
    items: Sequence[ServiceRecordInput],
    *,
    label: str = "",
) -> int:
    """Add many records in one bulk insert (a group session's or an activity's attendances).

    Every item is checked first; one bad item raises ``ValidationError`` naming its
    position and nothing is written. One audit entry describes the batch (``label``).
    """
    actor.require(Resource.SERVICE, Action.CREATE)
    if not items:
        return 0
    station_id = _station(actor)
    cleaned: list[ServiceRecordInput] = []
    for n, item in enumerate(items, start=1):
        try:
            cleaned.append(check_record(item))
        except ValidationError as exc:
            raise ValidationError(f"第 {n} 条服务记录：{exc.message}", field=exc.field) from None
    for source in {(c.source_type, c.source_id) for c in cleaned}:
        require_source_write(session, actor, *source)
    found = _lookups(session, actor, cleaned)
    rows = []
    for n, clean in enumerate(cleaned, start=1):
        try:
            rows.append(_values(actor, station_id, clean, found))
        except ValidationError as exc:
            raise ValidationError(f"第 {n} 条服务记录：{exc.message}", field=exc.field) from None
    for start in range(0, len(rows), 2_000):
        session.execute(insert(ServiceRecord), rows[start : start + 2_000])
    people = sum(r["attendances"] for r in rows)
    audit.record(
        session,
        actor,
        AuditAction.CREATE,
        record_type=RECORD_TYPE,
        record_id=cleaned[0].source_id or "",
        label=label or f"批量新增服务记录 {len(rows)} 条",
        detail=f"共 {len(rows)} 条、{people} 人次（{cleaned[0].service_type}）",
        station_id=station_id,
    )
    return len(rows)


def _load(session: Session, actor: Actor, record_id: uuid.UUID) -> ServiceRecord:
    record = session.get(ServiceRecord, record_id)
    if record is None:
        raise NotFound("未找到该服务记录，可能已被彻底删除。")
    actor.require_station(record.station_id)
    return record


def _current(record: ServiceRecord) -> dict[str, Any]:
    return {c: getattr(record, c) for c in _snapshot_keys()}


def _snapshot_keys() -> tuple[str, ...]:
    return (
        "served_on",
        "service_type",
        "worker_id",
        "worker_name",
        "community_id",
        "resident_id",
        "participants",
        "attendances",
        "duration_minutes",
        "content",
        "source_type",
        "source_id",
        "is_highlight",
    )


def _flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise ConflictError("该服务记录已被其他用户修改，请刷新后再编辑。") from None


def update_service_record(
    session: Session,
    actor: Actor,
    record_id: uuid.UUID,
    data: ServiceRecordInput,
    *,
    expected_version: int | None = None,
) -> ServiceRecordRow:
    """Save an edit; the source link cannot change (the record stays with its case/session)."""
    actor.require(Resource.SERVICE, Action.UPDATE)
    record = _load(session, actor, record_id)
    if record.deleted_at is not None:
        raise ConflictError("该服务记录在回收站中，请先恢复再修改。")
    if expected_version is not None and record.version != expected_version:
        raise ConflictError("该服务记录已被其他用户修改，请刷新后再编辑。")
    require_source_write(session, actor, record.source_type, record.source_id)
    clean = check_record(data)
    if (clean.source_type, clean.source_id) != (record.source_type, record.source_id):
        raise ValidationError("服务记录的来源不能修改。", field="source_type")
    found = _lookups(session, actor, [clean])
    values = _values(actor, record.station_id, clean, found)
    before = _current(record)
    changes = _changes(_snapshot(before), _snapshot(values))
    if not changes and before["worker_id"] == values["worker_id"]:
        return get_service_record(session, actor, record.id)
    for key, value in values.items():
        if key != "station_id":
            setattr(record, key, value)
    _flush(session)
    audit.record(
        session,
        actor,
        AuditAction.UPDATE,
        record_type=RECORD_TYPE,
        record_id=record.id,
        label=_label(values, _resident_name(found, clean.resident_id)),
        changes=changes,
        station_id=record.station_id,
    )
    return get_service_record(session, actor, record.id)


def _set_deleted(
    session: Session,
    actor: Actor,
    record_id: uuid.UUID,
    deleted: bool,
    expected_version: int | None,
) -> None:
    record = _load(session, actor, record_id)
    if (record.deleted_at is not None) == deleted:
        raise ConflictError("该服务记录已在回收站中。" if deleted else "该服务记录不在回收站中。")
    if expected_version is not None and record.version != expected_version:
        raise ConflictError("该服务记录已被其他用户修改，请刷新后再操作。")
    require_source_write(session, actor, record.source_type, record.source_id)
    record.deleted_at = utcnow() if deleted else None
    record.deleted_by = actor.user_id if deleted else None
    _flush(session)
    audit.record(
        session,
        actor,
        AuditAction.DELETE if deleted else AuditAction.RESTORE,
        record_type=RECORD_TYPE,
        record_id=record.id,
        label=f"{record.served_on.isoformat()} {record.service_type}",
        station_id=record.station_id,
    )


def delete_service_record(
    session: Session, actor: Actor, record_id: uuid.UUID, *, expected_version: int | None = None
) -> None:
    """Move a record to the recycle bin (soft delete, audited)."""
    actor.require(Resource.SERVICE, Action.DELETE)
    _set_deleted(session, actor, record_id, True, expected_version)


def restore_service_record(session: Session, actor: Actor, record_id: uuid.UUID) -> None:
    """Bring a record back from the recycle bin (audited)."""
    actor.require(Resource.SERVICE, Action.RESTORE)
    _set_deleted(session, actor, record_id, False, None)


def delete_records_for_source(
    session: Session, actor: Actor, source_type: str, source_id: uuid.UUID
) -> int:
    """Soft-delete every live record of one source (e.g. before re-writing a session's
    attendance); one audit entry. Returns how many were deleted."""
    actor.require(Resource.SERVICE, Action.DELETE)
    require_source_write(session, actor, source_type, source_id)
    station_id = _station(actor)
    records = list(
        session.scalars(
            select(ServiceRecord).where(
                ServiceRecord.source_id == source_id,
                ServiceRecord.source_type == source_type,
                ServiceRecord.station_id == station_id,
                ServiceRecord.deleted_at.is_(None),
            )
        )
    )
    now = utcnow()
    for record in records:
        record.deleted_at = now
        record.deleted_by = actor.user_id
    if records:
        _flush(session)
        audit.record(
            session,
            actor,
            AuditAction.DELETE,
            record_type=RECORD_TYPE,
            record_id=source_id,
            label=f"删除来源记录的服务记录 {len(records)} 条",
            detail=f"来源 {source_type}",
            station_id=station_id,
        )
    return len(records)


def get_service_record(session: Session, actor: Actor, record_id: uuid.UUID) -> ServiceRecordRow:
    """One record as a row (content hidden if the actor may not read it)."""
    actor.require(Resource.SERVICE, Action.READ)
    record = _load(session, actor, record_id)
    result = session.execute(row_select().where(ServiceRecord.id == record.id)).one()
    return build_rows(session, actor, [result])[0]


def records_for_source(
    session: Session, actor: Actor, source_type: str, source_id: uuid.UUID
) -> list[ServiceRecordRow]:
    """The live records one case, session, activity or visit produced, oldest first."""
    actor.require(Resource.SERVICE, Action.READ)
    stmt = row_select().where(
        ServiceRecord.source_id == source_id,
        ServiceRecord.source_type == source_type,
        ServiceRecord.deleted_at.is_(None),
    )
    if not actor.is_district:
        # Hidden from the index: SQLite would otherwise walk the station's whole
        # (station_id, deleted_at, …) index instead of the source's few rows.
        stmt = stmt.where(station_term(session, actor.station_id))
    results = session.execute(stmt.order_by(ServiceRecord.served_on, ServiceRecord.id)).all()
    return build_rows(session, actor, results)


def list_station_staff(session: Session, actor: Actor) -> list[tuple[uuid.UUID, str]]:
    """Active accounts of the actor's station (who can be named as the serving worker)."""
    actor.require(Resource.SERVICE, Action.READ)
    stmt = (
        select(User.id, User.display_name)
        .where(User.station_id == actor.station_id, User.active)
        .order_by(User.display_name)
    )
    return [(uid, name) for uid, name in session.execute(stmt)]
