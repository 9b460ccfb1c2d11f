"""Resident, resident tag and consent tables."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text, UniqueConstraint, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wushe_desktop.infra.db.base import (
    Base,
    IdMixin,
    SoftDeleteMixin,
    StationScopedMixin,
    TimestampMixin,
    VersionedMixin,
)


class Resident(IdMixin, StationScopedMixin, TimestampMixin, VersionedMixin, SoftDeleteMixin, Base):
    """A person the station serves (服务对象)."""

    __tablename__ = "resident"
    station_index = False  # the (station_id, deleted_at, …) indexes below serve it
    __table_args__ = (
        UniqueConstraint("station_id", "doc_type", "id_number"),
        # deleted_at second: the live list (deleted_at IS NULL) and the recycle bin are
        # read, counted and searched from these indexes alone (residents/search.py).
        Index("ix_resident_station_name", "station_id", "deleted_at", "name", "id", "py_full"),
        Index("ix_resident_station_py_initials", "station_id", "deleted_at", "py_initials"),
        Index("ix_resident_station_py_full", "station_id", "deleted_at", "py_full"),
        # Partial: only surnames read two ways have these keys (a few rows in a hundred).
        Index(
            "ix_resident_station_py_alt",
            "station_id",
            "deleted_at",
            "py_initials_alt",
            sqlite_where=text("py_initials_alt IS NOT NULL"),
            postgresql_where=text("py_initials_alt IS NOT NULL"),
        ),
        Index(
            "ix_resident_station_py_full_alt",
            "station_id",
            "deleted_at",
            "py_full_alt",
            sqlite_where=text("py_full_alt IS NOT NULL"),
            postgresql_where=text("py_full_alt IS NOT NULL"),
        ),
        Index("ix_resident_station_id_number", "station_id", "deleted_at", "id_number"),
        Index("ix_resident_station_phone", "station_id", "deleted_at", "phone"),
        Index("ix_resident_station_birth", "station_id", "deleted_at", "birth_date", "id"),
        Index("ix_resident_station_updated", "station_id", "deleted_at", "updated_at", "id"),
        # A community's or grid's residents in name order (filtered lists, sort by community).
        Index("ix_resident_community", "community_id", "deleted_at", "name", "id", "py_full"),
        Index("ix_resident_grid", "grid_id", "deleted_at", "name", "id", "py_full"),
    )

    name: Mapped[str] = mapped_column(String(50))
    gender: Mapped[str | None] = mapped_column(String(2), default=None)  # 男 | 女
    birth_date: Mapped[date | None] = mapped_column(Date, default=None)
    doc_type: Mapped[str] = mapped_column(String(20), default="居民身份证")
    id_number: Mapped[str | None] = mapped_column(String(30), default=None)
    phone: Mapped[str | None] = mapped_column(String(20), default=None)
    address: Mapped[str] = mapped_column(String(200), default="")
    community_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("community.id"))
    grid_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("grid.id"), default=None)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Search keys (lower-case ASCII): pinyin initials and full pinyin; *_alt holds the other
    # reading when the surname's reading differs from pypinyin's default (单 shan/dan).
    py_initials: Mapped[str] = mapped_column(String(60), default="")
    py_full: Mapped[str] = mapped_column(String(200), default="")
    py_initials_alt: Mapped[str | None] = mapped_column(String(60), default=None)
    py_full_alt: Mapped[str | None] = mapped_column(String(200), default=None)

    tags: Mapped[list[ResidentTag]] = relationship(
        back_populates="resident", cascade="all, delete-orphan", order_by="ResidentTag.tag"
    )
    consents: Mapped[list[ConsentRecord]] = relationship(
        back_populates="resident", cascade="all, delete-orphan", order_by="ConsentRecord.given_on"
    )


class ResidentTag(IdMixin, Base):
    """A key-group tag (重点人群标签) such as 独居老人; ``detail`` holds e.g. 残疾类别/等级."""

    __tablename__ = "resident_tag"
    __table_args__ = (
        UniqueConstraint("resident_id", "tag"),
        Index("ix_resident_tag_tag", "tag", "resident_id"),
    )

    resident_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("resident.id", ondelete="CASCADE")
    )
    tag: Mapped[str] = mapped_column(String(60))
    detail: Mapped[str] = mapped_column(String(100), default="")

    resident: Mapped[Resident] = relationship(back_populates="tags")


class ConsentRecord(IdMixin, TimestampMixin, Base):
    """Consent to process personal information (PIPL Art.14/29/31): who, scope, notice, dates."""

    __tablename__ = "consent_record"

    resident_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("resident.id", ondelete="CASCADE"), index=True
    )
    scope: Mapped[str] = mapped_column(String(100))  # e.g. 基本信息 / 敏感个人信息
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False)  # 单独同意
    given_by: Mapped[str] = mapped_column(String(50))  # the resident or the guardian
    guardian_relation: Mapped[str] = mapped_column(String(20), default="")  # empty: self
    notice_version: Mapped[str] = mapped_column(String(30))
    method: Mapped[str] = mapped_column(String(30), default="书面签字")
    given_on: Mapped[date] = mapped_column(Date)
    withdrawn_on: Mapped[date | None] = mapped_column(Date, default=None)
    recorded_by: Mapped[str] = mapped_column(String(50), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    resident: Mapped[Resident] = relationship(back_populates="consents")
