"""How a resident query reaches its rows: the WHERE clause and which index drives it.

Every text condition is a *prefix* an index can serve: on SQLite a range
``col >= p AND col < p⁺`` on the BINARY indexes (``LIKE`` and ``startswith()`` scan the
table, PERF-FLOORS 2j/2n), on PostgreSQL ``LIKE 'p%'``.

SQLite has no statistics unless ANALYZE ran, so it takes ``station_id = ?`` for a handful
of rows and often picks the wrong index. On SQLite this module therefore chooses the plan
itself and hides the indexes it does not want behind SQLite's unary ``+``:

* **walk** — read an index that is already in display order (``(station_id, deleted_at,
  py_full)`` for names in pinyin order, the birth-date and updated-at ones, or
  ``(community_id, deleted_at, name, id)`` for the community order) and test the other
  filters row by row; a page is full after about ``limit / density`` rows.
* **drive** — read the rows of the most selective filter from its own index and sort
  them; worth it when that filter matches few rows.

A cheap probe counts, up to a cap, what each filter matches (index-only); a filter under
the cap drives, otherwise the walk wins. PostgreSQL gets plain conditions and plans itself.

Names sort in pinyin order (``py_full``, then name and id), as a Chinese reader expects (李
before 张). Name and pinyin matches then sit in one stretch of that order, not spread over
it, so a walk would read everything before that stretch: a name search never walks, and a
pinyin search walks only inside its first letter's range (``Plan.py_letter``), which holds
every match unless some resident matches by the surname's other reading (``*_alt``).
Counts ignore the order and still use the name and place indexes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_, exists, false, func, literal, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.domain.pinyin import digits_query, query_kind
from wushe_desktop.residents.models import Resident, ResidentTag
from wushe_desktop.stations.models import Community, Grid, Station

SortKey = Literal["name", "birth_date", "updated_at", "community"]
#: What a plan is for: a sorted page, or ``"count"`` (any index order will do).
_Order = Literal["name", "birth_date", "updated_at", "community", "count"]
Col = InstrumentedAttribute[Any]

#: A filter matching fewer rows than this drives the query. With several filters the walk
#: meets matches more rarely, so the cap is ten times higher.
PROBE = 2000


# --------------------------------------------------------------------------- text


def next_prefix(prefix: str) -> str | None:
    """The smallest string greater than every string starting with ``prefix``."""
    chars = list(prefix)
    while chars:
        code = ord(chars[-1]) + 1
        if 0xD800 <= code <= 0xDFFF:
            code = 0xE000  # surrogates cannot be stored; UTF-8 order is code-point order
        if code <= 0x10FFFF:
            chars[-1] = chr(code)
            return "".join(chars)
        chars.pop()
    return None


def _landline_form(digits: str) -> str | None:
    """``051783…`` as stored (``0517-83…``) once the area code is complete."""
    if not digits.startswith("0"):
        return None
    area = 3 if digits.startswith(("010", "02")) else 4
    return f"{digits[:area]}-{digits[area:]}" if len(digits) > area else None


def text_terms(text: str) -> list[tuple[Col, str]]:
    """(column, prefix) pairs a search text matches, any of them (OR)."""
    kind = query_kind(text)
    if kind == "digits":
        digits = digits_query(text)
        if not digits:
            return []
        terms: list[tuple[Col, str]] = [(Resident.id_number, digits), (Resident.phone, digits)]
        landline = _landline_form(digits)
        if landline is not None:
            terms.append((Resident.phone, landline))
        return terms
    if kind == "pinyin":
        letters = "".join(c for c in text.lower() if c.isascii() and c.isalnum())
        if not letters:
            return []
        return [
            (Resident.py_initials, letters),
            (Resident.py_full, letters),
            (Resident.py_initials_alt, letters),
            (Resident.py_full_alt, letters),
        ]
    if kind == "hanzi":
        return [(Resident.name, " ".join(text.split()))]
    return []


def _escape_like(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# --------------------------------------------------------------------------- scope and plan


@dataclass(frozen=True)
class Scope:
    """Where the query may look. A community or grid filter, once checked against the
    user's station, scopes the query by itself (its index then needs no station test)."""

    station: uuid.UUID | None  # None: all stations (district level)
    community_id: uuid.UUID | None
    grid_id: uuid.UUID | None
    deleted: bool
    tag: str | None
    terms: list[tuple[Col, str]]
    empty: bool = False  # the filter names a place outside the user's reach

    @property
    def hanzi(self) -> bool:
        return bool(self.terms) and self.terms[0][0] is Resident.name


