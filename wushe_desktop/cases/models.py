"""Case tables: the case, its stage records, events, to-dos, referrals and attachments.

Stage records keep their fields as JSON (``data``) read and checked by ``records.py``: the
forms change with practice, and no report filters on them. What lists and reminders do
filter on is a column (stage, risk, dates, due dates, review status).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
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
    UtcDateTime,
    VersionedMixin,
    utcnow,
)


class Case(IdMixin, StationScopedMixin, TimestampMixin, VersionedMixin, SoftDeleteMixin, Base):
    """A case (个案) of one resident, held by one social worker."""

    __tablename__ = "case_file"  # "case" is an SQL keyword
    __table_args__ = (
        UniqueConstraint("station_id", "case_no"),
        Index("ix_case_file_station_opened", "station_id", "deleted_at", "opened_on", "id"),
        Index("ix_case_file_worker", "worker_id", "stage"),
        Index("ix_case_file_resident", "resident_id"),
    )

    case_no: Mapped[str] = mapped_column(String(30))
    resident_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("resident.id"))
    worker_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("app_user.id"), default=None
    )
    worker_name: Mapped[str] = mapped_column(String(50), default="")
    source: Mapped[str] = mapped_column(String(20))
    problem_areas: Mapped[str] = mapped_column(String(200), default="")  # "、"-joined
    risk_level: Mapped[str] = mapped_column(String(2), default="中")
    stage: Mapped[str] = mapped_column(String(4), default="接案")
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date, default=None)
    #: Family members involved: JSON list of {"resident_id": str|None, "name", "relation"}.
    family: Mapped[str] = mapped_column(Text, default="[]")
    template_key: Mapped[str] = mapped_column(String(30), default="")
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)


class CaseRecord(
    IdMixin, StationScopedMixin, TimestampMixin, VersionedMixin, SoftDeleteMixin, Base
):
    """A stage record (接案登记, 预估报告, 服务计划, 成效评估, 结案报告, 回访记录)."""

    __tablename__ = "case_record"
    __table_args__ = (
        Index("ix_case_record_case", "case_id", "kind"),
        Index("ix_case_record_due", "station_id", "kind", "done_on", "due_on"),
        Index("ix_case_record_review", "station_id", "review_status"),
    )

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("case_file.id"))
    kind: Mapped[str] = mapped_column(String(12))  # a RecordKind value
    record_date: Mapped[date] = mapped_column(Date)
    data: Mapped[str] = mapped_column(Text, default="{}")  # JSON, see records.py
    #: Plan: the earliest goal target date; follow-up: the scheduled date.
    due_on: Mapped[date | None] = mapped_column(Date, default=None)
    done_on: Mapped[date | None] = mapped_column(Date, default=None)  # follow-up carried out
    author_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    author_name: Mapped[str] = mapped_column(String(50), default="")
    review_status: Mapped[str] = mapped_column(String(6), default="")
    reviewer_name: Mapped[str] = mapped_column(String(50), default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    review_comment: Mapped[str] = mapped_column(Text, default="")


class CaseEvent(IdMixin, StationScopedMixin, Base):
    """A step in the case's life: stage changes, going back, transfers, reopening, reviews."""

    __tablename__ = "case_event"
    __table_args__ = (Index("ix_case_event_case", "case_id", "at"),)

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("case_file.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    on_date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(10))  # 阶段推进 / 阶段回退 / 转移 / 重新开案 / 审核 …
    from_stage: Mapped[str] = mapped_column(String(4), default="")
    to_stage: Mapped[str] = mapped_column(String(4), default="")
    text: Mapped[str] = mapped_column(Text, default="")  # reason or description
    actor_name: Mapped[str] = mapped_column(String(50), default="")


class CaseTask(IdMixin, StationScopedMixin, TimestampMixin, VersionedMixin, SoftDeleteMixin, Base):
    """A to-do of a case (from its template or added by hand)."""

    __tablename__ = "case_task"
    __table_args__ = (
        Index("ix_case_task_case", "case_id"),
        Index("ix_case_task_due", "station_id", "done_on", "due_on"),
    )

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("case_file.id"))
    title: Mapped[str] = mapped_column(String(100))
    due_on: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date, default=None)
    from_template: Mapped[str] = mapped_column(String(30), default="")
    note: Mapped[str] = mapped_column(Text, default="")


class CaseReferral(
    IdMixin, StationScopedMixin, TimestampMixin, VersionedMixin, SoftDeleteMixin, Base
):
    """A referral (转介) to an organisation, a government department or the charity side."""

    __tablename__ = "case_referral"
    __table_args__ = (Index("ix_case_referral_case", "case_id"),)

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("case_file.id"))
    target_kind: Mapped[str] = mapped_column(String(10))
    target_name: Mapped[str] = mapped_column(String(100))
    contact: Mapped[str] = mapped_column(String(100), default="")
    referred_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(6), default="已转介")
    feedback: Mapped[str] = mapped_column(Text, default="")
    feedback_on: Mapped[date | None] = mapped_column(Date, default=None)


class CaseAttachment(IdMixin, StationScopedMixin, TimestampMixin, SoftDeleteMixin, Base):
    """A file kept with a case; the bytes live in the data directory under their SHA-256."""

    __tablename__ = "case_attachment"
    __table_args__ = (Index("ix_case_attachment_case", "case_id"),)

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("case_file.id"))
    kind: Mapped[str] = mapped_column(String(10))
    file_name: Mapped[str] = mapped_column(String(200))  # as the user named it
    stored_path: Mapped[str] = mapped_column(String(200))  # relative to the attachments folder
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str] = mapped_column(Text, default="")
    added_by: Mapped[str] = mapped_column(String(50), default="")
