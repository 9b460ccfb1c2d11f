"""The user table."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from wushe_desktop.infra.db.base import Base, IdMixin, TimestampMixin, UtcDateTime, VersionedMixin


class User(IdMixin, TimestampMixin, VersionedMixin, Base):
    """A staff account. ``station_id`` is empty only for district administrators."""

    __tablename__ = "app_user"

    station_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("station.id"), index=True, default=None
    )
    username: Mapped[str] = mapped_column(String(50), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(20))  # a Role value
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
