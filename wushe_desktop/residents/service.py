"""Resident use cases: create, update, view (with the sensitive-view log) and duplicate check.

Every function takes the caller's session (one unit of work) and the signed-in actor; the
recycle-bin functions live in ``recycle.py`` and are re-exported here.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.domain.idnumber import normalize_doc_type, validate_document
from wushe_desktop.infra.db.base import utcnow
from wushe_desktop.infra.errors import ConflictError, ValidationError
from wushe_desktop.residents.common import (
    RECORD_TYPE,
    check_version,
    doc_label,
    fetch_row,
    load_resident,
    masked_document,
    snapshot,
    stale_error,
)
from wushe_desktop.residents.models import Resident, ResidentTag
from wushe_desktop.residents.recycle import (
    delete_resident,
    list_recycle_bin,
    purge_resident,
    restore_resident,
)
from wushe_desktop.residents.rows import ResidentRow
from wushe_desktop.residents.validation import (
    KEEP,
    CleanResident,
    ResidentInput,
    clean_resident,
    resolve_kept,
)
from wushe_desktop.stations.models import Community, Grid

__all__ = [
    "KEEP",
    "ResidentInput",
    "ResidentRow",
    "create_from_clean",
    "create_resident",
    "delete_resident",
    "find_by_document",
    "get_resident",
    "list_recycle_bin",
    "purge_resident",
    "restore_resident",
    "update_from_clean",
    "update_resident",
]


def _place(
    session: Session, actor: Actor, community_id: uuid.UUID, grid_id: uuid.UUID | None
) -> tuple[Community, Grid | None]:
    """The community (of the actor's station) and the grid (of that community)."""
    community = session.get(Community, community_id)
    if community is None or (not actor.is_district and community.station_id != actor.station_id):
        raise ValidationError("所选社区不存在或不属于本站点，请重新选择。", field="community_id")
    grid = None
    if grid_id is not None:
        grid = session.get(Grid, grid_id)
        if grid is None or grid.community_id != community.id:
            raise ValidationError(
                f"所选网格不属于“{community.name}”，请重新选择网格。", field="grid_id"
            )
    return community, grid


def _existing(
    session: Session, station_id: uuid.UUID | None, doc_type: str, number: str
) -> Resident | None:
    stmt = select(Resident).where(Resident.doc_type == doc_type, Resident.id_number == number)
    if station_id is not None:
        stmt = stmt.where(Resident.station_id == station_id)
    return session.scalars(stmt.order_by(Resident.deleted_at.is_not(None)).limit(1)).first()


def _refuse_duplicate(
    session: Session, station_id: uuid.UUID, clean: CleanResident, self_id: uuid.UUID | None
) -> None:
    if clean.id_number is None:
        return
    other = _existing(session, station_id, clean.doc_type, clean.id_number)
    if other is None or other.id == self_id:
        return
    community = session.get(Community, other.community_id)
    where = community.name if community else "未知社区"
    head = (
        f"{masked_document(clean.doc_type, clean.id_number)} 已登记为居民“{other.name}”（{where}）"
    )
    if other.deleted_at is not None:
        raise ConflictError(f"{head}，该居民目前在回收站中，请到回收站恢复，不要重复登记。")
    raise ConflictError(f"{head}，请勿重复登记。")


def _apply(resident: Resident, clean: CleanResident) -> None:
    resident.name = clean.name
    resident.doc_type = clean.doc_type
    resident.id_number = clean.id_number
    resident.phone = clean.phone
    resident.gender = clean.gender
    resident.birth_date = clean.birth_date
    resident.address = clean.address
    resident.community_id = clean.community_id
    resident.grid_id = clean.grid_id
    resident.notes = clean.notes
    resident.py_initials = clean.py.initials
    resident.py_full = clean.py.full
    resident.py_initials_alt = clean.py.initials_alt
    resident.py_full_alt = clean.py.full_alt
    # Tags replace the set; keep rows whose tag stays (only the detail may change).
    current = {t.tag: t for t in resident.tags}
    resident.tags = [
        _tag(current.get(tag), tag, detail) for tag, detail in sorted(clean.tags.items())
    ]


def _tag(existing: ResidentTag | None, tag: str, detail: str) -> ResidentTag:
    if existing is None:
        return ResidentTag(tag=tag, detail=detail)
    if existing.detail != detail:
        existing.detail = detail
    return existing


def _flush(session: Session, resident: Resident, clean: CleanResident) -> None:
    """Flush, turning a lost race into the same messages the checks give."""
    try:
        session.flush()
    except StaleDataError:
        raise stale_error(session, resident.id) from None
    except IntegrityError:
        raise ConflictError(
            f"{doc_label(clean.doc_type)}已被其他用户同时登记，请刷新后查找该居民，不要重复登记。"
        ) from None


def create_from_clean(session: Session, actor: Actor, clean: CleanResident) -> ResidentRow:
    """Create an already validated resident (the importer validates first, then calls this)."""
    actor.require(Resource.RESIDENT, Action.CREATE)
    community, grid = _place(session, actor, clean.community_id, clean.grid_id)
    _refuse_duplicate(session, community.station_id, clean, None)
    resident = Resident(station_id=community.station_id, tags=[])
    _apply(resident, clean)
    session.add(resident)
    _flush(session, resident, clean)
    audit.record(
        session,
        actor,
        AuditAction.CREATE,
        record_type=RECORD_TYPE,
        record_id=resident.id,
        label=resident.name,
        changes=audit.diff({}, snapshot(resident, community.name, grid.name if grid else "")),
        station_id=resident.station_id,
    )
    return fetch_row(session, resident.id)


def create_resident(session: Session, actor: Actor, data: ResidentInput) -> ResidentRow:
    """Register a resident; a duplicate document number is refused naming the existing one."""
    actor.require(Resource.RESIDENT, Action.CREATE)
    data = resolve_kept(data, doc_type=data.doc_type, id_number=None, phone=None)
    return create_from_clean(session, actor, clean_resident(data))


def update_from_clean(
    session: Session,
    actor: Actor,
    resident_id: uuid.UUID,
    clean: CleanResident,
    *,
    expected_version: int | None,
) -> ResidentRow:
    """Apply validated values; nothing is written (no audit, no new version) when equal."""
    actor.require(Resource.RESIDENT, Action.UPDATE)
    resident = load_resident(session, actor, resident_id)
    if resident.deleted_at is not None:
        raise ConflictError(f"居民“{resident.name}”在回收站中，请先恢复再修改。")
    check_version(session, resident, expected_version)
    community, grid = _place(session, actor, clean.community_id, clean.grid_id)
    if community.station_id != resident.station_id:
        raise ValidationError("不能把居民移到其他站点的社区。", field="community_id")
    _refuse_duplicate(session, resident.station_id, clean, resident.id)
    old_grid = session.get(Grid, resident.grid_id) if resident.grid_id else None
    old_community = session.get(Community, resident.community_id)
    before = snapshot(
        resident,
        old_community.name if old_community else "",
        old_grid.name if old_grid else "",
    )
    _apply(resident, clean)
    changes = audit.diff(before, snapshot(resident, community.name, grid.name if grid else ""))
    if not changes:
        return fetch_row(session, resident.id)
    resident.updated_at = utcnow()  # bumps the version even when only tags changed
    _flush(session, resident, clean)
    audit.record(
        session,
        actor,
        AuditAction.UPDATE,
        record_type=RECORD_TYPE,
        record_id=resident.id,
        label=resident.name,
        changes=changes,
        station_id=resident.station_id,
    )
    return fetch_row(session, resident.id)


def update_resident(
    session: Session,
    actor: Actor,
    resident_id: uuid.UUID,
    data: ResidentInput,
    *,
    expected_version: int,
) -> ResidentRow:
    """Save an edit made on the version the user saw; a stale version is a ConflictError.

    ``KEEP`` in ``data.id_number``/``data.phone`` keeps the stored value, so a role without
    查看敏感信息 edits a resident without ever receiving the full number or phone.
    """
    actor.require(Resource.RESIDENT, Action.UPDATE)
    stored = load_resident(session, actor, resident_id)
    check_version(session, stored, expected_version)
    data = resolve_kept(
        data, doc_type=stored.doc_type, id_number=stored.id_number, phone=stored.phone
    )
    return update_from_clean(
        session, actor, resident_id, clean_resident(data), expected_version=expected_version
    )


def get_resident(
    session: Session, actor: Actor, resident_id: uuid.UUID, *, reveal: bool = False
) -> ResidentRow:
    """One resident; ``reveal`` shows the full ID and phone and is logged as a sensitive view."""
    actor.require(Resource.RESIDENT, Action.READ)
    if reveal:
        actor.require(Resource.RESIDENT, Action.VIEW_SENSITIVE)
    resident = load_resident(session, actor, resident_id)
    if reveal:
        audit.record(
            session,
            actor,
            AuditAction.VIEW_SENSITIVE,
            record_type=RECORD_TYPE,
            record_id=resident.id,
            label=resident.name,
            detail="查看完整证件号码和电话",
            station_id=resident.station_id,
        )
    return fetch_row(session, resident.id, reveal=reveal)


def find_by_document(
    session: Session, actor: Actor, doc_type: str, id_number: str
) -> ResidentRow | None:
    """Search before create: the resident holding this document, recycle bin included."""
    actor.require(Resource.RESIDENT, Action.READ)
    kind = normalize_doc_type(doc_type).value
    number, _info = validate_document(kind, id_number)
    station = None if actor.is_district else actor.station_id
    found = _existing(session, station, kind, number)
    return fetch_row(session, found.id) if found is not None else None
