"""The group list: search and filters (facilitator, community, stage, type, date range)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.groups.models import WorkGroup
from wushe_desktop.groups.rows import GroupRow, group_rows

__all__ = ["GroupQuery", "group_conditions", "list_groups"]

MAX_ROWS = 5_000


@dataclass(frozen=True)
class GroupQuery:
    text: str = ""  # part of the name
    facilitator_id: uuid.UUID | None = None
    community_id: uuid.UUID | None = None
    stage: str | None = None
    group_type: str | None = None
    #: Groups active in the range: started on or before ``date_to`` and not ended before
    #: ``date_from``.
    date_from: date | None = None
    date_to: date | None = None
    deleted: bool = False


def group_conditions(actor: Actor, query: GroupQuery) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = [
        WorkGroup.deleted_at.is_not(None) if query.deleted else WorkGroup.deleted_at.is_(None)
    ]
    if not actor.is_district:
        conds.insert(0, WorkGroup.station_id == actor.station_id)
    text = query.text.strip()
    if text:
        conds.append(WorkGroup.name.contains(text, autoescape=True))
    if query.facilitator_id is not None:
        conds.append(WorkGroup.facilitator_id == query.facilitator_id)
    if query.community_id is not None:
        conds.append(WorkGroup.community_id == query.community_id)
    if query.stage:
        conds.append(WorkGroup.stage == query.stage)
    if query.group_type:
        conds.append(WorkGroup.group_type == query.group_type)
    if query.date_to is not None:
        conds.append(WorkGroup.start_date <= query.date_to)
    if query.date_from is not None:
        conds.append(or_(WorkGroup.end_date.is_(None), WorkGroup.end_date >= query.date_from))
    return conds


def list_groups(
    session: Session, actor: Actor, query: GroupQuery, *, limit: int = MAX_ROWS
) -> list[GroupRow]:
    """Groups matching ``query``, newest start first (a station runs tens a year)."""
    actor.require(Resource.SERVICE, Action.READ)
    stmt = (
        select(WorkGroup)
        .where(*group_conditions(actor, query))
        .order_by(WorkGroup.start_date.desc(), WorkGroup.id.desc())
        .limit(limit)
    )
    return group_rows(session, list(session.scalars(stmt)))
