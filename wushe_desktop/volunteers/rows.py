"""The plain rows volunteer lists and forms read (ID number and phone masked unless revealed)."""

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
from wushe_desktop.stations.models import Community
from wushe_desktop.volunteers.availability import availability_text
from wushe_desktop.volunteers.models import Volunteer, VolunteerSkill

__all__ = ["VolunteerRow", "build_rows", "load_skills", "row_select"]


@dataclass(frozen=True)
class VolunteerRow:
    """One volunteer for lists and forms; ``id_number``/``phone`` masked unless revealed."""

    id: uuid.UUID
    volunteer_no: str
    national_no: str
    name: str
    gender: str
    birth_date: date | None
    age: int | None
    doc_type: str
    id_number: str
    phone: str
    community_id: uuid.UUID | None
    community_name: str
    resident_id: uuid.UUID | None
    political_status: str
    education: str
    occupation: str
    skills: tuple[str, ...]
    languages: str
    availability: int
    availability_text: str
    registered_on: date
    status: str
    status_reason: str
    emergency_name: str
    emergency_relation: str
    emergency_phone: str
    insurer: str
    insurance_policy: str
    insurance_until: date | None
    consent_on: date | None
    consent_by: str
    guardian_relation: str
    notes: str
    updated_at: datetime
    version: int
    deleted_at: datetime | None

    @property
    def skills_text(self) -> str:
        return "、".join(self.skills)


ROW_COLUMNS = (
    *(c for c in Volunteer.__table__.columns if not c.name.startswith("py_")),
    Community.name.label("community_name"),
)


def row_select() -> Select[Any]:
    return (
        select(*ROW_COLUMNS)
        .select_from(Volunteer)
        .outerjoin(Community, Community.id == Volunteer.community_id)
    )


def load_skills(session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """Skills of many volunteers in one query per 900 ids."""
    found: dict[uuid.UUID, list[str]] = {}
    for start in range(0, len(ids), 900):
        part = list(ids[start : start + 900])
        stmt = (
            select(VolunteerSkill.volunteer_id, VolunteerSkill.skill)
            .where(VolunteerSkill.volunteer_id.in_(part))
            .order_by(VolunteerSkill.volunteer_id, VolunteerSkill.skill)
        )
        for vid, skill in session.execute(stmt):
            found.setdefault(vid, []).append(skill)
    return found


def build_rows(
    session: Session, results: Sequence[Any], *, reveal: bool = False, today: date | None = None
) -> list[VolunteerRow]:
    today = today or date.today()
    skills = load_skills(session, [r.id for r in results])
    rows = []
    for r in results:
        rows.append(
            VolunteerRow(
                id=r.id,
                volunteer_no=r.volunteer_no,
                national_no=r.national_no,
                name=r.name,
                gender=r.gender or "",
                birth_date=r.birth_date,
                age=age_on(r.birth_date, today) if r.birth_date and r.birth_date <= today else None,
                doc_type=r.doc_type,
                id_number=(r.id_number or "") if reveal else mask_id_number(r.id_number),
                phone=(r.phone or "") if reveal else mask_phone(r.phone),
                community_id=r.community_id,
                community_name=r.community_name or "",
                resident_id=r.resident_id,
                political_status=r.political_status,
                education=r.education,
                occupation=r.occupation,
                skills=tuple(skills.get(r.id, ())),
                languages=r.languages,
                availability=r.availability,
                availability_text=availability_text(r.availability),
                registered_on=r.registered_on,
                status=r.status,
                status_reason=r.status_reason,
                emergency_name=r.emergency_name,
                emergency_relation=r.emergency_relation,
                emergency_phone=r.emergency_phone if reveal else mask_phone(r.emergency_phone),
                insurer=r.insurer,
                insurance_policy=r.insurance_policy,
                insurance_until=r.insurance_until,
                consent_on=r.consent_on,
                consent_by=r.consent_by,
                guardian_relation=r.guardian_relation,
                notes=r.notes,
                updated_at=r.updated_at,
                version=r.version,
                deleted_at=r.deleted_at,
            )
        )
    return rows