def make_scope(
    session: Session,
    actor: Actor,
    *,
    text: str,
    community_id: uuid.UUID | None,
    grid_id: uuid.UUID | None,
    tag: str | None,
    deleted: bool,
) -> Scope:
    station = None if actor.is_district else actor.station_id
    terms = text_terms(text)
    nothing = Scope(station, None, None, deleted, tag, terms, empty=True)
    if text.strip() and not terms:
        return nothing
    if grid_id is not None:
        grid = session.get(Grid, grid_id)
        if grid is None or (station is not None and grid.station_id != station):
            return nothing
        if community_id is not None and grid.community_id != community_id:
            return nothing
        community_id = None  # the grid implies its community
    elif community_id is not None:
        community = session.get(Community, community_id)
        if community is None or (station is not None and community.station_id != station):
            return nothing
    return Scope(station, community_id, grid_id, deleted, tag or None, terms)


@dataclass(frozen=True)
class Plan:
    sqlite: bool
    driver: str  # "walk" or the driving filter: "text" | "tag" | "grid" | "community"
    py_letter: str | None = None  # a pinyin walk reads only py_full starting with this

    @property
    def walk(self) -> bool:
        return self.driver == "walk"

    def keep(self, column: Any, indexed: bool) -> Any:
        """``column`` when it may use an index here, else ``+column`` (SQLite only)."""
        return column if indexed or not self.sqlite else hidden(column)


def hidden(column: Any) -> Any:
    """SQLite's unary ``+``: the same value, but no index can serve the term."""
    return UnaryExpression(column, operator=operators.custom_op("+"), type_=column.type)


def _served_place(scope: Scope, order: _Order) -> str | None:
    """The place filter whose (place, deleted_at, name, id) index the walk reads."""
    if order == "count" and scope.grid_id is not None:
        return "grid"
    if order in ("count", "community") and scope.community_id is not None:
        return "community"
    return None


def _name_walk_text(scope: Scope, order: _Order) -> bool:
    """A name range the walked index serves itself (it holds ``name``)."""
    return scope.hanzi and order in ("count", "community")


def _pinyin_letter(session: Session, scope: Scope) -> str | None:
    """The first letter every pinyin match's ``py_full`` starts with, or None when the text
    is not pinyin or some resident in scope matches by the other reading (its ``py_full``
    may start with any letter). Initials and full pinyin of one reading share the letter."""
    if not scope.terms or scope.terms[0][0] is not Resident.py_initials:
        return None
    alt = [(c, p) for c, p in scope.terms if c in (Resident.py_initials_alt, Resident.py_full_alt)]
    probe = Scope(scope.station, None, None, scope.deleted, None, alt)
    cond = text_condition(Plan(sqlite=True, driver="text"), probe)
    if session.scalar(select(literal(1)).select_from(Resident).where(cond).limit(1)):
        return None
    return scope.terms[0][1][0]


