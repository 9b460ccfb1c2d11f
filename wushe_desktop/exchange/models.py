"""Tables of a district database that imports station packages.

``package_import`` logs every package imported (who, when, its SHA-256, what changed and
the conflicts left alone). ``import_baseline`` keeps, per imported record, the digest of
the row as it was last imported: a district copy whose digest differs was changed at the
district since, so a station's later change to it is a conflict, not an overwrite.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from wushe_desktop.infra.db.base import Base, IdMixin, UtcDateTime, utcnow

__all__ = ["ImportBaseline", "PackageImport"]


class PackageImport(IdMixin, Base):
    """One package imported into this database."""

    __tablename__ = "package_import"
    __table_args__ = (Index("ix_package_import_sha256", "sha256"),)

    imported_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(50), default="")
    sha256: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(200), default="")
    #: The station the package came from (no foreign key: the log outlives a station's rows).
    station_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    station_name: Mapped[str] = mapped_column(String(100), default="")
    date_from: Mapped[date] = mapped_column(Date)
    date_to: Mapped[date] = mapped_column(Date)
    exported_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    app_version: Mapped[str] = mapped_column(String(20), default="")
    summary: Mapped[str] = mapped_column(Text, default="{}")  # JSON: table → counts
    conflicts: Mapped[str] = mapped_column(Text, default="[]")  # JSON list


class ImportBaseline(Base):
    """The digest of an imported record as last imported (table, id)."""

    __tablename__ = "import_baseline"

    table_name: Mapped[str] = mapped_column(String(60), primary_key=True)
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    digest: Mapped[str] = mapped_column(String(40))
