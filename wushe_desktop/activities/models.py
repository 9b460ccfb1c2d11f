"""Community activity tables: the activity, its named participants and its photos."""

from __future__ import annotations

import uuid
from datetime import date, time

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    Uuid,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wushe_desktop.infra.db.base import (
    Base,
    IdMixin,
    SoftDeleteMixin,
    StationScopedMixin,
    TimestampMixin,
    VersionedMixin,
)


class CommunityActivity(
    IdMixin, StationScopedMixin, TimestampMixin, VersionedMixin, SoftDeleteMixin, Base
):
    """A community activity (社区活动) with its participant count (签到人数) and record."""

    __tablename__ = "community_activity"
    __table_args__ = (
        Index("ix_community_activity_station_day", "station_id", "deleted_at", "held_on", "id"),
    )

    title: Mapped[str] = mapped_column(String(100))
    activity_type: Mapped[str] = mapped_column(String(10))  # an ActivityType value
    held_on: Mapped[date] = mapped_column(Date)
    start_time: Mapped[time | None] = mapped_column(Time, default=None)
    end_time: Mapped[time | None] = mapped_column(Time, default=None)
    #: Empty for a station-wide activity (全镇/街道).
    community_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("community.id"), default=None, index=True
    )
    organizer_kind: Mapped[str] = mapped_column(String(10))  # an OrganizerKind value
    organizer_name: Mapped[str] = mapped_column(String(100), default="")
    worker_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("app_user.id"), default=None, index=True
    )
    #: 参与人数 (signed in); named participants are part of this number.
    participants: Mapped[int] = mapped_column(Integer, default=0)
    #: Volunteers engaged; a count until the volunteers room links shifts.
    volunteers: Mapped[int] = mapped_column(Integer, default=0)
    cost_fen: Mapped[int | None] = mapped_column(Integer, default=None)
    record: Mapped[str] = mapped_column(Text, default="")
    #: 工作亮点: the activity's service records carry the mark into the monthly report.
    is_highlight: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    named: Mapped[list[ActivityParticipant]] = relationship(
        back_populates="activity", cascade="all, delete-orphan"
    )
    photos: Mapped[list[ActivityPhoto]] = relationship(
        back_populates="activity", cascade="all, delete-orphan", order_by="ActivityPhoto.created_at"
    )


class ActivityParticipant(IdMixin, Base):
    """A named participant (a registered resident) of an activity."""

    __tablename__ = "activity_participant"
    __table_args__ = (UniqueConstraint("activity_id", "resident_id"),)

    activity_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("community_activity.id", ondelete="CASCADE")
    )
    resident_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("resident.id"), index=True)

    activity: Mapped[CommunityActivity] = relationship(back_populates="named")


class ActivityPhoto(IdMixin, TimestampMixin, Base):
    """A photo of an activity, kept in the attachments store (``infra.attachments``) by SHA-256."""

    __tablename__ = "activity_photo"

    activity_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("community_activity.id", ondelete="CASCADE"), index=True
    )
    file_name: Mapped[str] = mapped_column(String(200))  # the name the user picked
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    stored_path: Mapped[str] = mapped_column(String(300))  # relative to the attachments store
    caption: Mapped[str] = mapped_column(String(200), default="")

    activity: Mapped[CommunityActivity] = relationship(back_populates="photos")
