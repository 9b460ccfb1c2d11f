"""Group work, community activities and visits sections.

Read-only queries of the groups, activities and visits rooms' tables written here; the
rooms' own services list records, they do not count them per period. The overdue count
follows ``visits.overdue`` (shortest frequency among a resident's tags, never-visited
apart), but as of the period's end and with only the visits made by then.
"""

from __future__ import annotations

import dataclasses
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, case, distinct, func, select
from sqlalchemy.orm import Session

from wushe_desktop.activities.models import CommunityActivity
from wushe_desktop.groups.models import GroupAttendance, GroupSession, WorkGroup
from wushe_desktop.reports.m_residents import alive_at_end
from wushe_desktop.reports.scope import Ctx, Grouped, grouped_rows, select_grouped
from wushe_desktop.residents.models import Resident, ResidentTag
from wushe_desktop.stations.models import Station
from wushe_desktop.visits.models import Visit
from wushe_desktop.visits.schedule import get_frequencies

__all__ = ["activity_figures", "group_figures", "visit_flow", "visit_stock"]

ORGANIZATION = "社会组织"  # activities.validation.OrganizerKind.ORGANIZATION
HOME_VISIT = "入户"  # visits.validation.VisitMode.HOME


def _add(out: Grouped, part: Grouped) -> None:
    for group, values in part.items():
        target = out.setdefault(group, {})
        for code, value in values.items():
            target[code] = target.get(code, 0) + value


def group_figures(session: Session, ctx: Ctx) -> Grouped:
    p = ctx.period
    key = ctx.key(WorkGroup.station_id, WorkGroup.community_id)
    scope = [
        *ctx.where(WorkGroup.station_id, WorkGroup.community_id),
        WorkGroup.deleted_at.is_(None),
    ]
    in_period = (
        GroupSession.deleted_at.is_(None),
        GroupSession.held_on >= p.start,
        GroupSession.held_on <= p.end,
    )
    out: Grouped = {}
    _add(
        out,
        grouped_rows(
            session,
            select_grouped(key, func.count(), func.count(distinct(GroupSession.group_id)))
            .select_from(GroupSession)
            .join(WorkGroup, WorkGroup.id == GroupSession.group_id)
            .where(*scope, *in_period),
            key,
            ["groups.sessions", "groups.count"],
        ),
    )
    _add(
        out,
        grouped_rows(
            session,
            select_grouped(key, func.count(), func.count(distinct(GroupAttendance.resident_id)))
            .select_from(GroupAttendance)
            .join(GroupSession, GroupSession.id == GroupAttendance.session_id)
            .join(WorkGroup, WorkGroup.id == GroupSession.group_id)
            .where(*scope, *in_period, GroupAttendance.present.is_(True)),
            key,
            ["groups.attendances", "groups.people"],
        ),
    )
    _add(
        out,
        grouped_rows(
            session,
            select_grouped(key, func.count()).where(
                *scope, WorkGroup.start_date >= p.start, WorkGroup.start_date <= p.end
            ),
            key,
            ["groups.new"],
        ),
    )
    return out


def activity_figures(session: Session, ctx: Ctx) -> Grouped:
    p = ctx.period
    a = CommunityActivity
    key = ctx.key(a.station_id, a.community_id)
    stmt = select_grouped(
        key,
        func.count(),
        func.coalesce(func.sum(a.participants), 0),
        func.coalesce(func.sum(a.volunteers), 0),
        func.sum(case((a.organizer_kind == ORGANIZATION, 1), else_=0)),
    ).where(
        *ctx.where(a.station_id, a.community_id),
        a.deleted_at.is_(None),
        a.held_on >= p.start,
        a.held_on <= p.end,
    )
    return grouped_rows(
        session,
        stmt,
        key,
        [
            "activities.count",
            "activities.participants",
            "activities.volunteers",
            "activities.org_led",
        ],
    )


def visit_flow(session: Session, ctx: Ctx) -> Grouped:
    p = ctx.period
    by_resident = ctx.group == "community" or ctx.scope.community_id is not None
    key = ctx.key(Visit.station_id, Resident.community_id)
    names = ["visits.count", "visits.people", "visits.home", "visits.risk"]
    columns: list[Any] = [
        func.count(),
        func.count(distinct(Visit.resident_id)),
        func.sum(case((Visit.mode == HOME_VISIT, 1), else_=0)),
        func.sum(case((Visit.risk_found.is_(True), 1), else_=0)),
    ]
    if not ctx.wants(*names[1:]):  # the count alone is read from the index
        names, columns = names[:1], columns[:1]
    stmt: Any = select_grouped(key, *columns).select_from(Visit)
    if by_resident:  # a visit's community is its resident's
        stmt = stmt.join(Resident, Resident.id == Visit.resident_id).where(
            *ctx.where(Visit.station_id, Resident.community_id)
        )
    else:
        stmt = stmt.where(*ctx.where(Visit.station_id))
    stmt = stmt.where(
        Visit.deleted_at.is_(None), Visit.visited_on >= p.start, Visit.visited_on <= p.end
    )
    return grouped_rows(session, stmt, key, names)


def visit_stock(session: Session, ctx: Ctx) -> Grouped:
    """Scheduled, overdue and never-visited residents at the period's end (per station:
    each station has its own visit frequencies)."""
    out: Grouped = {}
    if not ctx.wants("visits.scheduled", "visits.overdue", "visits.never"):
        return out
    stations = (
        [ctx.scope.station_id]
        if ctx.scope.station_id is not None
        else list(session.scalars(select(Station.id)))
    )
    for station_id in stations:
        _add(out, _overdue(session, ctx, station_id))
    return out


def _overdue(session: Session, ctx: Ctx, station_id: uuid.UUID) -> Grouped:
    """Scheduled, overdue and never-visited residents of one station at the period's end."""
    # get_frequencies reads only the actor's station: ask it for this station's settings.
    frequencies = get_frequencies(session, dataclasses.replace(ctx.actor, station_id=station_id))
    if not frequencies:
        return {}
    end = ctx.period.end
    days = case(frequencies, value=ResidentTag.tag, else_=0)
    freq = (
        select(ResidentTag.resident_id, func.min(days).label("days"))
        .where(ResidentTag.tag.in_(list(frequencies)))
        .group_by(ResidentTag.resident_id)
        .subquery("freq")
    )
    last = (
        select(Visit.resident_id, func.max(Visit.visited_on).label("last"))
        .where(Visit.station_id == station_id, Visit.deleted_at.is_(None), Visit.visited_on <= end)
        .group_by(Visit.resident_id)
        .subquery("lastv")
    )
    cutoffs = {d: end - timedelta(days=d) for d in sorted(set(frequencies.values()))}
    overdue = and_(last.c.last.is_not(None), last.c.last < case(cutoffs, value=freq.c.days))
    key = ctx.key(Resident.station_id, Resident.community_id)
    stmt: Any = (
        select_grouped(
            key,
            func.count(),
            func.sum(case((overdue, 1), else_=0)),
            func.sum(case((last.c.last.is_(None), 1), else_=0)),
        )
        .select_from(Resident)
        .join(freq, freq.c.resident_id == Resident.id)
        .outerjoin(last, last.c.resident_id == Resident.id)
        .where(
            ctx.likely(Resident.station_id == station_id),
            *ctx.residents_where(Resident.station_id, Resident.community_id),
            alive_at_end(ctx),
        )
    )
    return grouped_rows(session, stmt, key, ["visits.scheduled", "visits.overdue", "visits.never"])
