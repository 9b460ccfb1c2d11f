"""The plain rows activity lists, the detail view, forms and exports read."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wushe_desktop.activities.models import ActivityParticipant, ActivityPhoto, CommunityActivity
from wushe_desktop.community_work.common import place_names, user_names
from wushe_desktop.residents.models import Resident
from wushe_desktop.stations.models import Community

__all__ = ["ActivityRow", "NamedRow", "PhotoRow", "activity_rows", "named_rows", "photo_rows"]

STATION_WIDE = "全站（镇/街道）"


@dataclass(frozen=True)
class ActivityRow:
    id: uuid.UUID
    title: str
    activity_type: str
    held_on: date
    start_time: time | None
    end_time: time | None
    community_id: uuid.UUID | None
    community_name: str
    organizer_kind: str
    organizer_name: str
    worker_id: uuid.UUID | None
    worker_name: str
    participants: int  # 参与人数 = the activity's 服务人次
    named: int  # participants registered by name (服务人数 counts these)
    volunteers: int
    cost_fen: int | None
    record: str
    photos: int
    version: int
    updated_at: datetime
    deleted_at: datetime | None
    is_highlight: bool = False

    @property
    def time_text(self) -> str:
        if self.start_time is None:
            return ""
        end = f"–{self.end_time:%H:%M}" if self.end_time else ""
        return f"{self.start_time:%H:%M}{end}"

    @property
    def organizer_text(self) -> str:
        return self.organizer_name or self.organizer_kind


@dataclass(frozen=True)
class NamedRow:
    resident_id: uuid.UUID
    name: str
    community_name: str


@dataclass(frozen=True)
class PhotoRow:
    id: uuid.UUID
    file_name: str
    sha256: str
    size_bytes: int
    stored_path: str
    caption: str
    created_at: datetime


def _counts(
    session: Session,
    model: type[ActivityParticipant] | type[ActivityPhoto],
    ids: Sequence[uuid.UUID],
) -> dict[uuid.UUID, int]:
    if not ids:
        return {}
    stmt = (
        select(model.activity_id, func.count())
        .where(model.activity_id.in_(ids))
        .group_by(model.activity_id)
    )
    return {aid: int(n) for aid, n in session.execute(stmt)}


def activity_rows(session: Session, activities: Sequence[CommunityActivity]) -> list[ActivityRow]:
    """Rows with names and counts in a fixed number of queries."""
    ids = [a.id for a in activities]
    named = _counts(session, ActivityParticipant, ids)
    photos = _counts(session, ActivityPhoto, ids)
    users = user_names(session, (a.worker_id for a in activities))
    communities: dict[uuid.UUID, str] = {}
    for sid in {a.station_id for a in activities}:
        communities.update(place_names(session, sid)[0])
    return [
        ActivityRow(
            id=a.id,
            title=a.title,
            activity_type=a.activity_type,
            held_on=a.held_on,
            start_time=a.start_time,
            end_time=a.end_time,
            community_id=a.community_id,
            community_name=communities.get(a.community_id, "") if a.community_id else STATION_WIDE,
            organizer_kind=a.organizer_kind,
            organizer_name=a.organizer_name,
            worker_id=a.worker_id,
            worker_name=users.get(a.worker_id, "") if a.worker_id else "",
            participants=a.participants,
            named=named.get(a.id, 0),
            volunteers=a.volunteers,
            cost_fen=a.cost_fen,
            record=a.record,
            photos=photos.get(a.id, 0),
            version=a.version,
            updated_at=a.updated_at,
            deleted_at=a.deleted_at,
            is_highlight=a.is_highlight,
        )
        for a in activities
    ]


def named_rows(session: Session, activity_id: uuid.UUID) -> list[NamedRow]:
    stmt = (
        select(ActivityParticipant.resident_id, Resident.name, Community.name)
        .join(Resident, Resident.id == ActivityParticipant.resident_id)
        .join(Community, Community.id == Resident.community_id)
        .where(ActivityParticipant.activity_id == activity_id)
        .order_by(Resident.name)
    )
    return [NamedRow(*row) for row in session.execute(stmt)]


def photo_rows(session: Session, activity_id: uuid.UUID) -> list[PhotoRow]:
    stmt = (
        select(ActivityPhoto)
        .where(ActivityPhoto.activity_id == activity_id)
        .order_by(ActivityPhoto.created_at, ActivityPhoto.id)
    )
    return [
        PhotoRow(p.id, p.file_name, p.sha256, p.size_bytes, p.stored_path, p.caption, p.created_at)
        for p in session.scalars(stmt)
    ]
