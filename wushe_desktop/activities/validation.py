"""What a valid community activity is (活动记录 with 签到人数 and named participants)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum

from wushe_desktop.community_work.common import MAX_TEXT, check_day, choice, limited, today_local
from wushe_desktop.infra.errors import ValidationError

__all__ = [
    "ActivityInput",
    "ActivityType",
    "CleanActivity",
    "OrganizerKind",
    "clean_activity",
    "duration_minutes",
]

TITLE_MAX = 100
ORGANIZER_MAX = 100
MAX_PARTICIPANTS = 100_000
MAX_VOLUNTEERS = 10_000
MAX_COST_FEN = 100_000_000_00  # 1 亿元


class ActivityType(StrEnum):
    FESTIVAL = "节日慰问"
    CULTURE_SPORTS = "文体"
    HEALTH = "健康"
    EDUCATION = "教育"
    VOLUNTEER = "志愿服务"
    DELIBERATION = "议事协商"
    OTHER = "其他"


class OrganizerKind(StrEnum):
    STATION = "社工站"
    ORGANIZATION = "社会组织"
    COMMUNITY = "社区（村）"


@dataclass
class ActivityInput:
    """An activity as typed; ``named`` are registered residents who signed in (they are
    part of ``participants``, the total signed in)."""

    title: str
    activity_type: str
    held_on: date | None
    participants: int
    community_id: uuid.UUID | None = None
    start_time: time | None = None
    end_time: time | None = None
    organizer_kind: str = OrganizerKind.STATION.value
    organizer_name: str = ""
    worker_id: uuid.UUID | None = None
    volunteers: int = 0
    cost_fen: int | None = None
    record: str = ""
    named: list[uuid.UUID] = field(default_factory=list)
    is_highlight: bool = False


@dataclass(frozen=True)
class CleanActivity:
    title: str
    activity_type: str
    held_on: date
    participants: int
    community_id: uuid.UUID | None
    start_time: time | None
    end_time: time | None
    organizer_kind: str
    organizer_name: str
    worker_id: uuid.UUID | None
    volunteers: int
    cost_fen: int | None
    record: str
    named: tuple[uuid.UUID, ...]
    is_highlight: bool = False


def duration_minutes(start: time | None, end: time | None) -> int:
    """Minutes from start to end (0 when either is missing)."""
    if start is None or end is None:
        return 0
    day = date(2000, 1, 1)
    return int((datetime.combine(day, end) - datetime.combine(day, start)).total_seconds() // 60)


def clean_activity(data: ActivityInput, *, today: date | None = None) -> CleanActivity:
    """Validate an activity; ``ValidationError`` names the field of the first problem."""
    today = today or today_local()
    title = limited(data.title, TITLE_MAX, "活动名称", "title", required=True)
    kind = choice(data.activity_type, [t.value for t in ActivityType], "活动类型", "activity_type")
    held_on = check_day(data.held_on, "活动日期", "held_on", today=today)
    if data.end_time is not None and data.start_time is None:
        raise ValidationError("填写了结束时间时请同时填写开始时间。", field="start_time")
    if (
        data.start_time is not None
        and data.end_time is not None
        and data.end_time <= data.start_time
    ):
        raise ValidationError(
            f"结束时间 {data.end_time:%H:%M} 应晚于开始时间 {data.start_time:%H:%M}。",
            field="end_time",
        )
    organizer_kind = choice(
        data.organizer_kind, [k.value for k in OrganizerKind], "主办方类别", "organizer_kind"
    )
    organizer = limited(data.organizer_name, ORGANIZER_MAX, "主办方名称", "organizer_name")
    if organizer_kind == OrganizerKind.ORGANIZATION.value and not organizer:
        raise ValidationError("主办方为社会组织时请填写组织名称。", field="organizer_name")
    named = tuple(dict.fromkeys(data.named))
    if not 1 <= data.participants <= MAX_PARTICIPANTS:
        raise ValidationError(
            f"参与人数应在 1 到 {MAX_PARTICIPANTS:,} 之间，当前为 {data.participants}。",
            field="participants",
        )
    if data.participants < len(named):
        raise ValidationError(
            f"参与人数（{data.participants}）少于已登记姓名的参与居民（{len(named)} 人），"
            "请核对：参与人数是签到总人数，包括登记了姓名的居民。",
            field="participants",
        )
    if not 0 <= data.volunteers <= MAX_VOLUNTEERS:
        raise ValidationError(
            f"参与志愿者人数应在 0 到 {MAX_VOLUNTEERS:,} 之间。", field="volunteers"
        )
    if data.cost_fen is not None and not 0 <= data.cost_fen <= MAX_COST_FEN:
        raise ValidationError("活动经费不能为负数，也不能超过 1 亿元。", field="cost_fen")
    return CleanActivity(
        title=title,
        activity_type=kind,
        held_on=held_on,
        participants=data.participants,
        community_id=data.community_id,
        start_time=data.start_time,
        end_time=data.end_time,
        organizer_kind=organizer_kind,
        organizer_name=organizer,
        worker_id=data.worker_id,
        volunteers=data.volunteers,
        cost_fen=data.cost_fen,
        record=limited(data.record, MAX_TEXT, "活动记录", "record"),
        named=named,
        is_highlight=bool(data.is_highlight),
    )