def choose_plan(session: Session, scope: Scope, sort: SortKey | None) -> Plan:
    """Pick walk or drive (module docstring); ``sort`` None plans a count, which reads
    like a walk in name order but never prefers visiting rows no filter narrowed down."""
    if session.get_bind().dialect.name != "sqlite":
        return Plan(sqlite=False, driver="walk")
    plan = _choose_sqlite(session, scope, sort)
    if plan.walk and sort == "name" and scope.terms and not scope.hanzi:
        letter = _pinyin_letter(session, scope)  # None for digits: not clustered, walk freely
        if letter is None and scope.terms[0][0] is Resident.py_initials:
            return Plan(sqlite=True, driver="text")  # an unbounded walk would crawl
        return Plan(sqlite=True, driver="walk", py_letter=letter)
    return plan


def _choose_sqlite(session: Session, scope: Scope, sort: SortKey | None) -> Plan:
    candidates = [
        name
        for name, present in (
            ("grid", scope.grid_id is not None),
            ("community", scope.community_id is not None),
            ("tag", scope.tag is not None),
            ("text", bool(scope.terms)),
        )
        if present
    ]
    order: _Order = sort or "count"
    served = _served_place(scope, order)
    walk_text = _name_walk_text(scope, order)
    others = [c for c in candidates if c != served and not (c == "text" and walk_text)]
    if not others:
        return Plan(sqlite=True, driver="walk")
    if sort is None and served is None and len(others) == 1:
        return Plan(sqlite=True, driver=others[0])  # a count visits every match anyway
    cap = PROBE if len(candidates) == 1 else 10 * PROBE
    if served is not None:
        cap = min(cap, _probe(session, scope, served, cap=cap))
    best, best_count = "", cap
    for name in others:  # place filters first: their probes are the cheapest
        found = _probe(session, scope, name, cap=best_count)
        if found < best_count:
            best, best_count = name, found
    if best:
        return Plan(sqlite=True, driver=best)
    if sort is None and served is None:  # counting every row of the station is no better
        return Plan(sqlite=True, driver=others[0])
    if sort == "name" and scope.hanzi:
        return Plan(sqlite=True, driver="text")  # a name prefix is one stretch of pinyin order
    return Plan(sqlite=True, driver="walk")


def offset_plan(session: Session, scope: Scope) -> Plan | None:
    """For finding the n-th row of the pinyin order when filters apply (a scroll-bar jump):
    drive by the filter matching fewest rows and sort them. Skipping n rows along the
    walk would fetch each row to test the filter, about n × all / matches rows. None when
    nothing is filtered (the walk's skip is then index-only) or off SQLite."""
    if session.get_bind().dialect.name != "sqlite":
        return None
    present = [
        name
        for name, on in (
            ("grid", scope.grid_id is not None),
            ("community", scope.community_id is not None),
            ("tag", scope.tag is not None),
            ("text", bool(scope.terms)),
        )
        if on
    ]
    if not present:
        return None
    sizes = {name: _probe(session, scope, name, cap=1 << 30) for name in present}
    return Plan(sqlite=True, driver=min(present, key=sizes.__getitem__))


def _probe(session: Session, scope: Scope, name: str, *, cap: int) -> int:
    """How many rows (up to ``cap``) one filter alone matches, read from its index."""
    if cap <= 0:
        return 0
    driving = Plan(sqlite=True, driver=name)
    table: Any = Resident
    if name == "text":
        cond = text_condition(driving, scope)
    elif name == "tag":
        table, cond = ResidentTag, ResidentTag.tag == scope.tag
    elif name == "grid":
        cond = and_(Resident.grid_id == scope.grid_id, deleted_condition(scope))
    else:
        cond = and_(Resident.community_id == scope.community_id, deleted_condition(scope))
    inner = select(literal(1)).select_from(table).where(cond).limit(cap).subquery()
    return int(session.scalar(select(func.count()).select_from(inner)) or 0)


# --------------------------------------------------------------------------- conditions


def deleted_condition(scope: Scope) -> ColumnElement[bool]:
    return Resident.deleted_at.is_not(None) if scope.deleted else Resident.deleted_at.is_(None)


