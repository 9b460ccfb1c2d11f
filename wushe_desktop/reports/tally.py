"""Service records of a window, fetched once and counted per period, type, community and
key group with the definitions of ``service_records.metrics``.

A monthly report needs 服务人次/人数 for the month, last month, the same month last year,
the year to date, per community, per key group and for 12 months of charts: a dozen
scans of the same rows. Reading the window's records once (one index range, the filter
of ``service_records.metrics.conditions``) and counting them here costs one scan. The
counts are the definitions of ``service_records.metrics`` — 服务人次 = sum of
``attendances``, 服务人数 = distinct named residents, 时长 = sum of minutes — and a test
checks them against ``service_counts`` so the two cannot drift apart.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from sqlalchemy import String, cast, select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.reports.periods import Period
from wushe_desktop.service_records import metrics as service_metrics
from wushe_desktop.service_records.metrics import TOTAL, ServiceCount
from wushe_desktop.service_records.models import ServiceRecord

__all__ = ["KEYS", "Row", "ServiceTally", "as_uuid"]

# (day "YYYY-MM-DD", station, community or None, type, resident or None, from a case,
#  attendances, minutes); ids as text (cheap to fetch; converted back only for group keys)
Row = tuple[str, str, str | None, str, str | None, bool, int, int]

S: Final = 1
C: Final = 2
TYPE: Final = 3
RES: Final = 4
CASE: Final = 5
ATT: Final = 6
MIN: Final = 7


@functools.lru_cache(maxsize=4096)
def as_uuid(text: object) -> uuid.UUID | None:
    """A group key (station, community) back as a UUID: ids are fetched as text."""
    if text is None:
        return None
    if isinstance(text, uuid.UUID):
        return text
    return uuid.UUID(str(text))


@dataclass
class _Acc:
    records: int = 0
    attendances: int = 0
    minutes: int = 0
    counted_only: int = 0
    people: set[str] = field(default_factory=set)

    def add(self, row: Row) -> None:
        self.records += 1
        self.attendances += row[ATT]
        self.minutes += row[MIN]
        resident = row[RES]
        if resident is None:
            self.counted_only += row[ATT]
        else:
            self.people.add(resident)

    def merge(self, other: _Acc) -> None:
        self.records += other.records
        self.attendances += other.attendances
        self.minutes += other.minutes
        self.counted_only += other.counted_only
        self.people |= other.people

    def count(self) -> ServiceCount:
        return ServiceCount(
            self.records, self.attendances, len(self.people), self.minutes, self.counted_only
        )


Cell = tuple[str, str | None, str]  # (station, community, service type)


@dataclass
class _Slice:
    """The records of one month (or part of one), aggregated once: per (station, community,
    type) cell, per (station, community) the case-produced records, per resident the 人次."""

    cells: dict[Cell, _Acc] = field(default_factory=dict)
    cases: dict[tuple[str, str | None], int] = field(default_factory=dict)
    residents: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, rows: Iterable[Row]) -> _Slice:
        part = cls()
        cells, cases, residents = part.cells, part.cases, part.residents
        for row in rows:
            cell = (row[S], row[C], row[TYPE])
            acc = cells.get(cell)
            if acc is None:
                acc = cells[cell] = _Acc()
            acc.add(row)
            if row[CASE]:
                place = (row[S], row[C])
                cases[place] = cases.get(place, 0) + 1
            resident = row[RES]
            if resident is not None:
                residents[resident] = residents.get(resident, 0) + row[ATT]
        return part


#: Group keys of a cell: by station or by community.
KEYS: dict[str, Callable[[tuple[str, str | None]], object]] = {
    "station": lambda place: place[0],
    "community": lambda place: place[1],
}


class ServiceTally:
    """The live service records of ``window`` within a scope, aggregated per month."""

    def __init__(
        self,
        session: Session,
        actor: Actor,
        window: Period,
        *,
        station_id: uuid.UUID | None = None,
        community_id: uuid.UUID | None = None,
    ) -> None:
        actor.require(Resource.SERVICE, Action.READ)
        self.window = window
        r = ServiceRecord
        stmt = select(
            cast(r.served_on, String),
            cast(r.station_id, String),
            cast(r.community_id, String),
            r.service_type,
            cast(r.resident_id, String),
            r.source_type == "case",
            r.attendances,
            r.duration_minutes,
        ).where(
            *service_metrics.conditions(
                actor, window.start, window.end, community_id, station_id=station_id
            )
        )
        self._rows: dict[str, list[Row]] = {}
        # Core, not ORM, execution: no per-row ORM bookkeeping for ~200,000 rows.
        for row in session.connection().execute(stmt).all():
            self._rows.setdefault(row[0][:7], []).append(row)
        self._slices: dict[tuple[str, str], _Slice] = {}

    def covers(self, period: Period) -> bool:
        return self.window.start <= period.start and period.end <= self.window.end

    def _parts(self, period: Period) -> list[_Slice]:
        """The period's month slices (whole months are aggregated once and reused)."""
        if not self.covers(period):
            raise ValueError(f"{period.label} is outside the tally's window {self.window.label}")
        parts = []
        for month in period.months():
            lo, hi = month.start.isoformat(), month.end.isoformat()
            found = self._slices.get((lo, hi))
            if found is None:
                bucket = self._rows.get(lo[:7], [])
                full = Period.month(month.start.year, month.start.month)
                if (month.start, month.end) != (full.start, full.end):
                    bucket = [row for row in bucket if lo <= row[0] <= hi]
                found = self._slices[(lo, hi)] = _Slice.of(bucket)
            parts.append(found)
        return parts

    def counts(
        self, period: Period, by: str | None = None
    ) -> dict[object, dict[str, ServiceCount]]:
        """{group: {service type | TOTAL: ServiceCount}}; one group (None) when ``by`` is
        None, else per station or community (``by`` a key of ``KEYS``; ids as text)."""
        key = KEYS[by] if by is not None else None
        accs: dict[object, dict[str, _Acc]] = {}
        for part in self._parts(period):
            for (station, community, kind), acc in part.cells.items():
                group = key((station, community)) if key is not None else None
                per_type = accs.get(group)
                if per_type is None:
                    per_type = accs[group] = {}
                into = per_type.get(kind)
                if into is None:
                    into = per_type[kind] = _Acc()
                into.merge(acc)
        out: dict[object, dict[str, ServiceCount]] = {}
        for group, per_type in accs.items():
            total = _Acc()
            for acc in per_type.values():
                total.merge(acc)
            out[group] = {kind: acc.count() for kind, acc in per_type.items()}
            out[group][TOTAL] = total.count()
        return out

    def case_records(self, period: Period, by: str | None = None) -> dict[object, int]:
        """Records produced by cases (个案服务次数) per group."""
        key = KEYS[by] if by is not None else None
        out: dict[object, int] = {}
        for part in self._parts(period):
            for place, n in part.cases.items():
                group = key(place) if key is not None else None
                out[group] = out.get(group, 0) + n
        return out

    def by_resident(
        self,
        period: Period,
        members: Mapping[str, tuple[object, tuple[str, ...]]],
    ) -> dict[object, dict[str, tuple[int, int]]]:
        """Key-group service: {group key of the resident: {key group: (人数, 人次)}}.

        ``members`` maps a resident id (text, as fetched) to (their group key, their key
        groups); records of other residents are ignored.
        """
        parts = self._parts(period)
        if len(parts) == 1:
            served = parts[0].residents
        else:
            served = {}
            for part in parts:
                for resident, n in part.residents.items():
                    served[resident] = served.get(resident, 0) + n
        people: dict[object, dict[str, int]] = {}
        visits: dict[object, dict[str, int]] = {}
        for resident, n in served.items():
            found = members.get(resident)
            if found is None:
                continue
            group, groups = found
            gp = people.setdefault(group, {})
            gv = visits.setdefault(group, {})
            for g in groups:
                gp[g] = gp.get(g, 0) + 1
                gv[g] = gv.get(g, 0) + n
        return {
            group: {g: (count, visits[group][g]) for g, count in per.items()}
            for group, per in people.items()
        }

    def monthly_attendances(self, months: list[date]) -> list[int]:
        """服务人次 per month (first days given), for the charts."""
        out = []
        for month in months:
            full = Period.month(month.year, month.month)
            inside = Period(max(full.start, self.window.start), min(full.end, self.window.end))
            out.append(
                sum(acc.attendances for part in self._parts(inside) for acc in part.cells.values())
            )
        return out
