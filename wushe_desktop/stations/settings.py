"""Per-station settings as a small key/value table (``station_setting``), values as JSON.

Any room may keep its switches here under a namespaced key ("cases.supervisor_review",
"visits.frequencies" …) instead of adding a settings table of its own. Reading needs no
grant beyond belonging to the station; changing needs the station-update grant (director)
and is audited.
"""

from __future__ import annotations

import json
import uuid

from sqlalchemy import String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.infra.db.base import (
    Base,
    IdMixin,
    StationScopedMixin,
    TimestampMixin,
    VersionedMixin,
)
from wushe_desktop.infra.errors import PermissionDenied

__all__ = ["StationSetting", "get_setting", "set_setting"]


class StationSetting(IdMixin, StationScopedMixin, TimestampMixin, VersionedMixin, Base):
    """One setting of one station; ``value`` is JSON text."""

    __tablename__ = "station_setting"
    __table_args__ = (UniqueConstraint("station_id", "key"),)

    key: Mapped[str] = mapped_column(String(80))
    value: Mapped[str] = mapped_column(Text, default="null")


def _station(actor: Actor, station_id: uuid.UUID | None) -> uuid.UUID:
    station = station_id or actor.station_id
    if station is None:
        raise PermissionDenied("请指定站点：区级账户没有自己的站点设置。")
    actor.require_station(station)
    return station


def get_setting(
    session: Session,
    actor: Actor,
    key: str,
    default: object = None,
    *,
    station_id: uuid.UUID | None = None,
) -> object:
    """The setting's value, or ``default`` when it was never set."""
    station = _station(actor, station_id)
    raw = session.scalar(
        select(StationSetting.value).where(
            StationSetting.station_id == station, StationSetting.key == key
        )
    )
    return default if raw is None else json.loads(raw)


def set_setting(
    session: Session,
    actor: Actor,
    key: str,
    value: object,
    *,
    station_id: uuid.UUID | None = None,
) -> None:
    """Store a JSON-serialisable value (audited as a change of the station)."""
    actor.require(Resource.STATION, Action.UPDATE)
    station = _station(actor, station_id)
    row = session.scalars(
        select(StationSetting).where(
            StationSetting.station_id == station, StationSetting.key == key
        )
    ).first()
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    old = None if row is None else json.loads(row.value)
    if row is None:
        session.add(StationSetting(station_id=station, key=key, value=text))
    elif row.value == text:
        return
    else:
        row.value = text
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.UPDATE if row is not None else AuditAction.CREATE,
        record_type="station_setting",
        record_id=station,
        label=f"站点设置 {key}",
        changes=audit.diff({key: old}, {key: value}),
        station_id=station,
    )
