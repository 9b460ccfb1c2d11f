"""The link from a volunteer activity (its shifts) to a community activity of issue 4.

The volunteer activity stores ``source_kind``/``source_id``; this module names the kind,
offers the station's community activities to pick from, and reads back who served a
community activity through the linked shifts (checked in, and approved minutes).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.scheduling.models import Assignment, ServiceHours, Shift, VolunteerActivity
from wushe_desktop.scheduling.statuses import APPROVED
from wushe_desktop.volunteers.models import Volunteer

__all__ = [
    "SOURCE_KIND",
    "LinkedVolunteer",
    "community_activity_choices",
    "linked_label",
    "volunteers_for_community_activity",
]

#: ``VolunteerActivity.source_kind`` of a link to a ``community_activity`` row.
SOURCE_KIND = "community_activity"


@dataclass(frozen=True)
class LinkedVolunteer:
    volunteer_id: uuid.UUID
    name: str
    shifts: int  # linked shifts the volunteer checked in to
    minutes: int  # approved credited minutes on the linked activities


def community_activity_choices(
    session: Session, actor: Actor, *, limit: int = 200
) -> list[tuple[uuid.UUID, str]]:
    """The station's live community activities, most recent first, as (id, "日期 标题")."""
    from wushe_desktop.activities.search import ActivityQuery, list_activities

    page = list_activities(session, actor, ActivityQuery(), limit=limit)
    return [(r.id, f"{r.held_on.isoformat()} {r.title}") for r in page.rows]


def linked_label(session: Session, source_kind: str, source_id: str) -> str:
    """ "日期 标题" of a linked community activity (for forms and the audit log); the raw id
    when it is gone, "" when nothing is linked."""
    if source_kind != SOURCE_KIND or not source_id:
        return ""
    from wushe_desktop.activities.models import CommunityActivity

    try:
        key = uuid.UUID(source_id)
    except ValueError:
        return source_id
    found = session.get(CommunityActivity, key)
    return f"{found.held_on.isoformat()} {found.title}" if found is not None else source_id


def volunteers_for_community_activity(
    session: Session, actor: Actor, activity_id: uuid.UUID
) -> list[LinkedVolunteer]:
    """Volunteers who served ``activity_id`` through linked shifts, by name.

    Empty when no volunteer activity links to it (the caller then shows the manual count).
    """
    actor.require(Resource.SHIFT, Action.READ)
    linked = select(VolunteerActivity.id).where(
        VolunteerActivity.source_kind == SOURCE_KIND,
        VolunteerActivity.source_id == str(activity_id),
    )
    if not actor.is_district:
        linked = linked.where(VolunteerActivity.station_id == actor.station_id)
    ids = list(session.scalars(linked))
    if not ids:
        return []
    shifts: dict[uuid.UUID, int] = dict(
        session.execute(
            select(Assignment.volunteer_id, func.count())
            .join(Shift, Shift.id == Assignment.shift_id)
            .where(Shift.activity_id.in_(ids), Assignment.check_in_at.is_not(None))
            .group_by(Assignment.volunteer_id)
        ).all()
    )
    minutes: dict[uuid.UUID, int] = dict(
        session.execute(
            select(ServiceHours.volunteer_id, func.sum(ServiceHours.minutes))
            .where(ServiceHours.activity_id.in_(ids), ServiceHours.status == APPROVED)
            .group_by(ServiceHours.volunteer_id)
        ).all()
    )
    people = set(shifts) | set(minutes)
    if not people:
        return []
    names = dict(
        session.execute(select(Volunteer.id, Volunteer.name).where(Volunteer.id.in_(people))).all()
    )
    rows = [
        LinkedVolunteer(v, names.get(v, ""), shifts.get(v, 0), int(minutes.get(v, 0) or 0))
        for v in people
    ]
    rows.sort(key=lambda r: (-r.minutes, r.name))
    return rows
