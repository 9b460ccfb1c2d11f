"""The plain row every service-record list, form and export reads."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.domain.dates import is_minor
from wushe_desktop.domain.masking import mask_name
from wushe_desktop.residents.models import Resident
from wushe_desktop.residents.search_plan import hidden
from wushe_desktop.service_records.models import ServiceRecord
from wushe_desktop.service_records.privacy import HIDDEN_TEXT, hidden_sources
from wushe_desktop.stations.models import Community

__all__ = ["ServiceRecordRow", "build_rows", "row_select", "station_term"]


@dataclass(frozen=True)
class ServiceRecordRow:
    """One record; ``content`` is replaced by a notice when ``content_hidden``."""

    id: uuid.UUID
    served_on: date
    service_type: str
    worker_id: uuid.UUID | None
    worker_name: str
    community_id: uuid.UUID | None
    community_name: str
    resident_id: uuid.UUID | None
    resident_name: str
    participants: int
    attendances: int
    duration_minutes: int
    content: str
    content_hidden: bool
    source_type: str
    source_id: uuid.UUID | None
    is_highlight: bool
    version: int
    updated_at: datetime
    deleted_at: datetime | None

    @property
    def served_text(self) -> str:
        """Who was served, as a list shows it: the resident, or "N 人"."""
        return self.resident_name if self.resident_id else f"{self.participants} 人"


ROW_COLUMNS = (
    ServiceRecord.id,
    ServiceRecord.served_on,
    ServiceRecord.service_type,
    ServiceRecord.worker_id,
    ServiceRecord.worker_name,
    ServiceRecord.community_id,
    Community.name.label("community_name"),
    ServiceRecord.resident_id,
    Resident.name.label("resident_name"),
    Resident.birth_date.label("resident_birth_date"),
    ServiceRecord.participants,
    ServiceRecord.attendances,
    ServiceRecord.duration_minutes,
    ServiceRecord.content,
    ServiceRecord.source_type,
    ServiceRecord.source_id,
    ServiceRecord.is_highlight,
    ServiceRecord.version,
    ServiceRecord.updated_at,
    ServiceRecord.deleted_at,
)


def station_term(session: Session, station_id: uuid.UUID | None) -> ColumnElement[bool]:
    """``station_id = ?`` that no index serves on SQLite (unary ``+``).

    For queries driven by a selective column (a resident, a source): without statistics
    SQLite prefers the (station_id, deleted_at, served_on, id) index, two equality terms,
    and reads the station's half a million rows instead of the few it needs.
    """
    if session.get_bind().dialect.name == "sqlite":
        return hidden(ServiceRecord.station_id) == station_id
    return ServiceRecord.station_id == station_id


def row_select() -> Select[*tuple[Any, ...]]:
    """SELECT of the row columns with the resident's and community's names joined."""
    stmt: Select[*tuple[Any, ...]] = (
        select(*ROW_COLUMNS)
        .select_from(ServiceRecord)
        .outerjoin(Resident, Resident.id == ServiceRecord.resident_id)
        .outerjoin(Community, Community.id == ServiceRecord.community_id)
    )
    return stmt


def _shown_name(name: str | None, birth: date | None, concealed: bool, today: date) -> str:
    """A minor's name stays whole only for those who may read the record's content (the
    same rule as the case list): others see the surname and a mask (张*)."""
    if concealed and is_minor(birth, today):
        return mask_name(name)
    return name or ""


def build_rows(
    session: Session, actor: Actor, results: Sequence[Any], *, today: date | None = None
) -> list[ServiceRecordRow]:
    """Rows from ``row_select()`` results, content hidden where the actor may not read it
    (and then a minor's name masked too)."""
    today = today or date.today()
    hidden = hidden_sources(session, actor, ((r.source_type, r.source_id) for r in results))
    rows = []
    for r in results:
        concealed = r.source_id is not None and r.source_id in hidden
        rows.append(
            ServiceRecordRow(
                id=r.id,
                served_on=r.served_on,
                service_type=r.service_type,
                worker_id=r.worker_id,
                worker_name=r.worker_name,
                community_id=r.community_id,
                community_name=r.community_name or "",
                resident_id=r.resident_id,
                resident_name=_shown_name(r.resident_name, r.resident_birth_date, concealed, today),
                participants=r.participants,
                attendances=r.attendances,
                duration_minutes=r.duration_minutes,
                content=HIDDEN_TEXT if concealed else r.content,
                content_hidden=concealed,
                source_type=r.source_type,
                source_id=r.source_id,
                is_highlight=r.is_highlight,
                version=r.version,
                updated_at=r.updated_at,
                deleted_at=r.deleted_at,
            )
        )
    return rows
