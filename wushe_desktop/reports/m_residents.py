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
from wushe_desktop.reports.definitions import ALL_KEY_GROUPS, KEY_GROUPS
from wushe_desktop.reports.periods import Period
from wushe_desktop.reports.scope import ALL, Ctx, Grouped, grouped_rows, select_grouped
from wushe_desktop.reports.tally import as_uuid
from wushe_desktop.residents.models import Resident, ResidentTag

__all__ = ["TaggedResidents", "alive_at_end", "resident_flow", "resident_total"]

#: tag → key group (a resident with several of a group's tags is one member of it)
GROUP_OF_TAG = {tag: kg.key for kg in KEY_GROUPS for tag in kg.tags}
_GROUP_ORDER = [kg.key for kg in KEY_GROUPS]


def _alive_before(hi: datetime) -> ColumnElement[bool]:
    return and_(
        Resident.created_at < hi, or_(Resident.deleted_at.is_(None), Resident.deleted_at >= hi)
    )


def alive_at_end(ctx: Ctx) -> ColumnElement[bool]:
    """Registered before the period's end and not in the recycle bin at its end."""
    return _alive_before(ctx.period.utc_bounds()[1])


def _scope(ctx: Ctx) -> list[ColumnElement[bool]]:
    return [*ctx.residents_where(Resident.station_id, Resident.community_id), alive_at_end(ctx)]


def resident_flow(session: Session, ctx: Ctx) -> Grouped:
    """New residents: registered within the period (and not deleted by its end)."""
    if not ctx.wants("residents.new"):
        return {}
    lo, _ = ctx.period.utc_bounds()
    key = ctx.key(Resident.station_id, Resident.community_id)
    return grouped_rows(
        session,
        select_grouped(key, func.count()).where(*_scope(ctx), Resident.created_at >= lo),
        key,
        ["residents.new"],
    )


def resident_total(session: Session, ctx: Ctx) -> Grouped:
    """Registered residents at the period's end."""
    key = ctx.key(Resident.station_id, Resident.community_id)
    return grouped_rows(
        session, select_grouped(key, func.count()).where(*_scope(ctx)), key, ["residents.total"]
    )


class TaggedResidents:
    """Residents with a built-in tag, read once (one query from the tag index) for several
    period ends: tag and key-group counts, and the key-group members whose service the
    coverage figures count."""

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
                ResidentTag.tag.in_(list(TAGS)),
                *ctx.residents_where(Resident.station_id, Resident.community_id),
            )
        )
        found: dict[str, tuple[list[str], tuple[Any, ...]]] = {}
        for row in session.connection().execute(stmt).all():
            entry = found.get(row[0])
            if entry is None:
                entry = found[row[0]] = ([], tuple(row[2:]))
            entry[0].append(row[1])
        every = ALL_KEY_GROUPS.key
        # (resident, tags, key groups, station, community, alive at end 0, at end 1, ...)
        self._members: dict[tuple[int, int | None], dict[str, tuple[object, tuple[str, ...]]]] = {}
        self._rows: list[tuple[Any, ...]] = []
        for resident, (tags, rest) in found.items():
            groups = {GROUP_OF_TAG[t] for t in tags if t in GROUP_OF_TAG}
            key_groups = (*(g for g in _GROUP_ORDER if g in groups), every) if groups else ()
            self._rows.append((resident, tuple(tags), key_groups, *rest))

    def _alive(self, ctx: Ctx) -> tuple[int, int | None]:
        if ctx.period.end not in self.ends:
            raise ValueError(f"{ctx.period.end} is not one of the ends read")
        return 5 + self.ends.index(ctx.period.end), {None: None, "station": 3, "community": 4}[
            ctx.group
        ]

    def counts(self, ctx: Ctx) -> Grouped:
        """residents.tag.* and residents.group.* at ``ctx``'s period end."""
        flag, index = self._alive(ctx)
        out: Grouped = {}
        for row in self._rows:
            if not row[flag]:
                continue
            group = ALL if index is None else as_uuid(row[index])
            target = out.get(group)
            if target is None:
                target = out[group] = {}
            for tag in row[1]:
                code = f"residents.tag.{tag}"
                target[code] = target.get(code, 0) + 1
            for g in row[2]:
                code = f"residents.group.{g}"
                target[code] = target.get(code, 0) + 1
        return out

    def members(self, ctx: Ctx) -> dict[str, tuple[object, tuple[str, ...]]]:
        """Key-group residents registered at ``ctx``'s period end: id (text, as the service
        tally has it) → (group key: ALL, station or own community; their key groups)."""
        flag, index = self._alive(ctx)
        found = self._members.get((flag, index))
        if found is None:
            found = self._members[(flag, index)] = {
                row[0]: (ALL if index is None else as_uuid(row[index]), row[2])
                for row in self._rows
                if row[2] and row[flag]
            }
        return found
