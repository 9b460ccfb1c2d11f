"""The plain row every case list and header reads (no content: lists are seen by all staff)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.cases.access import CONTENT_ROLES, is_minor
from wushe_desktop.cases.models import Case
from wushe_desktop.domain.dates import age_on
from wushe_desktop.domain.masking import mask_name
from wushe_desktop.residents.models import Resident
from wushe_desktop.service_records.models import ServiceRecord
from wushe_desktop.stations.models import Community

__all__ = ["CaseRow", "FamilyMember", "build_rows", "family_of", "last_service_dates", "row_select"]


@dataclass(frozen=True)
class FamilyMember:
    """A family member involved: a registered resident, or a name only."""

    name: str
    relation: str = ""
    resident_id: uuid.UUID | None = None


@dataclass(frozen=True)
class CaseRow:
    id: uuid.UUID
    case_no: str
    resident_id: uuid.UUID
    resident_name: str  # masked (张*) for a minor's case when the content is not visible
    resident_age: int | None
    is_minor: bool
    community_id: uuid.UUID
    community_name: str
    worker_id: uuid.UUID | None
    worker_name: str
    source: str
    problem_areas: tuple[str, ...]
    risk_level: str
    stage: str
    opened_on: date
    closed_on: date | None
    last_service_on: date | None
    content_visible: bool
    template_key: str
    reopen_count: int
    version: int
    updated_at: datetime
    deleted_at: datetime | None

    @property
    def problem_text(self) -> str:
        return "、".join(self.problem_areas)


ROW_COLUMNS = (
    Case.id,
    Case.case_no,
    Case.resident_id,
    Resident.name.label("resident_name"),
    Resident.birth_date,
    Resident.community_id,
    Community.name.label("community_name"),
    Case.worker_id,
    Case.worker_name,
    Case.source,
    Case.problem_areas,
    Case.risk_level,
    Case.stage,
    Case.opened_on,
    Case.closed_on,
    Case.template_key,
    Case.reopen_count,
    Case.version,
    Case.updated_at,
    Case.deleted_at,
)


def row_select() -> Select[*tuple[Any, ...]]:
    stmt: Select[*tuple[Any, ...]] = (
        select(*ROW_COLUMNS)
        .select_from(Case)
        .join(Resident, Resident.id == Case.resident_id)
        .join(Community, Community.id == Resident.community_id)
    )
    return stmt


def last_service_dates(session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, date]:
    """The latest live service record of each case (index ``ix_service_record_source``)."""
    found: dict[uuid.UUID, date] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        stmt = (
            select(ServiceRecord.source_id, func.max(ServiceRecord.served_on))
            .where(
                ServiceRecord.source_id.in_(chunk),
                ServiceRecord.source_type == "case",
                ServiceRecord.deleted_at.is_(None),
            )
            .group_by(ServiceRecord.source_id)
        )
        for source_id, last in session.execute(stmt):
            if source_id is not None and last is not None:
                found[source_id] = last
    return found


def family_of(text: str) -> list[FamilyMember]:
    items = json.loads(text or "[]")
    return [
        FamilyMember(
            str(i.get("name", "")),
            str(i.get("relation", "")),
            uuid.UUID(i["resident_id"]) if i.get("resident_id") else None,
        )
        for i in items
    ]


def build_rows(
    session: Session, actor: Actor, results: Sequence[Any], *, today: date | None = None
) -> list[CaseRow]:
    today = today or date.today()
    last = last_service_dates(session, [r.id for r in results])
    rows = []
    for r in results:
        visible = actor.role in CONTENT_ROLES or (
            actor.user_id is not None and actor.user_id == r.worker_id
        )
        minor = is_minor(r.birth_date, today)
        age = age_on(r.birth_date, today) if r.birth_date and r.birth_date <= today else None
        rows.append(
            CaseRow(
                id=r.id,
                case_no=r.case_no,
                resident_id=r.resident_id,
                resident_name=r.resident_name
                if visible or not minor
                else mask_name(r.resident_name),
                resident_age=age,
                is_minor=minor,
                community_id=r.community_id,
                community_name=r.community_name,
                worker_id=r.worker_id,
                worker_name=r.worker_name,
                source=r.source,
                problem_areas=tuple(p for p in r.problem_areas.split("、") if p),
                risk_level=r.risk_level,
                stage=r.stage,
                opened_on=r.opened_on,
                closed_on=r.closed_on,
                last_service_on=last.get(r.id),
                content_visible=visible,
                template_key=r.template_key,
                reopen_count=r.reopen_count,
                version=r.version,
                updated_at=r.updated_at,
                deleted_at=r.deleted_at,
            )
        )
    return rows
