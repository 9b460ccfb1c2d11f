"""The service-record table: one row per service given (a person served, or a counted activity).

Casework interventions, group sessions, community activities, visits, consultations and
phone follow-ups all write here, so reports count 服务人次 and 服务人数 from one table
(see ``metrics.py`` for the definitions). ``source_type``/``source_id`` point back at the
record that produced the row (a case, a group session, an activity, a visit); it is a
polymorphic link, so there is no foreign key.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from wushe_desktop.infra.db.base import (
    Base,
    IdMixin,
    SoftDeleteMixin,
    StationScopedMixin,
    TimestampMixin,
    VersionedMixin,
)


class ServiceRecord(
    IdMixin, StationScopedMixin, TimestampMixin, VersionedMixin, SoftDeleteMixin, Base
):
    """One service given on one day (服务记录)."""

    __tablename__ = "service_record"
    __table_args__ = (
        # The list (newest first), a month's records, the metrics: one index range.
        # The list (newest first), a month's records, the metrics, and the worker, type and
        # community filters (tested row by row along it): one index range. Few indexes on
        # purpose: the table takes half a million rows (demo ``large``, imports).
        Index("ix_service_record_station_day", "station_id", "deleted_at", "served_on", "id"),
        Index("ix_service_record_resident", "resident_id", "served_on"),
        Index("ix_service_record_source", "source_id", "served_on"),
    )

    # As StationScopedMixin, but without its single-column index (station_day leads with it).
    station_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("station.id"), nullable=False)

    served_on: Mapped[date] = mapped_column(Date)
    service_type: Mapped[str] = mapped_column(String(10))  # a ServiceType value
    worker_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("app_user.id"), default=None
    )
    worker_name: Mapped[str] = mapped_column(String(50), default="")
    community_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("community.id"), default=None
    )
    resident_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("resident.id"), default=None
    )
    participants: Mapped[int] = mapped_column(Integer, default=0)
    attendances: Mapped[int] = mapped_column(Integer, default=1)  # 服务人次 of this record
    duration_minutes: Mapped[int] = mapped_column(Integer, default=0)
    content: Mapped[str] = mapped_column(Text, default="")
    source_type: Mapped[str] = mapped_column(String(20), default="")
    source_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    is_highlight: Mapped[bool] = mapped_column(Boolean, default=False)
