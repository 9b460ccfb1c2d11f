"""Visit schedules: how often each key group is visited, and when a resident is next due.

A resident's frequency is the shortest among their tags (a 独居 and 失能 elder is visited
weekly). The next visit is due ``days`` after the last one; a resident never visited is due
today. Overdue means the due day has passed (due < today).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.domain.tags import TAGS, tag_label
from wushe_desktop.infra.errors import PermissionDenied, ValidationError
from wushe_desktop.visits.models import VisitFrequency

__all__ = [
    "DEFAULT_FREQUENCIES",
    "MAX_DAYS",
    "FrequencyRow",
    "frequency_for",
    "get_frequencies",
    "is_overdue",
    "list_frequencies",
    "next_due",
    "set_frequencies",
]

#: Days between visits per key-group tag (0 = not scheduled). A station can change these.
DEFAULT_FREQUENCIES: dict[str, int] = {
    "elderly_alone": 7,  # 独居老人 weekly
    "elderly_empty_nest": 14,  # 空巢老人 every two weeks
    "elderly_disabled": 7,  # 失能老人 weekly
    "elderly_advanced": 30,  # 高龄老人 monthly
    "child_left_behind": 14,  # 留守儿童 every two weeks
    "child_in_difficulty": 7,  # 困境儿童 weekly
    "child_orphan": 7,  # 孤儿 weekly
    "child_unsupported": 7,  # 事实无人抚养儿童 weekly
}
MAX_DAYS = 366
RECORD_TYPE = "visit_frequency"


@dataclass(frozen=True)
class FrequencyRow:
    tag: str
    label: str
    days: int  # 0: not scheduled
    default_days: int


def next_due(last_visit: date | None, days: int, today: date) -> date:
    """The day the next visit is due: ``days`` after the last visit, or today if never."""
    if last_visit is None:
        return today
    return last_visit + timedelta(days=days)


def is_overdue(last_visit: date | None, days: int, today: date) -> bool:
    return next_due(last_visit, days, today) < today


def frequency_for(tags: Iterable[str], frequencies: Mapping[str, int]) -> int | None:
    """The resident's frequency: the shortest scheduled one among their tags, or None."""
    found = [frequencies[t] for t in tags if frequencies.get(t, 0) > 0]
    return min(found) if found else None


def get_frequencies(session: Session, actor: Actor) -> dict[str, int]:
    """Scheduled tags of the actor's station → days (defaults merged with its settings)."""
    merged = dict(DEFAULT_FREQUENCIES)
    if actor.station_id is not None:
        stmt = select(VisitFrequency.tag, VisitFrequency.days).where(
            VisitFrequency.station_id == actor.station_id
        )
        merged.update({tag: days for tag, days in session.execute(stmt)})
    return {tag: days for tag, days in merged.items() if days > 0}


def list_frequencies(session: Session, actor: Actor) -> list[FrequencyRow]:
    """Every schedulable tag (built-in key groups) with its days, for the settings form."""
    actor.require(Resource.SERVICE, Action.READ)
    current = get_frequencies(session, actor)
    tags = [code for code, t in TAGS.items() if t.parent in ("elderly", "child")]
    return [
        FrequencyRow(code, tag_label(code), current.get(code, 0), DEFAULT_FREQUENCIES.get(code, 0))
        for code in tags
    ]


def set_frequencies(session: Session, actor: Actor, days_by_tag: Mapping[str, int]) -> int:
    """Save the station's frequencies (a station setting: the director's); audited.

    Returns how many tags changed.
    """
    actor.require(Resource.STATION, Action.UPDATE)
    if actor.station_id is None:
        raise PermissionDenied("区级账户没有站点探访频次设置，请使用站点账户。")
    for tag, days in days_by_tag.items():
        if tag not in TAGS:
            raise ValidationError(f"重点人群“{tag}”不存在。", field="tag")
        if not 0 <= days <= MAX_DAYS:
            raise ValidationError(
                f"“{tag_label(tag)}”的探访间隔 {days} 天无效，应在 0（不安排）到 {MAX_DAYS} 天之间。",
                field=tag,
            )
    current = get_frequencies(session, actor)
    rows = {
        r.tag: r
        for r in session.scalars(
            select(VisitFrequency).where(VisitFrequency.station_id == actor.station_id)
        )
    }
    changes: dict[str, list[object]] = {}
    for tag, days in days_by_tag.items():
        if current.get(tag, 0) == days:
            continue
        changes[tag_label(tag)] = [current.get(tag, 0), days]
        row = rows.get(tag)
        if row is None:
            session.add(VisitFrequency(station_id=actor.station_id, tag=tag, days=days))
        else:
            row.days = days
    if changes:
        session.flush()
        audit.record(
            session,
            actor,
            AuditAction.UPDATE,
            record_type=RECORD_TYPE,
            record_id=actor.station_id,
            label="探访频次设置",
            changes=changes,
        )
    return len(changes)