def station_condition(scope: Scope, column: Any = Resident.station_id) -> ColumnElement[bool]:
    if scope.station is None:
        # District level: every station; the IN keeps the (station_id, …) indexes usable.
        return column.in_(select(Station.id).scalar_subquery())
    return column == scope.station


def _prefix(plan: Plan, column: Any, prefix: str) -> ColumnElement[bool]:
    if not plan.sqlite:
        return column.like(_escape_like(prefix) + "%", escape="\\")
    upper = next_prefix(prefix)
    cond = column >= prefix
    return and_(cond, column < upper) if upper is not None else cond


def text_condition(plan: Plan, scope: Scope, *, on_walk: bool = False) -> ColumnElement[bool]:
    """OR of prefix conditions. As the driver each branch carries the station and deleted
    tests, so SQLite serves every branch from its (station_id, deleted_at, column) index
    alone; on a walk a name range stays visible to the walked index."""
    branches = []
    for column, prefix in scope.terms:
        if plan.sqlite and plan.driver == "text":
            branches.append(
                and_(
                    station_condition(scope),
                    deleted_condition(scope),
                    _prefix(plan, column, prefix),
                )
            )
        else:
            branches.append(_prefix(plan, plan.keep(column, on_walk), prefix))
    return or_(*branches) if branches else false()


def _tag_condition(plan: Plan, tag: str) -> ColumnElement[bool]:
    if plan.sqlite and plan.driver == "tag":
        return Resident.id.in_(select(ResidentTag.resident_id).where(ResidentTag.tag == tag))
    return exists().where(ResidentTag.resident_id == Resident.id, ResidentTag.tag == tag)


def conditions(plan: Plan, scope: Scope, sort: SortKey | None) -> list[ColumnElement[bool]]:
    """The WHERE terms of ``plan`` (``sort`` None: a count)."""
    if scope.empty:
        return [false()]
    order: _Order = sort or "count"
    served = _served_place(scope, order)
    conds: list[ColumnElement[bool]] = []
    if plan.sqlite and plan.driver == "text":
        conds.append(text_condition(plan, scope))  # carries station and deleted
    else:
        place = scope.community_id is not None or scope.grid_id is not None
        if plan.walk and order == "community" and plan.sqlite:
            if scope.station is not None and not place:
                conds.append(station_condition(scope, Community.station_id))
        elif not plan.sqlite or not place or (plan.walk and served is None):
            walked = plan.walk and served is None
            conds.append(station_condition(scope, plan.keep(Resident.station_id, walked)))
        conds.append(deleted_condition(scope))
        if scope.terms:
            on_walk = plan.walk and _name_walk_text(scope, order)
            conds.append(text_condition(plan, scope, on_walk=on_walk))
        if plan.py_letter is not None:  # implied by the text: lets the walk seek its range
            conds.append(_prefix(plan, Resident.py_full, plan.py_letter))
    if scope.community_id is not None:
        indexed = plan.driver == "community" or (plan.walk and served == "community")
        conds.append(plan.keep(Resident.community_id, indexed) == scope.community_id)
    if scope.grid_id is not None:
        indexed = plan.driver == "grid" or (plan.walk and served == "grid")
        conds.append(plan.keep(Resident.grid_id, indexed) == scope.grid_id)
    if scope.tag is not None:
        conds.append(_tag_condition(plan, scope.tag))
    return conds


def plan_for(
    session: Session, scope: Scope, sort: SortKey | None
) -> tuple[Plan, list[ColumnElement[bool]]]:
    if scope.empty:
        return Plan(sqlite=False, driver="walk"), [false()]
    plan = choose_plan(session, scope, sort)
    return plan, conditions(plan, scope, sort)


__all__ = [
    "PROBE",
    "Plan",
    "Scope",
    "SortKey",
    "choose_plan",
    "conditions",
    "deleted_condition",
    "hidden",
    "make_scope",
    "next_prefix",
    "offset_plan",
    "plan_for",
    "station_condition",
    "text_condition",
    "text_terms",
]
