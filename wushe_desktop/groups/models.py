"""Group work tables: the group and its plan, members, sessions (节) and attendance."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
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


class WorkGroup(IdMixin, StationScopedMixin, TimestampMixin, VersionedMixin, SoftDeleteMixin, Base):
    """A group (小组) with its plan (小组计划书), stage and closing evaluation."""

    __tablename__ = "work_group"
    __table_args__ = (
        Index("ix_work_group_station_start", "station_id", "deleted_at", "start_date"),
    )

    name: Mapped[str] = mapped_column(String(100))
    group_type: Mapped[str] = mapped_column(String(10))  # a GroupType value
    stage: Mapped[str] = mapped_column(String(10))  # a GroupStage value
    facilitator_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("app_user.id"), default=None, index=True
    )
    community_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("community.id"), default=None, index=True
    )
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date, default=None)
    goal: Mapped[str] = mapped_column(Text, default="")
    target_members: Mapped[str] = mapped_column(Text, default="")
    recruitment: Mapped[str] = mapped_column(Text, default="")
    planned_sessions: Mapped[int] = mapped_column(Integer, default=0)
    closing_evaluation: Mapped[str] = mapped_column(Text, default="")

    members: Mapped[list[GroupMember]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="GroupMember.joined_on"
    )


class GroupMember(IdMixin, TimestampMixin, Base):
    """A resident in a group from ``joined_on`` until ``left_on`` (empty: still a member)."""

    __tablename__ = "group_member"
    __table_args__ = (UniqueConstraint("group_id", "resident_id"),)

    group_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("work_group.id", ondelete="CASCADE")
    )
    resident_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("resident.id"), index=True)
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date, default=None)

    group: Mapped[WorkGroup] = relationship(back_populates="members")


class GroupSession(
    IdMixin, StationScopedMixin, TimestampMixin, VersionedMixin, SoftDeleteMixin, Base
):
    """One session (节) of a group: its number, date, topic, record and evaluation.

    Session numbers are unique among a group's live sessions (checked by the service, so a
    deleted session's number can be used again).
    """

    __tablename__ = "group_session"
    __table_args__ = (Index("ix_group_session_group", "group_id", "deleted_at", "number"),)

    group_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("work_group.id"))
    number: Mapped[int] = mapped_column(Integer)
    held_on: Mapped[date] = mapped_column(Date)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=90)
    topic: Mapped[str] = mapped_column(String(200))
    record: Mapped[str] = mapped_column(Text, default="")
    evaluation: Mapped[str] = mapped_column(Text, default="")

    attendance: Mapped[list[GroupAttendance]] = relationship(
        back_populates="session", cascade="all, delete-orphan"
    )


class GroupAttendance(IdMixin, Base):
    """Whether one member attended one session (签到); absent members have present=False."""

    __tablename__ = "group_attendance"
    __table_args__ = (UniqueConstraint("session_id", "resident_id"),)

    session_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("group_session.id", ondelete="CASCADE")
    )
    resident_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("resident.id"), index=True)
    present: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str] = mapped_column(String(100), default="")

    session: Mapped[GroupSession] = relationship(back_populates="attendance")
