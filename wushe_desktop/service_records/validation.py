"""The rules a service record must meet, shared by the form, the services and the importer."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from wushe_desktop.infra.errors import ValidationError


class ServiceType(StrEnum):
    CASE = "个案服务"
    GROUP = "小组服务"
    ACTIVITY = "社区活动"
    VISIT = "探访"
    CONSULTATION = "咨询"
    PHONE = "电话回访"
    OTHER = "其他"


class SourceType(StrEnum):
    """What produced a record (``source_id`` points at it); empty: entered by hand."""

    NONE = ""
    CASE = "case"
    GROUP_SESSION = "group_session"
    ACTIVITY = "activity"
    VISIT = "visit"


SERVICE_TYPES: tuple[str, ...] = tuple(t.value for t in ServiceType)
SOURCE_TYPES: frozenset[str] = frozenset(t.value for t in SourceType)
EARLIEST = date(2000, 1, 1)
MAX_MINUTES = 24 * 60
MAX_PARTICIPANTS = 100_000
MAX_CONTENT = 5_000


@dataclass(frozen=True)
class ServiceRecordInput:
    """A record as typed. A named resident (``resident_id``) counts 1 人次; without one,
    ``participants`` is the number of people an activity served (its 人次)."""

    served_on: date
    service_type: str
    duration_minutes: int
    content: str = ""
    worker_id: uuid.UUID | None = None
    resident_id: uuid.UUID | None = None
    participants: int = 0
    community_id: uuid.UUID | None = None
    source_type: str = ""
    source_id: uuid.UUID | None = None
    is_highlight: bool = False
    #: A worker without an account (a grid worker, a volunteer); used when worker_id is None.
    worker_name: str = ""


def check_record(data: ServiceRecordInput, *, today: date | None = None) -> ServiceRecordInput:
    """The input with text trimmed; ``ValidationError`` naming the field otherwise."""
    today = today or date.today()
    if data.served_on > today:
        raise ValidationError(
            f"服务日期 {data.served_on.isoformat()} 晚于今天，请检查。", field="served_on"
        )
    if data.served_on < EARLIEST:
        raise ValidationError(
            f"服务日期 {data.served_on.isoformat()} 早于 2000 年，请检查。", field="served_on"
        )
    if data.service_type not in SERVICE_TYPES:
        raise ValidationError(
            f"服务类型“{data.service_type}”无效，应为 {'、'.join(SERVICE_TYPES)} 之一。",
            field="service_type",
        )
    if not 0 <= data.duration_minutes <= MAX_MINUTES:
        raise ValidationError(
            f"服务时长 {data.duration_minutes} 分钟无效，应在 0 到 {MAX_MINUTES} 分钟之间。",
            field="duration_minutes",
        )
    if data.resident_id is not None and data.participants not in (0, 1):
        raise ValidationError(
            "记录了具体服务对象时，参与人数应留空；多人参加的活动请逐人记录或只填人数。",
            field="participants",
        )
    if data.resident_id is None and not 1 <= data.participants <= MAX_PARTICIPANTS:
        raise ValidationError("请选择服务对象，或填写参与人数（1 人以上）。", field="participants")
    content = data.content.strip()
    if len(content) > MAX_CONTENT:
        raise ValidationError(
            f"服务内容不能超过 {MAX_CONTENT} 字（现有 {len(content)} 字）。", field="content"
        )
    if data.source_type not in SOURCE_TYPES:
        raise ValidationError(f"记录来源“{data.source_type}”无效。", field="source_type")
    if (data.source_type == "") != (data.source_id is None):
        raise ValidationError("记录来源与来源编号必须同时填写或同时留空。", field="source_id")
    name = data.worker_name.strip()
    if len(name) > 50:
        raise ValidationError("服务人员姓名不能超过 50 字。", field="worker_name")
    return ServiceRecordInput(
        served_on=data.served_on,
        service_type=data.service_type,
        duration_minutes=data.duration_minutes,
        content=content,
        worker_id=data.worker_id,
        resident_id=data.resident_id,
        participants=0 if data.resident_id is not None else data.participants,
        community_id=data.community_id,
        source_type=data.source_type,
        source_id=data.source_id,
        is_highlight=data.is_highlight,
        worker_name=name,
    )


def attendances_of(data: ServiceRecordInput) -> int:
    """服务人次 a record contributes: 1 for a named resident, else its participant count."""
    return 1 if data.resident_id is not None else data.participants
