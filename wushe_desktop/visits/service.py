"""Visit use cases: record, edit, delete/restore (soft, audited), read; each visit writes
its service record (探访, one 人次) through the service-record room's API."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, Select, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.community_work.common import (
    check_station,
    live_resident,
    station_user,
    user_names,
)
from wushe_desktop.community_work.records import ServiceRecordInput, drop_records, sync_records
from wushe_desktop.infra.db.base import utcnow
from wushe_desktop.infra.errors import ConflictError, NotFound, PermissionDenied
from wushe_desktop.residents.models import Resident
from wushe_desktop.stations.models import Community, Grid
from wushe_desktop.visits.models import Visit
from wushe_desktop.visits.validation import CleanVisit, VisitInput, VisitorKind, clean_visit

__all__ = [
    "RECORD_TYPE",
    "SOURCE_TYPE",
    "VisitInput",
    "VisitRow",
    "create_visit",
    "delete_visit",
    "get_visit",
    "restore_visit",
    "update_visit",
    "visit_rows",
]

RECORD_TYPE = "visit"
SOURCE_TYPE = "visit"  # service_records SourceType.VISIT
SERVICE_TYPE = "探访"  # service_records ServiceType.VISIT
_HIDDEN = "***"


@dataclass(frozen=True)
class VisitRow:
    id: uuid.UUID
    resident_id: uuid.UUID
    resident_name: str
    community_id: uuid.UUID
    community_name: str
    grid_id: uuid.UUID | None
    grid_name: str
    visited_on: date
    mode: str
    visitor_kind: str
    visitor_user_id: uuid.UUID | None
    visitor_name: str  # the worker's display name for 社工
    duration_minutes: int
    findings: str
    risk_found: bool
    risk_description: str
    follow_up_needed: bool
    case_id: uuid.UUID | None
    version: int
    updated_at: datetime
    deleted_at: datetime | None

    @property
    def visitor_text(self) -> str:
        return f"{self.visitor_name}（{self.visitor_kind}）" if self.visitor_name else ""


_ROW_COLUMNS = (
    Visit.id,
    Visit.resident_id,
    Resident.name.label("resident_name"),
    Resident.community_id,
    Community.name.label("community_name"),
    Resident.grid_id,
    Grid.name.label("grid_name"),
    Visit.visited_on,
    Visit.mode,
    Visit.visitor_kind,
    Visit.visitor_user_id,
    Visit.visitor_name,
    Visit.duration_minutes,
    Visit.findings,
    Visit.risk_found,
    Visit.risk_description,
    Visit.follow_up_needed,
    Visit.case_id,
    Visit.version,
    Visit.updated_at,
    Visit.deleted_at,
)


def row_select() -> Select[*tuple[Any, ...]]:
    """The SELECT every visit list reads (visit, its resident and the resident's place)."""
    stmt: Select[*tuple[Any, ...]] = (
        select(*_ROW_COLUMNS)
        .select_from(Visit)
        .join(Resident, Resident.id == Visit.resident_id)
        .join(Community, Community.id == Resident.community_id)
        .outerjoin(Grid, Grid.id == Resident.grid_id)
    )
    return stmt


def visit_rows(session: Session, results: Sequence[Row[Any]]) -> list[VisitRow]:
    """Rows from ``row_select`` results, with worker names resolved in one query."""
    users = user_names(session, (r.visitor_user_id for r in results))
    rows = []
    for r in results:
        values = r._asdict()
        if values["visitor_user_id"] is not None:
            values["visitor_name"] = users.get(values["visitor_user_id"], "（已删除的账户）")
        values["grid_name"] = values["grid_name"] or ""
        rows.append(VisitRow(**values))
    return rows


def load_visit(session: Session, actor: Actor, visit_id: uuid.UUID) -> Visit:
    visit = session.get(Visit, visit_id)
    if visit is None:
        raise NotFound("未找到该探访记录，可能已被删除。")
    check_station(actor, visit.station_id, "探访记录")
    return visit


def get_visit(session: Session, actor: Actor, visit_id: uuid.UUID) -> VisitRow:
    actor.require(Resource.SERVICE, Action.READ)
    visit = load_visit(session, actor, visit_id)
    result = session.execute(row_select().where(Visit.id == visit.id)).one()
    return visit_rows(session, [result])[0]


def _snapshot(visit: Visit, resident_name: str) -> dict[str, object]:
    return {
        "resident": resident_name,
        "visited_on": visit.visited_on,
        "mode": visit.mode,
        "visitor_kind": visit.visitor_kind,
        "visitor_user_id": visit.visitor_user_id,
        "visitor_name": visit.visitor_name,
        "duration_minutes": visit.duration_minutes,
        "findings": visit.findings,
        "risk_found": visit.risk_found,
        "risk_description": visit.risk_description,
        "follow_up_needed": visit.follow_up_needed,
    }


def _changes(old: dict[str, object], new: dict[str, object]) -> audit.Changes:
    """The diff with free text hidden (findings can be health or family details)."""
    changes = audit.diff(old, new)
    for key in ("findings", "risk_description"):
        if key in changes:
            changes[key] = [_HIDDEN if changes[key][0] else "", _HIDDEN if changes[key][1] else ""]
    return changes


def _apply(visit: Visit, clean: CleanVisit) -> None:
    visit.resident_id = clean.resident_id
    visit.visited_on = clean.visited_on
    visit.mode = clean.mode
    visit.visitor_kind = clean.visitor_kind
    visit.visitor_user_id = clean.visitor_user_id
    visit.visitor_name = clean.visitor_name
    visit.duration_minutes = clean.duration_minutes
    visit.findings = clean.findings
    visit.risk_found = clean.risk_found
    visit.risk_description = clean.risk_description
    visit.follow_up_needed = clean.follow_up_needed


def _record_items(visit: Visit) -> list[ServiceRecordInput]:
    content = f"{visit.mode}探访。{visit.findings}".strip()
    if visit.risk_found:
        content += f"\n发现风险：{visit.risk_description}"
    return [
        ServiceRecordInput(
            served_on=visit.visited_on,
            service_type=SERVICE_TYPE,
            duration_minutes=visit.duration_minutes,
            content=content[:5000],
            worker_id=visit.visitor_user_id,
            worker_name=visit.visitor_name if visit.visitor_user_id is None else "",
            resident_id=visit.resident_id,
            source_type=SOURCE_TYPE,
            source_id=visit.id,
        )
    ]


def _check_refs(session: Session, actor: Actor, clean: CleanVisit) -> Resident:
    resident = live_resident(session, actor, clean.resident_id)
    if clean.visitor_kind == VisitorKind.WORKER.value and clean.visitor_user_id is not None:
        station_user(
            session, actor, clean.visitor_user_id, resident.station_id, field="visitor_user_id"
        )
    return resident


def _flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise ConflictError("该探访记录已被其他用户修改，请刷新后再编辑。") from None


def _label(visit: Visit, resident_name: str) -> str:
    return f"{visit.visited_on.isoformat()} 探访 {resident_name}"


def create_visit(session: Session, actor: Actor, data: VisitInput) -> VisitRow:
    """Record a visit and its service record (探访, 1 人次)."""
    actor.require(Resource.SERVICE, Action.CREATE)
    clean = clean_visit(data)
    resident = _check_refs(session, actor, clean)
    visit = Visit(station_id=resident.station_id)
    _apply(visit, clean)
    session.add(visit)
    _flush(session)
    sync_records(
        session,
        actor,
        SOURCE_TYPE,
        visit.id,
        _record_items(visit),
        label=_label(visit, resident.name),
    )
    audit.record(
        session,
        actor,
        AuditAction.CREATE,
        record_type=RECORD_TYPE,
        record_id=visit.id,
        label=_label(visit, resident.name),
        changes=_changes({}, _snapshot(visit, resident.name)),
        station_id=visit.station_id,
    )
    return get_visit(session, actor, visit.id)


def update_visit(
    session: Session,
    actor: Actor,
    visit_id: uuid.UUID,
    data: VisitInput,
    *,
    expected_version: int | None = None,
) -> VisitRow:
    """Save an edit (the service record follows); nothing is written when nothing changed."""
    actor.require(Resource.SERVICE, Action.UPDATE)
    visit = load_visit(session, actor, visit_id)
    if visit.deleted_at is not None:
        raise ConflictError("该探访记录在回收站中，请先恢复再修改。")
    if expected_version is not None and visit.version != expected_version:
        raise ConflictError("该探访记录已被其他用户修改，请刷新后再编辑。")
    clean = clean_visit(data)
    old_resident = session.get(Resident, visit.resident_id)
    before = _snapshot(visit, old_resident.name if old_resident else "")
    resident = _check_refs(session, actor, clean)
    if resident.station_id != visit.station_id:
        raise PermissionDenied("不能把探访记录改到其他站点的居民名下。")
    _apply(visit, clean)
    changes = _changes(before, _snapshot(visit, resident.name))
    if not changes:
        return get_visit(session, actor, visit.id)
    visit.updated_at = utcnow()
    _flush(session)
    sync_records(
        session,
        actor,
        SOURCE_TYPE,
        visit.id,
        _record_items(visit),
        label=_label(visit, resident.name),
    )
    audit.record(
        session,
        actor,
        AuditAction.UPDATE,
        record_type=RECORD_TYPE,
        record_id=visit.id,
        label=_label(visit, resident.name),
        changes=changes,
        station_id=visit.station_id,
    )
    return get_visit(session, actor, visit.id)


def _set_deleted(session: Session, actor: Actor, visit_id: uuid.UUID, deleted: bool) -> None:
    visit = load_visit(session, actor, visit_id)
    if (visit.deleted_at is not None) == deleted:
        raise ConflictError("该探访记录已在回收站中。" if deleted else "该探访记录不在回收站中。")
    resident = session.get(Resident, visit.resident_id)
    name = resident.name if resident else ""
    visit.deleted_at = utcnow() if deleted else None
    visit.deleted_by = actor.user_id if deleted else None
    _flush(session)
    if deleted:
        drop_records(session, actor, SOURCE_TYPE, visit.id)
    else:
        sync_records(
            session, actor, SOURCE_TYPE, visit.id, _record_items(visit), label=_label(visit, name)
        )
    audit.record(
        session,
        actor,
        AuditAction.DELETE if deleted else AuditAction.RESTORE,
        record_type=RECORD_TYPE,
        record_id=visit.id,
        label=_label(visit, name),
        station_id=visit.station_id,
    )


def delete_visit(session: Session, actor: Actor, visit_id: uuid.UUID) -> None:
    """Move a visit (and its service record) to the recycle bin; audited."""
    actor.require(Resource.SERVICE, Action.DELETE)
    _set_deleted(session, actor, visit_id, True)


def restore_visit(session: Session, actor: Actor, visit_id: uuid.UUID) -> None:
    """Bring a visit back; its service record is written again."""
    actor.require(Resource.SERVICE, Action.RESTORE)
    _set_deleted(session, actor, visit_id, False)


def last_visits(
    session: Session, actor: Actor, resident_id: uuid.UUID, limit: int = 20
) -> list[VisitRow]:
    """A resident's latest visits, newest first (the visit form shows them)."""
    actor.require(Resource.SERVICE, Action.READ)
    stmt = (
        row_select()
        .where(Visit.resident_id == resident_id, Visit.deleted_at.is_(None))
        .order_by(Visit.visited_on.desc(), Visit.id.desc())
        .limit(limit)
    )
    if not actor.is_district:
        stmt = stmt.where(Visit.station_id == actor.station_id)
    return visit_rows(session, list(session.execute(stmt)))
