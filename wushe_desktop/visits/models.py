"""Visit frequency settings and visit records (探访记录)."""

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
from sqlalchemy.orm import Mapped, mapped_column

from wushe_desktop.infra.db.base import (
    Base,
    IdMixin,
    SoftDeleteMixin,
    StationScopedMixin,
    TimestampMixin,
    VersionedMixin,
)


class VisitFrequency(IdMixin, StationScopedMixin, TimestampMixin, Base):
    """How often a station visits residents with one key-group tag (days; 0 = not scheduled).

    Only rows that differ from the defaults (``visits.schedule.DEFAULT_FREQUENCIES``) need
    to exist; the schedule reads defaults merged with these.
    """

    __tablename__ = "visit_frequency"
    __table_args__ = (UniqueConstraint("station_id", "tag"),)

    tag: Mapped[str] = mapped_column(String(60))
    days: Mapped[int] = mapped_column(Integer)


class Visit(IdMixin, TimestampMixin, VersionedMixin, SoftDeleteMixin, Base):
    """One visit to a resident (入户/电话/视频), by a worker, a grid worker or a volunteer.

    Station-scoped like every record, but without the mixin's single-column station index:
    the two composite indexes below serve every query, and a large station writes a
    hundred thousand visits (fewer indexes, faster inserts).
    """

    __tablename__ = "visit"
    __table_args__ = (
        # The last visit per resident (schedule, overdue lists) is read from this index alone.
        Index("ix_visit_station_resident", "station_id", "deleted_at", "resident_id", "visited_on"),
        # The visit list, newest first, filtered to a date range.
        Index("ix_visit_station_day", "station_id", "deleted_at", "visited_on", "id"),
    )

    station_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("station.id"), nullable=False)
    resident_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("resident.id"))
    visited_on: Mapped[date] = mapped_column(Date)
    mode: Mapped[str] = mapped_column(String(10))  # a VisitMode value
    visitor_kind: Mapped[str] = mapped_column(String(10))  # a VisitorKind value
    visitor_user_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("app_user.id"), default=None
    )
    visitor_name: Mapped[str] = mapped_column(String(50), default="")
    duration_minutes: Mapped[int] = mapped_column(Integer, default=0)
    findings: Mapped[str] = mapped_column(Text, default="")
    risk_found: Mapped[bool] = mapped_column(Boolean, default=False)
    risk_description: Mapped[str] = mapped_column(Text, default="")
    follow_up_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The case a finding opened (4a's case table; a plain uuid, no foreign key across rooms).
    case_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
