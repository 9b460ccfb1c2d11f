"""Volunteer registry tables: volunteers and their records, teams, and the station's settings.

The volunteer number (``volunteer_no``, VOL-<station code>-NNNNN) is the public number;
the ID number is never used as one (MZ/T 061-2015, DOMAIN-RULES §2). The five record
blocks of the 2020 办法 Art.4 map to: the volunteer row (①), ``volunteer_hours`` in
scheduling (②), ``VolunteerTraining`` (③), ``VolunteerAward`` and ``VolunteerStar`` (④, ⑤).
"""

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
from wushe_desktop.volunteers.availability import ALL_SLOTS


class Volunteer(IdMixin, StationScopedMixin, TimestampMixin, VersionedMixin, SoftDeleteMixin, Base):
    """A registered volunteer (注册志愿者); may also be a resident of the station."""

    __tablename__ = "volunteer"
    __table_args__ = (
        UniqueConstraint("station_id", "volunteer_no"),
        UniqueConstraint("station_id", "doc_type", "id_number"),
        Index("ix_volunteer_station_name", "station_id", "deleted_at", "name", "id"),
        Index("ix_volunteer_station_py_initials", "station_id", "deleted_at", "py_initials"),
        Index("ix_volunteer_station_py_full", "station_id", "deleted_at", "py_full"),
        Index("ix_volunteer_station_phone", "station_id", "deleted_at", "phone"),
        Index("ix_volunteer_station_no", "station_id", "deleted_at", "volunteer_no"),
        Index("ix_volunteer_station_id_number", "station_id", "deleted_at", "id_number"),
        Index("ix_volunteer_phone_tail", "station_id", "phone_tail"),
        Index("ix_volunteer_resident", "resident_id"),
    )

    volunteer_no: Mapped[str] = mapped_column(String(40))
    national_no: Mapped[str] = mapped_column(String(40), default="")  # 全国统一编号
    resident_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("resident.id", ondelete="SET NULL"), default=None
    )
    name: Mapped[str] = mapped_column(String(50))
    gender: Mapped[str | None] = mapped_column(String(2), default=None)
    birth_date: Mapped[date | None] = mapped_column(Date, default=None)
    doc_type: Mapped[str] = mapped_column(String(20), default="居民身份证")
    id_number: Mapped[str | None] = mapped_column(String(30), default=None)
    phone: Mapped[str | None] = mapped_column(String(20), default=None)
    phone_tail: Mapped[str] = mapped_column(String(4), default="")  # front-desk lookup
    community_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("community.id"), default=None, index=True
    )
    political_status: Mapped[str] = mapped_column(String(20), default="")
    education: Mapped[str] = mapped_column(String(20), default="")
    occupation: Mapped[str] = mapped_column(String(50), default="")
    languages: Mapped[str] = mapped_column(String(100), default="")
    availability: Mapped[int] = mapped_column(Integer, default=ALL_SLOTS)
    registered_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="在册")  # 在册 | 暂停 | 退出
    status_reason: Mapped[str] = mapped_column(String(200), default="")
    status_since: Mapped[date | None] = mapped_column(Date, default=None)
    emergency_name: Mapped[str] = mapped_column(String(50), default="")
    emergency_relation: Mapped[str] = mapped_column(String(20), default="")
    emergency_phone: Mapped[str] = mapped_column(String(20), default="")
    insurer: Mapped[str] = mapped_column(String(100), default="")
    insurance_policy: Mapped[str] = mapped_column(String(60), default="")
    insurance_until: Mapped[date | None] = mapped_column(Date, default=None)
    # Consent to the record (2020 办法 Art.6; a guardian's for a minor, PIPL Art.31).
    consent_on: Mapped[date | None] = mapped_column(Date, default=None)
    consent_by: Mapped[str] = mapped_column(String(50), default="")
    guardian_relation: Mapped[str] = mapped_column(String(20), default="")  # empty: self
    notes: Mapped[str] = mapped_column(Text, default="")
    py_initials: Mapped[str] = mapped_column(String(60), default="")
    py_full: Mapped[str] = mapped_column(String(200), default="")
    py_initials_alt: Mapped[str | None] = mapped_column(String(60), default=None)
    py_full_alt: Mapped[str | None] = mapped_column(String(200), default=None)

    skills: Mapped[list[VolunteerSkill]] = relationship(
        back_populates="volunteer", cascade="all, delete-orphan", order_by="VolunteerSkill.skill"
    )


class VolunteerSkill(IdMixin, Base):
    """A skill tag (专业技能): 医疗护理, 心理疏导 … or a station's own."""

    __tablename__ = "volunteer_skill"
    __table_args__ = (
        UniqueConstraint("volunteer_id", "skill"),
        Index("ix_volunteer_skill_skill", "skill", "volunteer_id"),
    )

    volunteer_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("volunteer.id", ondelete="CASCADE")
    )
    skill: Mapped[str] = mapped_column(String(30))

    volunteer: Mapped[Volunteer] = relationship(back_populates="skills")


