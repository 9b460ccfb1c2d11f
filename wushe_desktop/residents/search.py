"""Resident search for lists: prefix search, filters, and keyset pages in both directions.

Text is classified by ``query_kind``: digits search ID number and phone, letters the pinyin
keys (initials, full pinyin, and the other reading of a surname), hanzi the name — always
by prefix, through an index (``search_plan.py`` says how).

A lazy list model uses ``count`` for its size, ``search`` for the first page, the page
after or before a cursor, and the last page (``from_end``), and ``page_at`` for a jump to
any row (a scroll-bar drag). Every page is one query for the rows plus one for their
tags, and costs the same at any depth. Rows are masked (no full ID or phone in lists).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, func, literal, select, tuple_
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.residents.models import Resident
from wushe_desktop.residents.rows import ResidentRow, build_rows, row_select
from wushe_desktop.residents.search_plan import (
    Plan,
    Scope,
    SortKey,
    conditions,
    make_scope,
    offset_plan,
    plan_for,
    text_terms,
)
from wushe_desktop.stations.models import Community

__all__ = [
    "Cursor",
    "Page",
    "ResidentQuery",
    "SortKey",
    "count",
    "page_at",
    "search",
    "text_terms",
    "where_and_order",
]

MAX_LIMIT = 1000


@dataclass(frozen=True)
class ResidentQuery:
    """What the list shows: search text, filters, sort, and live list or recycle bin."""

    text: str = ""
    community_id: uuid.UUID | None = None
    grid_id: uuid.UUID | None = None
    tag: str | None = None  # a tag code, e.g. "elderly_alone" or "custom:党员"
    sort: SortKey = "name"
    descending: bool = False
    deleted: bool = False  # True: the recycle bin


@dataclass(frozen=True)
class Cursor:
    """A keyset position: a row's sort value(s), then its id.

    name: (full pinyin, name, id); birth_date: (birth date or None, id); updated_at: (updated_at, id);
    community: (community name, name, id).
    """

    values: tuple[object, ...]


@dataclass(frozen=True)
class Page:
    """Rows in display order; a cursor is None when nothing lies beyond that edge."""

    rows: list[ResidentRow]
    next_cursor: Cursor | None
    prev_cursor: Cursor | None
    keys: list[Cursor] = field(default_factory=list, repr=False)  # each row's cursor


# --------------------------------------------------------------------------- sort order


@dataclass(frozen=True)
class _Segment:
    """A stretch of the ascending order that one index range serves. Only the birth-date
    order has two: known dates, then unknown ones (NULL cannot take part in a keyset
    comparison, and SQLite and PostgreSQL disagree on where NULL sorts)."""

    cond: ColumnElement[bool] | None
    exprs: list[Any]
    null_head: bool = False  # the cursor's first value is None and not compared

    def holds(self, cursor: Cursor) -> bool:
        return (cursor.values[0] is None) == self.null_head

    def key(self, cursor: Cursor) -> tuple[object, ...]:
        return cursor.values[1:] if self.null_head else cursor.values

    def cursor(self, values: Sequence[object]) -> Cursor:
        return Cursor((None, *values) if self.null_head else tuple(values))


def _segments(plan: Plan, sort: SortKey) -> list[_Segment]:
    """The ascending order as segments; hidden from every index unless the plan walks it."""

    def k(column: Any) -> Any:
        return plan.keep(column, plan.walk)

    rid = k(Resident.id)
    if sort == "name":  # pinyin order (李 before 张); equal readings by name, then id
        return [_Segment(None, [k(Resident.py_full), k(Resident.name), rid])]
    if sort == "updated_at":
        return [_Segment(None, [k(Resident.updated_at), rid])]
    if sort == "community":
        return [_Segment(None, [k(Community.name), k(Resident.name), rid])]
    birth = k(Resident.birth_date)
    return [
        _Segment(Resident.birth_date.is_not(None), [birth, rid]),
        _Segment(Resident.birth_date.is_(None), [rid], null_head=True),
    ]


def _key_width(sort: SortKey) -> int:
    return 3 if sort in ("community", "name") else 2


def _row_key(sort: SortKey, row: Any) -> Cursor:
    if sort == "name":
        return Cursor((row.py_full, row.name, row.id))
    if sort == "birth_date":
        return Cursor((row.birth_date, row.id))
    if sort == "updated_at":
        return Cursor((row.updated_at, row.id))
    return Cursor((row.community_name, row.name, row.id))


def _beyond(
    exprs: Sequence[Any], key: Sequence[object], greater: bool, *, inclusive: bool = False
) -> ColumnElement[bool]:
    """Rows after (``greater``) or before ``key`` in the segment's (sort keys, id) order."""
    values = [literal(v, e.type) for v, e in zip(key, exprs, strict=True)]
    left, right = tuple_(*exprs), tuple_(*values)
    if inclusive:
        return left >= right if greater else left <= right
    return left > right if greater else left < right


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class _Query:
    """A planned query: its WHERE terms and its order as segments."""

    plan: Plan
    conds: list[ColumnElement[bool]]
    segments: list[_Segment]
    sort: SortKey
    descending: bool

    def walk_order(self, backward: bool) -> tuple[list[_Segment], bool]:
        """Segments in reading order and whether each is read descending."""
        desc = self.descending != backward
        return (list(reversed(self.segments)) if desc else list(self.segments)), desc


