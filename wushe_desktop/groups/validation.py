"""What a valid group (小组计划) and session (节次记录) are (MZ/T 095 stages and records)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from wushe_desktop.community_work.common import (
    MAX_TEXT,
    check_day,
    choice,
    limited,
    minutes,
    today_local,
)
from wushe_desktop.infra.errors import ValidationError

__all__ = [
    "GROUP_STAGES",
    "CleanGroup",
    "CleanSession",
    "GroupInput",
    "GroupStage",
    "GroupType",
    "SessionInput",
    "clean_group",
    "clean_session",
]

NAME_MAX = 100
TOPIC_MAX = 200
MAX_SESSIONS = 200


class GroupType(StrEnum):
    THERAPY = "治疗"
    SUPPORT = "支持"
    GROWTH = "成长"
    EDUCATION = "教育"
    INTEREST = "兴趣"
    OTHER = "其他"


class GroupStage(StrEnum):
    """The stages of MZ/T 095, in order."""

    PREPARATION = "筹备"
    FORMING = "形成"
    TRANSITION = "转折"
    MATURE = "成熟"
    ENDING = "结束"


GROUP_STAGES: tuple[str, ...] = tuple(s.value for s in GroupStage)


@dataclass
class GroupInput:
    """A group's plan as typed (小组计划书)."""

    name: str
    group_type: str
    start_date: date | None
    facilitator_id: uuid.UUID | None = None
    community_id: uuid.UUID | None = None
    stage: str = GroupStage.PREPARATION.value
    end_date: date | None = None
    goal: str = ""
    target_members: str = ""
    recruitment: str = ""
    planned_sessions: int = 6
    closing_evaluation: str = ""


@dataclass(frozen=True)
class CleanGroup:
    name: str
    group_type: str
    start_date: date
    facilitator_id: uuid.UUID | None
    community_id: uuid.UUID | None
    stage: str
    end_date: date | None
    goal: str
    target_members: str
    recruitment: str
    planned_sessions: int
    closing_evaluation: str


def clean_group(data: GroupInput, *, today: date | None = None) -> CleanGroup:
    """Validate a group; a group at 结束 needs its end date and closing evaluation."""
    today = today or today_local()
    name = limited(data.name, NAME_MAX, "小组名称", "name", required=True)
    group_type = choice(data.group_type, [t.value for t in GroupType], "小组类型", "group_type")
    stage = choice(data.stage, GROUP_STAGES, "小组阶段", "stage")
    if data.start_date is None:
        raise ValidationError("请填写小组开始日期。", field="start_date")
    if data.start_date.year < 2000:
        raise ValidationError(
            f"开始日期 {data.start_date.isoformat()} 早于 2000 年，请检查。", field="start_date"
        )
    end = data.end_date
    if end is not None:
        check_day(end, "结束日期", "end_date", today=today)
        if end < data.start_date:
            raise ValidationError(
                f"结束日期 {end.isoformat()} 早于开始日期 {data.start_date.isoformat()}。",
                field="end_date",
            )
    if not 1 <= data.planned_sessions <= MAX_SESSIONS:
        raise ValidationError(
            f"计划节数应在 1 到 {MAX_SESSIONS} 之间，当前为 {data.planned_sessions}。",
            field="planned_sessions",
        )
    closing = limited(data.closing_evaluation, MAX_TEXT, "结束评估", "closing_evaluation")
    if stage == GroupStage.ENDING.value:
        if end is None:
            raise ValidationError("小组进入“结束”阶段时请填写结束日期。", field="end_date")
        if not closing:
            raise ValidationError(
                "小组进入“结束”阶段时请填写结束评估（小组总结）。", field="closing_evaluation"
            )
    return CleanGroup(
        name=name,
        group_type=group_type,
        start_date=data.start_date,
        facilitator_id=data.facilitator_id,
        community_id=data.community_id,
        stage=stage,
        end_date=end,
        goal=limited(data.goal, MAX_TEXT, "小组目标", "goal"),
        target_members=limited(data.target_members, MAX_TEXT, "目标组员", "target_members"),
        recruitment=limited(data.recruitment, MAX_TEXT, "招募方式", "recruitment"),
        planned_sessions=data.planned_sessions,
        closing_evaluation=closing,
    )


@dataclass
class SessionInput:
    """A session as typed: ``attendance`` maps each member's resident id to present or not
    (members left out are recorded as absent)."""

    number: int
    held_on: date | None
    topic: str
    duration_minutes: int = 90
    record: str = ""
    evaluation: str = ""
    attendance: Mapping[uuid.UUID, bool] = field(default_factory=dict)


@dataclass(frozen=True)
class CleanSession:
    number: int
    held_on: date
    topic: str
    duration_minutes: int
    record: str
    evaluation: str
    attendance: dict[uuid.UUID, bool]


def clean_session(
    data: SessionInput,
    *,
    group_start: date,
    group_end: date | None = None,
    today: date | None = None,
) -> CleanSession:
    """Validate a session on its own; numbers and membership are checked by the service."""
    today = today or today_local()
    if not 1 <= data.number <= MAX_SESSIONS:
        raise ValidationError(
            f"节次应在 1 到 {MAX_SESSIONS} 之间，当前为 {data.number}。", field="number"
        )
    held = check_day(data.held_on, "活动日期", "held_on", today=today)
    if held < group_start:
        raise ValidationError(
            f"第 {data.number} 节的日期 {held.isoformat()} 早于小组开始日期 "
            f"{group_start.isoformat()}。",
            field="held_on",
        )
    if group_end is not None and held > group_end:
        raise ValidationError(
            f"第 {data.number} 节的日期 {held.isoformat()} 晚于小组结束日期 "
            f"{group_end.isoformat()}。",
            field="held_on",
        )
    return CleanSession(
        number=data.number,
        held_on=held,
        topic=limited(data.topic, TOPIC_MAX, "本节主题", "topic", required=True),
        duration_minutes=minutes(data.duration_minutes, "本节时长"),
        record=limited(data.record, MAX_TEXT, "活动记录", "record"),
        evaluation=limited(data.evaluation, MAX_TEXT, "本节评估", "evaluation"),
        attendance=dict(data.attendance),
    )
