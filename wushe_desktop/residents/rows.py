"""The plain row every resident list, form and export reads (masked unless revealed).

Rows are built from one SELECT of resident columns joined to community and grid names,
plus one IN query for the tags of all rows, so a page costs two queries, not N+1.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from wushe_desktop.domain.dates import age_on
from wushe_desktop.domain.masking import mask_id_number, mask_phone
from wushe_desktop.domain.tags import tags_text
from wushe_desktop.residents.models import Resident, ResidentTag
from wushe_desktop.stations.models import Community, Grid

__all__ = ["ROW_COLUMNS", "ResidentRow", "build_rows", "load_tags", "row_select"]


@dataclass(frozen=True)
class ResidentRow:
    """One resident for lists and forms; ``id_number``/``phone`` masked unless revealed."""

    id: uuid.UUID
    name: str
    gender: str
    birth_date: date | None
    age: int | None
    doc_type: str
    id_number: str
    phone: str
    community_id: uuid.UUID
    community_name: str
    grid_id: uuid.UUID | None
    grid_name: str
    tags: dict[str, str]
    tags_text: str
    address: str
    updated_at: datetime
    version: int
    deleted_at: datetime | None


ROW_COLUMNS = (
    Resident.id,
    Resident.name,
    Resident.gender,
    Resident.birth_date,
    Resident.doc_type,
    Resident.id_number,
    Resident.phone,
    Resident.community_id,
    Community.name.label("community_name"),
    Resident.grid_id,
    Grid.name.label("grid_name"),
    Resident.address,
    Resident.updated_at,
    Resident.version,
    Resident.deleted_at,
    Resident.py_full,  # the name order's keyset cursor
)


def row_select() -> Select[*tuple[Any, ...]]:
    """SELECT of the row columns with the community and grid joined."""
    stmt: Select[*tuple[Any, ...]] = (
        select(*ROW_COLUMNS)
        .select_from(Resident)
        .join(Community, Community.id == Resident.community_id)
        .outerjoin(Grid, Grid.id == Resident.grid_id)
    )
    return stmt


def load_tags(session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, dict[str, str]]:
    """Tags of many residents in one query."""
    found: dict[uuid.UUID, dict[str, str]] = {}
    if not ids:
        return found
    stmt = (
        select(ResidentTag.resident_id, ResidentTag.tag, ResidentTag.detail)
        .where(ResidentTag.resident_id.in_(list(ids)))
        .order_by(ResidentTag.resident_id, ResidentTag.tag)
    )
    for resident_id, tag, detail in session.execute(stmt):
        found.setdefault(resident_id, {})[tag] = detail
    return found


def build_rows(
    session: Session, results: Sequence[Any], *, reveal: bool = False, today: date | None = None
) -> list[ResidentRow]:
    """Rows from ``row_select()`` results, with their tags loaded in one extra query."""
    today = today or date.today()
    tags = load_tags(session, [r.id for r in results])
    rows = []
    for r in results:
        resident_tags = tags.get(r.id, {})
        rows.append(
            ResidentRow(
                id=r.id,
                name=r.name,
                gender=r.gender or "",
                birth_date=r.birth_date,
                age=age_on(r.birth_date, today) if r.birth_date else None,
                doc_type=r.doc_type,
                id_number=(r.id_number or "") if reveal else mask_id_number(r.id_number),
                phone=(r.phone or "") if reveal else mask_phone(r.phone),
                community_id=r.community_id,
                community_name=r.community_name,
                grid_id=r.grid_id,
                grid_name=r.grid_name or "",
                tags=resident_tags,
                tags_text=tags_text(resident_tags),
                address=r.address,
                updated_at=r.updated_at,
                version=r.version,
                deleted_at=r.deleted_at,
            )
        )
    return rows
