"""The recycle bin (回收站): soft delete, restore, and permanent deletion by the director.

A deleted resident keeps its document number, so registering the same person again is
refused with a hint to restore instead (the duplicate check looks into the bin too).
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from wushe_desktop.accounts.permissions import Action, Actor, Resource, Role
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.infra.db.base import utcnow
from wushe_desktop.infra.errors import ConflictError, PermissionDenied
from wushe_desktop.residents.common import (
    RECORD_TYPE,
    check_version,
    fetch_row,
    load_resident,
    masked_document,
    stale_error,
)
from wushe_desktop.residents.models import Resident
from wushe_desktop.residents.rows import ResidentRow, build_rows, row_select

__all__ = ["delete_resident", "list_recycle_bin", "purge_resident", "restore_resident"]


def _flush(session: Session, resident: Resident) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise stale_error(session, resident.id) from None


def delete_resident(
    session: Session,
    actor: Actor,
    resident_id: uuid.UUID,
    *,
    expected_version: int | None = None,
) -> None:
    """Move a resident to the recycle bin (soft delete, audited)."""
    actor.require(Resource.RESIDENT, Action.DELETE)
    resident = load_resident(session, actor, resident_id)
    if resident.deleted_at is not None:
        raise ConflictError(f"居民“{resident.name}”已在回收站中。")
    check_version(session, resident, expected_version)
    resident.deleted_at = utcnow()
    resident.deleted_by = actor.user_id
    _flush(session, resident)
    audit.record(
        session,
        actor,
        AuditAction.DELETE,
        record_type=RECORD_TYPE,
        record_id=resident.id,
        label=resident.name,
        detail="移入回收站",
        station_id=resident.station_id,
    )


def restore_resident(session: Session, actor: Actor, resident_id: uuid.UUID) -> ResidentRow:
    """Bring a resident back from the recycle bin."""
    actor.require(Resource.RESIDENT, Action.RESTORE)
    resident = load_resident(session, actor, resident_id)
    if resident.deleted_at is None:
        raise ConflictError(f"居民“{resident.name}”不在回收站中，无需恢复。")
    resident.deleted_at = None
    resident.deleted_by = None
    _flush(session, resident)
    audit.record(
        session,
        actor,
        AuditAction.RESTORE,
        record_type=RECORD_TYPE,
        record_id=resident.id,
        label=resident.name,
        detail="从回收站恢复",
        station_id=resident.station_id,
    )
    return fetch_row(session, resident.id)


def purge_resident(session: Session, actor: Actor, resident_id: uuid.UUID) -> None:
    """Delete a resident for good (PIPL Art.47 erasure). Station director only, bin only.

    The permission matrix has no separate purge grant, so the delete right plus the
    director role is required; the audit entry survives the record.
    """
    actor.require(Resource.RESIDENT, Action.DELETE)
    if actor.role is not Role.DIRECTOR:
        raise PermissionDenied("只有站长可以彻底删除回收站中的居民。")
    resident = load_resident(session, actor, resident_id)
    if resident.deleted_at is None:
        raise ConflictError(
            f"居民“{resident.name}”不在回收站中，请先删除（移入回收站）再彻底删除。"
        )
    label, station_id = resident.name, resident.station_id
    detail = "彻底删除"
    if resident.id_number:
        detail += f"（{masked_document(resident.doc_type, resident.id_number)}）"
    session.delete(resident)
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.PURGE,
        record_type=RECORD_TYPE,
        record_id=resident_id,
        label=label,
        detail=detail,
        station_id=station_id,
    )


def list_recycle_bin(session: Session, actor: Actor) -> list[ResidentRow]:
    """Residents in the recycle bin, most recently deleted first (masked)."""
    actor.require(Resource.RESIDENT, Action.READ)
    stmt = row_select().where(Resident.deleted_at.is_not(None))
    if not actor.is_district:
        stmt = stmt.where(Resident.station_id == actor.station_id)
    stmt = stmt.order_by(Resident.deleted_at.desc(), Resident.id.desc())
    return build_rows(session, session.execute(stmt).all())
