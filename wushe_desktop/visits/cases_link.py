"""A finding opens a case: the hook from a visit to the casework room.

The case package is imported only when the hook runs, so visits work (and test) without it.
The case starts at 接案 with source 主动发现 on the visit's day; the visit remembers it.
"""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.infra.errors import ConflictError, WusheError
from wushe_desktop.residents.models import Resident
from wushe_desktop.visits.models import Visit
from wushe_desktop.visits.service import RECORD_TYPE, load_visit

__all__ = ["CASE_SOURCE", "cases_available", "open_case_from_visit"]

CASE_SOURCE = "主动发现"  # cases.constants.CaseSource.OUTREACH
_CASES = "wushe_desktop.cases.service"


def cases_available() -> bool:
    """Whether the casework room is installed (the GUI shows 转为个案 only then)."""
    try:
        importlib.import_module(_CASES)
    except ModuleNotFoundError:
        return False
    return True


def open_case_from_visit(
    session: Session,
    actor: Actor,
    visit_id: uuid.UUID,
    *,
    problem_areas: Sequence[str],
    risk_level: str | None = None,
    worker_id: uuid.UUID | None = None,
) -> Any:
    """Open a case for the visited resident (``cases.service.create_case``) and link it.

    ``risk_level`` defaults to 高 when the visit found a risk, else 中. Returns the case row.
    A resident who already has an open case is refused by the case room with its number.
    """
    actor.require(Resource.SERVICE, Action.UPDATE)
    actor.require(Resource.CASE, Action.CREATE)
    visit = load_visit(session, actor, visit_id)
    if visit.deleted_at is not None:
        raise ConflictError("该探访记录在回收站中，请先恢复。")
    if visit.case_id is not None:
        raise ConflictError("这次探访已经转为个案，请在个案中继续服务。")
    try:
        cases = importlib.import_module(_CASES)
    except ModuleNotFoundError:
        raise WusheError("本程序未安装个案管理功能，无法从探访转为个案。") from None
    data = cases.CaseInput(
        resident_id=visit.resident_id,
        source=CASE_SOURCE,
        problem_areas=tuple(problem_areas),
        risk_level=risk_level or ("高" if visit.risk_found else "中"),
        opened_on=visit.visited_on,
        worker_id=worker_id,
    )
    case = cases.create_case(session, actor, data)
    _link(session, actor, visit, case.id, getattr(case, "case_no", ""))
    return case


def _link(session: Session, actor: Actor, visit: Visit, case_id: uuid.UUID, case_no: str) -> None:
    visit.case_id = case_id
    session.flush()
    resident = session.get(Resident, visit.resident_id)
    audit.record(
        session,
        actor,
        AuditAction.UPDATE,
        record_type=RECORD_TYPE,
        record_id=visit.id,
        label=f"{visit.visited_on.isoformat()} 探访 {resident.name if resident else ''}",
        detail=f"由探访发现转为个案 {case_no}".strip(),
        station_id=visit.station_id,
    )
