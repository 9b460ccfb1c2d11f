"""What a valid visit record is; shared by the form, the services and the demo."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
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

__all__ = ["CleanVisit", "VisitInput", "VisitMode", "VisitorKind", "clean_visit"]

VISITOR_NAME_MAX = 50


class VisitMode(StrEnum):
    HOME = "入户"
    PHONE = "电话"
    VIDEO = "视频"
    OTHER = "其他"


class VisitorKind(StrEnum):
    WORKER = "社工"  # a staff account (visitor_user_id)
    GRID_WORKER = "网格员"
    VOLUNTEER = "志愿者"  # by name until the volunteers room links volunteers
    OTHER = "其他"


@dataclass
class VisitInput:
    """A visit as typed in the form."""

    resident_id: uuid.UUID | None
    visited_on: date | None
    mode: str = VisitMode.HOME.value
    visitor_kind: str = VisitorKind.WORKER.value
    visitor_user_id: uuid.UUID | None = None
    visitor_name: str = ""
    duration_minutes: int = 30
    findings: str = ""
    risk_found: bool = False
    risk_description: str = ""
    follow_up_needed: bool = False


@dataclass(frozen=True)
class CleanVisit:
    resident_id: uuid.UUID
    visited_on: date
    mode: str
    visitor_kind: str
    visitor_user_id: uuid.UUID | None
    visitor_name: str
    duration_minutes: int
    findings: str
    risk_found: bool
    risk_description: str
    follow_up_needed: bool


def clean_visit(data: VisitInput, *, today: date | None = None) -> CleanVisit:
    """Validate one visit; ``ValidationError`` names the field of the first problem."""
    today = today or today_local()
    if data.resident_id is None:
        raise ValidationError("请选择探访对象。", field="resident_id")
    visited_on = check_day(data.visited_on, "探访日期", "visited_on", today=today)
    mode = choice(data.mode, [m.value for m in VisitMode], "探访方式", "mode")
    kind = choice(data.visitor_kind, [k.value for k in VisitorKind], "探访人类别", "visitor_kind")
    name = limited(data.visitor_name, VISITOR_NAME_MAX, "探访人姓名", "visitor_name")
    user_id = data.visitor_user_id
    if kind == VisitorKind.WORKER.value:
        if user_id is None:
            raise ValidationError("请选择探访的社工（工作人员）。", field="visitor_user_id")
        name = ""
    else:
        user_id = None
        if not name:
            raise ValidationError(f"请填写{kind}的姓名。", field="visitor_name")
    findings = limited(data.findings, MAX_TEXT, "探访发现", "findings")
    risk = limited(data.risk_description, MAX_TEXT, "风险描述", "risk_description")
    if data.risk_found and not risk:
        raise ValidationError("发现风险时请描述风险情况。", field="risk_description")
    return CleanVisit(
        resident_id=data.resident_id,
        visited_on=visited_on,
        mode=mode,
        visitor_kind=kind,
        visitor_user_id=user_id,
        visitor_name=name,
        duration_minutes=minutes(data.duration_minutes, "探访时长"),
        findings=findings,
        risk_found=data.risk_found,
        risk_description=risk if data.risk_found else "",
        follow_up_needed=data.follow_up_needed,
    )
