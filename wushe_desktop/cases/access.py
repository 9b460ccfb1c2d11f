"""Who may see and change a case (issue 4, privacy).

* Everyone with the case-read grant sees that a resident has a case, its stage and who
  holds it (the list).
* The content (records, interventions, referrals, attachments, timeline) is for the case's
  worker, the director and the supervisor role; anyone else gets ``PermissionDenied``.
* Changing a case is for its worker and the director; the supervisor reviews.
* Cases of minors (under 18 on the day) are marked; exports and printouts mask their
  content unless the director makes them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource, Role
from wushe_desktop.cases.models import Case
from wushe_desktop.domain.dates import age_on
from wushe_desktop.infra.errors import ConflictError, NotFound, PermissionDenied
from wushe_desktop.residents.models import Resident

RECORD_TYPE = "case"
CONTENT_ROLES = frozenset({Role.DIRECTOR, Role.SUPERVISOR})


def is_minor(birth_date: date | None, today: date | None = None) -> bool:
    return birth_date is not None and age_on(birth_date, today or date.today()) < 18


def load_case(session: Session, actor: Actor, case_id: uuid.UUID) -> Case:
    """The case (deleted ones too), or ``NotFound``; refuses another station's case."""
    actor.require(Resource.CASE, Action.READ)
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound("未找到该个案，可能已被彻底删除。")
    actor.require_station(case.station_id)
    return case


def can_read_content(actor: Actor, case: Case) -> bool:
    if not actor.can(Resource.CASE, Action.READ):
        return False
    return actor.role in CONTENT_ROLES or (
        actor.user_id is not None and actor.user_id == case.worker_id
    )


def require_content(actor: Actor, case: Case) -> None:
    if not can_read_content(actor, case):
        holder = case.worker_name or "未指定社工"
        raise PermissionDenied(
            f"个案 {case.case_no} 由{holder}负责，个案内容仅负责社工、站长和督导可以查看。"
        )


def require_write(actor: Actor, case: Case) -> None:
    """Change the case: its worker (with the case-update grant) or the director."""
    actor.require(Resource.CASE, Action.UPDATE)
    if case.deleted_at is not None:
        raise ConflictError(f"个案 {case.case_no} 在回收站中，请先恢复再修改。")
    if actor.role is Role.DIRECTOR:
        return
    if actor.user_id is None or actor.user_id != case.worker_id:
        holder = case.worker_name or "未指定社工"
        raise PermissionDenied(f"个案 {case.case_no} 由{holder}负责，只有负责社工和站长可以修改。")


def readable_case_ids(session: Session, actor: Actor, ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """The ids among ``ids`` whose content the actor may read (service-record read guard)."""
    wanted = set(ids)
    if not wanted or not actor.can(Resource.CASE, Action.READ):
        return set()
    if actor.role in CONTENT_ROLES:
        return wanted
    if actor.user_id is None:
        return set()
    stmt = select(Case.id).where(Case.id.in_(wanted), Case.worker_id == actor.user_id)
    return set(session.scalars(stmt))


def require_case_record_write(session: Session, actor: Actor, case_id: uuid.UUID) -> None:
    """Service-record write guard: records of a case are written by whoever may change it."""
    require_write(actor, load_case(session, actor, case_id))


def resident_of(session: Session, case: Case) -> Resident:
    resident = session.get(Resident, case.resident_id)
    assert resident is not None  # foreign key
    return resident
