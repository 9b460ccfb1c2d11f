"""The report table: the director's texts per period and, once locked (定稿), the snapshot."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from wushe_desktop.infra.db.base import (
    Base,
    IdMixin,
    StationScopedMixin,
    TimestampMixin,
    UtcDateTime,
    VersionedMixin,
)

__all__ = ["StationReport"]


class StationReport(IdMixin, StationScopedMixin, TimestampMixin, VersionedMixin, Base):
    """One report period of a station (a month, or any other period printed).

    ``problems`` and ``plan`` are what the director writes for the period (存在问题,
    下月计划). Locking stores the report's content as JSON (``snapshot``) with its SHA-256
    (``digest``): the locked report prints from it, identically, whatever changes later.
    """

    __tablename__ = "station_report"
    __table_args__ = (UniqueConstraint("station_id", "date_from", "date_to"),)

    kind: Mapped[str] = mapped_column(String(10))  # a PeriodKind value
    date_from: Mapped[date] = mapped_column(Date)
    date_to: Mapped[date] = mapped_column(Date)
    problems: Mapped[str] = mapped_column(Text, default="")
    plan: Mapped[str] = mapped_column(Text, default="")
    locked_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    locked_by: Mapped[str] = mapped_column(String(50), default="")
    locked_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    snapshot: Mapped[str] = mapped_column(Text, default="")
    digest: Mapped[str] = mapped_column(String(64), default="")
