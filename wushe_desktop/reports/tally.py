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
from typing import Any, Final

from sqlalchemy import String, cast, select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.reports.periods import Period
from wushe_desktop.service_records import metrics as service_metrics
from wushe_desktop.service_records.metrics import TOTAL, ServiceCount
from wushe_desktop.service_records.models import ServiceRecord

__all__ = ["Row", "ServiceTally", "as_uuid"]

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


class ServiceTally:
    """The live service records of ``window`` within a scope, by month."""

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
        self.by_month: dict[str, list[Row]] = {}
        # Core, not ORM, execution: no per-row ORM bookkeeping for ~200,000 rows.
        for row in session.connection().execute(stmt).all():
            self.by_month.setdefault(row[0][:7], []).append(row)

    def covers(self, period: Period) -> bool:
        return self.window.start <= period.start and period.end <= self.window.end

    def rows(self, period: Period) -> Iterable[Row]:
        """The rows of ``period`` (whole months straight from their bucket)."""
        if not self.covers(period):
            raise ValueError(f"{period.label} is outside the tally's window {self.window.label}")
        lo, hi = period.start.isoformat(), period.end.isoformat()
        for month in period.months():
            bucket = self.by_month.get(month.start.isoformat()[:7], [])
            full = Period.month(month.start.year, month.start.month)
            if (month.start, month.end) == (full.start, full.end):
                yield from bucket
            else:
                yield from (row for row in bucket if lo <= row[0] <= hi)

    def counts(
        self, period: Period, key: Callable[[Row], object] | None = None
    ) -> dict[object, dict[str, ServiceCount]]:
        """{group: {service type | TOTAL: ServiceCount}}; one group (None) without ``key``."""
        accs: dict[object, dict[str, _Acc]] = {}
        for row in self.rows(period):
            group = key(row) if key is not None else None
            per_type = accs.get(group)
            if per_type is None:
                per_type = accs[group] = {}
            acc = per_type.get(row[TYPE])
            if acc is None:
                acc = per_type[row[TYPE]] = _Acc()
            acc.add(row)
        out: dict[object, dict[str, ServiceCount]] = {}
        for group, per_type in accs.items():
            total = _Acc()
            for acc in per_type.values():
                total.merge(acc)
            out[group] = {kind: acc.count() for kind, acc in per_type.items()}
            out[group][TOTAL] = total.count()
        return out

    def case_records(
        self, period: Period, key: Callable[[Row], object] | None = None
    ) -> dict[object, int]:
        """Records produced by cases (个案服务次数) per group."""
        out: dict[object, int] = {}
        for row in self.rows(period):
            if row[CASE]:
                group = key(row) if key is not None else None
                out[group] = out.get(group, 0) + 1
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
        people: dict[object, dict[str, set[str]]] = {}
        visits: dict[object, dict[str, int]] = {}
        for row in self.rows(period):
            resident = row[RES]
            if resident is None:
                continue
            found = members.get(resident)
            if found is None:
                continue
            group, groups = found
            gp = people.setdefault(group, {})
            gv = visits.setdefault(group, {})
            for g in groups:
                gp.setdefault(g, set()).add(resident)
                gv[g] = gv.get(g, 0) + row[ATT]
        return {
            group: {g: (len(s), visits[group][g]) for g, s in per.items()}
            for group, per in people.items()
        }

    def monthly_attendances(self, months: list[date]) -> list[int]:
        """服务人次 per month (first days given), for the charts."""
        return [sum(row[ATT] for row in self.by_month.get(m.isoformat()[:7], [])) for m in months]


def station_key(row: Row) -> object:
    return row[S]


def community_key(row: Row) -> object:
    return row[C]


KEYS: dict[str, Callable[[Row], Any]] = {"station": station_key, "community": community_key}
