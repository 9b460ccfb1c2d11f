"""Keeping the service records of a visit, a group session or an activity in step with it.

The records are written through the service-record room's API (``service_records.service``),
never directly, so its checks, scoping and audit apply. An edit that leaves the records
unchanged writes nothing; otherwise the source's live records are soft-deleted and written
again (one bulk insert, one audit entry each way).

服务人次 (see ``service_records.metrics``): each named resident's record counts 1, a counted
record counts its participants.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.infra.db.base import utcnow
from wushe_desktop.service_records.models import ServiceRecord
from wushe_desktop.service_records.service import (
    ServiceRecordInput,
    add_service_records,
    delete_records_for_source,
)

__all__ = ["ServiceRecordInput", "drop_records", "sync_records"]


def _key(  # noqa: PLR0917 - one record's fields, in column order
    served_on: object,
    service_type: str,
    worker_id: uuid.UUID | None,
    worker_name: str,
    resident_id: uuid.UUID | None,
    participants: int,
    minutes: int,
    content: str,
    community_id: uuid.UUID | None,
) -> tuple[object, ...]:
    return (
        served_on,
        service_type,
        worker_id,
        worker_name if worker_id is None else "",
        resident_id,
        0 if resident_id is not None else participants,
        minutes,
        content.strip(),
        community_id if resident_id is None else None,
    )


def _existing(session: Session, source_type: str, source_id: uuid.UUID) -> list[tuple[object, ...]]:
    stmt = select(
        ServiceRecord.served_on,
        ServiceRecord.service_type,
        ServiceRecord.worker_id,
        ServiceRecord.worker_name,
        ServiceRecord.resident_id,
        ServiceRecord.participants,
        ServiceRecord.duration_minutes,
        ServiceRecord.content,
        ServiceRecord.community_id,
    ).where(
        ServiceRecord.source_id == source_id,
        ServiceRecord.source_type == source_type,
        ServiceRecord.deleted_at.is_(None),
    )
    return sorted((_key(*row) for row in session.execute(stmt)), key=repr)


def _worker(actor: Actor, item: ServiceRecordInput) -> uuid.UUID | None:
    """The worker the service-record room will store (the actor when nobody is named)."""
    if item.worker_id is None and not item.worker_name.strip():
        return actor.user_id
    return item.worker_id


def sync_records(
    session: Session,
    actor: Actor,
    source_type: str,
    source_id: uuid.UUID,
    items: Sequence[ServiceRecordInput],
    *,
    label: str,
    highlight: bool | None = None,
) -> int:
    """Make the source's live records equal ``items``; return how many were (re)written.

    ``highlight`` (a source that owns the 亮点 mark, e.g. a community activity): the live
    records carry it even when nothing else changed. None leaves marks set by hand alone.
    """
    wanted = sorted(
        (
            _key(
                i.served_on,
                i.service_type,
                _worker(actor, i),
                i.worker_name.strip(),
                i.resident_id,
                i.participants,
                i.duration_minutes,
                i.content,
                i.community_id,
            )
            for i in items
        ),
        key=repr,
    )
    if wanted == _existing(session, source_type, source_id):
        if highlight is not None:
            _mark_highlight(session, source_type, source_id, highlight)
        return 0
    delete_records_for_source(session, actor, source_type, source_id)
    return add_service_records(session, actor, list(items), label=label)


def _mark_highlight(
    session: Session, source_type: str, source_id: uuid.UUID, highlight: bool
) -> None:
    """Set the 亮点 mark on the source's live records that lack it (version bumped, so an
    editor holding an older copy gets the usual conflict message)."""
    session.execute(
        update(ServiceRecord)
        .where(
            ServiceRecord.source_id == source_id,
            ServiceRecord.source_type == source_type,
            ServiceRecord.deleted_at.is_(None),
            ServiceRecord.is_highlight != highlight,
        )
        .values(is_highlight=highlight, version=ServiceRecord.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def drop_records(session: Session, actor: Actor, source_type: str, source_id: uuid.UUID) -> int:
    """Soft-delete the source's records (the source went to the recycle bin)."""
    return delete_records_for_source(session, actor, source_type, source_id)