def _prepare(session: Session, actor: Actor, query: ResidentQuery) -> _Query:
    actor.require(Resource.RESIDENT, Action.READ)
    scope = _scope(session, actor, query)
    plan, conds = plan_for(session, scope, query.sort)
    return _Query(plan, conds, _segments(plan, query.sort), query.sort, query.descending)


def _scope(session: Session, actor: Actor, query: ResidentQuery) -> Scope:
    return make_scope(
        session,
        actor,
        text=query.text,
        community_id=query.community_id,
        grid_id=query.grid_id,
        tag=query.tag,
        deleted=query.deleted,
    )


def _read(
    session: Session,
    q: _Query,
    cursor: Cursor | None,
    *,
    backward: bool,
    limit: int,
    inclusive: bool = False,
) -> list[Row[Any]]:
    """Up to ``limit`` rows from the cursor on, in reading order, across segments."""
    segments, desc = q.walk_order(backward)
    found: list[Row[Any]] = []
    started = cursor is None
    for seg in segments:
        conds = list(q.conds)
        if seg.cond is not None:
            conds.append(seg.cond)
        if not started:
            assert cursor is not None
            if not seg.holds(cursor):
                continue  # the cursor lies further on
            key = seg.key(cursor)
            conds.append(_beyond(seg.exprs, key, greater=not desc, inclusive=inclusive))
            started = True
        order = [e.desc() if desc else e.asc() for e in seg.exprs]
        found.extend(session.execute(_page_select(q, conds, order, limit - len(found))).all())
        if len(found) >= limit:
            break
    return found


def _page_select(
    q: _Query, conds: list[ColumnElement[bool]], order: list[Any], limit: int
) -> Select[Any]:
    """A page's rows. A walk reads them in index order and stops at ``limit``. A driven
    plan sorts every match (5,555 for 王): the sort then takes only the keys, which the
    driving index holds (migration 0009), and the page's rows are fetched by id afterwards
    rather than reading every match's row from the table (8.5 ms → 1 ms)."""
    if not q.plan.sqlite or q.plan.walk:
        return row_select().where(*conds).order_by(*order).limit(limit)
    keys = select(Resident.id).select_from(Resident)
    if q.sort == "community":
        keys = keys.join(Community, Community.id == Resident.community_id)
    keys = keys.where(*conds).order_by(*order).limit(limit)
    return row_select().where(Resident.id.in_(keys.scalar_subquery())).order_by(*order)


def _page(
    session: Session, q: _Query, results: list[Row[Any]], limit: int, *, backward: bool
) -> tuple[list[ResidentRow], list[Cursor], bool]:
    more = len(results) > limit
    results = results[:limit]
    if backward:
        results.reverse()
    return build_rows(session, results), [_row_key(q.sort, r) for r in results], more


def _check_cursor(sort: SortKey, cursor: Cursor | None) -> None:
    if cursor is not None and len(cursor.values) != _key_width(sort):
        raise ValueError("cursor does not belong to this sort order")


def search(
    session: Session,
    actor: Actor,
    query: ResidentQuery,
    *,
    after: Cursor | None = None,
    before: Cursor | None = None,
    limit: int = 100,
    from_end: bool = False,
) -> Page:
    """One page of masked rows in display order.

    No cursor: the first page (the last with ``from_end``). ``after``: the page that
    follows that row; ``before``: the page that precedes it.
    """
    if after is not None and before is not None:
        raise ValueError("give after or before, not both")
    _check_cursor(query.sort, after or before)
    limit = max(1, min(limit, MAX_LIMIT))
    q = _prepare(session, actor, query)
    backward = before is not None or (from_end and after is None)
    results = _read(session, q, before if backward else after, backward=backward, limit=limit + 1)
    rows, keys, more = _page(session, q, results, limit, backward=backward)
    if backward:
        has_prev, has_next = more, before is not None
    else:
        has_prev, has_next = after is not None, more
    return Page(
        rows=rows,
        next_cursor=keys[-1] if keys and has_next else None,
        prev_cursor=keys[0] if keys and has_prev else None,
        keys=keys,
    )


def count(session: Session, actor: Actor, query: ResidentQuery) -> int:
    """Number of residents the query matches (the list's row count)."""
    actor.require(Resource.RESIDENT, Action.READ)
    _plan, conds = plan_for(session, _scope(session, actor, query), None)
    stmt = select(func.count()).select_from(Resident).where(*conds)
    return int(session.scalar(stmt) or 0)


