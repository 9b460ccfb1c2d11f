"""Residents section: registered residents and key-group counts at the period's end, and
the key-group members whose service the coverage figures count.

Read-only queries of the residents' tables written here: the residents room has no
period-aware count (its lists count "now"). Key-group tags have no history, so groups are
counted with the tags as they are today (the definition says so).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, String, and_, case, cast, func, or_, select
from sqlalchemy.orm import Session

from wushe_desktop.domain.tags import TAGS
from wushe_desktop.reports.definitions import ALL_KEY_GROUPS, COVERAGE_GROUPS, KEY_GROUPS
from wushe_desktop.reports.periods import Period
from wushe_desktop.reports.scope import ALL, Ctx, Grouped, grouped_rows, select_grouped
from wushe_desktop.reports.tally import as_uuid
from wushe_desktop.residents.models import Resident, ResidentTag

__all__ = ["KeyGroupMembers", "alive_at_end", "resident_flow", "resident_stock"]

#: tag → key group (a resident with several of a group's tags is one member of it)
GROUP_OF_TAG = {tag: kg.key for kg in KEY_GROUPS for tag in kg.tags}


def alive_at_end(ctx: Ctx) -> ColumnElement[bool]:
    """Registered before the period's end and not in the recycle bin at its end."""
    _, hi = ctx.period.utc_bounds()
    return and_(
        Resident.created_at < hi, or_(Resident.deleted_at.is_(None), Resident.deleted_at >= hi)
    )


def _scope(ctx: Ctx) -> list[ColumnElement[bool]]:
    return [*ctx.residents_where(Resident.station_id, Resident.community_id), alive_at_end(ctx)]


def resident_flow(session: Session, ctx: Ctx) -> Grouped:
    """New residents: registered within the period (and not deleted by its end)."""
    lo, _ = ctx.period.utc_bounds()
    key = ctx.key(Resident.station_id, Resident.community_id)
    return grouped_rows(
        session,
        select_grouped(key, func.count()).where(*_scope(ctx), Resident.created_at >= lo),
        key,
        ["residents.new"],
    )


def resident_stock(session: Session, ctx: Ctx) -> Grouped:
    """Registered residents, per tag and per key group, at the period's end."""
    key = ctx.key(Resident.station_id, Resident.community_id)
    scope = _scope(ctx)
    out = grouped_rows(
        session, select_grouped(key, func.count()).where(*scope), key, ["residents.total"]
    )
    stmt: Any = (
        select_grouped(key, ResidentTag.tag, func.count())
        .select_from(ResidentTag)
        .join(Resident, Resident.id == ResidentTag.resident_id)
        .where(*scope, ResidentTag.tag.in_(list(TAGS)))
        .group_by(ResidentTag.tag)
    )
    for row in session.execute(stmt):
        cells = list(row)
        group = cells.pop(0) if key is not None else ALL
        tag, n = cells
        out.setdefault(group, {})[f"residents.tag.{tag}"] = int(n)
    for kg in COVERAGE_GROUPS:
        code = f"residents.group.{kg.key}"
        if len(kg.tags) == 1:
            for values in out.values():
                values[code] = values.get(f"residents.tag.{kg.tags[0]}", 0)
            continue
        # Drive from the tag index: the group's (few) residents, then their rows.
        members = (
            select(ResidentTag.resident_id)
            .where(ResidentTag.tag.in_(kg.tags))
            .distinct()
            .subquery("members")
        )
        part = grouped_rows(
            session,
            select_grouped(key, func.count())
            .select_from(members)
            .join(Resident, Resident.id == members.c.resident_id)
            .where(*scope),
            key,
            [code],
        )
        for group, values in part.items():
            out.setdefault(group, {}).update(values)
    return out


def _alive_before(hi: datetime) -> ColumnElement[bool]:
    return and_(
        Resident.created_at < hi, or_(Resident.deleted_at.is_(None), Resident.deleted_at >= hi)
    )


class KeyGroupMembers:
    """Key-group residents of a scope as of several period ends, read in one query from
    the small tag index; the coverage figures count their service."""

    def __init__(self, session: Session, ctx: Ctx, ends: list[date]) -> None:
        self.ends = list(ends)
        flags = [
            case((_alive_before(Period(end, end).utc_bounds()[1]), 1), else_=0) for end in self.ends
        ]
        stmt = (
            select(
                cast(ResidentTag.resident_id, String),
                ResidentTag.tag,
                cast(Resident.station_id, String),
                cast(Resident.community_id, String),
                *flags,
            )
            .join(Resident, Resident.id == ResidentTag.resident_id)
            .where(
                ResidentTag.tag.in_(list(GROUP_OF_TAG)),
                *ctx.residents_where(Resident.station_id, Resident.community_id),
            )
        )
        found: dict[str, tuple[set[str], tuple[Any, ...]]] = {}
        for row in session.connection().execute(stmt).all():
            entry = found.get(row[0])
            if entry is None:
                entry = found[row[0]] = (set(), tuple(row[2:]))
            entry[0].add(GROUP_OF_TAG[row[1]])
        order = [kg.key for kg in KEY_GROUPS]
        every = ALL_KEY_GROUPS.key
        # (resident, groups, station, community, alive at end 0, alive at end 1, ...)
        self._rows = [
            (resident, (*(g for g in order if g in groups), every), *rest)
            for resident, (groups, rest) in found.items()
        ]

    def at(self, ctx: Ctx) -> dict[str, tuple[object, tuple[str, ...]]]:
        """Registered at ``ctx``'s period end (one of ``ends``): id (text, as the service
        tally has it) → (group key: ALL, station or own community; their key groups)."""
        flag = 4 + self.ends.index(ctx.period.end)
        index = {None: None, "station": 2, "community": 3}[ctx.group]
        return {
            row[0]: (ALL if index is None else as_uuid(row[index]), row[1])
            for row in self._rows
            if row[flag]
        }
