"""Shared helpers of the visit, group and activity tests: tagged residents in places."""

from __future__ import annotations

import uuid
from datetime import date

from tests.db.residents_support import Places
from wushe_desktop.domain.pinyin import pinyin_keys
from wushe_desktop.infra.db.base import utcnow
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.models import Resident, ResidentTag

__all__ = ["make_person"]


def make_person(
    db: Database,
    places: Places,
    name: str,
    *tags: str,
    community: uuid.UUID | None = None,
    grid: uuid.UUID | None = None,
    birth: date = date(1940, 5, 1),
    deleted: bool = False,
) -> uuid.UUID:
    """A resident (default: 清河社区, no grid) with key-group tags, e.g. "elderly_alone"."""
    keys = pinyin_keys(name)
    with db.transaction() as s:
        r = Resident(
            station_id=places.station_id,
            name=name,
            birth_date=birth,
            community_id=community or places.qinghe,
            grid_id=grid,
            py_initials=keys.initials,
            py_full=keys.full,
            deleted_at=utcnow() if deleted else None,
            tags=[ResidentTag(tag=t) for t in tags],
        )
        s.add(r)
        s.flush()
        return r.id