class VolunteerUnavailable(IdMixin, TimestampMixin, Base):
    """A date range the volunteer cannot serve (travel, illness, exams …)."""

    __tablename__ = "volunteer_unavailable"
    __table_args__ = (Index("ix_volunteer_unavailable_volunteer", "volunteer_id", "starts_on"),)

    volunteer_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("volunteer.id", ondelete="CASCADE")
    )
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(100), default="")


class VolunteerTraining(IdMixin, TimestampMixin, Base):
    """培训情况 (2020 办法 Art.8): course, content, length, organiser, date, certificate."""

    __tablename__ = "volunteer_training"

    volunteer_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("volunteer.id", ondelete="CASCADE"), index=True
    )
    course: Mapped[str] = mapped_column(String(100))
    content: Mapped[str] = mapped_column(String(500), default="")
    minutes: Mapped[int] = mapped_column(Integer, default=0)
    organiser: Mapped[str] = mapped_column(String(100), default="")
    trained_on: Mapped[date] = mapped_column(Date)
    certificate: Mapped[str] = mapped_column(String(100), default="")


class VolunteerAward(IdMixin, TimestampMixin, Base):
    """表彰奖励 (2020 办法 Art.9): name, date, awarding body."""

    __tablename__ = "volunteer_award"

    volunteer_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("volunteer.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    awarded_on: Mapped[date] = mapped_column(Date)
    body: Mapped[str] = mapped_column(String(100), default="")


class VolunteerStar(IdMixin, TimestampMixin, Base):
    """An awarded star level (星级评价, Art.10): kept as a record, not only computed."""

    __tablename__ = "volunteer_star"

    volunteer_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("volunteer.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[int] = mapped_column(Integer)  # 1–5
    awarded_on: Mapped[date] = mapped_column(Date)
    body: Mapped[str] = mapped_column(String(100), default="")
    basis_minutes: Mapped[int] = mapped_column(Integer, default=0)  # hours on the day
    notes: Mapped[str] = mapped_column(String(200), default="")


class VolunteerQualification(IdMixin, TimestampMixin, Base):
    """A qualification that gates shift roles (急救培训, 健康证 …), with its expiry."""

    __tablename__ = "volunteer_qualification"
    __table_args__ = (Index("ix_volunteer_qualification_volunteer", "volunteer_id", "kind"),)

    volunteer_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("volunteer.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(50))
    number: Mapped[str] = mapped_column(String(60), default="")
    obtained_on: Mapped[date | None] = mapped_column(Date, default=None)
    valid_until: Mapped[date | None] = mapped_column(Date, default=None)  # None: no expiry


class VolunteerTeam(IdMixin, StationScopedMixin, TimestampMixin, VersionedMixin, Base):
    """A volunteer team (志愿服务队); a volunteer may be in several."""

    __tablename__ = "volunteer_team"
    __table_args__ = (UniqueConstraint("station_id", "name"),)

    name: Mapped[str] = mapped_column(String(100))
    leader_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("volunteer.id", ondelete="SET NULL"), default=None
    )
    community_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("community.id"), default=None
    )
    founded_on: Mapped[date | None] = mapped_column(Date, default=None)
    description: Mapped[str] = mapped_column(Text, default="")


class VolunteerTeamMember(IdMixin, Base):
    __tablename__ = "volunteer_team_member"
    __table_args__ = (
        UniqueConstraint("team_id", "volunteer_id"),
        Index("ix_volunteer_team_member_volunteer", "volunteer_id", "team_id"),
    )

    team_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("volunteer_team.id", ondelete="CASCADE")
    )
    volunteer_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("volunteer.id", ondelete="CASCADE")
    )
    joined_on: Mapped[date | None] = mapped_column(Date, default=None)


class VolunteerSetting(IdMixin, StationScopedMixin, TimestampMixin, VersionedMixin, Base):
    """The station's volunteer rules; one row per station (defaults when absent)."""

    __tablename__ = "volunteer_setting"
    __table_args__ = (UniqueConstraint("station_id"),)

    min_age: Mapped[int] = mapped_column(Integer, default=7)
    guardian_under: Mapped[int] = mapped_column(Integer, default=18)
    accompany_under: Mapped[int] = mapped_column(Integer, default=10)
    monthly_cap_minutes: Mapped[int] = mapped_column(Integer, default=60 * 60)  # 0: no cap
    daily_cap_minutes: Mapped[int] = mapped_column(Integer, default=12 * 60)
    rounding_minutes: Mapped[int] = mapped_column(Integer, default=1)
    record_deadline_workdays: Mapped[int] = mapped_column(Integer, default=10)
    star_hours: Mapped[str] = mapped_column(String(60), default="100,300,600,1000,1500")
    star_months: Mapped[str] = mapped_column(String(60), default="0,0,0,0,0")
    qualification_warn_days: Mapped[int] = mapped_column(Integer, default=30)
    issuer_name: Mapped[str] = mapped_column(String(100), default="")  # default: station
    issuer_head: Mapped[str] = mapped_column(String(50), default="")  # 负责人
    issuer_handler: Mapped[str] = mapped_column(String(50), default="")  # 经办人
    issuer_contact: Mapped[str] = mapped_column(String(50), default="")
    uses_national_system: Mapped[bool] = mapped_column(Boolean, default=False)
