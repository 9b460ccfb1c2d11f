"""Shared helpers of the volunteer and scheduling tests: volunteers made in one call."""

from __future__ import annotations

import uuid
from datetime import date

from tests.db.residents_support import make_id
from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.volunteers.availability import ALL_SLOTS
from wushe_desktop.volunteers.service import create_volunteer
from wushe_desktop.volunteers.validation import VolunteerInput

__all__ = ["add_volunteer", "make_id"]

_seq = iter(range(101, 999, 2))


def add_volunteer(
    db: Database,
    actor: Actor,
    name: str,
    *,
    birth: date = date(1990, 5, 1),
    phone: str | None = None,
    community_id: uuid.UUID | None = None,
    skills: tuple[str, ...] = (),
    availability: int = ALL_SLOTS,
    insurance_until: date | None = None,
    registered_on: date = date(2020, 1, 1),
    today: date | None = None,
) -> uuid.UUID:
    seq = next(_seq)
    with db.transaction() as s:
        row = create_volunteer(
            s,
            actor,
            VolunteerInput(
                name=name,
                id_number=make_id(birth, seq),
                phone=phone or f"139{seq:08d}",
                community_id=community_id,
                skills=list(skills),
                availability=availability,
                insurance_until=insurance_until,
                registered_on=registered_on,
                consent_on=registered_on,
            ),
            today=today,
        )
    return row.id
