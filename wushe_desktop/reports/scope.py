"""Whose figures a report shows (a station, one community, or a district's stations) and
the small query context every section's queries share.

A station user's scope is always their own station (or one of its communities); a
district user may take one station or all stations of the database (the district).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, ColumnElement, func, select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.infra.errors import NotFound, ValidationError
from wushe_desktop.reports.periods import Period
from wushe_desktop.stations.models import Community, Station

__all__ = ["ALL", "Ctx", "Grouped", "Scope", "ScopeKind", "resolve_scope"]

#: The key of the one row an ungrouped section query returns.
ALL = "__all__"

#: group key (ALL, a community id, a station id, or None for "no community") → code → value
Grouped = dict[object, dict[str, int]]


class ScopeKind(StrEnum):
    STATION = "station"
    COMMUNITY = "community"
    DISTRICT = "district"


@dataclass(frozen=True)
class Scope:
    kind: ScopeKind
    station_id: uuid.UUID | None  # None: every station in the database (district)
    community_id: uuid.UUID | None = None
    name: str = ""  # what the report's header shows
    station_name: str = ""
    district: str = ""

    def as_json(self) -> dict[str, str]:
        return {
            "kind": self.kind.value,
            "station_id": str(self.station_id) if self.station_id else "",
            "community_id": str(self.community_id) if self.community_id else "",
            "name": self.name,
            "station_name": self.station_name,
            "district": self.district,
        }

    @classmethod
    def from_json(cls, data: dict[str, str]) -> Scope:
        return cls(
            ScopeKind(data["kind"]),
            uuid.UUID(data["station_id"]) if data.get("station_id") else None,
            uuid.UUID(data["community_id"]) if data.get("community_id") else None,
            data.get("name", ""),
            data.get("station_name", ""),
            data.get("district", ""),
        )


def resolve_scope(
    session: Session,
    actor: Actor,
    *,
    station_id: uuid.UUID | None = None,
    community_id: uuid.UUID | None = None,
) -> Scope:
    """The scope a user asks for, checked: station users get their own station only."""
    if community_id is not None:
        community = session.get(Community, community_id)
        if community is None:
            raise NotFound("未找到该社区（村）。")
        actor.require_station(community.station_id)
        station = session.get(Station, community.station_id)
        assert station is not None
        return Scope(
            ScopeKind.COMMUNITY,
            station.id,
            community.id,
            f"{station.name}·{community.name}",
            station.name,
            station.district,
        )
    wanted = station_id if station_id is not None else actor.station_id
    if wanted is None:
        if not actor.is_district:
            raise ValidationError("请先选择站点。", field="station")
        districts = sorted({d for d in session.scalars(select(Station.district)) if d})
        label = "、".join(districts) if districts else "全区"
        return Scope(ScopeKind.DISTRICT, None, None, f"{label}（全部站点汇总）", "", label)
    actor.require_station(wanted)
    station = session.get(Station, wanted)
    if station is None:
        raise NotFound("未找到该站点。")
    return Scope(ScopeKind.STATION, station.id, None, station.name, station.name, station.district)


@dataclass(frozen=True)
class Ctx:
    """One computation: who asks, for which scope and period, grouped how."""

    actor: Actor
    scope: Scope
    period: Period
    group: str | None = None  # None | "community" | "station"
    sqlite: bool = False
    #: The figure codes asked for (None: all); sections skip queries nobody needs.
    codes: frozenset[str] | None = None

    def wants(self, *prefixes: str) -> bool:
        """Whether any asked-for code starts with one of ``prefixes``."""
        if self.codes is None:
            return True
        return any(code.startswith(prefixes) for code in self.codes)

    def likely(self, cond: ColumnElement[bool]) -> ColumnElement[bool]:
        """Tell SQLite's planner that ``cond`` holds for nearly every row.

        A station's residents are nearly all rows of the table; without the hint SQLite
        walks the station index and looks up every resident (5x slower than a scan, or
        than starting from the small key-group tag index).
        """
        if not self.sqlite:
            return cond
        return func.likely(cond, type_=Boolean)

    def residents_where(self, station_col: Any, community_col: Any) -> list[ColumnElement[bool]]:
        """``where`` for resident-sized tables: the station filter marked as ``likely``."""
        conds: list[ColumnElement[bool]] = []
        if self.scope.station_id is not None:
            conds.append(self.likely(station_col == self.scope.station_id))
        if self.scope.community_id is not None:
            conds.append(community_col == self.scope.community_id)
        return conds

    def where(self, station_col: Any, community_col: Any = None) -> list[ColumnElement[bool]]:
        """The scope's filter on a table's station (and community) columns."""
        conds: list[ColumnElement[bool]] = []
        if self.scope.station_id is not None:
            conds.append(station_col == self.scope.station_id)
        if self.scope.community_id is not None:
            if community_col is None:
                raise ValueError("this figure has no community column")
            conds.append(community_col == self.scope.community_id)
        return conds

    def station_only(self, station_col: Any) -> list[ColumnElement[bool]]:
        """The station filter alone (lets a joined table's station index serve the query)."""
        if self.scope.station_id is None:
            return []
        return [station_col == self.scope.station_id]

    def key(self, station_col: Any, community_col: Any) -> Any:
        """The GROUP BY column (or None when ungrouped)."""
        if self.group is None:
            return None
        if self.group == "station":
            return station_col
        if self.group == "community":
            return community_col
        raise ValueError(f"unknown grouping {self.group!r}")


def grouped_rows(session: Session, stmt: Any, key: Any, names: list[str]) -> Grouped:
    """Run a select of ``[key,] *aggregates`` and return {key: {name: int}}."""
    out: Grouped = {}
    for row in session.execute(stmt):
        values = list(row)
        group: object = ALL
        if key is not None:
            group = values.pop(0)
        target = out.setdefault(group, {})
        for name, value in zip(names, values, strict=True):
            target[name] = target.get(name, 0) + int(value or 0)
    return out


def select_grouped(key: Any, *columns: Any) -> Any:
    """``select(key, *columns)`` grouped by key, or ``select(*columns)`` when ungrouped."""
    if key is None:
        return select(*columns)
    return select(key, *columns).group_by(key)
