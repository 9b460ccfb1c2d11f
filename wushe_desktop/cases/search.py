"""Case list search: filters and keyset pages (newest intake first).

Lists show no content, so every role with the case-read grant may search them. The
"overdue" filter matches the reminder rules (``reminders.py``) in SQL.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, literal, or_, select, tuple_
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.cases.constants import OPEN_STAGES, RecordKind, RiskLevel, Stage
from wushe_desktop.cases.models import Case, CaseRecord, CaseTask
from wushe_desktop.cases.reminders import ANY_CASE_DAYS, HIGH_RISK_DAYS
from wushe_desktop.cases.rows import CaseRow, build_rows, row_select
from wushe_desktop.residents.models import Resident
from wushe_desktop.residents.search_plan import next_prefix
from wushe_desktop.service_records.models import ServiceRecord

__all__ = ["CaseCursor", "CasePage", "CaseQuery", "count", "iter_rows", "search"]

MAX_LIMIT = 1000


@dataclass(frozen=True)
class CaseQuery:
    text: str = ""  # case number, resident name or pinyin initials (prefix)
    worker_id: uuid.UUID | None = None
    stage: str | None = None  # a Stage value, or "在案" (any open stage) / "已结案"
    risk_level: str | None = None
    community_id: uuid.UUID | None = None
    opened_from: date | None = None
    opened_to: date | None = None
    overdue: bool = False
    minors_only: bool = False
    deleted: bool = False
    today: date | None = None  # for the overdue and minors filters (tests)


OPEN_FILTER = "在案"
CLOSED_FILTER = "已结案"


@dataclass(frozen=True)
class CaseCursor:
    opened_on: date
    id: uuid.UUID


@dataclass(frozen=True)
class CasePage:
    rows: list[CaseRow]
    next_cursor: CaseCursor | None


def _prefix(column: Any, text: str) -> ColumnElement[bool]:
    upper = next_prefix(text)
    return and_(column >= text, column < upper) if upper is not None else column >= text


def _overdue(today: date) -> ColumnElement[bool]:
    def no_service_since(cutoff: date) -> ColumnElement[bool]:
        return and_(
            Case.opened_on <= cutoff,
            ~exists().where(
                ServiceRecord.source_id == Case.id,
                ServiceRecord.source_type == "case",
                ServiceRecord.deleted_at.is_(None),
                ServiceRecord.served_on > cutoff,
            ),
        )

    high = Case.risk_level == RiskLevel.HIGH.value
    gap = and_(
        Case.stage.in_(OPEN_STAGES),
        or_(
            and_(high, no_service_since(today - timedelta(days=HIGH_RISK_DAYS))),
            and_(~high, no_service_since(today - timedelta(days=ANY_CASE_DAYS))),
        ),
    )
    follow = exists().where(
        CaseRecord.case_id == Case.id,
        CaseRecord.kind == RecordKind.FOLLOW_UP.value,
        CaseRecord.deleted_at.is_(None),
        CaseRecord.done_on.is_(None),
        CaseRecord.due_on < today,
    )
    plan = and_(
        Case.stage.in_((Stage.PLAN.value, Stage.INTERVENTION.value)),
        exists().where(
            CaseRecord.case_id == Case.id,
            CaseRecord.kind == RecordKind.PLAN.value,
            CaseRecord.deleted_at.is_(None),
            CaseRecord.due_on < today,
        ),
    )
    task = and_(
        Case.stage.in_(OPEN_STAGES),
        exists().where(
            CaseTask.case_id == Case.id,
            CaseTask.deleted_at.is_(None),
            CaseTask.done_on.is_(None),
            CaseTask.due_on < today,
        ),
    )
    return or_(gap, follow, plan, task)


def where(actor: Actor, query: CaseQuery) -> list[ColumnElement[bool]]:
    """WHERE terms (statements must join ``Resident``)."""
    actor.require(Resource.CASE, Action.READ)
    today = query.today or date.today()
    conds: list[ColumnElement[bool]] = []
    if not actor.is_district:
        conds.append(Case.station_id == actor.station_id)
    conds.append(Case.deleted_at.is_not(None) if query.deleted else Case.deleted_at.is_(None))
    if query.stage:
        conds.append(_stage(query.stage))
    if query.worker_id is not None:
        conds.append(Case.worker_id == query.worker_id)
    if query.risk_level:
        conds.append(Case.risk_level == query.risk_level)
    if query.community_id is not None:
        conds.append(Resident.community_id == query.community_id)
    if query.opened_from is not None:
        conds.append(Case.opened_on >= query.opened_from)
    if query.opened_to is not None:
        conds.append(Case.opened_on <= query.opened_to)
    if query.minors_only:
        conds.append(Resident.birth_date > _years_before(today, 18))
    if query.overdue:
        conds.append(_overdue(today))
    text = query.text.strip()
    if text:
        conds.append(_text(text))
    return conds


def _stage(stage: str) -> ColumnElement[bool]:
    if stage == OPEN_FILTER:
        return Case.stage.in_(OPEN_STAGES)
    if stage == CLOSED_FILTER:
        return Case.stage.in_((Stage.CLOSED.value, Stage.FOLLOW_UP.value))
    return Case.stage == stage


def _years_before(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _text(text: str) -> ColumnElement[bool]:
    terms = [_prefix(Case.case_no, text.upper()), _prefix(Resident.name, text)]
    if text.isascii() and text.isalpha():
        terms.append(_prefix(Resident.py_initials, text.lower()))
        terms.append(_prefix(Resident.py_full, text.lower()))
    return or_(*terms)


_ORDER = (Case.opened_on.desc(), Case.id.desc())


def search(
    session: Session,
    actor: Actor,
    query: CaseQuery,
    *,
    after: CaseCursor | None = None,
    limit: int = 100,
) -> CasePage:
    limit = max(1, min(limit, MAX_LIMIT))
    conds = where(actor, query)
    if after is not None:
        conds.append(
            tuple_(Case.opened_on, Case.id)
            < tuple_(literal(after.opened_on, Case.opened_on.type), literal(after.id, Case.id.type))
        )
    results = session.execute(row_select().where(*conds).order_by(*_ORDER).limit(limit + 1)).all()
    rows = build_rows(session, actor, results[:limit], today=query.today)
    more = len(results) > limit
    last = rows[-1] if rows else None
    return CasePage(rows, CaseCursor(last.opened_on, last.id) if more and last else None)


def _count_stmt(conds: list[ColumnElement[bool]]) -> Select[Any]:
    return (
        select(func.count())
        .select_from(Case)
        .join(Resident, Resident.id == Case.resident_id)
        .where(*conds)
    )


def count(session: Session, actor: Actor, query: CaseQuery) -> int:
    return int(session.scalar(_count_stmt(where(actor, query))) or 0)


def iter_rows(
    session: Session, actor: Actor, query: CaseQuery, *, chunk: int = 500
) -> Iterator[list[CaseRow]]:
    cursor: CaseCursor | None = None
    while True:
        page = search(session, actor, query, after=cursor, limit=chunk)
        if page.rows:
            yield page.rows
        if page.next_cursor is None:
            return
        cursor = page.next_cursor
