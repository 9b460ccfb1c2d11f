"""Declarative base, naming convention and the columns every record shares.

Keys are UUIDv7 values made by the app, not database sequences, so one station's records
import into another database (district consolidation) without collisions, and sort by
creation time in indexes (DESIGN.md "Mergeable records").
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from datetime import UTC, datetime
from typing import ClassVar

from sqlalchemy import DateTime, Dialect, ForeignKey, Integer, MetaData, TypeDecorator, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class _RandomPool:
    """os.urandom drawn 40 KiB at a time: one system call per id cost 3 µs of the 4 µs an
    id takes, which showed in bulk imports (three ids per imported resident)."""

    _SIZE = 10 * 4096

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """Forget the buffered bytes (a forked child must not repeat its parent's)."""
        self._buffer = b""
        self._pos = 0

    def take10(self) -> int:
        with self._lock:
            if self._pos + 10 > len(self._buffer):
                self._buffer, self._pos = os.urandom(self._SIZE), 0
            start = self._pos
            self._pos = start + 10
            return int.from_bytes(self._buffer[start : start + 10], "big")


_random = _RandomPool()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_random.reset)


def new_id() -> uuid.UUID:
    """A UUIDv7: 48-bit Unix milliseconds, then random bits (RFC 9562)."""
    ms = time.time_ns() // 1_000_000
    rand = _random.take10()
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76  # version 7
    value |= (rand >> 68 & 0xFFF) << 64
    value |= 0b10 << 62  # RFC 4122 variant
    value |= rand & ((1 << 62) - 1)
    return uuid.UUID(int=value)


def utcnow() -> datetime:
    """Timezone-aware now in UTC; stored as UTC, shown in local (China) time."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UtcDateTime(TypeDecorator[datetime]):
    """A DateTime that is stored naive-UTC and always comes back timezone-aware.

    A TypeDecorator, not a DateTime subclass: dialects replace a plain subclass with their
    own DATETIME type, which would drop these conversions (SQLite then returned naive values).
    """

    impl = DateTime
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(timezone=False)

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class IdMixin:
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)


class VersionedMixin:
    """Optimistic concurrency: an UPDATE that finds another version raises StaleDataError."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, object]:
        return {"version_id_col": cls.version}


class StationScopedMixin:
    """A record that belongs to one station; queries are scoped to the user's station."""

    #: False where the table's own (station_id, …) indexes already serve ``station_id = ?``;
    #: every index costs time on each insert (residents: see migration 0009).
    station_index: ClassVar[bool] = True

    @declared_attr
    def station_id(cls) -> Mapped[uuid.UUID]:
        indexed = bool(getattr(cls, "station_index", True))
        return mapped_column(Uuid, ForeignKey("station.id"), index=indexed, nullable=False)


class SoftDeleteMixin:
    """Deleted records go to the recycle bin (回收站) until restored."""

    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    deleted_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
