"""The visit list: filters (text, place, worker, dates, risk) and keyset pages, newest first."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select, tuple_
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.residents.models import Resident
from wushe_desktop.visits.models import Visit
from wushe_desktop.visits.service import VisitRow, row_select, visit_rows

__all__ = ["VisitPage", "VisitQuery", "count_visits", "list_visits", "visit_conditions"]

MAX_LIMIT = 1000


@dataclass(frozen=True)
class VisitQuery:
    text: str = ""  # resident name or pinyin initials (prefix), or the visitor's name
    community_id: uuid.UUID | None = None
    grid_id: uuid.UUID | None = None
    visitor_user_id: uuid.UUID | None = None
    date_from: date | None = None
    date_to: date | None = None
    risk_only: bool = False
    follow_up_only: bool = False
    resident_id: uuid.UUID | None = None
    deleted: bool = False  # the recycle bin


@dataclass(frozen=True)
class VisitPage:
    rows: list[VisitRow]
    next_cursor: tuple[date, uuid.UUID] | None


def visit_conditions(actor: Actor, query: VisitQuery) -> list[ColumnElement[bool]]:
    """WHERE terms of ``query`` (the list, its count and the export share them)."""
    conds: list[ColumnElement[bool]] = [
        Visit.deleted_at.is_not(None) if query.deleted else Visit.deleted_at.is_(None)
    ]
    if not actor.is_district:
        conds.insert(0, Visit.station_id == actor.station_id)
    text = query.text.strip()
    if text:
        lowered = text.lower()
        conds.append(
            or_(
                Resident.name.startswith(text, autoescape=True),
                Resident.py_initials.startswith(lowered, autoescape=True),
                Resident.py_full.startswith(lowered, autoescape=True),
                Visit.visitor_name.startswith(text, autoescape=True),
            )
        )
    if query.community_id is not None:
        conds.append(Resident.community_id == query.community_id)
    if query.grid_id is not None:
        conds.append(Resident.grid_id == query.grid_id)
    if query.visitor_user_id is not None:
        conds.append(Visit.visitor_user_id == query.visitor_user_id)
    if query.date_from is not None:
        conds.append(Visit.visited_on >= query.date_from)
    if query.date_to is not None:
        conds.append(Visit.visited_on <= query.date_to)
    if query.risk_only:
        conds.append(Visit.risk_found.is_(True))
    if query.follow_up_only:
        conds.append(Visit.follow_up_needed.is_(True))
    if query.resident_id is not None:
        conds.append(Visit.resident_id == query.resident_id)
    return conds


def ordered_select(actor: Actor, query: VisitQuery) -> Select[*tuple[Any, ...]]:
    return (
        row_select()
        .where(*visit_conditions(actor, query))
        .order_by(Visit.visited_on.desc(), Visit.id.desc())
    )


def list_visits(
    session: Session,
    actor: Actor,
    query: VisitQuery,
    *,
    after: tuple[date, uuid.UUID] | None = None,
    limit: int = 200,
) -> VisitPage:
    """One page of visits, newest first; ``after`` is the previous page's ``next_cursor``."""
    actor.require(Resource.SERVICE, Action.READ)
    limit = max(1, min(limit, MAX_LIMIT))
    stmt = ordered_select(actor, query)
    if after is not None:
        stmt = stmt.where(tuple_(Visit.visited_on, Visit.id) < tuple_(*after))
    results = list(session.execute(stmt.limit(limit + 1)))
    rows = visit_rows(session, results[:limit])
    cursor = (rows[-1].visited_on, rows[-1].id) if len(results) > limit else None
    return VisitPage(rows, cursor)


def count_visits(session: Session, actor: Actor, query: VisitQuery) -> int:
    actor.require(Resource.SERVICE, Action.READ)
    stmt = (
        select(func.count())
        .select_from(Visit)
        .join(Resident, Resident.id == Visit.resident_id)
        .where(*visit_conditions(actor, query))
    )
    return int(session.scalar(stmt) or 0)
