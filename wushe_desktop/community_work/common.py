"""Checks and look-ups shared by visits, groups and activities (no Qt, caller's session)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.models import User
from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.infra.errors import NotFound, ValidationError
from wushe_desktop.residents.models import Resident
from wushe_desktop.stations.models import Community, Grid

EARLIEST = date(2000, 1, 1)
MAX_TEXT = 5_000
MAX_MINUTES = 24 * 60
CHINA_TZ = timezone(timedelta(hours=8), "CST")


def today_local() -> date:
    """Today in China time (the day a worker means when typing 今天)."""
    return datetime.now(CHINA_TZ).date()


def check_day(day: date | None, label: str, field: str, *, today: date) -> date:
    """A day that is given, not in the future and not before 2000."""
    if day is None:
        raise ValidationError(f"请填写{label}。", field=field)
    if day > today:
        raise ValidationError(f"{label} {day.isoformat()} 晚于今天，请检查。", field=field)
    if day < EARLIEST:
        raise ValidationError(f"{label} {day.isoformat()} 早于 2000 年，请检查。", field=field)
    return day


def limited(text: str, limit: int, label: str, field: str, *, required: bool = False) -> str:
    """Trimmed text of at most ``limit`` characters (and not empty when ``required``)."""
    value = (text or "").strip()
    if required and not value:
        raise ValidationError(f"请填写{label}。", field=field)
    if len(value) > limit:
        raise ValidationError(f"{label}最长{limit}个字，当前为{len(value)}个字。", field=field)
    return value


def choice(value: str, choices: Iterable[str], label: str, field: str) -> str:
    options = tuple(choices)
    text = (value or "").strip()
    if text not in options:
        raise ValidationError(f"{label}“{text}”无效，应为 {'、'.join(options)} 之一。", field=field)
    return text


def minutes(value: int, label: str = "时长", field: str = "duration_minutes") -> int:
    if not 0 <= value <= MAX_MINUTES:
        raise ValidationError(
            f"{label} {value} 分钟无效，应在 0 到 {MAX_MINUTES} 分钟之间。", field=field
        )
    return value


def scope_station(actor: Actor) -> uuid.UUID | None:
    """The station a query is limited to (None: a district user sees every station)."""
    return None if actor.is_district else actor.station_id


def live_resident(
    session: Session, actor: Actor, resident_id: uuid.UUID, *, field: str = "resident_id"
) -> Resident:
    """A resident of the actor's station that is not in the recycle bin."""
    resident = session.get(Resident, resident_id)
    if resident is None or (not actor.is_district and resident.station_id != actor.station_id):
        raise ValidationError("所选居民不存在或不属于本站点，请重新选择。", field=field)
    if resident.deleted_at is not None:
        raise ValidationError(f"居民“{resident.name}”在回收站中，请先恢复。", field=field)
    return resident


def station_user(
    session: Session, actor: Actor, user_id: uuid.UUID, station_id: uuid.UUID, *, field: str
) -> User:
    """An account of the record's station (a worker, a facilitator)."""
    user = session.get(User, user_id)
    if user is None or user.station_id != station_id:
        raise ValidationError("所选工作人员不存在或不属于本站点，请重新选择。", field=field)
    return user


def station_community(
    session: Session, actor: Actor, community_id: uuid.UUID, *, field: str = "community_id"
) -> Community:
    community = session.get(Community, community_id)
    if community is None or (not actor.is_district and community.station_id != actor.station_id):
        raise ValidationError("所选社区不存在或不属于本站点，请重新选择。", field=field)
    return community


def check_station(actor: Actor, station_id: uuid.UUID, what: str) -> None:
    """``NotFound`` for another station's record (its existence is not revealed)."""
    if not actor.is_district and station_id != actor.station_id:
        raise NotFound(f"未找到该{what}，可能已被删除。")


def user_names(session: Session, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.display_name).where(User.id.in_(wanted)))
    return {r.id: r.display_name for r in rows}


def resident_names(session: Session, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    wanted = set(ids)
    if not wanted:
        return {}
    names: dict[uuid.UUID, str] = {}
    chunk = list(wanted)
    for start in range(0, len(chunk), 500):
        rows = session.execute(
            select(Resident.id, Resident.name).where(Resident.id.in_(chunk[start : start + 500]))
        )
        names.update({r.id: r.name for r in rows})
    return names


def place_names(
    session: Session, station_id: uuid.UUID | None
) -> tuple[dict[uuid.UUID, str], dict[uuid.UUID, str]]:
    """(community id → name, grid id → name) of a station (all stations when None)."""
    cstmt = select(Community.id, Community.name)
    gstmt = select(Grid.id, Grid.name)
    if station_id is not None:
        cstmt = cstmt.where(Community.station_id == station_id)
        gstmt = gstmt.where(Grid.station_id == station_id)
    return (
        {r.id: r.name for r in session.execute(cstmt)},
        {r.id: r.name for r in session.execute(gstmt)},
    )


def station_staff(session: Session, actor: Actor) -> list[tuple[uuid.UUID, str]]:
    """Active staff of the actor's station who visit, facilitate or run activities
    (站长、社工、协调员), by name — for the worker drop-downs and filters."""
    from wushe_desktop.accounts.permissions import Action, Resource, Role

    actor.require(Resource.SERVICE, Action.READ)
    if actor.station_id is None:
        return []
    roles = (Role.DIRECTOR.value, Role.SOCIAL_WORKER.value, Role.COORDINATOR.value)
    stmt = (
        select(User.id, User.display_name)
        .where(User.station_id == actor.station_id, User.active, User.role.in_(roles))
        .order_by(User.display_name)
    )
    return [(r.id, r.display_name) for r in session.execute(stmt)]