def _count_segment(session: Session, q: _Query, seg: _Segment) -> int:
    stmt = select(func.count()).select_from(Resident)
    if q.sort == "community":
        stmt = stmt.join(Community, Community.id == Resident.community_id)
    conds = [*q.conds, *([seg.cond] if seg.cond is not None else [])]
    return int(session.scalar(stmt.where(*conds)) or 0)


def _pinyin_key_at(session: Session, q: _Query, index: int, *, desc: bool) -> Cursor | None:
    """``_key_at`` for the walked pinyin order: the walked index holds ``py_full`` but not
    name and id, so skip along ``py_full`` alone (index-only), count the rows before that
    reading, and sort only the rows that share it."""
    seg = q.segments[0]
    py_full = seg.exprs[0]
    conds = [*q.conds, *([seg.cond] if seg.cond is not None else [])]
    first = py_full.desc() if desc else py_full.asc()
    stmt = select(py_full).select_from(Resident).where(*conds).order_by(first)
    reading = session.scalar(stmt.offset(index).limit(1))
    if reading is None:
        return None
    ahead = py_full > reading if desc else py_full < reading
    before = session.scalar(select(func.count()).select_from(Resident).where(*conds, ahead))
    # The reading's few rows come from the py_full index; hide the name index from the sort.
    rest = [q.plan.keep(e, False) for e in seg.exprs[1:]]
    rest = [e.desc() if desc else e.asc() for e in rest]
    stmt = select(*seg.exprs).select_from(Resident).where(*conds, py_full == reading)
    row = session.execute(stmt.order_by(*rest).offset(index - int(before or 0)).limit(1)).first()
    return Cursor(tuple(row)) if row is not None else None


def _key_at(session: Session, q: _Query, index: int, *, backward: bool) -> Cursor | None:
    """The cursor of the ``index``-th row in reading order, reading only the key columns
    (on a walked index that is an index-only scan with no joins per row)."""
    if q.sort == "name" and q.plan.walk:
        return _pinyin_key_at(session, q, index, desc=q.descending != backward)
    segments, desc = q.walk_order(backward)
    for n, seg in enumerate(segments):
        if n < len(segments) - 1:
            size = _count_segment(session, q, seg)
            if index >= size:
                index -= size
                continue
        stmt = select(*seg.exprs).select_from(Resident)
        if q.sort == "community":
            stmt = stmt.join(Community, Community.id == Resident.community_id)
        conds = [*q.conds, *([seg.cond] if seg.cond is not None else [])]
        order = [e.desc() if desc else e.asc() for e in seg.exprs]
        found = session.execute(stmt.where(*conds).order_by(*order).offset(index).limit(1))
        row = found.first()
        return seg.cursor(tuple(row)) if row is not None else None
    return None


def _finder(session: Session, actor: Actor, query: ResidentQuery, q: _Query) -> _Query:
    """The query that finds a page's first key: a filtered pinyin walk skips badly (see
    ``offset_plan``), so the jump drives by a filter; the page itself still walks."""
    if q.sort != "name" or not q.plan.walk:
        return q
    scope = _scope(session, actor, query)
    plan = offset_plan(session, scope)
    if plan is None:
        return q
    conds = conditions(plan, scope, q.sort)
    return _Query(plan, conds, _segments(plan, q.sort), q.sort, q.descending)


def page_at(
    session: Session,
    actor: Actor,
    query: ResidentQuery,
    offset: int,
    *,
    total: int,
    limit: int = 100,
) -> Page:
    """The page starting at row ``offset`` of about ``total`` rows (a scroll-bar jump).

    Finds that row's key from whichever end is nearer, then reads the page by keyset; the
    returned cursors continue with ``search(after=…/before=…)`` from there.
    """
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, min(offset, max(0, total - 1)))
    if offset == 0:
        return search(session, actor, query, limit=limit)
    q = _prepare(session, actor, query)
    from_end = offset > total // 2
    finder = _finder(session, actor, query, q)
    key = _key_at(session, finder, total - 1 - offset if from_end else offset, backward=from_end)
    if key is None:  # the list shrank since it was counted
        return search(session, actor, query, limit=limit, from_end=True)
    results = _read(session, q, key, backward=False, limit=limit + 1, inclusive=True)
    rows, keys, more = _page(session, q, results, limit, backward=False)
    return Page(
        rows=rows,
        next_cursor=keys[-1] if keys and more else None,
        prev_cursor=keys[0] if keys else None,
        keys=keys,
    )


def where_and_order(
    session: Session, actor: Actor, query: ResidentQuery
) -> tuple[list[ColumnElement[bool]], list[Any]]:
    """The list's WHERE terms and ORDER BY (display order) for reading a whole query in one
    pass, e.g. an export: ``select(cols).select_from(Resident).join(Community)…``.

    Statements must join ``Community`` (the community sort and some plans use it).
    """
    q = _prepare(session, actor, query)
    exprs: list[Any] = []
    if query.sort == "birth_date":
        exprs.append(Resident.birth_date.is_(None))  # unknown dates after known ones
    exprs.extend(q.segments[0].exprs)
    return q.conds, [e.desc() if query.descending else e.asc() for e in exprs]
