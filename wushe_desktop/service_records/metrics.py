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

``conditions`` is the filter of the records that count: the reports' service tally
(``reports/tally.py``) reads the records it selects once and counts them with these
definitions (a test compares the two).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, case, distinct, func, select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.service_records.models import ServiceRecord

__all__ = ["TOTAL", "ServiceCount", "conditions", "service_counts"]

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
