"""The append-only audit table (changes and the access log share it)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from wushe_desktop.infra.db.base import Base, IdMixin, UtcDateTime, utcnow


class AuditEntry(IdMixin, Base):
    """Who did what to which record, when and from where. Never updated or deleted."""

    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entry_record", "record_type", "record_id"),
        Index("ix_audit_entry_station_at", "station_id", "at"),
    )

    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    station_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    username: Mapped[str] = mapped_column(String(50), default="")
    host: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(30))  # an AuditAction value
    record_type: Mapped[str] = mapped_column(String(40), default="")
    record_id: Mapped[str] = mapped_column(String(40), default="")
    record_label: Mapped[str] = mapped_column(String(200), default="")
    changes: Mapped[str] = mapped_column(Text, default="")  # JSON {field: [old, new]}
    detail: Mapped[str] = mapped_column(Text, default="")
