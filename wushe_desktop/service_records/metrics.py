"""How reports count services. These are THE definitions; reports must use these functions.

* **服务人次** (attendances) = the sum of ``ServiceRecord.attendances``: each record of a
  named resident counts 1, a counted activity counts its participants. One person served
  twice is 2 人次.
* **服务人数** (people) = the number of *distinct named residents* among the records. People
  only counted (an activity's "参与人数" without names) cannot be de-duplicated and are
  therefore **not** in 服务人数; ``counted_only`` reports their 人次 separately so a report
  can state it ("另有未登记姓名的参与者 N 人次").
* **服务次数** (records) = number of records; **服务时长** = sum of ``duration_minutes`` (as
  recorded per record; a group session's records each carry the session's length).

Deleted records (recycle bin) never count. Dates are inclusive.

``service_counts_by`` gives the same counts per community, station or day in one grouped
query (reports: figures by community, the district's stations side by side, 12-month
charts); ``conditions`` is the filter both use, for reports that join it to other tables.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, case, distinct, func, select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.service_records.models import ServiceRecord

__all__ = ["TOTAL", "ServiceCount", "conditions", "service_counts", "service_counts_by"]

TOTAL = "合计"


@dataclass(frozen=True)
class ServiceCount:
    records: int  # 服务次数
    attendances: int  # 服务人次
    people: int  # 服务人数 (distinct named residents)
    minutes: int  # 服务时长（分钟）
    counted_only: int = 0  # 人次 of participants counted without names


def conditions(
    actor: Actor,
    date_from: date,
    date_to: date,
    community_id: uuid.UUID | None = None,
    *,
    station_id: uuid.UUID | None = None,
) -> list[ColumnElement[bool]]:
    """The records that count: live, in the dates, of the actor's station (a district
    actor: all stations, or ``station_id``), optionally of one community."""
    conds = [
        ServiceRecord.deleted_at.is_(None),
        ServiceRecord.served_on >= date_from,
        ServiceRecord.served_on <= date_to,
    ]
    if station_id is not None:
        actor.require_station(station_id)
        conds.insert(0, ServiceRecord.station_id == station_id)
    elif not actor.is_district:
        conds.insert(0, ServiceRecord.station_id == actor.station_id)
    if community_id is not None:
        conds.append(ServiceRecord.community_id == community_id)
    return conds


def _columns() -> tuple[ColumnElement[int], ...]:
    return (
        func.count(),
        func.coalesce(func.sum(ServiceRecord.attendances), 0),
        func.count(distinct(ServiceRecord.resident_id)),
        func.coalesce(func.sum(ServiceRecord.duration_minutes), 0),
        func.coalesce(
            func.sum(
                case((ServiceRecord.resident_id.is_(None), ServiceRecord.attendances), else_=0)
            ),
            0,
        ),
    )


def service_counts(
    session: Session,
    actor: Actor,
    date_from: date,
    date_to: date,
    community_id: uuid.UUID | None = None,
    *,
    station_id: uuid.UUID | None = None,
) -> dict[str, ServiceCount]:
    """Counts per service type plus ``TOTAL`` (whose 人数 is distinct across all types)."""
    actor.require(Resource.SERVICE, Action.READ)
    conds = conditions(actor, date_from, date_to, community_id, station_id=station_id)
    cols = _columns()
    result: dict[str, ServiceCount] = {}
    by_type = select(ServiceRecord.service_type, *cols).where(*conds)
    for kind, *n in session.execute(by_type.group_by(ServiceRecord.service_type)):
        result[kind] = ServiceCount(*(int(v) for v in n))
    total = session.execute(select(*cols).where(*conds)).one()
    result[TOTAL] = ServiceCount(*(int(v) for v in total))
    return result


_GROUPS = {
    "community": ServiceRecord.community_id,
    "station": ServiceRecord.station_id,
    "day": ServiceRecord.served_on,
}


def service_counts_by(
    session: Session,
    actor: Actor,
    date_from: date,
    date_to: date,
    by: str,
    *,
    community_id: uuid.UUID | None = None,
    station_id: uuid.UUID | None = None,
    with_types: bool = True,
) -> dict[object, dict[str, ServiceCount]]:
    """``service_counts`` per ``by`` ("community", "station" or "day") in grouped queries:
    {group value: {service type | TOTAL: ServiceCount}}. Records without a community are
    under ``None``. ``with_types=False`` gives only the TOTAL per group (one query)."""
    actor.require(Resource.SERVICE, Action.READ)
    if by not in _GROUPS:
        raise ValueError(f"service_counts_by: unknown grouping {by!r}")
    key = _GROUPS[by]
    conds = conditions(actor, date_from, date_to, community_id, station_id=station_id)
    cols = _columns()
    result: dict[object, dict[str, ServiceCount]] = {}
    if with_types:
        stmt = select(key, ServiceRecord.service_type, *cols).where(*conds)
        for group, kind, *n in session.execute(stmt.group_by(key, ServiceRecord.service_type)):
            result.setdefault(group, {})[kind] = ServiceCount(*(int(v) for v in n))
    for group, *n in session.execute(select(key, *cols).where(*conds).group_by(key)):
        result.setdefault(group, {})[TOTAL] = ServiceCount(*(int(v) for v in n))
    return result
