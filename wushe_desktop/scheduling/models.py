"""Scheduling tables: activities needing volunteers, shifts, assignments, hours, certificates.

Shift times are local wall-clock minutes of the shift's date (``start_minute`` 540 = 09:00):
a shift is planned in China time, and a minute count compares and sums exactly. Check-in
and check-out are real moments (UTC). Hours are integer minutes (DESIGN.md §3).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

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
from sqlalchemy.orm import Mapped, mapped_column

import wushe_desktop.volunteers.models  # noqa: F401 - the FK targets (volunteer, volunteer_team)
from wushe_desktop.infra.db.base import (
    Base,
    IdMixin,
    StationScopedMixin,
    TimestampMixin,
    UtcDateTime,
    VersionedMixin,
)


class VolunteerActivity(IdMixin, StationScopedMixin, TimestampMixin, VersionedMixin, Base):
    """An activity or project that needs volunteers (志愿服务活动/项目)."""

    __tablename__ = "volunteer_activity"
    __table_args__ = (Index("ix_volunteer_activity_station", "station_id", "starts_on"),)

    title: Mapped[str] = mapped_column(String(100))
    content: Mapped[str] = mapped_column(String(500), default="")  # 服务内容 on the record
    category: Mapped[str] = mapped_column(String(30), default="")  # 服务类别
    organiser: Mapped[str] = mapped_column(String(100), default="")  # 活动组织单位
    person_in_charge: Mapped[str] = mapped_column(String(50), default="")  # 活动负责人
    place: Mapped[str] = mapped_column(String(200), default="")
    community_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("community.id"), default=None
    )
    starts_on: Mapped[date | None] = mapped_column(Date, default=None)
    # A community activity or project of another room, when the shift serves one.
    source_kind: Mapped[str] = mapped_column(String(30), default="")
    source_id: Mapped[str] = mapped_column(String(40), default="")
    what_to_bring: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class ShiftSeries(IdMixin, StationScopedMixin, TimestampMixin, Base):
    """A recurrence rule that generated concrete shifts (kept to show and extend the rule)."""

    __tablename__ = "volunteer_shift_series"

    activity_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("volunteer_activity.id", ondelete="CASCADE"), index=True
    )
    rule: Mapped[str] = mapped_column(String(300))  # JSON of recurrence.Rule
    description: Mapped[str] = mapped_column(String(200), default="")  # 每月第二个周六 …


class Shift(IdMixin, StationScopedMixin, TimestampMixin, VersionedMixin, Base):
    """One concrete shift (班次): a date, a time span, a place and how many people."""

    __tablename__ = "volunteer_shift"
    __table_args__ = (
        Index("ix_volunteer_shift_station_day", "station_id", "day", "start_minute"),
        Index("ix_volunteer_shift_activity", "activity_id", "day"),
    )

    activity_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("volunteer_activity.id", ondelete="CASCADE")
    )
    series_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("volunteer_shift_series.id", ondelete="SET NULL"), default=None
    )
    day: Mapped[date] = mapped_column(Date)
    start_minute: Mapped[int] = mapped_column(Integer)
    end_minute: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(50), default="")  # 岗位
    place: Mapped[str] = mapped_column(String(200), default="")
    community_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("community.id"), default=None
    )
    needed: Mapped[int] = mapped_column(Integer, default=1)
    required_skills: Mapped[str] = mapped_column(String(200), default="")  # 、-separated
    required_qualifications: Mapped[str] = mapped_column(String(200), default="")
    needs_insurance: Mapped[bool] = mapped_column(Boolean, default=False)
    team_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("volunteer_team.id", ondelete="SET NULL"), default=None
    )
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(String(500), default="")


class Assignment(IdMixin, StationScopedMixin, TimestampMixin, VersionedMixin, Base):
    """A volunteer's place in a shift: 已报名 → 已确认 → 已签到 (or 缺席 / 已取消 / 候补)."""

    __tablename__ = "volunteer_assignment"
    __table_args__ = (
        UniqueConstraint("shift_id", "volunteer_id"),
        Index("ix_volunteer_assignment_volunteer", "volunteer_id", "day"),
        Index("ix_volunteer_assignment_station_day", "station_id", "day"),
    )

    shift_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("volunteer_shift.id", ondelete="CASCADE")
    )
    volunteer_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("volunteer.id"))
    status: Mapped[str] = mapped_column(String(10))
    # Denormalised from the shift: the volunteer's load and overlaps are read without a join.
    day: Mapped[date] = mapped_column(Date)
    start_minute: Mapped[int] = mapped_column(Integer)
    end_minute: Mapped[int] = mapped_column(Integer)
    queued_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)  # 候补 order
    via: Mapped[str] = mapped_column(String(10), default="分派")  # 报名 | 分派 | 推荐
    cancel_reason: Mapped[str] = mapped_column(String(200), default="")
    override_reason: Mapped[str] = mapped_column(String(200), default="")
    override_conflicts: Mapped[str] = mapped_column(Text, default="")
    check_in_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    check_out_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)


