"""Visit to-dos and the overdue list per community and grid, for a whole station at once.

Both read one grouped query: each scheduled resident's frequency (the shortest among their
tags, via a CASE over the station's frequencies) joined to their last visit (a GROUP BY on
the visit index). Date arithmetic differs between SQLite and PostgreSQL, so "last visit
+ days < today" is written as "last visit < today - days" with one cutoff per distinct
frequency, computed in Python (a CASE on the days value): portable and index-friendly.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Subquery, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.community_work.common import place_names, today_local
from wushe_desktop.domain.tags import TAGS, tag_label
from wushe_desktop.domain.text import natural_key
from wushe_desktop.infra.errors import PermissionDenied
from wushe_desktop.residents.models import Resident, ResidentTag
from wushe_desktop.visits.models import Visit
from wushe_desktop.visits.schedule import get_frequencies, next_due

__all__ = [
    "DueStatus",
    "OverdueRow",
    "TodoQuery",
    "VisitTodo",
    "overdue_summary",
    "visit_todos",
]


class DueStatus(StrEnum):
    OVERDUE = "逾期"  # due before today
    DUE = "待探访"  # due today or earlier (never visited included)
    WEEK = "7天内到期"  # due within the next 7 days (or earlier)
    ALL = "全部"  # every scheduled resident


@dataclass(frozen=True)
class TodoQuery:
    status: DueStatus = DueStatus.DUE
    community_id: uuid.UUID | None = None
    grid_id: uuid.UUID | None = None
    tag: str | None = None
    text: str = ""  # resident name or pinyin prefix


@dataclass(frozen=True)
class VisitTodo:
    resident_id: uuid.UUID
    name: str
    community_id: uuid.UUID
    community_name: str
    grid_id: uuid.UUID | None
    grid_name: str
    tags_text: str
    days: int  # the resident's frequency
    last_visit: date | None
    due: date
    overdue_days: int  # 0 when not overdue

    @property
    def never_visited(self) -> bool:
        return self.last_visit is None


@dataclass(frozen=True)
class OverdueRow:
    """One grid of a community (grid None: residents without a grid; community total rows
    have ``is_total``)."""

    community_id: uuid.UUID
    community_name: str
    grid_id: uuid.UUID | None
    grid_name: str
    scheduled: int  # residents with a visit schedule
    overdue: int  # due before today
    never_visited: int  # never visited (due today)
    is_total: bool = False


def _station(actor: Actor) -> uuid.UUID:
    if actor.station_id is None:
        raise PermissionDenied("探访计划按站点计算，请使用站点账户查看。")
    return actor.station_id


def _frequency_subquery(frequencies: Mapping[str, int]) -> Subquery:
    """resident_id → days (the shortest frequency among the resident's scheduled tags) and
    a bit mask of those tags (bit i = the i-th tag of ``frequencies``; tags are unique per
    resident, so the sum is the union), which names them without another query."""
    days = case(frequencies, value=ResidentTag.tag, else_=0)
    bits = case({tag: 1 << i for i, tag in enumerate(frequencies)}, value=ResidentTag.tag, else_=0)
    return (
        select(
            ResidentTag.resident_id,
            func.min(days).label("days"),
            func.sum(bits).label("mask"),
        )
        .where(ResidentTag.tag.in_(list(frequencies)))
        .group_by(ResidentTag.resident_id)
        .subquery("freq")
    )


def _last_visit_subquery(station_id: uuid.UUID) -> Subquery:
    return (
        select(Visit.resident_id, func.max(Visit.visited_on).label("last"))
        .where(Visit.station_id == station_id, Visit.deleted_at.is_(None))
        .group_by(Visit.resident_id)
        .subquery("lastv")
    )


def _before(days_col: Any, offsets: Mapping[int, date]) -> Any:
    """The CASE giving, per frequency, the cutoff day (``reference - days``)."""
    return case(offsets, value=days_col)


def _cutoffs(frequencies: Mapping[str, int], reference: date) -> dict[int, date]:
    return {d: reference - timedelta(days=d) for d in sorted(set(frequencies.values()))}


def overdue_summary(
    session: Session, actor: Actor, *, today: date | None = None
) -> list[OverdueRow]:
    """Per community and grid: scheduled residents, overdue, never visited — one query.

    Rows come grouped by community (a total row first, then its grids in name order).
    """
    actor.require(Resource.SERVICE, Action.READ)
    station_id = _station(actor)
    today = today or today_local()
    frequencies = get_frequencies(session, actor)
    if not frequencies:
        return []
    freq = _frequency_subquery(frequencies)
    last = _last_visit_subquery(station_id)
    overdue = and_(
        last.c.last.is_not(None), last.c.last < _before(freq.c.days, _cutoffs(frequencies, today))
    )
    stmt = (
        select(
            Resident.community_id,
            Resident.grid_id,
            func.count(),
            func.sum(case((overdue, 1), else_=0)),
            func.sum(case((last.c.last.is_(None), 1), else_=0)),
        )
        .select_from(Resident)
        .join(freq, freq.c.resident_id == Resident.id)
        .outerjoin(last, last.c.resident_id == Resident.id)
        .where(Resident.station_id == station_id, Resident.deleted_at.is_(None))
        .group_by(Resident.community_id, Resident.grid_id)
    )
    communities, grids = place_names(session, station_id)
    by_community: dict[uuid.UUID, list[OverdueRow]] = {}
    for community_id, grid_id, scheduled, late, never in session.execute(stmt):
        by_community.setdefault(community_id, []).append(
            OverdueRow(
                community_id,
                communities.get(community_id, ""),
                grid_id,
                grids.get(grid_id, "（未分网格）") if grid_id else "（未分网格）",
                int(scheduled),
                int(late or 0),
                int(never or 0),
            )
        )
    result: list[OverdueRow] = []
    for community_id in sorted(by_community, key=lambda c: communities.get(c, "")):
        parts = sorted(
            by_community[community_id],
            key=lambda r: (r.grid_id is None, natural_key(r.grid_name or "")),
        )
        result.append(
            OverdueRow(
                community_id,
                communities.get(community_id, ""),
                None,
                "",
                sum(r.scheduled for r in parts),
                sum(r.overdue for r in parts),
                sum(r.never_visited for r in parts),
                is_total=True,
            )
        )
        result.extend(parts)
    return result


def _status_condition(
    status: DueStatus, last: Subquery, freq: Subquery, frequencies: Mapping[str, int], today: date
) -> ColumnElement[bool] | None:
    if status is DueStatus.ALL:
        return None
    if status is DueStatus.OVERDUE:
        return and_(
            last.c.last.is_not(None),
            last.c.last < _before(freq.c.days, _cutoffs(frequencies, today)),
        )
    horizon = today if status is DueStatus.DUE else today + timedelta(days=7)
    # due <= horizon  ⇔  last + days <= horizon  ⇔  last <= horizon - days (never visited: due today)
    return or_(
        last.c.last.is_(None),
        last.c.last <= _before(freq.c.days, _cutoffs(frequencies, horizon)),
    )


def visit_todos(
    session: Session,
    actor: Actor,
    query: TodoQuery = TodoQuery(),
    *,
    today: date | None = None,
    limit: int = 5_000,
) -> list[VisitTodo]:
    """Scheduled residents matching ``query``, most overdue first (never visited after the
    overdue ones, then by due day). One query for the residents plus one for their tags."""
    actor.require(Resource.SERVICE, Action.READ)
    station_id = _station(actor)
    today = today or today_local()
    frequencies = get_frequencies(session, actor)
    if not frequencies:
        return []
    freq = _frequency_subquery(frequencies)
    last = _last_visit_subquery(station_id)
    conds: list[ColumnElement[bool]] = [
        Resident.station_id == station_id,
        Resident.deleted_at.is_(None),
    ]
    status = _status_condition(query.status, last, freq, frequencies, today)
    if status is not None:
        conds.append(status)
    if query.community_id is not None:
        conds.append(Resident.community_id == query.community_id)
    if query.grid_id is not None:
        conds.append(Resident.grid_id == query.grid_id)
    if query.tag:
        conds.append(
            exists().where(ResidentTag.resident_id == Resident.id, ResidentTag.tag == query.tag)
        )
    text = query.text.strip()
    if text:
        lowered = text.lower()
        conds.append(
            or_(
                Resident.name.startswith(text, autoescape=True),
                Resident.py_initials.startswith(lowered, autoescape=True),
                Resident.py_full.startswith(lowered, autoescape=True),
            )
        )
    stmt = (
        select(
            Resident.id,
            Resident.name,
            Resident.community_id,
            Resident.grid_id,
            freq.c.days,
            freq.c.mask,
            last.c.last,
        )
        .select_from(Resident)
        .join(freq, freq.c.resident_id == Resident.id)
        .outerjoin(last, last.c.resident_id == Resident.id)
        .where(*conds)
    )
    found = []
    for rid, name, community_id, grid_id, days, mask, last_visit in session.execute(stmt):
        due = next_due(last_visit, int(days), today)
        found.append((due, int(mask), name, rid, community_id, grid_id, int(days), last_visit))
    # Most overdue first; never-visited residents are due today.
    found.sort(key=lambda f: (f[0], f[2]))
    found = found[:limit]
    labels = _mask_labels(frequencies)
    communities, grids = place_names(session, station_id)
    return [
        VisitTodo(
            resident_id=rid,
            name=name,
            community_id=community_id,
            community_name=communities.get(community_id, ""),
            grid_id=grid_id,
            grid_name=grids.get(grid_id, "") if grid_id else "",
            tags_text=labels(mask),
            days=days,
            last_visit=last_visit,
            due=due,
            overdue_days=max(0, (today - due).days),
        )
        for due, mask, name, rid, community_id, grid_id, days, last_visit in found
    ]


def _mask_labels(frequencies: Mapping[str, int]) -> Callable[[int], str]:
    """The tags of a ``mask`` as text, in the order of the tag list (老年人 before 儿童)."""
    order = {code: i for i, code in enumerate(TAGS)}
    bits = sorted(
        ((1 << i, tag) for i, tag in enumerate(frequencies)),
        key=lambda b: order.get(b[1], len(order)),
    )
    cache: dict[int, str] = {}

    def labels(mask: int) -> str:
        if mask not in cache:
            cache[mask] = "、".join(tag_label(tag) for bit, tag in bits if mask & bit)
        return cache[mask]

    return labels
