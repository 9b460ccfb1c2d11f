"""Interventions (介入): the case's dated services, kept as service records of the case.

A record names the case's resident (1 人次); family members who are residents and were
served too may be added (one more record each), so 服务人次 and 服务人数 stay true.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.cases.access import load_case, require_content, require_write
from wushe_desktop.cases.constants import CLOSED_STAGES, INTERVENTION_TYPES
from wushe_desktop.infra.errors import ConflictError, ValidationError
from wushe_desktop.service_records.rows import ServiceRecordRow
from wushe_desktop.service_records.service import (
    ServiceRecordInput,
    add_service_record,
    records_for_source,
)


@dataclass(frozen=True)
class InterventionInput:
    served_on: date
    service_type: str  # 个案服务 / 探访 / 咨询 / 电话回访
    duration_minutes: int
    content: str
    also_served: Sequence[uuid.UUID] = field(default_factory=tuple)  # family residents
    is_highlight: bool = False


def add_intervention(
    session: Session,
    actor: Actor,
    case_id: uuid.UUID,
    data: InterventionInput,
    *,
    allow_closed: bool = False,
) -> ServiceRecordRow:
    """Record one service given in the case (any open stage; follow-ups after closure)."""
    case = load_case(session, actor, case_id)
    require_write(actor, case)
    if case.stage in CLOSED_STAGES and not allow_closed:
        raise ConflictError(f"个案 {case.case_no} 已结案；结案后的联系请记录为回访。")
    if data.service_type not in INTERVENTION_TYPES:
        raise ValidationError(
            f"个案服务记录的类型应为 {'、'.join(INTERVENTION_TYPES)} 之一。", field="service_type"
        )
    if data.served_on < case.opened_on:
        raise ValidationError(
            f"服务日期早于接案日期 {case.opened_on.isoformat()}，请检查。", field="served_on"
        )
    if not data.content.strip():
        raise ValidationError("请填写服务内容。", field="content")
    base = ServiceRecordInput(
        served_on=data.served_on,
        service_type=data.service_type,
        duration_minutes=data.duration_minutes,
        content=data.content,
        worker_id=case.worker_id,
        resident_id=case.resident_id,
        source_type="case",
        source_id=case.id,
        is_highlight=data.is_highlight,
    )
    row = add_service_record(session, actor, base)
    for other in dict.fromkeys(data.also_served):
        if other != case.resident_id:
            add_service_record(
                session,
                actor,
                ServiceRecordInput(
                    served_on=data.served_on,
                    service_type=data.service_type,
                    duration_minutes=data.duration_minutes,
                    content=data.content,
                    worker_id=case.worker_id,
                    resident_id=other,
                    source_type="case",
                    source_id=case.id,
                ),
            )
    return row


def interventions(session: Session, actor: Actor, case_id: uuid.UUID) -> list[ServiceRecordRow]:
    """The case's service records, oldest first (content readers only)."""
    case = load_case(session, actor, case_id)
    require_content(actor, case)
    return records_for_source(session, actor, "case", case.id)