class ServiceHours(IdMixin, StationScopedMixin, TimestampMixin, VersionedMixin, Base):
    """One service record (志愿服务情况, 2020 办法 Art.7) with the credited minutes."""

    __tablename__ = "volunteer_hours"
    __table_args__ = (
        UniqueConstraint("assignment_id"),
        Index("ix_volunteer_hours_volunteer", "volunteer_id", "served_on"),
        Index("ix_volunteer_hours_station_day", "station_id", "served_on"),
    )

    volunteer_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("volunteer.id"))
    assignment_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("volunteer_assignment.id", ondelete="SET NULL"), default=None
    )
    activity_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("volunteer_activity.id", ondelete="SET NULL"), default=None
    )
    served_on: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(100))  # 活动名称
    place: Mapped[str] = mapped_column(String(200), default="")
    content: Mapped[str] = mapped_column(String(500), default="")  # 服务内容
    organiser: Mapped[str] = mapped_column(String(100), default="")
    person_in_charge: Mapped[str] = mapped_column(String(50), default="")
    actual_minutes: Mapped[int] = mapped_column(Integer, default=0)  # check-out − check-in
    minutes: Mapped[int] = mapped_column(Integer)  # credited (rounding rule applied)
    source: Mapped[str] = mapped_column(String(10), default="签到")  # 签到 | 补录 | 导入
    status: Mapped[str] = mapped_column(String(10), default="待审核")  # 待审核 | 已审核 | 已作废
    approver: Mapped[str] = mapped_column(String(50), default="")
    approved_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    recorded_on: Mapped[date] = mapped_column(Date)
    late: Mapped[bool] = mapped_column(Boolean, default=False)  # > N working days (Art.11)
    notes: Mapped[str] = mapped_column(String(500), default="")


class HoursCorrection(IdMixin, Base):
    """A correction of a service record: the original is kept (2020 办法 Art.13)."""

    __tablename__ = "volunteer_hours_correction"

    hours_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("volunteer_hours.id", ondelete="CASCADE"), index=True
    )
    old_minutes: Mapped[int] = mapped_column(Integer)
    new_minutes: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(200))
    by: Mapped[str] = mapped_column(String(50))
    at: Mapped[datetime] = mapped_column(UtcDateTime())


class Certificate(IdMixin, StationScopedMixin, Base):
    """An issued 志愿服务证明: the register entry and the exact content it printed."""

    __tablename__ = "volunteer_certificate"
    __table_args__ = (
        UniqueConstraint("serial"),
        Index("ix_volunteer_certificate_volunteer", "volunteer_id", "issued_at"),
    )

    serial: Mapped[str] = mapped_column(String(40))
    volunteer_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("volunteer.id"))
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime())
    issued_by: Mapped[str] = mapped_column(String(50))
    content: Mapped[str] = mapped_column(Text)  # JSON snapshot, printed identically on reprint
    digest: Mapped[str] = mapped_column(String(64))  # sha256 of ``content``
    prints: Mapped[int] = mapped_column(Integer, default=1)


class StationHoliday(IdMixin, StationScopedMixin, TimestampMixin, Base):
    """A station's own calendar day: next year's official schedule or a local change."""

    __tablename__ = "volunteer_holiday"
    __table_args__ = (UniqueConstraint("station_id", "day"),)

    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(2))  # 休 | 班
    note: Mapped[str] = mapped_column(String(50), default="")
