"""Service-record search for lists and exports: filters and keyset pages, newest first.

The order is (served_on, id) descending, read from ``ix_service_record_station_day``
(station, deleted_at, served_on, id), so a month of records is one index range and a page
costs the same at any depth. Text matches the resident's name or pinyin initials (prefix),
the worker's name (prefix) or the content (substring).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal, or_, select, tuple_
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.residents.models import Resident
from wushe_desktop.residents.search_plan import next_prefix
from wushe_desktop.service_records.models import ServiceRecord
from wushe_desktop.service_records.rows import (
    ServiceRecordRow,
    build_rows,
    row_select,
    station_term,
)

__all__ = ["Cursor", "Page", "ServiceRecordQuery", "count", "iter_rows", "search", "where"]

MAX_LIMIT = 1000


@dataclass(frozen=True)
class ServiceRecordQuery:
    """What the list shows; every filter is optional."""

    text: str = ""
    worker_id: uuid.UUID | None = None
    service_type: str | None = None
    community_id: uuid.UUID | None = None
    date_from: date | None = None
    date_to: date | None = None  # inclusive
    resident_id: uuid.UUID | None = None
    deleted: bool = False  # True: the recycle bin
    source_type: str | None = None
    highlight_only: bool = False


@dataclass(frozen=True)
class Cursor:
    """A keyset position: (served_on, id) of a row."""

    served_on: date
    id: uuid.UUID


@dataclass(frozen=True)
class Page:
    rows: list[ServiceRecordRow]
    next_cursor: Cursor | None


def _prefix(column: Any, text: str) -> ColumnElement[bool]:
    upper = next_prefix(text)
    cond = column >= text
    return and_(cond, column < upper) if upper is not None else cond


def _text_terms(text: str) -> ColumnElement[bool] | None:
    text = text.strip()
    if not text:
        return None
    terms: list[ColumnElement[bool]] = []
    if text.isascii() and text.isalpha():
        terms.append(_prefix(Resident.py_initials, text.lower()))
        terms.append(_prefix(Resident.py_full, text.lower()))
    else:
        terms.append(_prefix(Resident.name, text))
        terms.append(_prefix(ServiceRecord.worker_name, text))
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    terms.append(ServiceRecord.content.like(f"%{escaped}%", escape="\\"))
    return or_(*terms)


def where(
    actor: Actor, query: ServiceRecordQuery, session: Session | None = None
) -> list[ColumnElement[bool]]:
    """The WHERE terms of a query (statements must outer-join ``Resident`` for text).

    With a resident filter (and a session) the station term is kept off the index, so
    the resident's own index drives the query.
    """
    actor.require(Resource.SERVICE, Action.READ)
    conds: list[ColumnElement[bool]] = []
    if not actor.is_district:
        if query.resident_id is not None and session is not None:
            conds.append(station_term(session, actor.station_id))
        else:
            conds.append(ServiceRecord.station_id == actor.station_id)
    conds.append(
        ServiceRecord.deleted_at.is_not(None)
        if query.deleted
        else ServiceRecord.deleted_at.is_(None)
    )
    if query.date_from is not None:
        conds.append(ServiceRecord.served_on >= query.date_from)
    if query.date_to is not None:
        conds.append(ServiceRecord.served_on <= query.date_to)
    if query.worker_id is not None:
        conds.append(ServiceRecord.worker_id == query.worker_id)
    if query.service_type:
        conds.append(ServiceRecord.service_type == query.service_type)
    if query.community_id is not None:
        conds.append(ServiceRecord.community_id == query.community_id)
    if query.resident_id is not None:
        conds.append(ServiceRecord.resident_id == query.resident_id)
    if query.source_type is not None:
        conds.append(ServiceRecord.source_type == query.source_type)
    if query.highlight_only:
        conds.append(ServiceRecord.is_highlight.is_(True))
    text = _text_terms(query.text)
    if text is not None:
        conds.append(text)
    return conds


_ORDER = (ServiceRecord.served_on.desc(), ServiceRecord.id.desc())


def _after(cursor: Cursor) -> ColumnElement[bool]:
    key = tuple_(ServiceRecord.served_on, ServiceRecord.id)
    value = tuple_(
        literal(cursor.served_on, ServiceRecord.served_on.type),
        literal(cursor.id, ServiceRecord.id.type),
    )
    return key < value


def search(
    session: Session,
    actor: Actor,
    query: ServiceRecordQuery,
    *,
    after: Cursor | None = None,
    limit: int = 100,
) -> Page:
    """One page of rows, newest first; ``after`` continues from a row."""
    limit = max(1, min(limit, MAX_LIMIT))
    conds = where(actor, query, session)
    if after is not None:
        conds.append(_after(after))
    stmt = row_select().where(*conds).order_by(*_ORDER).limit(limit + 1)
    results = session.execute(stmt).all()
    more = len(results) > limit
    rows = build_rows(session, actor, results[:limit])
    last = rows[-1] if rows else None
    return Page(rows, Cursor(last.served_on, last.id) if more and last else None)


def _count_stmt(query: ServiceRecordQuery, conds: list[ColumnElement[bool]]) -> Select[Any]:
    stmt = select(func.count()).select_from(ServiceRecord)
    if query.text.strip():
        stmt = stmt.outerjoin(Resident, Resident.id == ServiceRecord.resident_id)
    return stmt.where(*conds)


def count(session: Session, actor: Actor, query: ServiceRecordQuery) -> int:
    """Number of records the query matches (the list's row count)."""
    return int(session.scalar(_count_stmt(query, where(actor, query, session))) or 0)


def iter_rows(
    session: Session, actor: Actor, query: ServiceRecordQuery, *, chunk: int = 1000
) -> Iterator[list[ServiceRecordRow]]:
    """Every matching row in list order, a chunk at a time (exports)."""
    cursor: Cursor | None = None
    while True:
        page = search(session, actor, query, after=cursor, limit=chunk)
        if page.rows:
            yield page.rows
        if page.next_cursor is None:
            return
        cursor = page.next_cursor
