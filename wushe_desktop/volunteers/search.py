"""Volunteer search: name, pinyin, phone, ID number or volunteer-number prefix; keyset pages.

Every text condition is a prefix an index serves, written as the range
``col >= p AND col < p⁺`` (residents/search_plan.py: ``LIKE`` scans on SQLite). A station
has a few thousand volunteers, so one plan suffices: the text terms (OR) plus filters, in
(name, id) order, paged by keyset. ``front_desk`` is the check-in screen's lookup: a name
or the last four digits of a phone.
"""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, func, or_, select, tuple_
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.domain.pinyin import digits_query, query_kind
from wushe_desktop.residents.search_plan import next_prefix
from wushe_desktop.volunteers.models import Volunteer, VolunteerSkill, VolunteerTeamMember
from wushe_desktop.volunteers.rows import VolunteerRow, build_rows, row_select

__all__ = [
    "VolunteerPage",
    "VolunteerQuery",
    "conditions",
    "count",
    "front_desk",
    "search",
    "text_condition",
]

MAX_LIMIT = 1000


@dataclass(frozen=True)
class VolunteerQuery:
    text: str = ""
    community_id: uuid.UUID | None = None
    status: str | None = None  # 在册 | 暂停 | 退出; None: all
    skill: str | None = None
    team_id: uuid.UUID | None = None
    deleted: bool = False


@dataclass(frozen=True)
class VolunteerPage:
    rows: list[VolunteerRow]
    next_cursor: tuple[str, uuid.UUID] | None


def _prefix(column: Any, prefix: str, sqlite: bool) -> ColumnElement[bool]:
    if not sqlite:
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return column.like(escaped + "%", escape="\\")
    upper = next_prefix(prefix)
    cond = column >= prefix
    return and_(cond, column < upper) if upper is not None else cond


def text_condition(text: str, *, sqlite: bool) -> ColumnElement[bool] | None:
    """OR of prefix conditions the text matches; None for empty text."""
    compact = "".join(unicodedata.normalize("NFKC", text or "").split())
    if not compact:
        return None
    if compact.upper().startswith("VOL"):
        return _prefix(Volunteer.volunteer_no, compact.upper(), sqlite)
    kind = query_kind(compact)
    if kind == "digits":
        digits = digits_query(compact)
        if not digits:
            return false()
        terms = [
            _prefix(Volunteer.id_number, digits, sqlite),
            _prefix(Volunteer.phone, digits, sqlite),
        ]
        if len(digits) == 4 and digits.isdigit():
            terms.append(Volunteer.phone_tail == digits)
        return or_(*terms)
    if kind == "pinyin":
        letters = "".join(c for c in compact.lower() if c.isascii() and c.isalnum())
        if not letters:
            return false()
        return or_(
            *(
                _prefix(col, letters, sqlite)
                for col in (
                    Volunteer.py_initials,
                    Volunteer.py_full,
                    Volunteer.py_initials_alt,
                    Volunteer.py_full_alt,
                )
            )
        )
    return _prefix(Volunteer.name, compact, sqlite)


def conditions(session: Session, actor: Actor, query: VolunteerQuery) -> list[ColumnElement[bool]]:
    actor.require(Resource.VOLUNTEER, Action.READ)
    sqlite = session.get_bind().dialect.name == "sqlite"
    conds: list[ColumnElement[bool]] = []
    if not actor.is_district:
        conds.append(Volunteer.station_id == actor.station_id)
    conds.append(
        Volunteer.deleted_at.is_not(None) if query.deleted else Volunteer.deleted_at.is_(None)
    )
    text = text_condition(query.text, sqlite=sqlite)
    if text is not None:
        conds.append(text)
    if query.community_id is not None:
        conds.append(Volunteer.community_id == query.community_id)
    if query.status:
        conds.append(Volunteer.status == query.status)
    if query.skill:
        conds.append(
            exists().where(
                VolunteerSkill.volunteer_id == Volunteer.id, VolunteerSkill.skill == query.skill
            )
        )
    if query.team_id is not None:
        conds.append(
            exists().where(
                VolunteerTeamMember.volunteer_id == Volunteer.id,
                VolunteerTeamMember.team_id == query.team_id,
            )
        )
    return conds


def search(
    session: Session,
    actor: Actor,
    query: VolunteerQuery,
    *,
    after: tuple[str, uuid.UUID] | None = None,
    limit: int = 100,
) -> VolunteerPage:
    """One page of volunteers in (name, id) order after ``after``; masked rows."""
    limit = max(1, min(limit, MAX_LIMIT))
    conds = conditions(session, actor, query)
    if after is not None:
        conds.append(tuple_(Volunteer.name, Volunteer.id) > tuple_(*after))
    stmt = row_select().where(*conds).order_by(Volunteer.name, Volunteer.id).limit(limit + 1)
    results = list(session.execute(stmt))
    more = len(results) > limit
    rows = build_rows(session, results[:limit])
    cursor = (rows[-1].name, rows[-1].id) if more and rows else None
    return VolunteerPage(rows, cursor)


def count(session: Session, actor: Actor, query: VolunteerQuery) -> int:
    conds = conditions(session, actor, query)
    return int(session.scalar(select(func.count()).select_from(Volunteer).where(*conds)) or 0)


def front_desk(session: Session, actor: Actor, text: str, *, limit: int = 20) -> list[VolunteerRow]:
    """Check-in lookup: a name (or pinyin) prefix, or the last four digits of a phone."""
    compact = "".join(unicodedata.normalize("NFKC", text or "").split())
    if not compact:
        return []
    base = VolunteerQuery(status="在册")
    if compact.isdigit() and len(compact) == 4:
        conds = conditions(session, actor, base)
        conds.append(Volunteer.phone_tail == compact)
        stmt = row_select().where(*conds).order_by(Volunteer.name, Volunteer.id).limit(limit)
        return build_rows(session, list(session.execute(stmt)))
    return search(session, actor, VolunteerQuery(text=compact, status="在册"), limit=limit).rows
