"""Station-wide resident counts for the dashboard (工作台) in one grouped statement.

Counting each key-group tag through ``search.count`` cost one query per tag (16 of them,
≈120 ms at 60,000 residents); here one UNION ALL groups the live residents' tags and the
communities (with their grids) in a single round trip.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, String, cast, func, literal, select, union_all
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.residents.models import Resident, ResidentTag
from wushe_desktop.stations.models import Community, Grid, Station

__all__ = ["CommunityCount", "ResidentStats", "resident_stats"]


@dataclass(frozen=True)
class CommunityCount:
    id: uuid.UUID
    name: str
    residents: int  # live ones (not in the recycle bin)
    grids: int


@dataclass(frozen=True)
class ResidentStats:
    """Live residents in the actor's scope: all, per tag (built-in and custom), per community."""

    total: int
    by_tag: dict[str, int] = field(default_factory=dict)  # tag code -> residents
    communities: list[CommunityCount] = field(default_factory=list)  # by name

    def tag(self, code: str) -> int:
        return self.by_tag.get(code, 0)


def _station(actor: Actor, column: Any) -> ColumnElement[bool]:
    if actor.is_district:  # every station; the IN keeps the (station_id, …) indexes usable
        return column.in_(select(Station.id).scalar_subquery())
    return column == actor.station_id


def resident_stats(session: Session, actor: Actor) -> ResidentStats:
    """Counts of live residents in the actor's station (all stations for district users)."""
    actor.require(Resource.RESIDENT, Action.READ)
    tags = (
        select(
            literal("tag").label("kind"),
            ResidentTag.tag.label("key"),
            literal("").label("name"),
            func.count().label("n"),
            literal(0).label("grids"),
        )
        .select_from(ResidentTag)
        .join(Resident, Resident.id == ResidentTag.resident_id)
        .where(_station(actor, Resident.station_id), Resident.deleted_at.is_(None))
        .group_by(ResidentTag.tag)
    )
    grids = select(func.count()).where(Grid.community_id == Community.id).scalar_subquery()
    communities = (
        select(
            literal("community").label("kind"),
            cast(Community.id, String).label("key"),
            Community.name.label("name"),
            func.count(Resident.id).label("n"),
            grids.label("grids"),
        )
        .select_from(Community)
        .outerjoin(
            Resident,
            (Resident.community_id == Community.id) & Resident.deleted_at.is_(None),
        )
        .where(_station(actor, Community.station_id))
        .group_by(Community.id, Community.name)
    )
    by_tag: dict[str, int] = {}
    places: list[CommunityCount] = []
    for kind, key, name, n, grid_count in session.execute(union_all(tags, communities)):
        if kind == "tag":
            by_tag[key] = int(n)
        else:
            places.append(CommunityCount(uuid.UUID(key), name, int(n), int(grid_count)))
    places.sort(key=lambda c: (c.name, c.id))
    return ResidentStats(sum(c.residents for c in places), by_tag, places)
