"""The activity list: search and filters (worker, community, type, date range), newest first."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, func, or_, select, tuple_
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.activities.models import CommunityActivity
from wushe_desktop.activities.rows import ActivityRow, activity_rows

__all__ = [
    "ActivityPage",
    "ActivityQuery",
    "activity_conditions",
    "count_activities",
    "list_activities",
]

MAX_LIMIT = 1000


@dataclass(frozen=True)
class ActivityQuery:
    text: str = ""  # part of the title or the organizer's name
    worker_id: uuid.UUID | None = None
    community_id: uuid.UUID | None = None
    activity_type: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    deleted: bool = False


@dataclass(frozen=True)
class ActivityPage:
    rows: list[ActivityRow]
    next_cursor: tuple[date, uuid.UUID] | None


def activity_conditions(actor: Actor, query: ActivityQuery) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = [
        CommunityActivity.deleted_at.is_not(None)
        if query.deleted
        else CommunityActivity.deleted_at.is_(None)
    ]
    if not actor.is_district:
        conds.insert(0, CommunityActivity.station_id == actor.station_id)
    text = query.text.strip()
    if text:
        conds.append(
            or_(
                CommunityActivity.title.contains(text, autoescape=True),
                CommunityActivity.organizer_name.contains(text, autoescape=True),
            )
        )
    if query.worker_id is not None:
        conds.append(CommunityActivity.worker_id == query.worker_id)
    if query.community_id is not None:
        conds.append(CommunityActivity.community_id == query.community_id)
    if query.activity_type:
        conds.append(CommunityActivity.activity_type == query.activity_type)
    if query.date_from is not None:
        conds.append(CommunityActivity.held_on >= query.date_from)
    if query.date_to is not None:
        conds.append(CommunityActivity.held_on <= query.date_to)
    return conds


def list_activities(
    session: Session,
    actor: Actor,
    query: ActivityQuery,
    *,
    after: tuple[date, uuid.UUID] | None = None,
    limit: int = 200,
) -> ActivityPage:
    """One page of activities, newest first; ``after`` is the previous page's cursor."""
    actor.require(Resource.SERVICE, Action.READ)
    limit = max(1, min(limit, MAX_LIMIT))
    stmt = (
        select(CommunityActivity)
        .where(*activity_conditions(actor, query))
        .order_by(CommunityActivity.held_on.desc(), CommunityActivity.id.desc())
    )
    if after is not None:
        stmt = stmt.where(tuple_(CommunityActivity.held_on, CommunityActivity.id) < tuple_(*after))
    found = list(session.scalars(stmt.limit(limit + 1)))
    rows = activity_rows(session, found[:limit])
    cursor = (rows[-1].held_on, rows[-1].id) if len(found) > limit else None
    return ActivityPage(rows, cursor)


def count_activities(session: Session, actor: Actor, query: ActivityQuery) -> tuple[int, int]:
    """(activities, participants) matching ``query`` — 场次 and 服务人次."""
    actor.require(Resource.SERVICE, Action.READ)
    stmt = select(func.count(), func.coalesce(func.sum(CommunityActivity.participants), 0)).where(
        *activity_conditions(actor, query)
    )
    n, people = session.execute(stmt).one()
    return int(n), int(people)
