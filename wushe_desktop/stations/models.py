"""Station, community and grid tables."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wushe_desktop.infra.db.base import (
    Base,
    IdMixin,
    StationScopedMixin,
    TimestampMixin,
    VersionedMixin,
)


class Station(IdMixin, TimestampMixin, VersionedMixin, Base):
    """A township/street social work station (社工站)."""

    __tablename__ = "station"

    name: Mapped[str] = mapped_column(String(100))
    township: Mapped[str] = mapped_column(String(100))
    district: Mapped[str] = mapped_column(String(100), default="")
    code: Mapped[str] = mapped_column(String(40), unique=True)


class Community(IdMixin, StationScopedMixin, TimestampMixin, VersionedMixin, Base):
    """A community (社区) or village (村) that the station serves."""

    __tablename__ = "community"
    __table_args__ = (UniqueConstraint("station_id", "name"),)

    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(10), default="社区")  # 社区 | 村
    population: Mapped[int] = mapped_column(Integer, default=0)
    households: Mapped[int] = mapped_column(Integer, default=0)

    grids: Mapped[list[Grid]] = relationship(
        back_populates="community", cascade="all, delete-orphan", order_by="Grid.name"
    )


class Grid(IdMixin, StationScopedMixin, TimestampMixin, VersionedMixin, Base):
    """A grid (网格) of a community, with its grid worker (网格员)."""

    __tablename__ = "grid"
    __table_args__ = (UniqueConstraint("community_id", "name"),)

    community_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("community.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    worker_name: Mapped[str] = mapped_column(String(50), default="")
    worker_phone: Mapped[str] = mapped_column(String(20), default="")

    community: Mapped[Community] = relationship(back_populates="grids")
